/** The layer configs of a .keras file, compared by the tests that load Keras-made models and save them back. */
import { strFromU8, unzipSync } from 'fflate';

/** Keys one Keras process writes that another would write differently (ids, build configs). */
const PROCESS_KEYS = ['shared_object_id', 'build_config'];

/**
 * Keras's layer configs in a .keras file as `[className, config]` pairs (no
 * InputLayer), without the ids and build configs of one Keras process and
 * without any `extraKeys` (e.g. `inbound_nodes`).
 */
export function kerasLayerConfigs(bytes: Uint8Array, extraKeys: readonly string[] = []): unknown {
  const drop = new Set([...PROCESS_KEYS, ...extraKeys]);
  const config = JSON.parse(strFromU8(unzipSync(bytes)['config.json'] as Uint8Array)).config;
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !drop.has(key))
        .map(([key, v]) => [key, strip(v)]),
    );
  };
  return (config.layers as { class_name: string; config: unknown }[])
    .filter((l) => l.class_name !== 'InputLayer')
    .map((l) => [l.class_name, strip(l.config)]);
}
