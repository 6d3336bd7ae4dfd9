/**
 * The `initializers` namespace, Keras's `keras.initializers`: the weight
 * initializers by class and by name (`"glorot_uniform"`, `"he_normal"`, ...),
 * as a layer's `kernelInitializer`, `biasInitializer`, ... take them.
 *
 * @packageDocumentation
 * @example new layers.Dense({ units: 8, kernelInitializer: new initializers.HeNormal({ seed: 1 }) })
 */
import { ValueError } from '../errors.js';
import type { KerasObjectJson } from '../serialization/keras-json.js';
import {
  type DeserializeOptions,
  deserializeKerasObject,
  type ObjectFamily,
  serializeKerasObject,
} from '../serialization/serialization.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject } from '../utils/objects.js';
import { knownNamesHint } from '../utils/options.js';
import { Constant, Initializer, Ones, Zeros } from './initializer.js';
import { Orthogonal } from './orthogonal.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
} from './random.js';

export { Constant, Initializer, type InitializerConfig, Ones, Zeros } from './initializer.js';
export { Orthogonal } from './orthogonal.js';
export {
  computeFans,
  type Distribution,
  type FanMode,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  RandomNormal,
  RandomUniform,
  type Seed,
  TruncatedNormal,
  VarianceScaling,
  type VarianceScalingOptions,
} from './random.js';

const CLASSES: ReadonlyArray<
  [string, string, { new (): Initializer; fromConfig(c: Record<string, unknown>): Initializer }]
> = [
  ['Zeros', 'zeros', Zeros],
  ['Ones', 'ones', Ones],
  ['Constant', 'constant', Constant],
  ['RandomNormal', 'random_normal', RandomNormal],
  ['RandomUniform', 'random_uniform', RandomUniform],
  ['TruncatedNormal', 'truncated_normal', TruncatedNormal],
  ['VarianceScaling', 'variance_scaling', VarianceScaling],
  ['GlorotUniform', 'glorot_uniform', GlorotUniform],
  ['GlorotNormal', 'glorot_normal', GlorotNormal],
  ['HeNormal', 'he_normal', HeNormal],
  ['HeUniform', 'he_uniform', HeUniform],
  ['LecunNormal', 'lecun_normal', LecunNormal],
  ['LecunUniform', 'lecun_uniform', LecunUniform],
  ['Orthogonal', 'orthogonal', Orthogonal],
];

const BY_NAME = new Map(
  CLASSES.flatMap(
    ([className, snake, cls]) =>
      [
        [className, cls],
        [snake, cls],
      ] as const,
  ),
);

// Keras's aliases: `embeddings_initializer="uniform"` is RandomUniform(-0.05, 0.05).
for (const [alias, cls] of [
  ['uniform', RandomUniform],
  ['normal', RandomNormal],
  ['zero', Zeros],
  ['one', Ones],
  ['OrthogonalInitializer', Orthogonal],
] as const) {
  BY_NAME.set(alias, cls);
}

/**
 * The built-in initializers as a family of Keras JSON: each class under every
 * name `get` accepts (class names, snake_case names, Keras's aliases), filed
 * under the module `keras.initializers`. Custom ones are found through
 * `saving.registerSerializable` instead.
 */
export const INITIALIZERS: ObjectFamily = { kind: 'initializer', module: 'keras.initializers', classes: BY_NAME };

/** Keras's initializer names (snake_case, class names and short aliases), for autocompletion. */
export type InitializerName =
  | 'zeros'
  | 'ones'
  | 'constant'
  | 'random_normal'
  | 'random_uniform'
  | 'truncated_normal'
  | 'variance_scaling'
  | 'glorot_uniform'
  | 'glorot_normal'
  | 'he_normal'
  | 'he_uniform'
  | 'lecun_normal'
  | 'lecun_uniform'
  | 'orthogonal'
  | 'uniform'
  | 'normal'
  | 'zero'
  | 'one'
  | 'Zeros'
  | 'Ones'
  | 'Constant'
  | 'RandomNormal'
  | 'RandomUniform'
  | 'TruncatedNormal'
  | 'VarianceScaling'
  | 'GlorotUniform'
  | 'GlorotNormal'
  | 'HeNormal'
  | 'HeUniform'
  | 'LecunNormal'
  | 'LecunUniform'
  | 'Orthogonal';

/**
 * What an `*Initializer` option takes, Keras's initializer identifier: an
 * Initializer, a Keras name, Keras JSON, or null (the layer's default).
 */
// `string & {}`: any other string still type-checks; `get` refuses an unknown one with the list.
export type InitializerIdentifier = Initializer | InitializerName | (string & {}) | KerasObjectJson | null | undefined;

/**
 * Resolves an initializer: a Keras name (`"glorot_uniform"`, `"zeros"`), Keras
 * JSON, or an instance (returned as is). Keras's `keras.initializers.get`.
 *
 * @example initializers.get('he_normal') // new HeNormal()
 */
export function get(identifier: InitializerIdentifier, options: DeserializeOptions = {}): Initializer | null {
  if (identifier == null) return null;
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') {
    const cls = BY_NAME.get(identifier);
    if (cls != null) return new cls();
  } else if (isPlainObject(identifier)) {
    const result = deserializeKerasObject(identifier, INITIALIZERS, options);
    if (result instanceof Initializer) return result;
  }
  const hint = typeof identifier === 'string' ? knownNamesHint(identifier, [...BY_NAME.keys()]) : '';
  throw new ValueError(`Could not interpret initializer identifier: ${formatValue(identifier)}${hint}`, {
    argument: 'identifier',
    expected: 'an initializer name, config object or Initializer',
    received: formatValue(identifier),
  });
}

/**
 * Keras's `keras.initializers.serialize`: an initializer as Keras JSON
 * (`{ module, class_name, config, registered_name }`); null for none.
 *
 * @example initializers.serialize(new initializers.Constant(0.5)) // { ..., class_name: 'Constant', config: { value: 0.5 } }
 */
export function serialize(initializer: Initializer | null | undefined): KerasObjectJson | null {
  return serializeKerasObject(initializer, INITIALIZERS);
}

/**
 * Keras's `keras.initializers.deserialize`: an initializer from Keras JSON
 * (or a name; the same as `get`).
 */
export function deserialize(config: unknown, options: DeserializeOptions = {}): Initializer | null {
  return get(config as InitializerIdentifier, options);
}
