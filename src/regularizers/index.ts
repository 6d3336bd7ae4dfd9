/**
 * The `regularizers` namespace, Keras's `keras.regularizers`: the penalty
 * classes (L1, L2, L1L2, OrthogonalRegularizer), their lower-case factories
 * (`l1(0.01)`), and the identifier functions (`get`, `serialize`,
 * `deserialize`). A layer's `kernelRegularizer`, `biasRegularizer` and
 * `activityRegularizer` take any of them, a Keras name or a function.
 *
 * @packageDocumentation
 * @example new layers.Dense({ units: 64, kernelRegularizer: regularizers.l2(1e-4) })
 */

import { GroupLasso, type GroupLassoOptions } from './group-lasso.js';
import { L1, type L1Options } from './l1.js';
import { L1L2, type L1L2Options } from './l1l2.js';
import { L2, type L2Options } from './l2.js';
import { OrthogonalRegularizer, type OrthogonalRegularizerOptions } from './orthogonal.js';
import { SparseGroupLasso, type SparseGroupLassoOptions } from './sparse-group-lasso.js';
import type { OrthogonalMode } from './validation.js';

export { GroupLasso, type GroupLassoOptions } from './group-lasso.js';
export { type GroupLayout, type GroupSpec, type GroupTarget, groupAxis, groupLayout, groupNorms } from './groups.js';
export { deserialize, get, type RegularizerIdentifier, type RegularizerName, serialize } from './identifiers.js';
export { L1, type L1Options } from './l1.js';
export { L1L2, type L1L2Options } from './l1l2.js';
export { L2, type L2Options } from './l2.js';
export { OrthogonalRegularizer, type OrthogonalRegularizerOptions } from './orthogonal.js';
export {
  blockSoftThreshold,
  type DiagonalStep,
  isProximal,
  type ProximalRegularizer,
  proxL1L2,
  type StepSize,
  softThreshold,
} from './proximal.js';
export {
  computePenalty,
  Regularizer,
  type RegularizerClass,
  type RegularizerConfig,
  type RegularizerFunction,
  type RegularizerLike,
} from './regularizer.js';
export { SparseGroupLasso, type SparseGroupLassoOptions } from './sparse-group-lasso.js';
export type { OrthogonalMode } from './validation.js';

/** `l1 * sum(abs(x))`; same arguments as `new L1(...)`. */
export function l1(l1OrOptions?: number | L1Options | null): L1 {
  return new L1(l1OrOptions);
}

/** `l2 * sum(square(x))`; same arguments as `new L2(...)`. */
export function l2(l2OrOptions?: number | L2Options | null): L2 {
  return new L2(l2OrOptions);
}

/** Both terms; same arguments as `new L1L2(...)` (defaults 0 and 0). */
export function l1l2(l1OrOptions?: number | L1L2Options | null, l2?: number | null): L1L2 {
  return new L1L2(l1OrOptions, l2);
}

/** Keras's Python alias `l1_l2`, the same as {@link l1l2}. */
export const l1L2 = l1l2;

/** Mean absolute cosine between rows or columns; same arguments as `new OrthogonalRegularizer(...)`. */
export function orthogonalRegularizer(
  factorOrOptions?: number | OrthogonalRegularizerOptions,
  mode?: OrthogonalMode,
): OrthogonalRegularizer {
  return new OrthogonalRegularizer(factorOrOptions, mode);
}

/** Group lasso, `factor Σ_g √|g| ||w_g||`; same arguments as `new GroupLasso(...)`. */
export function groupLasso(factorOrOptions?: number | GroupLassoOptions | null): GroupLasso {
  return new GroupLasso(factorOrOptions);
}

/** Sparse group lasso, group lasso plus `l1 Σ|w|`; same arguments as `new SparseGroupLasso(...)`. */
export function sparseGroupLasso(options?: SparseGroupLassoOptions): SparseGroupLasso {
  return new SparseGroupLasso(options);
}
