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
import { InputLayer } from './core/input-layer.js';
import { Layer } from './layer.js';
import { GlobalAveragePooling2D, MaxPooling2D } from './pooling/pooling.js';
import { Dropout } from './regularization/dropout.js';
import { Flatten } from './reshaping/flatten.js';

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
  ]),
};

/** Keras JSON of a layer, with `build_config` once it is built. */
export type LayerJson = KerasObjectJson<Record<string, unknown>> & {
  build_config?: { input_shape: number[] | number[][] };
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
  const shape = Array.isArray(inputShape[0]) ? inputShape : [null, ...(inputShape as number[]).slice(1)];
  return { ...json, build_config: { input_shape: shape as number[] } };
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
    layer.ensureBuilt(inputShape.map((d) => d ?? 1));
  }
  return layer;
}

function isShape(value: unknown): value is (number | null)[] {
  return Array.isArray(value) && value.every((d) => d === null || (Number.isInteger(d) && d > 0));
}
