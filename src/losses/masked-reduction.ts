/**
 * Keras's reduction of per-sample losses under a mask (the Keras mask that
 * a masking layer attached to the prediction): masked entries count for
 * nothing, and the mean is over the unmasked ones (`apply_mask` and
 * `reduce_values` in keras/src/losses/loss.py).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Reduction } from './loss.js';

/** The Keras mask attached to a prediction, if any. */
export function predictionMask(yPred: tf.Tensor): tf.Tensor | null {
  const mask = yPred.kerasMask;
  return mask != null && !mask.isDisposed ? mask : null;
}

/**
 * `values` reduced with `mask` as Keras does: for the mean reductions each
 * unmasked entry weighs `total / valid` (0 when nothing is valid), then the
 * sum is divided by the number of values; for `"sum"` the mask is 0/1.
 */
export function maskedReduction(values: tf.Tensor, mask: tf.Tensor, reduction: Reduction): tf.Scalar {
  return tf.tidy(() => {
    const ones = tf.cast(mask, 'float32');
    let weights = ones;
    if (reduction === 'sum_over_batch_size' || reduction === 'mean') {
      const valid = tf.sum(ones);
      // divide_no_nan: an all-masked batch weighs nothing.
      const weight = tf.where(tf.greater(valid, 0), tf.div(mask.size, tf.maximum(valid, 1)), tf.scalar(0));
      weights = tf.mul(ones, weight);
    }
    // Keras's squeeze_or_expand_to_same_rank: a trailing axis of 1 dropped, or one added.
    if (weights.rank === values.rank + 1 && weights.shape[weights.rank - 1] === 1) weights = tf.squeeze(weights, [-1]);
    else if (weights.rank === values.rank - 1) weights = tf.expandDims(weights, -1);
    const total = tf.sum(tf.mul(values, weights));
    if (reduction === 'sum') return total as tf.Scalar;
    if (reduction === 'mean_with_sample_weight')
      return divideNoNan(total, tf.sum(tf.mul(tf.onesLike(values), weights)));
    return divideNoNan(total, tf.scalar(values.size));
  });
}

function divideNoNan(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.where(tf.equal(b, 0), tf.zerosLike(a), tf.div(a, tf.maximum(b, Number.MIN_VALUE))) as tf.Scalar;
}
