/**
 * Keras's reduction of per-sample losses under sample weights and a mask
 * (the Keras mask that a masking layer attached to the prediction):
 * `reduce_weighted_values`, `apply_mask` and `reduce_values` in
 * keras/src/losses/loss.py, in the same order of operations.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Reduction } from './loss.js';

/** The Keras mask attached to a prediction, if any. */
export function predictionMask(yPred: tf.Tensor): tf.Tensor | null {
  const mask = yPred.kerasMask;
  return mask != null && !mask.isDisposed ? mask : null;
}

/**
 * Keras's `squeeze_or_expand_to_same_rank(x1, x2)` on shapes: when the
 * ranks differ by one and the longer ends in 1, that axis is dropped (or,
 * against a rank-1 partner, an axis of 1 is added to the partner). Returns
 * the new shapes.
 */
export function sameRankShapes(a: readonly number[], b: readonly number[]): [number[], number[]] {
  let [x1, x2] = [[...a], [...b]];
  if (x1.length === x2.length + 1 && x1[x1.length - 1] === 1) {
    if (x2.length === 1) x2 = [...x2, 1];
    else x1 = x1.slice(0, -1);
  } else if (x2.length === x1.length + 1 && x2[x2.length - 1] === 1) {
    if (x1.length === 1) x1 = [...x1, 1];
    else x2 = x2.slice(0, -1);
  }
  return [x1, x2];
}

/** `x1` and `x2` reshaped as `sameRankShapes` says. */
export function sameRank(x1: tf.Tensor, x2: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const [s1, s2] = sameRankShapes(x1.shape, x2.shape);
  return [s1.length === x1.rank ? x1 : tf.reshape(x1, s1), s2.length === x2.rank ? x2 : tf.reshape(x2, s2)];
}

/**
 * Keras's `apply_mask`: the mask merged into the sample weights. For the
 * mean reductions each unmasked entry weighs `total / valid` (0 when
 * nothing is valid), so that the mean is over the unmasked entries; for
 * `"sum"` (and metrics) the mask is 0/1.
 */
export function maskedWeights(
  sampleWeight: tf.Tensor | null,
  mask: tf.Tensor | null,
  reduction: Reduction | 'sum' | null,
): tf.Tensor | null {
  if (mask == null) return sampleWeight;
  let floatMask = tf.cast(mask, 'float32');
  if (reduction === 'sum_over_batch_size' || reduction === 'mean') {
    const valid = tf.sum(floatMask);
    // divide_no_nan: an all-masked batch weighs nothing.
    const weight = tf.where(tf.greater(valid, 0), tf.div(mask.size, tf.maximum(valid, 1)), tf.scalar(0));
    floatMask = tf.mul(floatMask, weight);
  }
  if (sampleWeight == null) return floatMask;
  const [m, w] = sameRank(floatMask, tf.cast(sampleWeight, 'float32'));
  return tf.mul(w, m);
}

/**
 * `values` (the loss of each sample) reduced as Keras's
 * `reduce_weighted_values`: the mask merged into the sample weights,
 * `values * weights` (ranks aligned, then broadcast), then `"sum"`, or the
 * sum divided by the number of values (`"sum_over_batch_size"`, `"mean"`),
 * or by the sum of the weights (`"mean_with_sample_weight"` with weights).
 * As in Keras, `"none"` (or null), a scalar and an empty batch of shape
 * `[0]` come back unreduced.
 */
export function reduceWeightedValues(
  values: tf.Tensor,
  sampleWeight: tf.Tensor | null,
  mask: tf.Tensor | null,
  reduction: Reduction | null,
): tf.Tensor {
  return tf.tidy(() => {
    const weights = maskedWeights(sampleWeight, mask, reduction);
    let weighted = values;
    let aligned: tf.Tensor | null = null;
    if (weights != null) {
      const [v, w] = sameRank(values, weights);
      aligned = w;
      weighted = tf.mul(v, w);
    }
    if (reduction == null || reduction === 'none') return weighted;
    if (weighted.rank === 0 || (weighted.rank === 1 && weighted.shape[0] === 0)) return weighted;
    const total = tf.sum(weighted);
    if (reduction === 'sum') return total;
    const divisor =
      reduction === 'mean_with_sample_weight' && aligned != null ? tf.sum(aligned) : tf.scalar(weighted.size);
    return divideNoNan(total, divisor);
  });
}

/**
 * `reduceWeightedValues` for a reduction to a scalar (an unreduced scalar
 * stays one); an empty batch, which Keras returns unreduced, gives 0.
 */
export function weightedReduction(
  values: tf.Tensor,
  sampleWeight: tf.Tensor | null,
  mask: tf.Tensor | null,
  reduction: Reduction,
): tf.Scalar {
  return tf.tidy(() => {
    const reduced = reduceWeightedValues(values, sampleWeight, mask, reduction);
    return (reduced.rank === 0 ? reduced : tf.sum(reduced)) as tf.Scalar;
  });
}

/** `values` reduced with `mask` as Keras does (no sample weights). */
export function maskedReduction(values: tf.Tensor, mask: tf.Tensor, reduction: Reduction): tf.Scalar {
  return weightedReduction(values, null, mask, reduction);
}

function divideNoNan(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.where(tf.equal(b, 0), tf.zerosLike(a), tf.div(a, tf.maximum(b, Number.MIN_VALUE))) as tf.Scalar;
}
