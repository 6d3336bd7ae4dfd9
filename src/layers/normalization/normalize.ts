/**
 * The arithmetic the normalization layers share, in Keras's order of
 * operations so that float32 results agree with Keras's:
 * `inv = rsqrt(variance + epsilon) * gamma`, `y = x * inv + (beta - mean * inv)`,
 * with statistics from `moments` (the mean, then the mean of squared
 * deviations from it: jnp.var, no Bessel correction).
 */
import * as tf from '@tensorflow/tfjs-core';

/** The mean and (biased) variance of `x` over `axes`, kept as size-1 axes. */
export function moments(x: tf.Tensor, axes: number[]): { mean: tf.Tensor; variance: tf.Tensor } {
  const mean = tf.mean(x, axes, true);
  // square(x - mean), not squaredDifference: tfjs's gradient of the latter ignores broadcasting.
  const variance = tf.mean(tf.square(tf.sub(x, mean)), axes, true);
  return { mean, variance };
}

/**
 * Keras's `ops.batch_normalization` (and the body of layer and group
 * normalization): every argument broadcasts against `x`; `gamma` and `beta`
 * may be null.
 */
export function normalize(
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  epsilon: number,
): tf.Tensor {
  return tf.tidy(() => {
    let inv = tf.rsqrt(tf.add(variance, epsilon));
    if (gamma != null) inv = tf.mul(inv, gamma);
    let res = tf.mul(tf.neg(mean), inv);
    if (beta != null) res = tf.add(res, beta);
    return tf.add(tf.mul(x, inv), res);
  });
}

/** `t` reshaped to `shape` unless it has it already (a free view in tfjs). */
export function reshapeTo(t: tf.Tensor, shape: number[]): tf.Tensor {
  return tf.util.arraysEqual(t.shape, shape) ? t : tf.reshape(t, shape);
}

/**
 * Training-mode normalization: the statistics of `x` over `reductionAxes`
 * (kept as size-1 axes; of the unmasked positions only, given a `mask`),
 * and `x` normalized with them.
 * Gradients flow through the statistics too.
 */
export function batchNormalizeTraining(
  x: tf.Tensor,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  { reductionAxes, epsilon, mask = null }: { reductionAxes: number[]; epsilon: number; mask?: tf.Tensor | null },
): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const { mean, variance } = mask == null ? moments(x, reductionAxes) : maskedMoments(x, mask, reductionAxes);
  return { y: normalize(x, mean, variance, gamma, beta, epsilon), mean, variance };
}

/**
 * Keras's masked moments: the statistics of the positions where `mask`
 * (inputs' shape without the last axis) is nonzero, over `axes`, divided by
 * their count plus 1e-7 (Keras's backend epsilon).
 */
export function maskedMoments(x: tf.Tensor, mask: tf.Tensor, axes: number[]): { mean: tf.Tensor; variance: tf.Tensor } {
  const keep = tf.broadcastTo(tf.expandDims(tf.cast(mask, 'bool'), -1), x.shape);
  const zeros = tf.zerosLike(x);
  const count = tf.add(tf.sum(tf.cast(keep, 'float32'), axes, true), 1e-7);
  const mean = tf.div(tf.sum(tf.where(keep, x, zeros), axes, true), count);
  const difference = tf.where(keep, tf.sub(x, mean), zeros);
  return { mean, variance: tf.div(tf.sum(tf.square(difference), axes, true), count) };
}
