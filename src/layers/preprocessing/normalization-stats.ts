/**
 * The statistics `Normalization.adapt` computes, as Keras does: the mean and
 * (population) variance over the reduced axes of one array, or merged batch
 * by batch in float32 with Keras's running-weight formula for a list of
 * batches.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Mean and variance of `x` over every axis but `keep` (sorted, non-negative), each of shape `keep`'s dims. */
export function meanAndVariance(x: tf.Tensor, keep: readonly number[]): { mean: Float64Array; variance: Float64Array } {
  // Summed in float64 on the host: Keras's NumPy path sums float32 pairwise, within an ulp or two of this.
  const data = x.dataSync();
  const shape = x.shape;
  const strides = tf.util.computeStrides(shape);
  const keepSize = keep.reduce((n, d) => n * (shape[d] as number), 1);
  const count = x.size / keepSize;
  const slot = (flat: number): number => {
    let index = 0;
    for (const d of keep) {
      const stride = d < strides.length ? (strides[d] as number) : 1;
      const coordinate = Math.floor(flat / stride) % (shape[d] as number);
      index = index * (shape[d] as number) + coordinate;
    }
    return index;
  };
  const slots = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) slots[i] = slot(i);
  const mean = new Float64Array(keepSize);
  for (let i = 0; i < data.length; i++) {
    const k = slots[i] as number;
    mean[k] = (mean[k] as number) + (data[i] as number);
  }
  for (let k = 0; k < keepSize; k++) mean[k] = (mean[k] as number) / count;
  const variance = new Float64Array(keepSize);
  for (let i = 0; i < data.length; i++) {
    const d = (data[i] as number) - (mean[slots[i] as number] as number);
    const k = slots[i] as number;
    variance[k] = (variance[k] as number) + d * d;
  }
  for (let k = 0; k < keepSize; k++) variance[k] = (variance[k] as number) / count;
  return { mean, variance };
}

/**
 * Keras's merge of batch statistics, in float32 as Keras computes it:
 * `w = batchCount / totalCount`, the new mean `m * (1 - w) + bm * w`, the
 * variance `(v + (m - m')²) (1 - w) + (bv + (bm - m')²) w`.
 */
export function mergeBatches(
  batches: readonly tf.Tensor[],
  keep: readonly number[],
): { mean: Float32Array; variance: Float32Array } {
  const f = Math.fround;
  let mean: Float32Array | null = null;
  let variance: Float32Array | null = null;
  let total = 0;
  for (const batch of batches) {
    const stats = meanAndVariance(batch, keep);
    const batchCount = batch.size / stats.mean.length;
    total += batchCount;
    const w = f(batchCount / total);
    const existing = f(1 - batchCount / total);
    const m: Float32Array = mean ?? new Float32Array(stats.mean.length);
    const v: Float32Array = variance ?? new Float32Array(stats.mean.length);
    const nextMean: Float32Array = new Float32Array(m.length);
    const nextVariance: Float32Array = new Float32Array(m.length);
    for (let k = 0; k < m.length; k++) {
      const bm = f(stats.mean[k] as number);
      const bv = f(stats.variance[k] as number);
      const mk = m[k] as number;
      const nm = f(f(mk * existing) + f(bm * w));
      const old = f(f(v[k] as number) + f(f(mk - nm) ** 2));
      const fresh = f(bv + f(f(bm - nm) ** 2));
      nextMean[k] = nm;
      nextVariance[k] = f(f(old * existing) + f(fresh * w));
    }
    mean = nextMean;
    variance = nextVariance;
  }
  return { mean: mean ?? new Float32Array(0), variance: variance ?? new Float32Array(0) };
}
