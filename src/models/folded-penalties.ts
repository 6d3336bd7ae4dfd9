/**
 * A training step's fast path for weights regularized by plain L1, L2 or
 * L1L2, on backends with the fused kernels (`wasm`).
 *
 * Why: through the gradient tape such a penalty costs a pass to compute it,
 * a pass to write its gradient and the tape's pass adding that into the
 * weight's other gradient. Here the penalty stays off the tape and the
 * optimizer folds it into its update (`Optimizer.applyGradientsWithPenalties`):
 * one fused pass sums the penalty and adds `l1 * sign(w) + 2 * l2 * w` to the
 * gradient, or, for plain SGD, makes the whole step. The loss and the
 * updates are the same (test/folded-penalties.test.ts).
 */
import { fusedKernelsActive } from '../backend/fused-kernels.js';
import type { Layer } from '../layers/layer.js';
import type { LayerWeight } from '../layers/layer-types.js';
import { closedFormFactors } from '../regularizers/closed-form-factors.js';

export interface FoldedPenalty {
  weight: LayerWeight;
  l1: number;
  l2: number;
}

/** The trainable weights of `model` whose penalties can be folded; none off the fused backends. */
export function foldablePenalties(model: Layer): FoldedPenalty[] {
  if (!fusedKernelsActive()) return [];
  const folded: FoldedPenalty[] = [];
  for (const weight of model.trainableWeightRecords()) {
    if (weight.regularizer == null || !fusedKernelsActive(weight.variable)) continue;
    const factors = closedFormFactors(weight.regularizer);
    if (factors != null) folded.push({ weight, ...factors });
  }
  return folded;
}
