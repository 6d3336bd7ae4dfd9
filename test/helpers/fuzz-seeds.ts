import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import { KERAS_EXTRA, KERAS_REFERENCE } from './fixtures.js';

/** Valid Keras JSON to mutate: every layer config of the fixtures, and the saved models' configs. */
export function validLayerJsons(): unknown[] {
  return [...KERAS_REFERENCE, ...KERAS_EXTRA]
    .filter((c) => c.kind === 'layer')
    .map((c) => ({
      module: 'keras.layers',
      class_name: c.layer_class,
      config: c.layer_config,
      registered_name: null,
      build_config: { input_shape: c.input.shape },
    }));
}

export function validModelJsons(): unknown[] {
  return ['dense_l1_l2_activity', 'dense_orthogonal_custom', 'conv1d_causal', 'conv2d_pool', 'conv3d'].map((name) => {
    const bytes = readFileSync(new URL(`../fixtures/keras-models/${name}.keras`, import.meta.url));
    return JSON.parse(strFromU8(unzipSync(new Uint8Array(bytes))['config.json'] as Uint8Array));
  });
}

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(key) : key];
      out.push(path);
      paths((value as Record<string, unknown>)[key], path, out);
    }
  }
  return out;
}

/** Applies edits (set a value, delete a key, add a key) at paths chosen by index into a copy of `seed`. */
function mutate(seed: unknown, edits: [number, unknown, 'set' | 'delete' | 'add', string][]): unknown {
  const copy = structuredClone(seed);
  for (const [at, replacement, kind, newKey] of edits) {
    const all = paths(copy);
    if (all.length === 0) return replacement;
    const path = all[at % all.length] as Path;
    let parent = copy as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    if (kind === 'delete' && !Array.isArray(parent)) delete parent[last];
    else if (
      kind === 'add' &&
      parent[last] !== null &&
      typeof parent[last] === 'object' &&
      !Array.isArray(parent[last])
    ) {
      Object.defineProperty(parent[last], newKey, {
        value: replacement,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else parent[last] = replacement;
  }
  return copy;
}

/** Valid configs with 1 to 3 hostile edits: reaches the checks past the first. */
export function mutated(seeds: unknown[], replacement: fc.Arbitrary<unknown>, keys: string[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(
        fc.tuple(
          fc.nat(),
          replacement,
          fc.constantFrom('set', 'delete', 'add') as fc.Arbitrary<'set' | 'delete' | 'add'>,
          fc.constantFrom(...keys),
        ),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
    )
    .map(([seed, edits]) => mutate(seed, edits));
}
