/**
 * Metrics under a Keras mask: Keras's mean metrics take the prediction's
 * mask as sample weights (MeanMetricWrapper), so a masked time step counts
 * for nothing and a batch's metric weighs by its unmasked entries in the
 * running mean. A metric here gives a batch mean over rows, so the masked
 * rows are left out before it runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { predictionMask } from '../losses/masked-reduction.js';
import type { MetricFunction } from '../metrics/index.js';

/**
 * The metric over the unmasked entries of `yPred`'s leading axes, and how
 * many there were (the batch's weight in the running mean); null when
 * `yPred` carries no mask (or one whose shape does not lead `yTrue`'s and
 * `yPred`'s, which then count whole).
 */
export function maskedMetric(
  fn: MetricFunction,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
): { value: tf.Scalar; weight: number } | null {
  const mask = predictionMask(yPred);
  if (mask == null) return null;
  const axes = mask.rank;
  const leads = (t: tf.Tensor) => t.rank >= axes && mask.shape.every((d, i) => t.shape[i] === d);
  if (!leads(yPred) || !leads(yTrue)) return null;
  const keep = mask.dataSync();
  const rows: number[] = [];
  keep.forEach((flag, i) => {
    if (flag) rows.push(i);
  });
  if (rows.length === 0) return { value: tf.scalar(0), weight: 0 };
  return tf.tidy(() => {
    const ids = tf.tensor1d(rows, 'int32');
    const pick = (t: tf.Tensor) => tf.gather(tf.reshape(t, [mask.size, ...t.shape.slice(axes)]), ids);
    return { value: fn(pick(yTrue), pick(yPred)), weight: rows.length };
  });
}
