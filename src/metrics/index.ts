/**
 * The `metrics` namespace: accuracy in Keras's variants. Each metric gives
 * the batch mean; `fit` and `evaluate` average them weighted by batch size.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';

export type MetricFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Exact matches between `yTrue` and `yPred`. */
export function accuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(yTrue, yPred), 'float32')) as tf.Scalar);
}

/** `yPred > 0.5` matches `yTrue`. */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(
    () => tf.mean(tf.cast(tf.equal(tf.cast(yTrue, 'bool'), tf.greater(yPred, 0.5)), 'float32')) as tf.Scalar,
  );
}

/** The arg max of `yPred` matches that of one-hot `yTrue`. */
export function categoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32')) as tf.Scalar);
}

/** The arg max of `yPred` equals the integer label. */
export function sparseCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(
    () =>
      tf.mean(
        tf.cast(tf.equal(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), tf.argMax(yPred, -1)), 'float32'),
      ) as tf.Scalar,
  );
}

const BY_NAME = new Map<string, MetricFunction>([
  ['binary_accuracy', binaryAccuracy],
  ['categorical_accuracy', categoricalAccuracy],
  ['sparse_categorical_accuracy', sparseCategoricalAccuracy],
]);

/**
 * `"accuracy"` as Keras's `compile` resolves it, from the shapes: binary when
 * the prediction has one column, sparse categorical when the labels have a
 * lower rank or one column against several, categorical otherwise.
 */
export function inferredAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  const predictedColumns = yPred.shape[yPred.rank - 1];
  if (predictedColumns === 1) return binaryAccuracy(yTrue, yPred);
  if (yTrue.rank < yPred.rank || (yTrue.shape[yTrue.rank - 1] === 1 && (predictedColumns as number) > 1)) {
    return sparseCategoricalAccuracy(yTrue, yPred);
  }
  return categoricalAccuracy(yTrue, yPred);
}

/** A metric by Keras name (`"accuracy"`/`"acc"` picks the variant as Keras does) or a function. */
export function get(identifier: string | MetricFunction): { name: string; fn: MetricFunction } {
  if (typeof identifier === 'function') return { name: identifier.name || 'metric', fn: identifier };
  if (identifier === 'accuracy' || identifier === 'acc') return { name: identifier, fn: inferredAccuracy };
  const fn = typeof identifier === 'string' ? BY_NAME.get(identifier) : undefined;
  if (fn == null) {
    const names = ['accuracy', 'acc', ...BY_NAME.keys()].join(', ');
    throw new ValueError(
      `Could not interpret metric identifier: ${formatValue(identifier)}. Expected one of ${names} or a function.`,
      { argument: 'metrics', expected: names, received: formatValue(identifier) },
    );
  }
  return { name: identifier, fn };
}
