/**
 * BatchNormalization over the last axis as one op with a closed-form
 * gradient, built from kernels every backend has.
 *
 * Why: composed of broadcasting ops, a training call and its gradient are
 * about fifteen passes over the activations, and on `wasm` a broadcast
 * multiply or add costs 2 to 6 times a same-shape one; a BatchNormalization
 * then cost four times the Conv2D before it. Here the per-channel
 * `x * scale + offset` is the backend's FusedBatchNorm kernel (mean 0,
 * variance 1, epsilon 0 make it exactly that, one pass), channel sums are
 * one reduction, and the backward pass is the textbook formula:
 * `dx = gamma * inv * (dy - mean(dy) - xhat * mean(dy * xhat))`,
 * `dgamma = sum(dy * xhat)`, `dbeta = sum(dy)`. The forward values are
 * computed in Keras's order of operations (`x * inv + (-mean * inv + beta)`,
 * `inv = rsqrt(variance + epsilon) * gamma`); test/normalization.test.ts
 * checks both against Keras and against float64 finite differences.
 */
import * as tf from '@tensorflow/tfjs-core';

/** `x * scale + offset` along the last axis, in one pass (`offset` null: 0). */
function affine(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor | null): tf.Tensor {
  const channels = scale.shape[0] as number;
  const zeros = tf.zeros([channels]);
  return tf.batchNorm(x, zeros, tf.ones([channels]), offset ?? zeros, scale, 0);
}

/**
 * The sum of each column of a `[rows, channels]` tensor. tfjs's `cpu`
 * reduces a non-inner axis through a transpose (40 times a product with a
 * row of ones there); `wasm` reduces it directly.
 */
function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  const channels = x.shape[1];
  if (tf.getBackend() !== 'cpu') return tf.sum(x, 0);
  return tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [channels]);
}

/** Keras's `inv = rsqrt(variance + epsilon) * gamma` and `res = -mean * inv + beta`. */
function scaleAndOffset(
  mean: tf.Tensor,
  variance: tf.Tensor,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  epsilon: number,
): { inv: tf.Tensor; scale: tf.Tensor; offset: tf.Tensor } {
  const inv = tf.rsqrt(tf.add(variance, epsilon));
  const scale = gamma == null ? inv : tf.mul(inv, gamma);
  const shift = tf.mul(tf.neg(mean), scale);
  return { inv, scale, offset: beta == null ? shift : tf.add(shift, beta) };
}

/** `[x, gamma?, beta?]`, the op's differentiable inputs, and how to read them back. */
function opInputs(x: tf.Tensor, gamma: tf.Tensor | null, beta: tf.Tensor | null) {
  const inputs = [x, ...(gamma == null ? [] : [gamma]), ...(beta == null ? [] : [beta])];
  const unpack = (args: tf.Tensor[]) => ({
    x: args[0] as tf.Tensor,
    gamma: gamma == null ? null : (args[1] as tf.Tensor),
    beta: beta == null ? null : (args[gamma == null ? 1 : 2] as tf.Tensor),
  });
  return { inputs, unpack };
}

/**
 * Training mode: `x` normalized with the mean and (biased) variance of each
 * channel of the batch. Returns the output and the batch statistics (for
 * the moving averages; the caller disposes them). `gamma`, `beta`: `[C]` or null.
 */
export function batchNormTrainingLastAxis(
  x: tf.Tensor,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const channels = x.shape[x.rank - 1] as number;
  const rows = x.size / channels;
  const { inputs, unpack } = opInputs(x, gamma, beta);
  const stats: tf.Tensor[] = [];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const p = unpack(args as tf.Tensor[]);
    const x2 = tf.reshape(p.x, [rows, channels]) as tf.Tensor2D;
    const mean = tf.div(columnSums(x2), rows);
    const centered = affine(x2, tf.ones([channels]), tf.neg(mean));
    const variance = tf.div(columnSums(tf.mul(centered, centered) as tf.Tensor2D), rows);
    const { inv, scale, offset } = scaleAndOffset(mean, variance, p.gamma, p.beta, epsilon);
    stats.push(tf.keep(mean), tf.keep(variance));
    save([x2, mean, inv, scale]);
    const value = tf.reshape(affine(x2, scale, offset), p.x.shape);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, smean, sinv, sscale] = saved as [tf.Tensor2D, tf.Tensor, tf.Tensor, tf.Tensor];
      const dy2 = tf.reshape(dy, [rows, channels]) as tf.Tensor2D;
      const dbeta = columnSums(dy2);
      const xhat = affine(sx, sinv, tf.mul(tf.neg(smean), sinv));
      const dgamma = columnSums(tf.mul(dy2, xhat) as tf.Tensor2D);
      const correction = affine(xhat, tf.div(dgamma, rows), tf.div(dbeta, rows));
      const dx = tf.reshape(affine(tf.sub(dy2, correction), sscale, null), p.x.shape);
      return [dx, ...(p.gamma == null ? [] : [dgamma]), ...(p.beta == null ? [] : [dbeta])];
    };
    return { value, gradFunc };
  });
  const y = op(...inputs);
  return { y, mean: stats[0] as tf.Tensor, variance: stats[1] as tf.Tensor };
}

/**
 * Inference mode: `x` normalized with given statistics (the moving
 * averages), which are constants here. `gamma`, `beta`: `[C]` or null; with
 * `paramGradients` false (a frozen layer) they are constants too, and the
 * backward pass computes the input's gradient only.
 */
export function batchNormInferenceLastAxis(
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  { epsilon, paramGradients }: { epsilon: number; paramGradients: boolean },
): tf.Tensor {
  const { inputs, unpack } = opInputs(x, paramGradients ? gamma : null, paramGradients ? beta : null);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const p = unpack(args as tf.Tensor[]);
    const { inv, scale, offset } = scaleAndOffset(mean, variance, gamma, beta, epsilon);
    // Any rank, seen as [rows, channels].
    const channels = p.x.shape[p.x.rank - 1] as number;
    const x2 = tf.reshape(p.x, [-1, channels]);
    // xhat = x * inv + shift, for gamma's gradient; saved, so a later change of the statistics cannot reach it.
    save([x2, scale, inv, tf.mul(tf.neg(mean), inv)]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sscale, sinv, sshift] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const dy2 = tf.reshape(dy, [-1, channels]) as tf.Tensor2D;
      const grads = [tf.reshape(affine(dy2, sscale, null), dy.shape)];
      if (p.gamma != null) grads.push(columnSums(tf.mul(dy2, affine(sx, sinv, sshift)) as tf.Tensor2D));
      if (p.beta != null) grads.push(columnSums(dy2));
      return grads;
    };
    return { value: tf.reshape(affine(x2, scale, offset), p.x.shape), gradFunc };
  });
  return op(...inputs);
}
