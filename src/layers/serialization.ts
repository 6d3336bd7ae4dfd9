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
import { Conv1D, Conv2D, Conv3D } from './convolutional/conv.js';
import { Dense } from './core/dense.js';
import { Identity } from './core/identity.js';
import { InputLayer } from './core/input-layer.js';
import { Layer } from './layer.js';
import type { Shape } from './layer-types.js';
import { Concatenate } from './merging/concatenate.js';
import { Dot } from './merging/dot.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merging/elementwise.js';
import { GlobalAveragePooling2D, MaxPooling2D } from './pooling/pooling.js';
import { ActivityRegularization } from './regularization/activity-regularization.js';
import { Dropout } from './regularization/dropout.js';
import { Flatten } from './reshaping/flatten.js';
import { Permute } from './reshaping/permute.js';
import { RepeatVector } from './reshaping/repeat-vector.js';
import { Reshape } from './reshaping/reshape.js';

export const LAYERS: ObjectFamily = {
  kind: 'layer',
  module: 'keras.layers',
  classes: new Map<string, DeserializableClass>([
    ['Dense', Dense],
    ['Conv1D', Conv1D],
    ['Conv2D', Conv2D],
    ['Conv3D', Conv3D],
    ['InputLayer', InputLayer],
    ['Flatten', Flatten],
    ['Dropout', Dropout],
    ['Activation', Activation],
    ['MaxPooling2D', MaxPooling2D],
    ['GlobalAveragePooling2D', GlobalAveragePooling2D],
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
  build_config?: { input_shape: Shape | Shape[] };
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
  return { ...json, build_config: { input_shape: shape } };
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
