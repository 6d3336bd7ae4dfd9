/** Embedding: integer ids to rows of a trainable table. */
import * as tf from '@tensorflow/tfjs-core';
import { constraintOption } from '../../constraints/identifiers.js';
import * as constraints from '../../constraints/index.js';
import { ValueError } from '../../errors.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { unravelIndex } from '../../utils/indices.js';
import { isPlainObject } from '../../utils/objects.js';
import { Layer } from '../layer.js';
import { checkBoolean, singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Masks, type Shape } from '../layer-types.js';
import { gatherRows } from './gather-rows.js';
import { rowSparseLookup } from './sparse-rows.js';

/** The options of `Embedding`, Keras's `Embedding(input_dim, output_dim, embeddings_initializer="uniform", mask_zero=False, ...)` camelCased. */
export interface EmbeddingOptions extends LayerOptions {
  /** Size of the vocabulary: the largest id + 1. */
  inputDim: number;
  /** Size of each embedding vector. */
  outputDim: number;
  /** Default `"uniform"`: RandomUniform(-0.05, 0.05), as in Keras. */
  embeddingsInitializer?: initializers.InitializerIdentifier;
  /** Penalty on the whole table `(inputDim, outputDim)`, every row, used or not. */
  embeddingsRegularizer?: regularizers.RegularizerIdentifier;
  /** Applied to the table after each optimizer update: a constraint, its name or JSON, a function, or null. */
  embeddingsConstraint?: constraints.ConstraintIdentifier;
  /** Id 0 is padding: the output carries a mask, false where the id is 0, for the layers after it. */
  maskZero?: boolean;
  /** Keras 2's `input_length`: ignored, as Keras 3 ignores it. */
  inputLength?: number | null;
  /** Only `null` (what Keras writes when unquantized). */
  quantizationConfig?: null;
}

/** Embedding's own option names but `inputDim` (the base layer reads that name as an input-shape shorthand). */
export const EMBEDDING_OPTIONS = [
  'outputDim',
  'embeddingsInitializer',
  'embeddingsRegularizer',
  'embeddingsConstraint',
  'maskZero',
  'inputLength',
  'quantizationConfig',
];

function positiveDim(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new ValueError(`\`${name}\` must be a positive integer. Received: ${name}=${formatValue(value)}`, {
      argument: name,
      expected: 'a positive integer',
      received: formatValue(value),
    });
  }
  return value as number;
}

/**
 * Turns non-negative integer ids into dense vectors: `output[..., :] =
 * embeddings[id]`, output shape `(...ids.shape, outputDim)`. Ids must be an
 * int32 tensor with values in `[0, inputDim)`. The gradient reaches only the
 * rows used. In `fit`/`trainOnBatch` with plain SGD (no momentum, no weight
 * decay) and no regularizer or constraint on the table, the step updates only those rows,
 * in place (`cpu`, `wasm`): its cost does not grow with `inputDim`. Other
 * optimizers update every row each step (their moments decay everywhere),
 * as Keras does, from a dense `(inputDim, outputDim)` gradient.
 *
 * @example new layers.Embedding({ inputDim: 10000, outputDim: 64, maskZero: true, embeddingsRegularizer: new L2(1e-5) })
 */
export class Embedding extends Layer {
  static override readonly className: string = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly embeddingsInitializer: initializers.Initializer;
  #embeddingsRegularizer: regularizers.RegularizerLike | null;
  #embeddingsConstraint: constraints.ConstraintLike | null;
  embeddings: tf.Variable | null = null;

  constructor(options: EmbeddingOptions) {
    // `inputDim` is the vocabulary here, not the base layer's input-shape shorthand.
    const { inputDim: _vocabulary, ...rest } = isPlainObject(options) ? options : ({} as EmbeddingOptions);
    super(layerOptionsOf('Embedding', isPlainObject(options) ? rest : options, EMBEDDING_OPTIONS));
    this.inputDim = positiveDim(options.inputDim, 'inputDim');
    this.outputDim = positiveDim(options.outputDim, 'outputDim');
    if (options.quantizationConfig != null) {
      throw new ValueError(
        `Invalid value for argument quantizationConfig: only null is supported. Received: quantizationConfig=${formatValue(options.quantizationConfig)}`,
        { argument: 'quantizationConfig', expected: 'null', received: formatValue(options.quantizationConfig) },
      );
    }
    this.embeddingsInitializer = initializers.get(
      options.embeddingsInitializer ?? 'uniform',
    ) as initializers.Initializer;
    this.#embeddingsRegularizer = regularizers.get(options.embeddingsRegularizer);
    this.#embeddingsConstraint = constraintOption('embeddingsConstraint', options.embeddingsConstraint);
    this.maskZero = checkBoolean(options.maskZero ?? false, 'maskZero');
    this.supportsMasking = this.maskZero;
  }

  get embeddingsRegularizer(): regularizers.RegularizerLike | null {
    return this.#embeddingsRegularizer;
  }

  /** Takes effect at once, also on a built layer. */
  set embeddingsRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.#embeddingsRegularizer = this.replaceWeightRegularizer('embeddings', identifier);
  }

  get embeddingsConstraint(): constraints.ConstraintLike | null {
    return this.#embeddingsConstraint;
  }

  /** Applies from the next update, also on a built layer. */
  set embeddingsConstraint(identifier: constraints.ConstraintIdentifier) {
    this.#embeddingsConstraint = this.replaceWeightConstraint('embeddings', identifier, 'embeddingsConstraint');
  }

  override build(_inputShape: Shape | Shape[]): void {
    this.embeddings = this.addWeight({
      name: 'embeddings',
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
      regularizer: this.#embeddingsRegularizer,
      constraint: this.#embeddingsConstraint,
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }

  /** Ids stay integers. */
  protected override keepsInputDtypes(): boolean {
    return true;
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const ids = this.checkedIds(singleInput(inputs));
    return tf.tidy(() => {
      const flat = ids.rank === 1 ? ids : tf.reshape(ids, [-1]);
      const table = this.embeddings as tf.Variable;
      const rows = rowSparseLookup(table, flat) ?? lookup(table, flat);
      return ids.rank === 1 ? rows : tf.reshape(rows, [...ids.shape, this.outputDim]);
    });
  }

  /** Keras's mask for `maskZero`: true where the id is not 0. */
  override computeMask(inputs: LayerInputs, _mask: Masks): Masks {
    if (!this.maskZero) return null;
    return tf.notEqual(singleInput(inputs), 0);
  }

  /** The ids as int32, each checked to lie in `[0, inputDim)`. */
  private checkedIds(ids: tf.Tensor): tf.Tensor {
    if (ids.dtype !== 'int32' && ids.dtype !== 'bool') {
      throw new ValueError(
        `Layer "${this.name}" (Embedding) expects integer ids: an int32 tensor. Received: a ${ids.dtype} tensor of shape ${formatShape(ids.shape)}. Pass tf.tensor(ids, shape, 'int32'), or tf.cast(x, 'int32') to truncate.`,
        { argument: 'inputs', expected: 'an int32 tensor', received: `a ${ids.dtype} tensor` },
      );
    }
    const values = ids.dataSync();
    for (let i = 0; i < values.length; i++) {
      const id = values[i] as number;
      if (id < 0 || id >= this.inputDim) {
        const position = unravelIndex(i, ids.shape);
        throw new ValueError(
          `Layer "${this.name}" (Embedding) received id ${id} at position [${position.join(', ')}] of inputs of shape ${formatShape(ids.shape)}: expected ids in [0, ${this.inputDim}) (inputDim=${this.inputDim}).`,
          { argument: 'inputs', expected: `ids in [0, ${this.inputDim})`, received: String(id) },
        );
      }
    }
    return ids;
  }

  override getConfig(): Record<string, unknown> {
    // Keras's base config holds `activity_regularizer` (after dtype) when one is set; else it comes here.
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: initializers.serialize(this.embeddingsInitializer),
      embeddingsRegularizer: regularizers.serialize(this.#embeddingsRegularizer),
      activityRegularizer: regularizers.serialize(this.activityRegularizer),
      embeddingsConstraint: constraints.serialize(this.#embeddingsConstraint),
      maskZero: this.maskZero,
      quantizationConfig: null,
    };
  }
}

/**
 * `table[ids]` (ids int32 of rank 1). The gradient scatters the rows of `dy`
 * back onto the rows used, summing repeats (ScatterNd: `wasm` lacks the
 * UnsortedSegmentSum kernel that tfjs's own gather gradient needs).
 */
function lookup(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  const gathered = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([ids]);
    return {
      value: gatherRows(t, ids),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => tf.scatterND(tf.reshape(saved[0] as tf.Tensor, [-1, 1]), dy, table.shape)),
    };
  });
  return gathered(table);
}
