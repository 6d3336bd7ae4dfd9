import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { formatShape, formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';

/** A constraint's `getConfig()`: plain JSON-safe values, as the constructor takes them. */
export type ConstraintConfig = Record<string, unknown>;

/** A plain function used as a constraint: maps the updated weight to its projection (same shape). */
export type ConstraintFunction = (w: tf.Tensor) => tf.Tensor;

/** Anything a layer accepts once identifiers are resolved. */
export type ConstraintLike = Constraint | ConstraintFunction;

/**
 * Base class of every weight constraint, Keras's `keras.constraints.Constraint`:
 * `apply(w)` (Keras's `__call__`) maps a weight, just updated by the
 * optimizer, to its projection of the same shape. The base returns `w`
 * unchanged. Subclass it for a custom constraint and override `apply` (and
 * `getConfig` when it has settings); register it with
 * `saving.registerSerializable` so that saved files name it.
 *
 * @example
 * class NonNegative extends constraints.Constraint {
 *   override apply(w: tf.Tensor) { return ops.multiply(w, ops.cast(ops.greaterEqual(w, 0), 'float32')); }
 * }
 * new layers.Dense({ units: 4, kernelConstraint: new NonNegative() });
 */
export class Constraint {
  static readonly className: string = 'Constraint';

  constructor(options?: Record<string, never>) {
    if (options !== undefined) readOptions(classNameOfInstance(this), options, []);
  }

  /** The projection of `w`; `w` itself for the base class. */
  apply(w: tf.Tensor): tf.Tensor {
    return w;
  }

  /** The constructor's options, so that `fromConfig(getConfig())` rebuilds this object; `{}` for the base, as in Keras. */
  getConfig(): ConstraintConfig {
    return {};
  }

  /** Keras's `from_config`: `new Cls(config)`. */
  // biome-ignore lint/suspicious/noExplicitAny: each subclass's constructor takes its own options type.
  static fromConfig<T extends Constraint>(this: new (config: any) => T, config: Record<string, unknown>): T {
    return new this(config);
  }
}

/** The name of a constraint for messages. */
export function constraintName(constraint: ConstraintLike): string {
  return constraint instanceof Constraint ? classNameOfInstance(constraint) : constraint.name || 'anonymous function';
}

/**
 * Runs a constraint or a plain function on `w` and checks that it gave a
 * tensor of `w`'s shape (a projection, as Keras assigns it back to the
 * variable), cast to float32.
 */
export function applyConstraint(constraint: ConstraintLike, w: tf.Tensor): tf.Tensor {
  const result = constraint instanceof Constraint ? constraint.apply(w) : constraint(w);
  if (result instanceof tf.Tensor && tf.util.arraysEqual(result.shape, w.shape)) {
    return result.dtype === w.dtype ? result : tf.cast(result, w.dtype);
  }
  const received = result instanceof tf.Tensor ? `a tensor of shape ${formatShape(result.shape)}` : formatValue(result);
  throw new ValueError(
    `Constraint ${constraintName(constraint)} must return a tensor of the weight's shape ${formatShape(w.shape)}. Received: ${received}`,
    { argument: 'constraint', expected: `a tensor of shape ${formatShape(w.shape)}`, received },
  );
}
