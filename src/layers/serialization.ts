/** `layers.serialize` / `layers.deserialize`: one layer in Keras 3 JSON. */
import { invalidArgument, ValueError } from '../errors.js';
import type { KerasObjectJson } from '../serialization/keras-json.js';
import {
  type DeserializableClass,
  type DeserializeOptions,
  deserializeKerasObject,
  type ObjectFamily,
  serializeKerasObject,
} from '../serialization/serialization.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject, ownValue } from '../utils/objects.js';
import { Activation } from './activations/activation.js';
import { ELU } from './activations/elu.js';
import { LeakyReLU } from './activations/leaky-relu.js';
import { PReLU } from './activations/prelu.js';
import { ReLU } from './activations/relu.js';
import { Softmax } from './activations/softmax.js';
import { CustomScaleLayer } from './applications/custom-scale-layer.js';
import { LayerScale } from './applications/layer-scale.js';
import { AdditiveAttention } from './attention/additive-attention.js';
import { Attention } from './attention/attention.js';
import { GroupedQueryAttention } from './attention/grouped-query-attention.js';
import { MultiHeadAttention } from './attention/multi-head-attention.js';
import { COLOR_AUGMENTATION_CLASSES } from './augmentation/color/registry.js';
import { GEOMETRIC_AUGMENTATION_CLASSES } from './augmentation/geometric/registry.js';
import { MIXING_AUGMENTATION_CLASSES } from './augmentation/mixing/registry.js';
import { Conv1D, Conv2D, Conv3D } from './convolutional/conv.js';
import { Conv1DTranspose, Conv2DTranspose, Conv3DTranspose } from './convolutional/conv-transpose.js';
import { DepthwiseConv1D, DepthwiseConv2D } from './convolutional/depthwise-conv.js';
import { SeparableConv1D, SeparableConv2D } from './convolutional/separable-conv.js';
import { Dense } from './core/dense.js';
import { EinsumDense } from './core/einsum-dense.js';
import { Embedding } from './core/embedding.js';
import { Identity } from './core/identity.js';
import { InputLayer } from './core/input-layer.js';
import { Masking } from './core/masking.js';
import { PYTHON_CODE_LAYERS } from './core/python-layers.js';
import { ReversibleEmbedding } from './core/reversible-embedding.js';
import { Layer } from './layer.js';
import type { Shape } from './layer-types.js';
import { Concatenate } from './merging/concatenate.js';
import { Dot } from './merging/dot.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merging/elementwise.js';
import { BatchNormalization } from './normalization/batch-normalization.js';
import { GroupNormalization } from './normalization/group-normalization.js';
import { LayerNormalization } from './normalization/layer-normalization.js';
import { RMSNormalization } from './normalization/rms-normalization.js';
import { SpectralNormalization } from './normalization/spectral-normalization.js';
import { UnitNormalization } from './normalization/unit-normalization.js';
import {
  AdaptiveAveragePooling1D,
  AdaptiveAveragePooling2D,
  AdaptiveAveragePooling3D,
  AdaptiveMaxPooling1D,
  AdaptiveMaxPooling2D,
  AdaptiveMaxPooling3D,
} from './pooling/adaptive-pooling.js';
import {
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
} from './pooling/global-pooling.js';
import {
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
} from './pooling/pooling.js';
import { CategoryEncoding } from './preprocessing/category-encoding.js';
import { CenterCrop } from './preprocessing/center-crop.js';
import { Discretization } from './preprocessing/discretization.js';
import { HashedCrossing } from './preprocessing/hashed-crossing.js';
import { Hashing } from './preprocessing/hashing.js';
import { IntegerLookup } from './preprocessing/integer-lookup.js';
import { MelSpectrogram } from './preprocessing/mel-spectrogram.js';
import { Normalization } from './preprocessing/normalization.js';
import { Rescaling } from './preprocessing/rescaling.js';
import { Resizing } from './preprocessing/resizing.js';
import { STFTSpectrogram } from './preprocessing/stft-spectrogram.js';
import { StringLookup } from './preprocessing/string-lookup.js';
import { TextVectorization } from './preprocessing/text-vectorization.js';
import { ActivityRegularization } from './regularization/activity-regularization.js';
import { AlphaDropout } from './regularization/alpha-dropout.js';
import { Dropout } from './regularization/dropout.js';
import { GaussianDropout } from './regularization/gaussian-dropout.js';
import { GaussianNoise } from './regularization/gaussian-noise.js';
import { SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from './regularization/spatial-dropout.js';
import { Cropping1D, Cropping2D, Cropping3D } from './reshaping/cropping.js';
import { Flatten } from './reshaping/flatten.js';
import { Permute } from './reshaping/permute.js';
import { RepeatVector } from './reshaping/repeat-vector.js';
import { Reshape } from './reshaping/reshape.js';
import { UpSampling1D, UpSampling2D, UpSampling3D } from './reshaping/up-sampling.js';
import { ZeroPadding1D, ZeroPadding2D, ZeroPadding3D } from './reshaping/zero-padding.js';
import { Bidirectional } from './rnn/bidirectional.js';
import { GRUCell, LSTMCell, SimpleRNNCell } from './rnn/cells.js';
import { ConvLSTM1D, ConvLSTM2D, ConvLSTM3D } from './rnn/conv-lstm.js';
import { setLayerCodec } from './rnn/layer-codec.js';
import { GRU, LSTM, SimpleRNN } from './rnn/recurrent-layers.js';
import { RNN } from './rnn/rnn.js';
import { StackedRNNCells } from './rnn/stacked-rnn-cells.js';
import { TimeDistributed } from './rnn/time-distributed.js';

export const LAYERS: ObjectFamily = {
  kind: 'layer',
  module: 'keras.layers',
  classes: new Map<string, DeserializableClass>([
    ['Dense', Dense],
    ['EinsumDense', EinsumDense],
    ['MultiHeadAttention', MultiHeadAttention],
    ['GroupQueryAttention', GroupedQueryAttention],
    ['GroupedQueryAttention', GroupedQueryAttention],
    ['Conv1D', Conv1D],
    ['Conv2D', Conv2D],
    ['Conv3D', Conv3D],
    ['DepthwiseConv1D', DepthwiseConv1D],
    ['DepthwiseConv2D', DepthwiseConv2D],
    ['SeparableConv1D', SeparableConv1D],
    ['SeparableConv2D', SeparableConv2D],
    ['Conv1DTranspose', Conv1DTranspose],
    ['Conv2DTranspose', Conv2DTranspose],
    ['Conv3DTranspose', Conv3DTranspose],
    ['InputLayer', InputLayer],
    ['Flatten', Flatten],
    ['Dropout', Dropout],
    ['Activation', Activation],
    ['MaxPooling2D', MaxPooling2D],
    ['GlobalAveragePooling2D', GlobalAveragePooling2D],
    ['MaxPooling1D', MaxPooling1D],
    ['MaxPooling3D', MaxPooling3D],
    ['AveragePooling1D', AveragePooling1D],
    ['AveragePooling2D', AveragePooling2D],
    ['AveragePooling3D', AveragePooling3D],
    ['GlobalMaxPooling1D', GlobalMaxPooling1D],
    ['GlobalMaxPooling2D', GlobalMaxPooling2D],
    ['GlobalMaxPooling3D', GlobalMaxPooling3D],
    ['GlobalAveragePooling1D', GlobalAveragePooling1D],
    ['GlobalAveragePooling3D', GlobalAveragePooling3D],
    ['UpSampling1D', UpSampling1D],
    ['UpSampling2D', UpSampling2D],
    ['UpSampling3D', UpSampling3D],
    ['ZeroPadding1D', ZeroPadding1D],
    ['ZeroPadding2D', ZeroPadding2D],
    ['ZeroPadding3D', ZeroPadding3D],
    ['Cropping1D', Cropping1D],
    ['Cropping2D', Cropping2D],
    ['Cropping3D', Cropping3D],
    ['SpatialDropout1D', SpatialDropout1D],
    ['SpatialDropout2D', SpatialDropout2D],
    ['SpatialDropout3D', SpatialDropout3D],
    ['GaussianNoise', GaussianNoise],
    ['GaussianDropout', GaussianDropout],
    ['AlphaDropout', AlphaDropout],
    ['Add', Add],
    ['Subtract', Subtract],
    ['Multiply', Multiply],
    ['Average', Average],
    ['Maximum', Maximum],
    ['Minimum', Minimum],
    ['Concatenate', Concatenate],
    ['Dot', Dot],
    ['Reshape', Reshape],
    ['Permute', Permute],
    ['RepeatVector', RepeatVector],
    ['Identity', Identity],
    ['ActivityRegularization', ActivityRegularization],
    ['BatchNormalization', BatchNormalization],
    ['LayerNormalization', LayerNormalization],
    ['GroupNormalization', GroupNormalization],
    ['UnitNormalization', UnitNormalization],
    ['SpectralNormalization', SpectralNormalization],
    ['PReLU', PReLU],
    ['ReLU', ReLU],
    ['LeakyReLU', LeakyReLU],
    ['ELU', ELU],
    ['Softmax', Softmax],
    ['Embedding', Embedding],
    ['Masking', Masking],
    ['SimpleRNNCell', SimpleRNNCell],
    ['LSTMCell', LSTMCell],
    ['GRUCell', GRUCell],
    ['RNN', RNN],
    ['StackedRNNCells', StackedRNNCells],
    ['SimpleRNN', SimpleRNN],
    ['LSTM', LSTM],
    ['GRU', GRU],
    ['ConvLSTM1D', ConvLSTM1D],
    ['ConvLSTM2D', ConvLSTM2D],
    ['ConvLSTM3D', ConvLSTM3D],
    ['Bidirectional', Bidirectional],
    ['TimeDistributed', TimeDistributed],
    ['Rescaling', Rescaling],
    ['Normalization', Normalization],
    ['Resizing', Resizing],
    ['CenterCrop', CenterCrop],
    ['Discretization', Discretization],
    ['CategoryEncoding', CategoryEncoding],
    ['IntegerLookup', IntegerLookup],
    ['Hashing', Hashing],
    ['StringLookup', StringLookup],
    ['LayerScale', LayerScale],
    ['CustomScaleLayer', CustomScaleLayer],
    ['STFTSpectrogram', STFTSpectrogram],
    ['MelSpectrogram', MelSpectrogram],
    ['HashedCrossing', HashedCrossing],
    ['TextVectorization', TextVectorization],
    ['Attention', Attention],
    ['AdditiveAttention', AdditiveAttention],
    ['RMSNormalization', RMSNormalization],
    ['ReversibleEmbedding', ReversibleEmbedding],
    ['AdaptiveAveragePooling1D', AdaptiveAveragePooling1D],
    ['AdaptiveAveragePooling2D', AdaptiveAveragePooling2D],
    ['AdaptiveAveragePooling3D', AdaptiveAveragePooling3D],
    ['AdaptiveMaxPooling1D', AdaptiveMaxPooling1D],
    ['AdaptiveMaxPooling2D', AdaptiveMaxPooling2D],
    ['AdaptiveMaxPooling3D', AdaptiveMaxPooling3D],
    // Refused with Keras's safe_mode reason: they carry Python code.
    ...PYTHON_CODE_LAYERS.map((cls): [string, DeserializableClass] => [cls.className, cls]),
    ...GEOMETRIC_AUGMENTATION_CLASSES,
    ...COLOR_AUGMENTATION_CLASSES,
    ...MIXING_AUGMENTATION_CLASSES,
  ]),
};

/**
 * Adds a class that a layer list may hold but that lives above layers/: the
 * models (a Functional model nested in another, a Sequential in a graph).
 * models/ registers them when it loads, so this module need not import it.
 */
export function registerLayerClass(name: string, cls: DeserializableClass): void {
  (LAYERS.classes as Map<string, DeserializableClass>).set(name, cls);
}

/** Keras JSON of a layer, with `build_config` once it is built. */
export type LayerJson = KerasObjectJson<Record<string, unknown>> & {
  /** `shapes_dict` for a layer whose call takes several tensors by name (attention, an RNN's initial state). */
  build_config?: { input_shape: Shape | Shape[] } | { shapes_dict: Record<string, unknown> };
};

/**
 * The layer as Keras 3 JSON (`{ module, class_name, config, registered_name,
 * build_config }`), config keys in snake_case.
 */
export function serialize(layer: Layer): LayerJson {
  if (!(layer instanceof Layer)) {
    throw invalidArgument('layer', 'a Layer', layer);
  }
  const json = serializeKerasObject(layer, LAYERS) as LayerJson;
  const inputShape = layer.buildInputShape;
  // Keras writes no build_config for an InputLayer; the batch axis is written as null.
  if (inputShape == null || layer instanceof InputLayer) return json;
  const nullBatch = (shape: Shape): Shape => [null, ...shape.slice(1)];
  const shape = Array.isArray(inputShape[0]) ? (inputShape as Shape[]).map(nullBatch) : nullBatch(inputShape as Shape);
  // A layer whose Keras call takes several tensors by name (attention) writes them by name, as Keras does.
  const call = kerasCallArgumentNames(layer);
  if (call != null && Array.isArray(shape[0])) {
    return { ...json, build_config: { shapes_dict: shapesDict(call, shape as Shape[]) } };
  }
  return { ...json, build_config: { input_shape: shape } };
}

/**
 * Keras's names of the tensors a layer's call takes, in the order of our
 * input list (MultiHeadAttention: query, value, key), else null. A last
 * name written `...name` takes the rest of the list as one Keras argument
 * (an RNN's `initial_state`).
 */
export function kerasCallArgumentNames(layer: Layer): { names: readonly string[]; rest: boolean } | null {
  const declared = (layer.constructor as { kerasCallArguments?: unknown }).kerasCallArguments;
  if (!Array.isArray(declared)) return null;
  const names = (declared as string[]).map((name) => name.replace(/^\.\.\./, ''));
  return { names, rest: (declared[declared.length - 1] as string).startsWith('...') };
}

/** The shapes of a named call as Keras's `shapes_dict` (the rest argument as a list of shapes). */
function shapesDict(call: { names: readonly string[]; rest: boolean }, shapes: Shape[]): Record<string, unknown> {
  const single = call.rest ? call.names.length - 1 : call.names.length;
  const dict: Record<string, unknown> = Object.fromEntries(
    shapes.slice(0, single).map((s, i) => [`${call.names[i]}_shape`, s]),
  );
  if (call.rest && shapes.length > single) dict[`${call.names[single]}_shape`] = shapes.slice(single);
  return dict;
}

/** Our list of shapes from Keras's `shapes_dict`, or null when it does not fit the names. */
function shapesFromDict(
  call: { names: readonly string[]; rest: boolean },
  dict: Record<string, unknown>,
): Shape[] | null {
  const single = call.rest ? call.names.length - 1 : call.names.length;
  const shapes = call.names.slice(0, single).map((name) => ownValue(dict, `${name}_shape`));
  while (shapes.length > 0 && shapes[shapes.length - 1] == null) shapes.pop();
  let count = shapes.length;
  if (call.rest) {
    const restShapes = ownValue(dict, `${call.names[single]}_shape`);
    if (restShapes != null) {
      if (shapes.length !== single) return null;
      // Keras records one shape for a single tensor, a list for a list.
      shapes.push(...(isShape(restShapes) ? [restShapes] : Array.isArray(restShapes) ? restShapes : [restShapes]));
      count += 1;
    }
  }
  if (shapes.length === 0 || !shapes.every(isShape) || Object.keys(dict).length !== count) return null;
  return shapes as Shape[];
}

/**
 * Builds a layer from Keras 3 JSON (as Python Keras writes it) or tfjs-style
 * JSON. With a `build_config`, the layer is built (its weights exist).
 */
export function deserialize(json: unknown, options: DeserializeOptions = {}): Layer {
  const layer = deserializeKerasObject(json, LAYERS, options);
  if (!(layer instanceof Layer)) {
    throw new ValueError(`Could not deserialize a layer from ${formatValue(json)}: got ${formatValue(layer)}.`, {
      argument: 'class_name',
      expected: 'a Layer class',
      received: formatValue(layer),
    });
  }
  const buildConfig = ownValue(json as Record<string, unknown>, 'build_config');
  if (buildConfig != null) {
    const byName = isPlainObject(buildConfig) ? ownValue(buildConfig, 'shapes_dict') : undefined;
    const call = kerasCallArgumentNames(layer);
    if (isPlainObject(byName) && call != null) {
      const names = call.names;
      // Keras's `build(query_shape=..., value_shape=...)`: the shapes in call order, up to the last given.
      const shapes = shapesFromDict(call, byName);
      if (shapes == null) {
        layer.dispose();
        throw new ValueError(
          `Invalid build_config: expected shapes_dict with ${names.map((n) => `${n}_shape`).join(', ')} (the first ones). Received: build_config=${formatValue(buildConfig)}`,
          {
            argument: 'build_config.shapes_dict',
            expected: names.map((n) => `${n}_shape`).join(', '),
            received: formatValue(buildConfig),
          },
        );
      }
      layer.ensureBuilt(shapes.length === 1 ? (shapes[0] as Shape) : shapes);
      return layer;
    }
    const inputShape = isPlainObject(buildConfig) ? ownValue(buildConfig, 'input_shape') : undefined;
    // A model records `input_shape: null`: it builds itself from its own config.
    if (inputShape === null) return layer;
    // A layer of several inputs (a merge layer) records a list of shapes.
    const shapes = Array.isArray(inputShape) && inputShape.length > 0 && inputShape.every(isShape) ? inputShape : null;
    if (shapes != null) {
      layer.ensureBuilt(shapes);
      return layer;
    }
    if (!isShape(inputShape)) {
      layer.dispose();
      throw new ValueError(
        `Invalid build_config: expected {input_shape: [...]} with positive integer dimensions. Received: build_config=${formatValue(buildConfig)}`,
        {
          argument: 'build_config.input_shape',
          expected: 'an array of positive integers',
          received: formatValue(buildConfig),
        },
      );
    }
    layer.ensureBuilt(inputShape);
  }
  return layer;
}

function isShape(value: unknown): value is (number | null)[] {
  return Array.isArray(value) && value.every((d) => d === null || (Number.isInteger(d) && d > 0));
}

// The layers that hold layers (RNN's cell, the wrappers') serialize them through these.
setLayerCodec({ serialize, deserialize });
