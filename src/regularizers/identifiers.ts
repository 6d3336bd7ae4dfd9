/**
 * `regularizers.get`, `serialize` and `deserialize`: every way to name a
 * regularizer, resolved once at the door so later code deals in objects.
 */
import { ValueError } from '../errors.js';
import type { KerasObjectInput, KerasObjectJson } from '../serialization/keras-json.js';
import {
  type DeserializeOptions,
  deserializeKerasObject,
  type ObjectFamily,
  serializeKerasObject,
} from '../serialization/serialization.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject } from '../utils/objects.js';
import { knownNamesHint } from '../utils/options.js';
import { GroupLasso } from './group-lasso.js';
import { L1 } from './l1.js';
import { L1L2 } from './l1l2.js';
import { L2 } from './l2.js';
import { OrthogonalRegularizer } from './orthogonal.js';
import { Regularizer, type RegularizerLike } from './regularizer.js';
import { SparseGroupLasso } from './sparse-group-lasso.js';

/** The package name under which files carry this library's own regularizers (the Python module in `python/` registers it). */
export const PACKAGE_NAME = 'keras_regularizers';

/** Keras's `ALL_OBJECTS_DICT`: class names and their snake_case forms. */
const BUILTIN_CLASSES = new Map<string, typeof Regularizer>([
  ['Regularizer', Regularizer],
  ['regularizer', Regularizer],
  ['L1', L1],
  ['l1', L1],
  ['L2', L2],
  ['l2', L2],
  ['L1L2', L1L2],
  ['l1l2', L1L2],
  ['OrthogonalRegularizer', OrthogonalRegularizer],
  ['orthogonal_regularizer', OrthogonalRegularizer],
  // Beyond Keras: serialized under PACKAGE_NAME, found here by class name on the way back.
  ['GroupLasso', GroupLasso],
  ['group_lasso', GroupLasso],
  ['SparseGroupLasso', SparseGroupLasso],
  ['sparse_group_lasso', SparseGroupLasso],
]);

export const REGULARIZERS: ObjectFamily = {
  kind: 'regularizer',
  module: 'keras.regularizers',
  classes: BUILTIN_CLASSES,
};

/**
 * String identifiers. The L1L2 names give l1 = l2 = 0.01, as the Keras page
 * documents for `'l1_l2'` (Keras's code gives 0 and 0 and rejects `'l1_l2'`).
 */
const STRING_IDENTIFIERS = new Map<string, () => Regularizer>([
  ['Regularizer', () => new Regularizer()],
  ['regularizer', () => new Regularizer()],
  ['L1', () => new L1()],
  ['l1', () => new L1()],
  ['L2', () => new L2()],
  ['l2', () => new L2()],
  ['L1L2', () => new L1L2(0.01, 0.01)],
  ['l1l2', () => new L1L2(0.01, 0.01)],
  ['l1_l2', () => new L1L2(0.01, 0.01)],
  ['OrthogonalRegularizer', () => new OrthogonalRegularizer()],
  ['orthogonal_regularizer', () => new OrthogonalRegularizer()],
  ['GroupLasso', () => new GroupLasso()],
  ['group_lasso', () => new GroupLasso()],
  ['SparseGroupLasso', () => new SparseGroupLasso()],
  ['sparse_group_lasso', () => new SparseGroupLasso()],
]);

/** The names `get` accepts (Keras's), for autocompletion. */
export type RegularizerName =
  | 'l1'
  | 'l2'
  | 'l1l2'
  | 'l1_l2'
  | 'L1'
  | 'L2'
  | 'L1L2'
  | 'OrthogonalRegularizer'
  | 'orthogonal_regularizer'
  | 'GroupLasso'
  | 'group_lasso'
  | 'SparseGroupLasso'
  | 'sparse_group_lasso'
  | 'Regularizer'
  | 'regularizer';

/** Everything `get` accepts. */
export type RegularizerIdentifier =
  | RegularizerLike
  | (new () => Regularizer)
  | RegularizerName
  // Any other string type-checks too (a registered name); `get` refuses unknown ones with the list.
  | (string & {})
  | KerasObjectInput
  | { className: string; config: unknown }
  | null
  | undefined;

function isRegularizerClass(value: unknown): value is new () => Regularizer {
  return typeof value === 'function' && (value === Regularizer || value.prototype instanceof Regularizer);
}

function fromString(identifier: string): Regularizer {
  const make = STRING_IDENTIFIERS.get(identifier);
  if (make == null) throw uninterpretable(identifier);
  return make();
}

function uninterpretable(identifier: unknown): ValueError {
  const received = formatValue(identifier);
  const hint = typeof identifier === 'string' ? knownNamesHint(identifier, [...STRING_IDENTIFIERS.keys()]) : '';
  return new ValueError(`Could not interpret regularizer identifier: ${received}${hint}`, {
    argument: 'identifier',
    expected: 'a regularizer name, config object, Regularizer, Regularizer class, function or null',
    received,
  });
}

/**
 * Resolves any regularizer identifier: `null` → `null`; a name (`"l2"`) → a
 * new instance; Keras or tfjs JSON → `deserialize`; an instance or a function
 * → itself; a `Regularizer` class → a new instance with defaults.
 *
 * @example regularizers.get('l1') // new L1(0.01)
 */
export function get(identifier: RegularizerIdentifier, options: DeserializeOptions = {}): RegularizerLike | null {
  if (identifier == null) return null;
  if (typeof identifier === 'string') return fromString(identifier);
  if (identifier instanceof Regularizer) return identifier;
  if (isRegularizerClass(identifier)) return new identifier();
  if (typeof identifier === 'function') return identifier as RegularizerLike;
  if (isPlainObject(identifier) && ('class_name' in identifier || 'className' in identifier)) {
    return deserialize(identifier, options);
  }
  throw uninterpretable(identifier);
}

/**
 * Keras JSON for a regularizer or function; `null` for `null`.
 *
 * @example regularizers.serialize(new L1L2(0.1, 0.2))
 * // { module: 'keras.regularizers', class_name: 'L1L2', config: { l1: 0.1, l2: 0.2 }, registered_name: null }
 */
export function serialize(regularizer: RegularizerLike | null | undefined): KerasObjectJson | null {
  const json = serializeKerasObject(regularizer, REGULARIZERS);
  // Keras knows neither the group regularizers nor a `proximal` key: those name this package,
  // whose Python module registers them (Keras's own classes when proximal is off keep their JSON).
  if (json != null && ownsJson(regularizer)) {
    return { ...json, module: PACKAGE_NAME, registered_name: `${PACKAGE_NAME}>${json.class_name}` };
  }
  return json;
}

function ownsJson(regularizer: unknown): boolean {
  const cls = (regularizer as object | null)?.constructor;
  if (cls === GroupLasso || cls === SparseGroupLasso) return true;
  return (cls === L1 || cls === L1L2) && (regularizer as L1 | L1L2).proximal;
}

/**
 * Rebuilds a regularizer from Keras JSON, tfjs-style JSON or a name,
 * resolving only built-ins, registered objects and `customObjects`.
 */
export function deserialize(config: unknown, options: DeserializeOptions = {}): RegularizerLike | null {
  if (config == null) return null;
  if (typeof config === 'string') return fromString(config);
  const result = deserializeKerasObject(config, REGULARIZERS, options);
  if (result instanceof Regularizer || typeof result === 'function') return result as RegularizerLike;
  throw new ValueError(
    `Could not interpret regularizer identifier: ${formatValue(config)} did not build a Regularizer (got ${formatValue(result)}).`,
    { argument: 'class_name', expected: 'a Regularizer class', received: formatValue(result) },
  );
}
