/** Keras's `batch_dot` and the L2 normalization of `Dot(normalize=True)`, in tfjs ops. */
import * as tf from '@tensorflow/tfjs-core';

/** Keras's `backend.epsilon()`: the floor of a norm. */
const EPSILON = 1e-7;

/**
 * Keras's `ops.normalize(x, axis)`: `x * min(rsqrt(sum(x^2)), 1 / epsilon)`,
 * written as `x * rsqrt(max(sum(x^2), epsilon^2))`: the same values, but an
 * all-zero vector gets the finite gradient `1 / epsilon` of the clamped
 * function where Keras (JAX) gets NaN from `rsqrt`'s infinite slope at 0.
 */
export function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), EPSILON * EPSILON)));
}

/** `shape` without the axes in `drop`. */
function without(shape: readonly number[], ...drop: number[]): number[] {
  return shape.filter((_, i) => !drop.includes(i));
}

const product = (sizes: readonly number[]) => sizes.reduce((a, b) => a * b, 1);

/**
 * Keras's `batch_dot(x, y, axes=[a0, a1])` for inputs of rank >= 2 with a
 * common batch axis 0: per sample, the contraction of `x`'s axis `a0` with
 * `y`'s axis `a1`. The output's shape is `x`'s without `a0`, then `y`'s
 * without the batch axis and `a1`; a result of rank 1 gets a trailing 1.
 * As Keras: `x`'s contracted axis moved last and `y`'s to axis 1, both
 * folded to rank 3, one batched matmul, unfolded.
 */
export function batchDot(x: tf.Tensor, y: tf.Tensor, a0: number, a1: number): tf.Tensor {
  const batch = x.shape[0] as number;
  const depth = x.shape[a0] as number;
  const xt = a0 === x.rank - 1 ? x : tf.transpose(x, [...without(range(x.rank), a0), a0]);
  const yt = a1 === 1 ? y : tf.transpose(y, [0, a1, ...without(range(y.rank), 0, a1)]);
  const xMiddle = without(x.shape, 0, a0);
  const yTrailing = without(y.shape, 0, a1);
  const product3 = tf.matMul(
    tf.reshape(xt, [batch, product(xMiddle), depth]) as tf.Tensor3D,
    tf.reshape(yt, [batch, depth, product(yTrailing)]) as tf.Tensor3D,
  );
  const shape = [batch, ...xMiddle, ...yTrailing];
  return tf.reshape(product3, shape.length === 1 ? [batch, 1] : shape);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
