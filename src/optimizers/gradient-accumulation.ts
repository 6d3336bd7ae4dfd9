/**
 * Keras's gradient accumulation (`gradient_accumulation_steps`): the
 * `gradient_accumulator` slot of each weight sums the gradients of the calls
 * between updates, and every `steps`-th call updates with their mean.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * For call number `applied` (0-based): on a call that only accumulates,
 * adds each gradient to its accumulator and returns null; on an update call
 * (`(applied + 1) % steps == 0`), returns `(g + accumulator) / steps` per
 * weight (the caller resets the accumulators after the update). Call inside `tf.tidy`.
 */
export function accumulateGradients(
  gradients: readonly tf.Tensor[],
  accumulators: readonly tf.Variable[],
  applied: number,
  steps: number,
): tf.Tensor[] | null {
  if ((applied + 1) % steps !== 0) {
    accumulators.forEach((accumulator, i) => {
      accumulator.assign(tf.add(gradients[i] as tf.Tensor, accumulator));
    });
    return null;
  }
  return gradients.map((g, i) => tf.div(tf.add(g, accumulators[i] as tf.Variable), steps));
}

/** Zeroes the accumulators after an update. */
export function resetAccumulators(accumulators: readonly tf.Variable[]): void {
  for (const accumulator of accumulators) accumulator.assign(tf.zerosLike(accumulator));
}
