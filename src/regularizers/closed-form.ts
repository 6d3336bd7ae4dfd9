/**
 * L1 and L2 penalties with their gradients in closed form: `l1 * sign(x)`
 * and `2 * l2 * x`, one kernel each, where autodiff would record and replay
 * square/abs, sum and the scaling. Same values and gradients (the unit test
 * beside this file compares them with autodiff), fewer passes over the weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsActive, fusedL1L2, gradientTapeRecording } from '../backend/fused-kernels.js';
import { sign } from '../ops/sign.js';

/** `l1 * sum(|x|) + l2 * sum(x²)`; a zero factor skips its term, as in Keras. */
export function l1l2Penalty(x: tf.Tensor, l1: number, l2: number): tf.Scalar {
  if (fusedKernelsActive(x)) return fusedL1L2Penalty(x, l1, l2);
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

/** `dy * gradient`, skipping the pass over the weights when dy is 1 (the usual case: a loss term). */
export function scaleByUpstream(gradient: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  if (dy.size === 1 && dy.dataSync()[0] === 1) return tf.clone(gradient);
  return tf.mul(gradient, dy);
}

/**
 * The same penalty in one pass on `wasm`: the kernel sums |x| and x² and,
 * when a tape is recording, writes the gradient in the same pass, so the
 * backward step only hands it over.
 */
function fusedL1L2Penalty(x: tf.Tensor, l1: number, l2: number): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [value, gradient] = fusedL1L2(input, { l1, l2, withGradient: gradientTapeRecording() });
    if (gradient != null) save([gradient]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [scaleByUpstream(saved[0] as tf.Tensor, dy)],
    };
  }) as (input: tf.Tensor) => tf.Scalar;
  return op(x);
}
