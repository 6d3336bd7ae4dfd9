/**
 * The `constraints` namespace, Keras's `keras.constraints`: projections
 * applied to a weight after each optimizer update (MaxNorm, MinMaxNorm,
 * NonNeg, UnitNorm), their lower-case factories (`maxNorm(3)`), and the
 * identifier functions (`get`, `serialize`, `deserialize`). A layer's
 * `kernelConstraint`, `biasConstraint`, ... take any of them, a Keras name
 * or a function `(w) => projected w`.
 *
 * @packageDocumentation
 * @example new layers.Dense({ units: 64, kernelConstraint: constraints.maxNorm(3) })
 */
import { MaxNorm, type MaxNormOptions } from './max-norm.js';
import { MinMaxNorm, type MinMaxNormOptions } from './min-max-norm.js';
import { NonNeg } from './non-neg.js';
import type { ConstraintAxis } from './norm-axes.js';
import { UnitNorm, type UnitNormOptions } from './unit-norm.js';

export {
  applyConstraint,
  Constraint,
  type ConstraintConfig,
  type ConstraintFunction,
  type ConstraintLike,
} from './constraint.js';
export { type ConstraintIdentifier, type ConstraintName, deserialize, get, serialize } from './identifiers.js';
export { MaxNorm, type MaxNormOptions } from './max-norm.js';
export { MinMaxNorm, type MinMaxNormOptions } from './min-max-norm.js';
export { NonNeg } from './non-neg.js';
export type { ConstraintAxis } from './norm-axes.js';
export { UnitNorm, type UnitNormOptions } from './unit-norm.js';

/** Keras's `max_norm`: same arguments as `new MaxNorm(...)` (defaults maxValue 2, axis 0). */
export function maxNorm(maxValueOrOptions?: number | MaxNormOptions, axis?: ConstraintAxis): MaxNorm {
  return new MaxNorm(maxValueOrOptions, axis);
}

/** Keras's `min_max_norm`: same options as `new MinMaxNorm(...)` (defaults 0, 1, rate 1, axis 0). */
export function minMaxNorm(options?: MinMaxNormOptions): MinMaxNorm {
  return new MinMaxNorm(options);
}

/** Keras's `non_neg`: `maximum(w, 0)`. */
export function nonNeg(): NonNeg {
  return new NonNeg();
}

/** Keras's `unit_norm`: same arguments as `new UnitNorm(...)` (default axis 0). */
export function unitNorm(axisOrOptions?: ConstraintAxis | UnitNormOptions): UnitNorm {
  return new UnitNorm(axisOrOptions);
}
