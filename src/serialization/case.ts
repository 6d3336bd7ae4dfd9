/**
 * The one place where camelCase (the TypeScript API) meets snake_case (Keras
 * JSON): option names, and the few option values that Keras spells in
 * snake_case (`data_format`).
 */

/** Names Keras spells with an underscore before a digit: Adam's `beta_1`, `beta_2`; Adafactor's `beta_2_decay`, `epsilon_1`, `epsilon_2`. */
const KEY_SPELLINGS: ReadonlyArray<readonly [camel: string, snake: string]> = [
  ['beta1', 'beta_1'],
  ['beta2', 'beta_2'],
  ['beta2Decay', 'beta_2_decay'],
  ['epsilon1', 'epsilon_1'],
  ['epsilon2', 'epsilon_2'],
];

/** `kernelRegularizer` → `kernel_regularizer`; `beta1` → `beta_1`. */
export function camelToSnake(name: string): string {
  const special = KEY_SPELLINGS.find(([camel]) => camel === name);
  return special != null ? special[1] : name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** `kernel_regularizer` → `kernelRegularizer`; `beta_1` → `beta1`. */
export function snakeToCamel(name: string): string {
  const special = KEY_SPELLINGS.find(([, snake]) => snake === name);
  return special != null ? special[0] : name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Keras's `to_snake_case` for class names: `Conv2D` → `conv2d`,
 * `OrthogonalRegularizer` → `orthogonal_regularizer`, `L1L2` → `l1l2`.
 */
export function classNameToSnake(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Option values spelled differently on each side of the boundary. */
const VALUE_SPELLINGS: Readonly<Record<string, ReadonlyArray<readonly [camel: string, snake: string]>>> = {
  dataFormat: [
    ['channelsLast', 'channels_last'],
    ['channelsFirst', 'channels_first'],
  ],
};

function respell(key: string, value: unknown, toSnake: boolean): unknown {
  const pairs = Object.hasOwn(VALUE_SPELLINGS, key) ? VALUE_SPELLINGS[key] : undefined;
  if (pairs == null || typeof value !== 'string') return value;
  const pair = pairs.find(([camel, snake]) => value === (toSnake ? camel : snake));
  return pair == null ? value : toSnake ? pair[1] : pair[0];
}

/** A config's top-level keys (and spelled values) in Keras's snake_case. Nested Keras JSON is left as is. */
export function configToSnake(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) result[camelToSnake(key)] = respell(key, value, true);
  return result;
}

/** A Keras config's top-level keys (and spelled values) in camelCase. */
export function configToCamel(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const camel = snakeToCamel(key);
    result[camel] = respell(camel, value, false);
  }
  return result;
}

/** Normalises a data format given in either spelling to the camelCase one. */
export function normalizeDataFormat(value: unknown): unknown {
  return respell('dataFormat', value, false);
}
