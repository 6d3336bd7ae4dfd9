/**
 * Builds a model from untrusted JSON within a weight budget, and frees what a
 * failed build had already created.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withWeightBudget } from '../utils/weight-budget.js';

/**
 * Runs `build` (synchronous) inside a budget of `maxWeights` elements
 * (`source` says why that many, for the error). When
 * it throws (the budget refused a weight, a layer refused its config), the
 * layers built before the failure are unreachable and their variables would
 * stay allocated: every variable registered during `build` is disposed. The
 * build is synchronous, so no other code can have registered one meanwhile.
 */
export function buildWithinBudget<T>(maxWeights: number, build: () => T, source: string): T {
  const engine = tf.engine();
  const before = new Set(Object.keys(engine.registeredVariables));
  try {
    return withWeightBudget(maxWeights, build, source);
  } catch (error) {
    for (const [name, variable] of Object.entries(engine.registeredVariables)) {
      if (!before.has(name)) variable.dispose();
    }
    throw error;
  }
}
