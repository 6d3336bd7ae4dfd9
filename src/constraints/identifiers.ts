/**
 * `constraints.get`, `serialize` and `deserialize`: every way to name a
 * constraint, resolved once at the door so later code deals in objects.
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
import { Constraint, type ConstraintLike } from './constraint.js';
import { MaxNorm } from './max-norm.js';
import { MinMaxNorm } from './min-max-norm.js';
import { NonNeg } from './non-neg.js';
import { UnitNorm } from './unit-norm.js';

/**
 * Keras's `ALL_OBJECTS_DICT` (class names and their snake_case forms), Keras
 * 2's lower-case aliases (`maxnorm`, `nonneg`, `unitnorm`) and tfjs-layers'
 * names (`maxNorm`, ...), so files and code from either load.
 */
const BUILTIN_CLASSES = new Map<string, typeof Constraint>([
  ['Constraint', Constraint],
  ['constraint', Constraint],
  ['MaxNorm', MaxNorm],
  ['max_norm', MaxNorm],
  ['maxnorm', MaxNorm],
  ['maxNorm', MaxNorm],
  ['MinMaxNorm', MinMaxNorm],
  ['min_max_norm', MinMaxNorm],
  ['minMaxNorm', MinMaxNorm],
  ['NonNeg', NonNeg],
  ['non_neg', NonNeg],
  ['nonneg', NonNeg],
  ['nonNeg', NonNeg],
  ['UnitNorm', UnitNorm],
  ['unit_norm', UnitNorm],
  ['unitnorm', UnitNorm],
  ['unitNorm', UnitNorm],
]);

export const CONSTRAINTS: ObjectFamily = {
  kind: 'constraint',
  module: 'keras.constraints',
  classes: BUILTIN_CLASSES,
};

/** The names `get` accepts, for autocompletion. */
export type ConstraintName =
  | 'MaxNorm'
  | 'max_norm'
  | 'MinMaxNorm'
  | 'min_max_norm'
  | 'NonNeg'
  | 'non_neg'
  | 'UnitNorm'
  | 'unit_norm'
  | 'Constraint'
  | 'constraint';

/** Everything `get` accepts. */
export type ConstraintIdentifier =
  | ConstraintLike
  | (new () => Constraint)
  | ConstraintName
  // Any other string type-checks too (an alias); `get` refuses unknown ones with the list.
  | (string & {})
  | KerasObjectInput
  | { className: string; config: unknown }
  | null
  | undefined;

function isConstraintClass(value: unknown): value is new () => Constraint {
  return typeof value === 'function' && (value === Constraint || value.prototype instanceof Constraint);
}

function fromString(identifier: string): Constraint {
  // Own keys only: "toString" or "__proto__" are unknown names, never Object.prototype's.
  const cls = BUILTIN_CLASSES.get(identifier);
  if (cls == null) throw uninterpretable(identifier);
  return new cls();
}

function uninterpretable(identifier: unknown): ValueError {
  const received = formatValue(identifier);
  const hint = typeof identifier === 'string' ? knownNamesHint(identifier, [...BUILTIN_CLASSES.keys()]) : '';
  return new ValueError(`Could not interpret constraint identifier: ${received}${hint}`, {
    argument: 'identifier',
    expected: 'a constraint name, config object, Constraint, Constraint class, function or null',
    received,
  });
}

/**
 * Resolves any constraint identifier, Keras's `constraints.get`: `null` →
 * `null`; a name (`"max_norm"`) → a new instance with defaults; Keras or
 * tfjs JSON → `deserialize`; an instance or a function → itself; a
 * `Constraint` class → a new instance with defaults.
 *
 * @example constraints.get('non_neg') // new NonNeg()
 */
export function get(identifier: ConstraintIdentifier, options: DeserializeOptions = {}): ConstraintLike | null {
  if (identifier == null) return null;
  if (typeof identifier === 'string') return fromString(identifier);
  if (identifier instanceof Constraint) return identifier;
  if (isConstraintClass(identifier)) return new identifier();
  if (typeof identifier === 'function') return identifier as ConstraintLike;
  if (isPlainObject(identifier) && ('class_name' in identifier || 'className' in identifier)) {
    return deserialize(identifier, options);
  }
  throw uninterpretable(identifier);
}

/**
 * Keras JSON for a constraint or function; `null` for `null`.
 *
 * @example constraints.serialize(new constraints.MaxNorm({ maxValue: 3 }))
 * // { module: 'keras.constraints', class_name: 'MaxNorm', config: { max_value: 3, axis: 0 }, registered_name: null }
 */
export function serialize(constraint: ConstraintLike | null | undefined): KerasObjectJson | null {
  return serializeKerasObject(constraint, CONSTRAINTS);
}

/**
 * Rebuilds a constraint from Keras JSON, tfjs-style JSON or a name,
 * resolving only built-ins, registered objects and `customObjects`.
 *
 * @example constraints.deserialize({ module: 'keras.constraints', class_name: 'NonNeg', config: {}, registered_name: null })
 */
export function deserialize(config: unknown, options: DeserializeOptions = {}): ConstraintLike | null {
  if (config == null) return null;
  if (typeof config === 'string') return fromString(config);
  const result = deserializeKerasObject(config, CONSTRAINTS, options);
  if (result instanceof Constraint || typeof result === 'function') return result as ConstraintLike;
  throw new ValueError(
    `Could not interpret constraint identifier: ${formatValue(config)} did not build a Constraint (got ${formatValue(result)}).`,
    { argument: 'class_name', expected: 'a Constraint class', received: formatValue(result) },
  );
}

/**
 * A layer's constraint option (`kernelConstraint`, ...) resolved through
 * `get`; a value `get` refuses is an error naming the option.
 */
export function constraintOption(name: string, identifier: unknown): ConstraintLike | null {
  try {
    return get(identifier as ConstraintIdentifier);
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    throw new ValueError(`Invalid value for argument ${name}: ${error.message}`, {
      argument: name,
      expected: error.expected ?? 'a constraint, a function or null',
      received: error.received ?? formatValue(identifier),
    });
  }
}
