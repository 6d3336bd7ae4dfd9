/**
 * The per-sample loss functions that Keras's metrics wrap (keras/src/losses/
 * losses.py, unreduced: one value per sample over the last axis), in Keras's
 * order of operations, for the `MeanMetricWrapper` metrics: hinges,
 * probabilistic losses, percentage and logarithmic errors, log-cosh and the
 * cosine similarity.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { sameRank } from '../losses/masked-reduction.js';
import type { SamplewiseFunction } from './base.js';

/** Keras's `backend.epsilon()`. */
const EPSILON = 1e-7;

const asFloat = (t: tf.Tensor) => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'));

/** Labels and predictions as float32, ranks aligned as Keras's `squeeze_or_expand_to_same_rank`. */
function aligned(yTrue: tf.Tensor, yPred: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return sameRank(asFloat(yTrue), asFloat(yPred));
}

/** Keras's `convert_binary_labels_to_hinge`: 0/1 labels become -1/1 when every label is 0 or 1. */
function hingeLabels(y: tf.Tensor): tf.Tensor {
  const isBinary = tf.all(tf.logicalOr(tf.equal(y, 0), tf.equal(y, 1)));
  return tf.where(isBinary, tf.sub(tf.mul(y, 2), 1), y);
}

/** Keras's `hinge`: `mean(max(1 - y * p, 0))` over the last axis. */
export const hinge: SamplewiseFunction = (yTrue, yPred) => {
  const y = hingeLabels(asFloat(yTrue));
  return tf.mean(tf.relu(tf.sub(1, tf.mul(y, asFloat(yPred)))), -1);
};

/** Keras's `squared_hinge`: `mean(max(1 - y * p, 0)^2)` over the last axis. */
export const squaredHinge: SamplewiseFunction = (yTrue, yPred) => {
  const y = hingeLabels(asFloat(yTrue));
  return tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(y, asFloat(yPred))))), -1);
};

/** Keras's `categorical_hinge`: `max(max((1 - y) * p) - sum(y * p) + 1, 0)`. */
export const categoricalHinge: SamplewiseFunction = (yTrue, yPred) => {
  const y = asFloat(yTrue);
  const p = asFloat(yPred);
  const pos = tf.sum(tf.mul(y, p), -1);
  const neg = tf.max(tf.mul(tf.sub(1, y), p), -1);
  return tf.maximum(tf.add(tf.sub(neg, pos), 1), 0);
};

/** Keras's `mean_absolute_percentage_error`: `100 * mean(|(y - p) / max(|y|, 1e-7)|)`. */
export const meanAbsolutePercentageError: SamplewiseFunction = (yTrue, yPred) => {
  const [y, p] = aligned(yTrue, yPred);
  const diff = tf.abs(tf.div(tf.sub(y, p), tf.maximum(tf.abs(y), EPSILON)));
  return tf.mul(100, tf.mean(diff, -1));
};

/** Keras's `mean_squared_logarithmic_error`: `mean((log(max(p, 1e-7) + 1) - log(max(y, 1e-7) + 1))^2)`. */
export const meanSquaredLogarithmicError: SamplewiseFunction = (yTrue, yPred) => {
  const [y, p] = aligned(yTrue, yPred);
  const first = tf.log(tf.add(tf.maximum(p, EPSILON), 1));
  const second = tf.log(tf.add(tf.maximum(y, EPSILON), 1));
  return tf.mean(tf.square(tf.sub(first, second)), -1);
};

/** Keras's `log_cosh`: `mean(x + softplus(-2x) - log 2)` of `x = p - y`, stable for large errors. */
export const logCosh: SamplewiseFunction = (yTrue, yPred) => {
  const [y, p] = aligned(yTrue, yPred);
  const x = tf.sub(p, y);
  return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.log(2)), -1);
};

/** Keras's `kl_divergence`: `sum(y * log(y / p))`, both clipped to [1e-7, 1]. */
export const klDivergence: SamplewiseFunction = (yTrue, yPred) => {
  const y = tf.clipByValue(asFloat(yTrue), EPSILON, 1);
  const p = tf.clipByValue(asFloat(yPred), EPSILON, 1);
  return tf.sum(tf.mul(y, tf.log(tf.div(y, p))), -1);
};

/** Keras's `poisson`: `mean(p - y * log(p + 1e-7))`. */
export const poisson: SamplewiseFunction = (yTrue, yPred) => {
  const y = asFloat(yTrue);
  const p = asFloat(yPred);
  return tf.mean(tf.sub(p, tf.mul(y, tf.log(tf.add(p, EPSILON)))), -1);
};

/** Keras's `ops.normalize(x, axis)` (order 2): `x * min(rsqrt(sum(x^2)), 1 / 1e-7)`. */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  const inverse = tf.minimum(tf.rsqrt(tf.sum(tf.square(x), axis, true)), 1 / EPSILON);
  return tf.mul(x, inverse);
}

/** Keras's `cosine_similarity` (the metric's): the sum of the L2-normalised products along `axis`. */
export function cosineSimilarity(axis = -1): SamplewiseFunction {
  return (yTrue, yPred) => {
    const [y, p] = aligned(yTrue, yPred);
    checkAxis(axis, p.rank);
    return tf.sum(tf.mul(l2Normalize(y, axis), l2Normalize(p, axis)), axis);
  };
}

/** Keras's `pearson_correlation`: the mean product of the standardised values along `axis`. */
export function pearsonCorrelation(axis = -1): SamplewiseFunction {
  return (yTrue, yPred) => {
    const [y, p] = aligned(yTrue, yPred);
    checkAxis(axis, p.rank);
    const standardised = (x: tf.Tensor) => {
      const centred = tf.sub(x, tf.mean(x, axis, true));
      return tf.div(centred, tf.sqrt(tf.moments(centred, axis, true).variance));
    };
    return tf.mean(tf.mul(standardised(y), standardised(p)), axis);
  };
}

/**
 * Keras's `concordance_correlation`, term for term, including Keras 3.15's
 * covariance term `(y - mean(p)) * (p - mean(p))` (it centres the labels on
 * the predictions' mean, not their own).
 */
export function concordanceCorrelation(axis = -1): SamplewiseFunction {
  return (yTrue, yPred) => {
    const [y, p] = aligned(yTrue, yPred);
    checkAxis(axis, p.rank);
    const yMean = tf.mean(y, axis, true);
    const pMean = tf.mean(p, axis, true);
    const yVar = tf.moments(tf.sub(y, yMean), axis, true).variance;
    const pVar = tf.moments(tf.sub(p, pMean), axis, true).variance;
    const covariance = tf.mul(tf.sub(y, pMean), tf.sub(p, pMean));
    const norm = tf.add(tf.add(yVar, pVar), tf.square(tf.sub(yMean, pMean)));
    return tf.mean(tf.div(tf.mul(2, covariance), tf.add(norm, EPSILON)), axis);
  };
}

function checkAxis(axis: number, rank: number): void {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw invalidArgument('axis', `an integer axis of the rank-${rank} inputs, in [${-rank}, ${rank})`, axis);
  }
}

/** Keras's `binary_crossentropy(from_logits, label_smoothing)`: the mean over the last axis. */
export function binaryCrossentropy(fromLogits: boolean, labelSmoothing: number): SamplewiseFunction {
  return (yTrue, yPred) => {
    const p = asFloat(yPred);
    let y = asFloat(yTrue);
    if (labelSmoothing) y = tf.add(tf.mul(y, 1 - labelSmoothing), 0.5 * labelSmoothing);
    let elements: tf.Tensor;
    if (fromLogits) {
      // Keras (jax): -y log_sigmoid(x) - (1 - y) log_sigmoid(-x).
      elements = tf.sub(tf.neg(tf.mul(y, tf.logSigmoid(p))), tf.mul(tf.sub(1, y), tf.logSigmoid(tf.neg(p))));
    } else {
      const clipped = tf.clipByValue(p, EPSILON, 1 - EPSILON);
      elements = tf.sub(tf.neg(tf.mul(y, tf.log(clipped))), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, clipped))));
    }
    return tf.mean(elements, -1);
  };
}

/** Log-probabilities over the last axis: log-softmax of logits, or the renormalised, clipped probabilities' log. */
function logProbabilities(p: tf.Tensor, fromLogits: boolean): tf.Tensor {
  if (fromLogits) return tf.sub(p, tf.logSumExp(p, -1, true));
  const normalised = tf.div(p, tf.sum(p, -1, true));
  return tf.log(tf.clipByValue(normalised, EPSILON, 1 - EPSILON));
}

/** Keras's `categorical_crossentropy(from_logits, label_smoothing)` over the last axis. */
export function categoricalCrossentropy(fromLogits: boolean, labelSmoothing: number): SamplewiseFunction {
  return (yTrue, yPred) => {
    const p = asFloat(yPred);
    let y = asFloat(yTrue);
    if (y.rank !== p.rank || y.shape[y.rank - 1] !== p.shape[p.rank - 1]) {
      throw new ValueError(
        `categorical_crossentropy expects one-hot labels of the predictions' shape ${JSON.stringify(p.shape)}. Received: yTrue.shape=${JSON.stringify(y.shape)}`,
        { argument: 'yTrue', expected: `shape ${JSON.stringify(p.shape)}`, received: JSON.stringify(y.shape) },
      );
    }
    if (labelSmoothing) {
      const classes = y.shape[y.rank - 1] as number;
      y = tf.add(tf.mul(y, 1 - labelSmoothing), labelSmoothing / classes);
    }
    return tf.neg(tf.sum(tf.mul(y, logProbabilities(p, fromLogits)), -1));
  };
}

/**
 * Keras's `sparse_categorical_crossentropy(from_logits, ignore_class)` over
 * the last axis. Labels equal to `ignoreClass` give 0 and are marked in the
 * result's Keras mask, as Keras marks them (a weighted `Mean` then leaves
 * them out of the count). A label outside [0, classes) is an error here;
 * Keras's one-hot silently gives it a loss of 0.
 */
export function sparseCategoricalCrossentropy(fromLogits: boolean, ignoreClass: number | null): SamplewiseFunction {
  return (yTrue, yPred) => {
    const p = asFloat(yPred);
    const classes = p.shape[p.rank - 1] as number;
    let labels = yTrue;
    if (labels.rank === p.rank && labels.shape[labels.rank - 1] === 1) labels = tf.squeeze(labels, [-1]);
    const expected = p.shape.slice(0, -1);
    if (labels.rank !== expected.length || labels.shape.some((d, i) => d !== expected[i])) {
      throw new ValueError(
        `sparse_categorical_crossentropy expects integer labels of shape ${JSON.stringify(expected)} (or with a trailing 1) for predictions of shape ${JSON.stringify(p.shape)}. Received: yTrue.shape=${JSON.stringify(yTrue.shape)}`,
        { argument: 'yTrue', expected: `shape ${JSON.stringify(expected)}`, received: JSON.stringify(yTrue.shape) },
      );
    }
    const ids = tf.cast(labels, 'int32');
    checkClassIds(ids, classes, ignoreClass, 'yTrue');
    if (ignoreClass == null) {
      return tf.neg(tf.sum(tf.mul(tf.oneHot(ids, classes), logProbabilities(p, fromLogits)), -1));
    }
    const valid = tf.notEqual(ids, ignoreClass);
    const safeIds = tf.where(valid, ids, tf.zerosLike(ids));
    const safePred = tf.where(tf.expandDims(valid, -1), p, tf.zerosLike(p));
    const losses = tf.neg(tf.sum(tf.mul(tf.oneHot(safeIds, classes), logProbabilities(safePred, fromLogits)), -1));
    const result = tf.where(valid, losses, tf.zerosLike(losses));
    result.kerasMask = valid;
    return result;
  };
}

/** Throws when an integer label (other than `ignoreClass`) is outside [0, classes). Reads the labels. */
export function checkClassIds(ids: tf.Tensor, classes: number, ignoreClass: number | null, argument: string): void {
  if (ids.size === 0) return;
  const values = ids.dataSync();
  for (const id of values) {
    if (id === ignoreClass) continue;
    if (!(id >= 0 && id < classes)) {
      throw new ValueError(
        `${argument} holds the class id ${id}, out of range for ${classes} classes: expected integers in [0, ${classes})${ignoreClass == null ? '' : ` or the ignored class ${ignoreClass}`}.`,
        { argument, expected: `class ids in [0, ${classes})`, received: String(id) },
      );
    }
  }
}
