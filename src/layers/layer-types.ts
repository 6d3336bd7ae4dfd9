/** The option and record types of layers, and the base options' reading. */
import type * as tf from '@tensorflow/tfjs-core';
import type { ConstraintIdentifier } from '../constraints/identifiers.js';
import type * as initializers from '../initializers/index.js';
import type { RegularizerIdentifier, RegularizerLike } from '../regularizers/index.js';
import { readOptions } from '../utils/options.js';
import type { DTypeOption } from './dtype-policy.js';
import type { Layer } from './layer.js';
import type { KerasTensor } from './symbolic/keras-tensor.js';

/** A tensor shape where `null` stands for a size not known until a call (the batch axis, usually). */
export type Shape = (number | null)[];

/** Options every layer takes. */
export interface LayerOptions {
  /** Unique among a model's layers; default the class name in snake_case, numbered. */
  name?: string;
  /** Whether the layer's weights are updated by training; default true. */
  trainable?: boolean;
  dtype?: DTypeOption;
  /** Penalty on the layer's outputs, divided by their batch size. */
  activityRegularizer?: RegularizerIdentifier;
  /**
   * The shape of one sample (Keras's `input_shape`, tfjs-layers' `inputShape`):
   * a Sequential whose first layer has it starts with `Input({ shape })`.
   * Prefer an `Input` layer, as Keras 3 does.
   */
  inputShape?: (number | null)[];
  /** `inputShape: [inputDim]` (Keras's `input_dim`). */
  inputDim?: number;
  /** The shape with its batch axis (Keras 2's and tfjs-layers' `batch_input_shape`). */
  batchInputShape?: (number | null)[];
  /** The batch size of `inputShape`, as in tfjs-layers. */
  batchSize?: number;
}

/** The most elements one weight may have: 1 GiB of float32, far past any model this library trains, and a bound for hostile configs. */
export const MAX_WEIGHT_SIZE = 2 ** 28;

export const LAYER_OPTION_NAMES = [
  'name',
  'trainable',
  'dtype',
  'activityRegularizer',
  'inputShape',
  'inputDim',
  'batchInputShape',
  'batchSize',
] as const;

/**
 * For a subclass's constructor: checks that `options` holds only the base
 * layer's options and `ownNames`, and returns the base layer's part, for
 * `super(...)`.
 *
 * @example class Scaled extends layers.Layer { constructor(options: layers.LayerOptions & { factor: number }) { super(layers.layerOptionsOf('Scaled', options, ['factor'])); } }
 */
export function layerOptionsOf(className: string, options: unknown, ownNames: readonly string[]): LayerOptions {
  const read = readOptions<LayerOptions>(className, options, [...LAYER_OPTION_NAMES, ...ownNames]);
  const layerOptions: Record<string, unknown> = {};
  for (const key of LAYER_OPTION_NAMES) if (key in read) layerOptions[key] = read[key];
  return layerOptions as LayerOptions;
}

/** Options of `addWeight`, Keras's `add_weight(...)` keywords. */
export interface AddWeightOptions {
  name: string;
  shape: readonly number[];
  /** Default `"glorot_uniform"`, as in Keras. */
  initializer?: initializers.InitializerIdentifier;
  /** Its penalty is added to `layer.losses` while the weight is trainable. */
  regularizer?: RegularizerIdentifier;
  /** Applied to the weight after each optimizer update (Keras's `constraint`): a constraint, its name or JSON, a function, or null. */
  constraint?: ConstraintIdentifier;
  trainable?: boolean;
  dtype?: 'float32';
}

/** A weight as the layer tracks it: the variable and what Keras attaches to it. */
export interface LayerWeight {
  /** The layer that created the weight. */
  readonly layer: Layer;
  readonly name: string;
  /** `layerName/weightName`, as Keras's `variable.path`. */
  readonly path: string;
  readonly variable: tf.Variable;
  regularizer: RegularizerLike | null;
  trainable: boolean;
}

/** What `Layer.apply` and `call` take: one tensor, or a list for layers of several inputs (Add, Concatenate, attention). */
export type LayerInputs = tf.Tensor | tf.Tensor[];
/** What `Layer.apply` and `call` return: one tensor, or a list (an RNN with `returnState`). */
export type LayerOutputs = tf.Tensor | tf.Tensor[];

/**
 * Keras's mask: a bool tensor, true where a step (or sample) holds data and
 * false where it is padding; `null` for none. A layer given several inputs
 * has one entry per input.
 */
export type Mask = tf.Tensor | null;
/** One mask, or one per input of a layer with several inputs. */
export type Masks = Mask | Mask[];

/** Options of `apply` and `call`. */
export interface CallOptions {
  /**
   * Training mode (Dropout drops only then). Default: the enclosing call's
   * flag, else false.
   */
  training?: boolean;
  /**
   * The inputs' mask. Default: the mask that the layer which made the inputs
   * attached to them (`Embedding({ maskZero: true })`, `Masking`); `call`
   * receives the one in effect.
   */
  mask?: Masks;
  /**
   * Attention layers: which keys each query may attend to, `(B, T, S)`
   * (broadcast over the heads; `(T, S)` over the batch too), true or
   * nonzero where it may. A symbolic tensor in a Functional graph.
   */
  attentionMask?: tf.Tensor | KerasTensor | null;
  /** Attention layers: each query attends only to keys at or before its position. */
  useCausalMask?: boolean;
  /** Attention layers: return `[output, scores]`, the scores being the attention weights `(B, heads, T, S)`. */
  returnAttentionScores?: boolean;
  /** ReversibleEmbedding: project `(..., outputDim)` vectors back to `(..., inputDim)` logits. */
  reverse?: boolean;
}

/** A call's outputs, and the activity penalty when the layer computed it with them (else null). */
export interface ActivityCall {
  outputs: LayerOutputs;
  activityPenalty: tf.Scalar | null;
}

/** One entry of `losses`, with the layer it comes from. */
export interface LayerLoss {
  layer: Layer;
  /** `call`: recorded by the latest call (`addLoss`, activity); `weight`: a weight's penalty. */
  kind: 'call' | 'weight';
  loss: tf.Scalar;
}
