/**
 * Keras's exponential moving average of the weights (`use_ema`): the
 * `average` slot of each built weight, updated after every `apply`.
 */
import type * as tf from '@tensorflow/tfjs-core';
import * as ops from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import type { SlotStore } from './slot-store.js';

/**
 * `average = m * average + (1 - m) * weight` for every built weight (Keras's
 * `_update_model_variables_moving_average`), where `m` is `emaMomentum`,
 * or 0 at iteration 0 so that the first average is the weight itself. `m`
 * and `1 - m` are taken in float32, as Keras computes them. Call inside `tf.tidy`.
 */
export function updateAverages(store: SlotStore, iterations: number, emaMomentum: number): void {
  const momentum = iterations === 0 ? 0 : Math.fround(emaMomentum);
  store.weights.forEach((weight, i) => {
    const average = store.slotsOf(i).average as tf.Variable;
    average.assign(ops.add(ops.mul(average, momentum), ops.mul(weight, 1 - momentum)));
  });
}

/** Each of `variables` that the optimizer was built on takes its moving average (Keras's `_overwrite_model_variables_with_average_value`). */
export function overwriteWithAverages(store: SlotStore, variables: readonly tf.Variable[]): void {
  for (const variable of variables) {
    const index = store.indexOf(variable);
    if (index === undefined) continue;
    variable.assign(store.slotsOf(index).average as tf.Variable);
  }
}

/** The moving average of each of `variables`, for `method`'s messages: refused without `useEma` or for a variable never built. */
export function averagesOf(
  store: SlotStore,
  variables: readonly tf.Variable[],
  useEma: boolean,
  method: string,
): tf.Variable[] {
  if (!useEma) {
    throw new ValueError(`${method} needs an optimizer with useEma: true. Received: useEma=false`, {
      argument: 'useEma',
      expected: 'true',
      received: 'false',
    });
  }
  return variables.map((variable) => {
    const index = store.indexOf(variable);
    if (index === undefined) {
      throw new ValueError(
        `${method}: variable ${variable.name} is not one the optimizer was built with, so it has no moving average.`,
        { argument: 'variables', expected: 'variables the optimizer was built with', received: variable.name },
      );
    }
    return store.slotsOf(index).average as tf.Variable;
  });
}
