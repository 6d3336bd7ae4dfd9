/**
 * Keras's `update_confusion_matrix_variables` (keras/src/metrics/
 * metrics_utils.py): true/false positives/negatives counted at each
 * threshold, weighted by sample (and label) weights, in Keras's two ways:
 * evenly spaced thresholds through buckets (the "optimized" path, which
 * clips predictions to [0, 1]), any other thresholds by comparing each.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';

/** Keras's `NEG_INF`: what `top_k` puts in place of the predictions it leaves out. */
export const NEG_INF = -1e10;

/** Keras's `backend.epsilon()`. */
export const EPSILON = 1e-7;

/** Which counts a metric keeps: the variables to add this batch to. */
export interface ConfusionVariables {
  tp?: tf.Variable;
  fp?: tf.Variable;
  tn?: tf.Variable;
  fn?: tf.Variable;
}

/** How the counts are taken (the options of update_confusion_matrix_variables). */
export interface ConfusionOptions {
  thresholds: readonly number[];
  thresholdsDistributedEvenly: boolean;
  topK?: number | null;
  classId?: number | null;
  sampleWeight?: tf.Tensor | null;
  multiLabel?: boolean;
  /** Per label (last axis), only without multiLabel. */
  labelWeights?: tf.Tensor | null;
  /** The metric's class, for messages. */
  metric: string;
}

/** Keras's `assert_thresholds_range`: every threshold in [0, 1]. */
export function checkThresholds(thresholds: readonly unknown[], argument = 'thresholds'): number[] {
  const invalid = thresholds.filter((t) => typeof t !== 'number' || !(t >= 0 && t <= 1));
  if (invalid.length > 0) {
    throw new ValueError(`Threshold values must be in [0, 1]. Received: ${argument}=${JSON.stringify(invalid)}`, {
      argument,
      expected: 'numbers in [0, 1]',
      received: JSON.stringify(invalid),
    });
  }
  return thresholds as number[];
}

/** Keras's `parse_init_thresholds`: a number or a list, checked, or the default as a list of one. */
export function parseThresholds(thresholds: unknown, defaultThreshold: number): number[] {
  if (thresholds == null) return [defaultThreshold];
  const list = Array.isArray(thresholds) ? thresholds : [thresholds];
  if (list.length === 0) {
    throw new ValueError('Argument `thresholds` must not be empty.', {
      argument: 'thresholds',
      expected: 'a number or a non-empty list of numbers in [0, 1]',
      received: '[]',
    });
  }
  return checkThresholds(list);
}

/** Keras's `is_evenly_distributed_thresholds`: at least 3, equal to `i / (n - 1)` within epsilon. */
export function evenlyDistributed(thresholds: readonly number[]): boolean {
  const n = thresholds.length;
  if (n < 3) return false;
  // np.allclose(thresholds, arange(n, float32) / (n - 1), atol=epsilon): rtol 1e-5 too.
  return thresholds.every((t, i) => {
    const even = Math.fround(Math.fround(i) / Math.fround(n - 1));
    return Math.abs(t - even) <= EPSILON + 1e-5 * Math.abs(even);
  });
}

/** Keras's `squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1)`. */
function sameRank(x1: tf.Tensor, x2: tf.Tensor, expandRank1 = true): [tf.Tensor, tf.Tensor] {
  let [a, b] = [x1, x2];
  if (a.rank === b.rank + 1 && a.shape[a.rank - 1] === 1) {
    if (b.rank === 1 && expandRank1) b = tf.expandDims(b, -1);
    else a = tf.squeeze(a, [a.rank - 1]);
  }
  if (b.rank === a.rank + 1 && b.shape[b.rank - 1] === 1) {
    if (a.rank === 1 && expandRank1) a = tf.expandDims(a, -1);
    else b = tf.squeeze(b, [b.rank - 1]);
  }
  return [a, b];
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function broadcastOrThrow(t: tf.Tensor, shape: number[], argument: string, metric: string): tf.Tensor {
  try {
    return tf.broadcastTo(t, shape);
  } catch {
    throw new ValueError(
      `${metric}: ${argument} of shape ${shapeText(t.shape)} does not fit the predictions of shape ${shapeText(shape)}.`,
      { argument, expected: `a shape that broadcasts to ${shapeText(shape)}`, received: shapeText(t.shape) },
    );
  }
}

/** Keras's `_filter_top_k`: all but the top `k` of the last axis set to NEG_INF. */
function filterTopK(x: tf.Tensor, k: number): tf.Tensor {
  const classes = x.shape[x.rank - 1] as number;
  const { indices } = tf.topk(x, Math.min(k, classes));
  // one_hot by comparison: the wasm OneHot kernel is not reliable here.
  const mask = tf.sum(
    tf.cast(tf.equal(tf.expandDims(indices, -1), tf.range(0, classes, 1, 'int32')), 'float32'),
    indices.rank - 1,
  );
  return tf.add(tf.mul(x, mask), tf.mul(NEG_INF, tf.sub(1, mask)));
}

/**
 * Adds one batch to the confusion variables, as Keras's
 * `update_confusion_matrix_variables`. Throws before changing anything
 * when the labels, weights or `classId` do not fit the predictions.
 */
export function updateConfusionVariables(
  variables: ConfusionVariables,
  yTrueIn: tf.Tensor,
  yPredIn: tf.Tensor,
  options: ConfusionOptions,
): void {
  const { thresholds, metric } = options;
  const multiLabel = options.multiLabel ?? false;
  tf.tidy(() => {
    let yTrue = tf.cast(yTrueIn, 'float32');
    let yPred = tf.cast(yPredIn, 'float32');
    [yPred, yTrue] = sameRank(yPred, yTrue);
    if (yTrue.size !== yPred.size || yTrue.rank !== yPred.rank) {
      throw new ValueError(
        `${metric}: labels of shape ${shapeText(yTrueIn.shape)} do not fit predictions of shape ${shapeText(yPredIn.shape)}.`,
        { argument: 'yTrue', expected: `the shape ${shapeText(yPredIn.shape)}`, received: shapeText(yTrueIn.shape) },
      );
    }
    if (yTrue.shape.some((d, i) => d !== yPred.shape[i])) yTrue = tf.reshape(yTrue, yPred.shape);
    let sampleWeight: tf.Tensor | null = null;
    if (options.sampleWeight != null) {
      [, sampleWeight] = sameRank(yTrue, tf.expandDims(tf.cast(options.sampleWeight, 'float32'), -1), false);
    }
    // Top-k of an empty batch is skipped: it adds nothing, and wasm's TopK fails on zero rows.
    if (options.topK != null && yPred.size > 0) yPred = filterTopK(yPred, options.topK);
    if (options.classId != null) {
      const classId = options.classId;
      if (yPred.rank === 1) {
        throw new ValueError(
          `${metric}: when classId is given, yPred must be 2D (samples, classes); found shape ${shapeText(yPred.shape)}.`,
          { argument: 'yPred', expected: 'a rank-2 tensor (samples, classes)', received: shapeText(yPred.shape) },
        );
      }
      const classes = yPred.shape[yPred.rank - 1] as number;
      if (classId >= classes) {
        throw new ValueError(
          `${metric}: classId ${classId} is out of range for predictions with ${classes} classes (last axis of shape ${shapeText(yPred.shape)}).`,
          { argument: 'classId', expected: `an integer in [0, ${classes - 1}]`, received: String(classId) },
        );
      }
      const pick = (t: tf.Tensor) => {
        const begin = t.shape.map((_, i) => (i === t.rank - 1 ? classId : 0));
        const size = t.shape.map((d, i) => (i === t.rank - 1 ? 1 : d));
        return tf.slice(t, begin, size);
      };
      yTrue = pick(yTrue);
      yPred = pick(yPred);
    }
    if (sampleWeight != null) sampleWeight = broadcastOrThrow(sampleWeight, yPred.shape, 'sampleWeight', metric);
    let labelWeights: tf.Tensor | null = null;
    if (options.labelWeights != null && !multiLabel) {
      labelWeights = broadcastOrThrow(tf.expandDims(options.labelWeights, 0), yPred.shape, 'labelWeights', metric);
    }
    // An empty batch adds nothing (and zero-size tensors trip the wasm kernels).
    if (yPred.size === 0) return;
    const counts = options.thresholdsDistributedEvenly
      ? bucketCounts(yTrue, yPred, thresholds, multiLabel, sampleWeight, labelWeights)
      : comparedCounts(yTrue, yPred, thresholds, multiLabel, sampleWeight, labelWeights, variables);
    for (const key of ['tp', 'fp', 'tn', 'fn'] as const) {
      const variable = variables[key];
      const count = counts[key];
      if (variable != null && count != null) variable.assign(tf.add(variable, count));
    }
  });
}

type Counts = Partial<Record<'tp' | 'fp' | 'tn' | 'fn', tf.Tensor>>;

/**
 * Keras's `_update_confusion_matrix_variables_optimized`: each prediction
 * (clipped to [0, 1]) falls in bucket `ceil(p * (n - 1)) - 1`; the counts
 * above each threshold are the reversed cumulative sums of the buckets.
 */
function bucketCounts(
  yTrueIn: tf.Tensor,
  yPredIn: tf.Tensor,
  thresholds: readonly number[],
  multiLabel: boolean,
  sampleWeight: tf.Tensor | null,
  labelWeights: tf.Tensor | null,
): Counts {
  const n = thresholds.length;
  const withEpsilon = (thresholds[0] as number) < 0 || (thresholds[n - 1] as number) > 1;
  let weights: tf.Tensor = tf.scalar(1);
  if (sampleWeight != null) weights = tf.mul(weights, sampleWeight);
  if (labelWeights != null) weights = tf.mul(weights, labelWeights);
  let yPred = tf.clipByValue(yPredIn, 0, 1);
  let yTrue = tf.cast(tf.notEqual(yTrueIn, 0), 'float32');
  weights = tf.broadcastTo(weights, yPred.shape);
  if (!multiLabel) {
    yTrue = tf.reshape(yTrue, [-1]);
    yPred = tf.reshape(yPred, [-1]);
    weights = tf.reshape(weights, [-1]);
  } else if (yPred.rank !== 2) {
    yTrue = tf.reshape(yTrue, [-1, yTrue.shape[yTrue.rank - 1] as number]);
    yPred = tf.reshape(yPred, [-1, yPred.shape[yPred.rank - 1] as number]);
    weights = tf.reshape(weights, yPred.shape);
  }
  const trueLabels = tf.mul(yTrue, weights);
  const falseLabels = tf.mul(tf.sub(1, yTrue), weights);
  let buckets = tf.sub(tf.ceil(tf.mul(yPred, n - 1)), 1);
  if (withEpsilon) buckets = tf.relu(buckets);
  // A bucket of -1 (a prediction of exactly 0 without the epsilon thresholds) counts nowhere,
  // as jax's segment_sum drops out-of-range ids: one_hot gives it a zero row.
  // one_hot by comparison (the wasm OneHot kernel writes int32 data whatever dtype is asked).
  const oneHot = tf.cast(tf.equal(tf.expandDims(tf.cast(buckets, 'int32'), -1), tf.range(0, n, 1, 'int32')), 'float32');
  // Samples along axis 0: [N, n] buckets (or [N, L, n] per label).
  const segmentSum = (data: tf.Tensor) => tf.sum(tf.mul(tf.expandDims(data, -1), oneHot), 0);
  const reverseCumsum = (t: tf.Tensor) => {
    const axis = t.rank - 1;
    return tf.reverse(tf.cumsum(tf.reverse(t, axis), axis), axis);
  };
  let tp = reverseCumsum(segmentSum(trueLabels));
  let fp = reverseCumsum(segmentSum(falseLabels));
  // Per label: [L, n] to Keras's [n, L].
  if (multiLabel) [tp, fp] = [tf.transpose(tp), tf.transpose(fp)];
  const totalTrue = tf.sum(trueLabels, 0);
  const totalFalse = tf.sum(falseLabels, 0);
  return { tp, fp, tn: tf.sub(totalFalse, fp), fn: tf.sub(totalTrue, tp) };
}

/** Keras's general path: every prediction compared with every threshold (`pred > threshold`). */
function comparedCounts(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  thresholds: readonly number[],
  multiLabel: boolean,
  sampleWeight: tf.Tensor | null,
  labelWeights: tf.Tensor | null,
  wanted: ConfusionVariables,
): Counts {
  const n = thresholds.length;
  const t = tf.tensor1d([...thresholds], 'float32');
  let preds: tf.Tensor;
  let labels: tf.Tensor;
  let weights: tf.Tensor | null = sampleWeight;
  if (labelWeights != null) weights = weights == null ? labelWeights : tf.mul(weights, labelWeights);
  let thresholdsShaped: tf.Tensor;
  if (multiLabel) {
    const columns = yPred.rank === 1 ? 1 : (yPred.shape[yPred.rank - 1] as number);
    const rows = yPred.size / columns;
    preds = tf.reshape(yPred, [1, rows, columns]);
    labels = tf.reshape(tf.notEqual(yTrue, 0), [1, rows, columns]);
    thresholdsShaped = tf.reshape(t, [n, 1, 1]);
    if (weights != null) weights = tf.reshape(weights, [1, rows, columns]);
  } else {
    preds = tf.reshape(yPred, [1, -1]);
    labels = tf.reshape(tf.notEqual(yTrue, 0), [1, -1]);
    thresholdsShaped = tf.reshape(t, [n, 1]);
    if (weights != null) weights = tf.reshape(weights, [1, -1]);
  }
  const predIsPos = tf.greater(preds, thresholdsShaped);
  const fullShape = predIsPos.shape;
  const labelIsPos = tf.broadcastTo(labels, fullShape);
  const sum = (label: tf.Tensor, pred: tf.Tensor) => {
    const both = tf.logicalAnd(label, pred);
    const values = weights == null ? tf.cast(both, 'float32') : tf.mul(tf.cast(both, 'float32'), weights);
    return tf.sum(values, 1);
  };
  const counts: Counts = { tp: sum(labelIsPos, predIsPos) };
  const predIsNeg = tf.logicalNot(predIsPos);
  const labelIsNeg = tf.logicalNot(labelIsPos);
  if (wanted.fn != null || wanted.tn != null) counts.fn = sum(labelIsPos, predIsNeg);
  if (wanted.fp != null || wanted.tn != null) counts.fp = sum(labelIsNeg, predIsPos);
  if (wanted.tn != null) counts.tn = sum(labelIsNeg, predIsNeg);
  return counts;
}

/** Keras's `divide_no_nan`: `a / b`, 0 where `b` is 0. */
export function divideNoNan(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.where(tf.equal(b, 0), tf.zerosLike(tf.add(a, b)), tf.div(a, b));
}
