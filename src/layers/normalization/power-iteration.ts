/**
 * SpectralNormalization's arithmetic, in Keras's order of operations
 * (`normalized_weights`): power iteration on the kernel seen as a
 * `(-1, units)` matrix, then the kernel divided by `sigma = v W uᵀ`.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Keras's `backend.epsilon()`, the floor of `normalize`'s norm. */
const EPSILON = 1e-7;

/** Keras's `ops.normalize(x, axis=None)`: `x * min(rsqrt(sum(x²)), 1 / epsilon)`. */
function normalize(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.minimum(tf.rsqrt(tf.sum(tf.square(x))), 1 / EPSILON));
}

/** Keras's `ops.stop_gradient`: the value of `x`, with no gradient flowing back through it. */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;

/** `kernel / (v W uᵀ)` with W the kernel as a `(-1, units)` matrix: its gradient reaches `kernel` through both. */
export function normalizeKernel(kernel: tf.Tensor, vectorU: tf.Tensor, vectorV: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const weights = tf.reshape(kernel, [-1, kernel.shape[kernel.rank - 1] as number]);
    const sigma = tf.matMul(tf.matMul(vectorV, weights), vectorU, false, true);
    return tf.div(kernel, tf.reshape(sigma, []));
  });
}

/**
 * `iterations` steps of `v = normalize(u Wᵀ)`, `u = normalize(v W)` from
 * `vectorU`, then `kernel / (v W uᵀ)` with `u` and `v` held constant: the
 * new `vector_u`, the last `v`, and the normalized kernel, whose gradient
 * reaches `kernel` through both the numerator and `sigma`.
 */
export function powerIteration(
  kernel: tf.Tensor,
  vectorU: tf.Tensor,
  iterations: number,
): { vectorU: tf.Tensor; vectorV: tf.Tensor; kernel: tf.Tensor } {
  return tf.tidy(() => {
    const units = kernel.shape[kernel.rank - 1] as number;
    const weights = tf.reshape(kernel, [-1, units]);
    let u: tf.Tensor = vectorU;
    let v: tf.Tensor = u;
    for (let i = 0; i < iterations; i++) {
      v = normalize(tf.matMul(u, weights, false, true));
      u = normalize(tf.matMul(v, weights));
    }
    u = stopGradient(u);
    v = stopGradient(v);
    return { vectorU: u, vectorV: v, kernel: normalizeKernel(kernel, u, v) };
  });
}
