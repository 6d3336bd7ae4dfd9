/**
 * Layer JSON for the layers that hold other layers (RNN's cell, the
 * wrappers' layer): serialization.ts registers its `serialize` and
 * `deserialize` here when it loads, so that these modules need not import
 * it (it imports them, to list their classes).
 */
import type { DeserializeOptions } from '../../serialization/serialization.js';
import type { Layer } from '../layer.js';

export interface LayerCodec {
  serialize(layer: Layer): object;
  deserialize(json: unknown, options?: DeserializeOptions): Layer;
}

let codec: LayerCodec | null = null;

export function setLayerCodec(value: LayerCodec): void {
  codec = value;
}

export function layerCodec(): LayerCodec {
  if (codec == null) throw new Error('layers/serialization.js has not been loaded.');
  return codec;
}

/**
 * A nested layer from its JSON, not built: the layer holding it builds it
 * in its own name scope (the weights' paths are then Keras's,
 * `lstm/lstm_cell/kernel`), from its own build_config.
 */
export function deserializeUnbuilt(json: unknown, options?: DeserializeOptions): Layer {
  if (json != null && typeof json === 'object' && !Array.isArray(json) && 'build_config' in json) {
    const { build_config: _built, ...rest } = json as Record<string, unknown>;
    return layerCodec().deserialize(rest, options);
  }
  return layerCodec().deserialize(json, options);
}

/**
 * A holder's config split into the nested layer under `key` (from its JSON,
 * unbuilt, as `deserializeUnbuilt`) and the holder's own options: what
 * each wrapper's `fromConfig` does with its `layer` (or RNN's `cell`).
 */
export function splitNestedLayer(
  config: Record<string, unknown>,
  key: string,
  options?: DeserializeOptions,
): [Layer, Record<string, unknown>] {
  const { [key]: json, ...rest } = config;
  return [deserializeUnbuilt(json, options), rest];
}
