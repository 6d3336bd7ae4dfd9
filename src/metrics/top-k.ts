/**
 * Keras's top-k accuracies (keras/src/metrics/accuracy_metrics.py):
 * `TopKCategoricalAccuracy` for one-hot labels, `SparseTopKCategoricalAccuracy`
 * for integer labels (or predictions given as sorted class ids), both
 * `MeanMetricWrapper`s of a 0/1 match per sample.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { METRIC_OPTIONS, MeanMetricWrapper, type MetricOptions, type SamplewiseFunction } from './base.js';
import { checkClassIds } from './loss-functions.js';

function checkK(k: unknown): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw invalidArgument('k', 'an integer >= 1', k);
  return k;
}

/**
 * Keras's `in_top_k` (jax): the label's score is beaten by fewer than `k`
 * scores (ties count as in the top k; a NaN score at the label never is).
 * `labels` int32 of shape [n], `predictions` [n, classes].
 */
function inTopK(labels: tf.Tensor, predictions: tf.Tensor, k: number): tf.Tensor {
  const classes = predictions.shape[1] as number;
  const atLabelMask = tf.cast(tf.oneHot(labels, classes), 'bool');
  let atLabel = tf.max(tf.where(atLabelMask, predictions, tf.fill(predictions.shape, -Infinity)), -1, true);
  atLabel = tf.where(tf.isNaN(atLabel), tf.fill(atLabel.shape, -Infinity), atLabel);
  const beaten = tf.sum(tf.cast(tf.greater(predictions, atLabel), 'int32'), -1);
  return tf.lessEqual(tf.add(beaten, 1), k);
}

/** Keras's flattening: predictions to [n, classes], labels to [n], matches back in the labels' shape. */
function flatMatches(
  labels: tf.Tensor,
  predictions: tf.Tensor,
  match: (l: tf.Tensor, p: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const p =
    predictions.rank > 2
      ? tf.reshape(predictions, [-1, predictions.shape[predictions.rank - 1] as number])
      : predictions;
  const l = labels.rank > 1 ? tf.reshape(labels, [-1]) : labels;
  if (l.shape[0] !== p.shape[0] || p.rank !== 2) {
    throw new ValueError(
      `Top-k accuracy expects yTrue to hold one label per row of scores. Received: yTrue of shape ${JSON.stringify(labels.shape)} for predictions of shape ${JSON.stringify(predictions.shape)}.`,
      { argument: 'yTrue', expected: `labels for ${p.shape[0]} rows`, received: JSON.stringify(labels.shape) },
    );
  }
  const matches = tf.cast(match(l, p), 'float32');
  return labels.rank > 1 ? tf.reshape(matches, labels.shape) : matches;
}

/** The per-sample match of `TopKCategoricalAccuracy`. */
function topKMatches(k: number): SamplewiseFunction {
  checkK(k);
  return (yTrue, yPred) => {
    if (yTrue.shape[yTrue.rank - 1] !== yPred.shape[yPred.rank - 1] || yTrue.rank !== yPred.rank) {
      throw new ValueError(
        `TopKCategoricalAccuracy expects one-hot labels of the predictions' shape ${JSON.stringify(yPred.shape)}. Received: yTrue.shape=${JSON.stringify(yTrue.shape)}`,
        { argument: 'yTrue', expected: `shape ${JSON.stringify(yPred.shape)}`, received: JSON.stringify(yTrue.shape) },
      );
    }
    const labels = tf.argMax(yTrue, -1);
    return flatMatches(labels, tf.cast(yPred, 'float32'), (l, p) => inTopK(l, p, k));
  };
}

/** The per-sample match of `SparseTopKCategoricalAccuracy`. */
function sparseTopKMatches(k: number, fromSortedIds: boolean): SamplewiseFunction {
  checkK(k);
  return (yTrue, yPred) => {
    if (fromSortedIds) {
      return flatMatches(tf.cast(yTrue, yPred.dtype), yPred, (l, p) => {
        const firstK = tf.slice(p, [0, 0], [-1, Math.min(k, p.shape[1] as number)]);
        return tf.any(tf.equal(tf.expandDims(l, 1), firstK), 1);
      });
    }
    const classes = yPred.shape[yPred.rank - 1] as number;
    const labels = tf.cast(yTrue, 'int32');
    checkClassIds(labels, classes, null, 'yTrue');
    return flatMatches(labels, tf.cast(yPred, 'float32'), (l, p) => inTopK(l, p, k));
  };
}

/**
 * Keras's `keras.metrics.top_k_categorical_accuracy(y_true, y_pred, k=5)`:
 * per sample, 1 where the one-hot label's class is among the `k` highest
 * scores (ties count), else 0; in the labels' shape without the class axis.
 *
 * @example metrics.topKCategoricalAccuracy(tf.tensor2d([[0, 0, 1], [0, 1, 0]]), tf.tensor2d([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), 1) // [0, 1]
 */
export function topKCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, k = 5): tf.Tensor {
  const match = topKMatches(k);
  return tf.tidy(() => match(yTrue, yPred));
}

/**
 * Keras's `keras.metrics.sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False)`:
 * per sample, 1 where the integer label is among the `k` highest scores
 * (or, from sorted ids, among the row's first `k` ids), else 0.
 *
 * @example metrics.sparseTopKCategoricalAccuracy(tf.tensor1d([2, 1], 'int32'), tf.tensor2d([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), 1) // [0, 1]
 */
export function sparseTopKCategoricalAccuracy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  k = 5,
  fromSortedIds = false,
): tf.Tensor {
  const match = sparseTopKMatches(k, fromSortedIds);
  return tf.tidy(() => match(yTrue, yPred));
}

/** The options of `TopKCategoricalAccuracy`, Keras's `TopKCategoricalAccuracy(k=5, name, dtype)`. */
export interface TopKOptions extends MetricOptions {
  /** How many of the highest scores count; default 5 (an integer >= 1). */
  k?: number;
}

/**
 * How often the one-hot label's class is among the `k` highest scores:
 * Keras's `keras.metrics.TopKCategoricalAccuracy`. Ties with the label's
 * score count as in the top k, as in Keras.
 *
 * @example model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: [new metrics.TopKCategoricalAccuracy({ k: 3 })] })
 */
export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'TopKCategoricalAccuracy';
  readonly k: number;
  constructor(options: TopKOptions = {}) {
    const read = readOptions<TopKOptions>('TopKCategoricalAccuracy', options, [...METRIC_OPTIONS, 'k']);
    const k = checkK(read.k ?? 5);
    super(topKMatches(k), { name: read.name, dtype: read.dtype }, 'top_k_categorical_accuracy');
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), k: this.k };
  }
}

/** The options of `SparseTopKCategoricalAccuracy`, Keras's `(k=5, name, dtype, from_sorted_ids=False)`. */
export interface SparseTopKOptions extends TopKOptions {
  /** Whether `yPred` holds class ids sorted by score (highest first) instead of the scores; default false. */
  fromSortedIds?: boolean;
}

/**
 * How often the integer label is among the `k` highest scores (or the
 * first `k` of sorted ids): Keras's `keras.metrics.SparseTopKCategoricalAccuracy`.
 *
 * @example model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: [new metrics.SparseTopKCategoricalAccuracy({ k: 2 })] })
 */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'SparseTopKCategoricalAccuracy';
  readonly k: number;
  readonly fromSortedIds: boolean;
  constructor(options: SparseTopKOptions = {}) {
    const read = readOptions<SparseTopKOptions>('SparseTopKCategoricalAccuracy', options, [
      ...METRIC_OPTIONS,
      'k',
      'fromSortedIds',
    ]);
    const k = checkK(read.k ?? 5);
    const fromSortedIds = read.fromSortedIds ?? false;
    if (typeof fromSortedIds !== 'boolean') throw invalidArgument('fromSortedIds', 'a boolean', fromSortedIds);
    super(
      sparseTopKMatches(k, fromSortedIds),
      { name: read.name, dtype: read.dtype },
      'sparse_top_k_categorical_accuracy',
    );
    this.k = k;
    this.fromSortedIds = fromSortedIds;
  }
  /** Keras writes `from_sorted_ids` only when it is true. */
  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), k: this.k };
    if (this.fromSortedIds) config.fromSortedIds = true;
    return config;
  }
}
