/**
 * Which regularizers are exactly `l1 * sum|x| + l2 * sum x²`: the built-in
 * L1, L2 and L1L2, unless a subclass changed `apply`. The training step
 * computes their gradients in closed form, off the tape.
 */
import { L1 } from './l1.js';
import { L1L2 } from './l1l2.js';
import { L2 } from './l2.js';
import type { RegularizerLike } from './regularizer.js';

export interface ClosedFormFactors {
  l1: number;
  l2: number;
}

export function closedFormFactors(regularizer: RegularizerLike): ClosedFormFactors | null {
  // A proximal penalty has no gradient to fold: the optimizer's proximal step replaces it.
  if ((regularizer as { proximal?: unknown }).proximal === true) return null;
  if (regularizer instanceof L1L2 && regularizer.apply === L1L2.prototype.apply) {
    return { l1: regularizer.l1, l2: regularizer.l2 };
  }
  if (regularizer instanceof L1 && regularizer.apply === L1.prototype.apply) return { l1: regularizer.l1, l2: 0 };
  if (regularizer instanceof L2 && regularizer.apply === L2.prototype.apply) return { l1: 0, l2: regularizer.l2 };
  return null;
}
