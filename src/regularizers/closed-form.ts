/**
 * L1 and L2 penalties with their gradients in closed form: `l1 * sign(x)`
 * and `2 * l2 * x`, one kernel each, where autodiff would record and replay
 * square/abs, sum and the scaling. Same values and gradients (the unit test
 * beside this file compares them with autodiff), fewer passes over the weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { sign } from '../ops/sign.js';

/** `l1 * sum(|x|) + l2 * sum(x²)`; a zero factor skips its term, as in Keras. */
export function l1l2Penalty(x: tf.Tensor, l1: number, l2: number): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([input]);
    // No zero to start from when a term exists: every op counts in a training step.
    const terms: tf.Tensor[] = [];
    if (l1 !== 0) terms.push(tf.mul(tf.sum(tf.abs(input)), l1));
    if (l2 !== 0) terms.push(tf.mul(tf.sum(tf.square(input)), l2));
    const [first, second] = terms;
    return {
      value: first == null ? tf.scalar(0) : second == null ? first : tf.add(first, second),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const weights = saved[0] as tf.Tensor;
        const terms: tf.Tensor[] = [];
        if (l1 !== 0) terms.push(tf.mul(sign(weights), tf.mul(dy, l1)));
        if (l2 !== 0) terms.push(tf.mul(weights, tf.mul(dy, 2 * l2)));
        if (terms.length === 0) return [tf.zerosLike(weights)];
        return [terms.length === 1 ? (terms[0] as tf.Tensor) : tf.add(terms[0] as tf.Tensor, terms[1] as tf.Tensor)];
      },
    };
  }) as (input: tf.Tensor) => tf.Scalar;
  return op(x);
}
