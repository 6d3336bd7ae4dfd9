/**
 * The `losses` namespace: Keras's losses, reduced the Keras way (per sample
 * over the last axis, then the mean over the batch: "sum_over_batch_size").
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';

/** Keras's `backend.epsilon()`, used to clip probabilities away from 0 and 1. */
const EPSILON = 1e-7;

/** A loss: `(yTrue, yPred) => scalar`, the mean over the batch. */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

export interface CrossentropyOptions {
  /** Whether `yPred` holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
}

function meanOverBatch(perSample: tf.Tensor): tf.Scalar {
  return tf.mean(perSample) as tf.Scalar;
}

export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => meanOverBatch(tf.mean(tf.square(tf.sub(yPred, yTrue)), -1)));
}

export function meanAbsoluteError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => meanOverBatch(tf.mean(tf.abs(tf.sub(yPred, yTrue)), -1)));
}

/** `-(y log p + (1 - y) log(1 - p))`, mean over the last axis; `p` clipped to [1e-7, 1 - 1e-7]. */
export function binaryCrossentropy(options: CrossentropyOptions = {}): LossFunction {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      let perElement: tf.Tensor;
      if (options.fromLogits) {
        // max(z, 0) - z y + log(1 + exp(-|z|)), stable for any logit.
        perElement = tf.add(tf.sub(tf.relu(yPred), tf.mul(yPred, yTrue)), tf.log1p(tf.exp(tf.neg(tf.abs(yPred)))));
      } else {
        const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
        perElement = tf.neg(tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p)))));
      }
      return meanOverBatch(tf.mean(perElement, -1));
    });
}

/** Log-probabilities over the last axis, from logits or from (renormalised, clipped) probabilities. */
function logProbabilities(yPred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  if (fromLogits) return tf.logSoftmax(yPred, -1);
  const p = tf.div(yPred, tf.sum(yPred, -1, true));
  return tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON));
}

/** `-sum(y log p)` over the last axis, for one-hot `yTrue`. */
export function categoricalCrossentropy(options: CrossentropyOptions = {}): LossFunction {
  return (yTrue, yPred) =>
    tf.tidy(() =>
      meanOverBatch(tf.neg(tf.sum(tf.mul(yTrue, logProbabilities(yPred, options.fromLogits ?? false)), -1))),
    );
}

/** `-log p[label]`, for integer labels of shape `[batch]` or `[batch, 1]`. */
export function sparseCategoricalCrossentropy(options: CrossentropyOptions = {}): LossFunction {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const classes = yPred.shape[yPred.rank - 1] as number;
      const labels = tf.cast(tf.reshape(yTrue, [-1]), 'int32');
      const oneHot = tf.reshape(tf.oneHot(labels, classes), yPred.shape);
      return meanOverBatch(tf.neg(tf.sum(tf.mul(oneHot, logProbabilities(yPred, options.fromLogits ?? false)), -1)));
    });
}

const BY_NAME = new Map<string, () => LossFunction>([
  ['mean_squared_error', () => meanSquaredError],
  ['mse', () => meanSquaredError],
  ['mean_absolute_error', () => meanAbsoluteError],
  ['mae', () => meanAbsoluteError],
  ['binary_crossentropy', () => binaryCrossentropy()],
  ['categorical_crossentropy', () => categoricalCrossentropy()],
  ['sparse_categorical_crossentropy', () => sparseCategoricalCrossentropy()],
]);

/** Names `get` accepts. */
export const LOSS_NAMES: readonly string[] = [...BY_NAME.keys()];

/** A loss by Keras name (`"mse"`, `"sparse_categorical_crossentropy"`, ...) or a function (as is). */
export function get(identifier: string | LossFunction): LossFunction {
  if (typeof identifier === 'function') return identifier;
  const make = typeof identifier === 'string' ? BY_NAME.get(identifier) : undefined;
  if (make == null) {
    throw new ValueError(
      `Could not interpret loss identifier: ${formatValue(identifier)}. Expected one of ${LOSS_NAMES.join(', ')} or a function.`,
      { argument: 'loss', expected: LOSS_NAMES.join(', '), received: formatValue(identifier) },
    );
  }
  return make();
}
