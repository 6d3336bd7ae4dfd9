/** What regularization does to the weights, measured on the trained kernels. */
import * as tf from '@tensorflow/tfjs-core';
import type { models } from 'keras-regularizers';

/**
 * |w| below these counts as "near zero". 1e-3 is about one Adam step at the
 * demo's learning rate, so a weight an L1 pull holds at zero jitters inside
 * it; 1e-2 is about a tenth of the initial weights' spread.
 */
export const SPARSITY_THRESHOLDS = [1e-3, 1e-2] as const;

export interface LayerSparsity {
  /** `1: 784×128` for the first Dense layer's kernel. */
  label: string;
  /** Share of the kernel's weights with |w| below each of SPARSITY_THRESHOLDS. */
  shares: number[];
}

export interface WeightStats {
  /** L2 norm of all kernels together. */
  norm: number;
  /** Share of all kernel weights with |w| below SPARSITY_THRESHOLDS[0]. */
  nearZero: number;
  layers: LayerSparsity[];
  /** Mean |cosine| between the first kernel's columns (its units' weight vectors). */
  meanAbsCosine: number;
  /** The first kernel's values ([inputs, units], row-major), for the images and the histogram. */
  firstKernel: { values: Float32Array; inputs: number; units: number };
}

const shareBelow = (values: Float32Array, threshold: number) =>
  values.reduce((n, v) => (Math.abs(v) < threshold ? n + 1 : n), 0) / values.length;

export function weightStats(model: models.Sequential): WeightStats {
  const kernels = model.trainableWeights.filter((v) => v.rank === 2);
  const arrays = kernels.map((k) => k.dataSync() as Float32Array);
  const count = arrays.reduce((n, a) => n + a.length, 0);
  const norm = Math.sqrt(arrays.reduce((s, a) => s + a.reduce((t, v) => t + v * v, 0), 0));
  const nearZero = arrays.reduce((n, a) => n + shareBelow(a, SPARSITY_THRESHOLDS[0]) * a.length, 0) / count;
  const layers = kernels.map((k, i) => ({
    label: `${i + 1}: ${k.shape.join('×')}`,
    shares: SPARSITY_THRESHOLDS.map((t) => shareBelow(arrays[i] as Float32Array, t)),
  }));
  const first = kernels[0] as tf.Variable;
  const [inputs, units] = first.shape as [number, number];
  const meanAbsCosine = tf.tidy(() => {
    const unit = tf.div(first, tf.maximum(tf.norm(first, 'euclidean', 0, true), 1e-7));
    const cosines = tf.abs(tf.matMul(tf.transpose(unit), unit));
    // Off the diagonal only: n (n - 1) ordered pairs.
    const offDiagonal = tf.mul(cosines, tf.sub(1, tf.eye(units)));
    return (tf.sum(offDiagonal).dataSync()[0] as number) / (units * (units - 1));
  });
  return { norm, nearZero, layers, meanAbsCosine, firstKernel: { values: arrays[0] as Float32Array, inputs, units } };
}
