/** What regularization does to the weights, measured on the trained kernels. */
import * as tf from '@tensorflow/tfjs-core';
import type { models } from 'keras-regularizers';

export interface WeightStats {
  /** L2 norm of all kernels together. */
  norm: number;
  /** Share of kernel weights with |w| < 1e-3. */
  nearZero: number;
  /** Mean |cosine| between the first kernel's columns (its units' weight vectors). */
  meanAbsCosine: number;
  /** The first kernel's values, for the histogram. */
  firstKernel: Float32Array;
}

export function weightStats(model: models.Sequential): WeightStats {
  const kernels = model.trainableWeights.filter((v) => v.rank === 2);
  const values = kernels.flatMap((k) => Array.from(k.dataSync()));
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
  const nearZero = values.filter((v) => Math.abs(v) < 1e-3).length / values.length;
  const first = kernels[0] as tf.Variable;
  const meanAbsCosine = tf.tidy(() => {
    const unit = tf.div(first, tf.maximum(tf.norm(first, 'euclidean', 0, true), 1e-7));
    const cosines = tf.abs(tf.matMul(tf.transpose(unit), unit));
    const n = first.shape[1] as number;
    // Off the diagonal only: n (n - 1) ordered pairs.
    const offDiagonal = tf.mul(cosines, tf.sub(1, tf.eye(n)));
    return (tf.sum(offDiagonal).dataSync()[0] as number) / (n * (n - 1));
  });
  return { norm, nearZero, meanAbsCosine, firstKernel: first.dataSync() as Float32Array };
}
