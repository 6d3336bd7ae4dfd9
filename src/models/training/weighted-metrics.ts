/**
 * Keras's `weighted_metrics`: a metric of each sample (MeanMetricWrapper's
 * function before its mean), weighed by the sample weights as Keras's
 * `Mean.update_state` does (`reduce_to_samplewise_values`). Our metric
 * functions give a batch mean, so the built-in ones have their per-sample
 * form here; another function runs on each sample alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as losses from '../../losses/index.js';
import { maskedWeights, predictionMask, sameRank } from '../../losses/masked-reduction.js';
import * as metrics from '../../metrics/index.js';

/** A metric's value for each sample (a tensor with the batch axis first). */
export type SamplewiseMetric = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** `y` in `p`'s shape when they differ by a trailing axis of 1. */
function alignedTo(y: tf.Tensor, p: tf.Tensor): tf.Tensor {
  if (y.rank === p.rank - 1 && p.shape[p.rank - 1] === 1) return tf.reshape(y, p.shape);
  if (y.rank === p.rank + 1 && y.shape[y.rank - 1] === 1) return tf.reshape(y, p.shape);
  return y;
}

const asFloat = (t: tf.Tensor) => tf.cast(t, 'float32');

function binaryAccuracy(threshold: number): SamplewiseMetric {
  return (y, p) => tf.mean(asFloat(tf.equal(asFloat(alignedTo(y, p)), asFloat(tf.greater(p, threshold)))), -1);
}

const categoricalAccuracy: SamplewiseMetric = (y, p) => asFloat(tf.equal(tf.argMax(y, -1), tf.argMax(p, -1)));

const sparseCategoricalAccuracy: SamplewiseMetric = (y, p) =>
  asFloat(tf.equal(tf.cast(tf.reshape(y, p.shape.slice(0, -1)), 'int32'), tf.argMax(p, -1)));

/** `"accuracy"` as Keras's compile resolves it from the shapes (metrics.inferredAccuracy). */
const inferredAccuracy: SamplewiseMetric = (y, p) => {
  const columns = p.shape[p.rank - 1] as number;
  if (columns === 1) return binaryAccuracy(0.5)(y, p);
  if (y.rank < p.rank || (y.shape[y.rank - 1] === 1 && columns > 1)) return sparseCategoricalAccuracy(y, p);
  return categoricalAccuracy(y, p);
};

/** The loss of each sample, as a metric (`"mse"`, `"binary_crossentropy"`, ...). */
function lossOf(loss: losses.Loss): SamplewiseMetric {
  return (y, p) => loss.call(y, p);
}

/** A function of the batch mean, run on each sample alone: its value for that sample. */
function eachSample(fn: metrics.MetricFunction): SamplewiseMetric {
  return (y, p) => {
    const n = p.shape[0] as number;
    const rows: tf.Tensor[] = [];
    for (let i = 0; i < n; i++) rows.push(fn(tf.slice(y, i, 1), tf.slice(p, i, 1)));
    return tf.stack(rows);
  };
}

/**
 * The per-sample form of a metric as `compile` takes it: a Keras name, a
 * Metric object or a function (`fn` is its batch-mean form).
 */
export function samplewiseMetric(identifier: unknown, fn: metrics.MetricFunction): SamplewiseMetric {
  if (identifier === 'accuracy' || identifier === 'acc') return inferredAccuracy;
  if (identifier === 'binary_accuracy') return binaryAccuracy(0.5);
  if (identifier === 'categorical_accuracy') return categoricalAccuracy;
  if (identifier === 'sparse_categorical_accuracy') return sparseCategoricalAccuracy;
  if (typeof identifier === 'string' && losses.LOSS_NAMES.includes(identifier)) {
    return lossOf(losses.toLoss(identifier));
  }
  // Exact classes only: a subclass may compute something else in its apply.
  const cls = identifier == null ? null : Object.getPrototypeOf(identifier)?.constructor;
  if (cls === metrics.BinaryAccuracy) return binaryAccuracy((identifier as metrics.BinaryAccuracy).threshold);
  if (cls === metrics.CategoricalAccuracy) return categoricalAccuracy;
  if (cls === metrics.SparseCategoricalAccuracy) return sparseCategoricalAccuracy;
  if (cls === metrics.Accuracy) return (y, p) => asFloat(tf.equal(y, p));
  if (cls === metrics.MeanSquaredError) return lossOf(new losses.MeanSquaredError());
  if (cls === metrics.MeanAbsoluteError) return lossOf(new losses.MeanAbsoluteError());
  return eachSample(fn);
}

/**
 * One batch of a weighted metric, as Keras's `MeanMetricWrapper.update_state`
 * then `Mean.update_state`: the prediction's mask merged into the weights
 * (0/1), ranks aligned, the values reduced (mean) to the weights' rank, then
 * `total = sum(values * weights)` and `count = sum(weights)` (reduced, mean,
 * to one per sample). Returns the batch value `total / count` and `count`,
 * its weight in the running mean; without weights or mask, the plain mean
 * weighs by the batch size.
 */
export function weightedMetricBatch(
  fn: SamplewiseMetric,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  sampleWeight: tf.Tensor | null,
): { value: tf.Scalar; count: tf.Scalar } {
  return tf.tidy(() => {
    let values = asFloat(fn(yTrue, yPred));
    const weights = maskedWeights(sampleWeight, predictionMask(yPred), 'sum');
    let count: tf.Tensor;
    if (weights == null) {
      count = tf.scalar(values.rank >= 1 ? (values.shape[0] as number) : 1);
    } else {
      let w: tf.Tensor;
      [values, w] = sameRank(values, asFloat(weights));
      if (values.rank > w.rank) values = tf.mean(values, range(w.rank, values.rank));
      w = tf.broadcastTo(w, values.shape);
      values = tf.mul(values, w);
      if (w.rank > 1) w = tf.mean(w, range(1, w.rank));
      count = tf.sum(w);
    }
    if (values.rank > 1) values = tf.mean(values, range(1, values.rank));
    const total = tf.sum(values);
    const value = tf.where(tf.equal(count, 0), tf.zerosLike(total), tf.div(total, tf.maximum(count, Number.MIN_VALUE)));
    return { value: value as tf.Scalar, count: count as tf.Scalar };
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
