/**
 * The metric functions: Keras's `keras.metrics.*` functions as batch means
 * (what `compile` took before metrics were stateful, and what `metrics.get`
 * gives as `fn`), and their per-sample forms that the metric classes average.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SamplewiseFunction } from './base.js';

/** A metric as a function: `(yTrue, yPred) => scalar`, the batch mean; `compile` keys it by the function's name. */
export type MetricFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

const asFloat = (t: tf.Tensor) => tf.cast(t, 'float32');

/** `y` in `p`'s shape when they differ by a trailing axis of 1 (Keras's squeeze_or_expand_to_same_rank). */
function alignedTo(y: tf.Tensor, p: tf.Tensor): tf.Tensor {
  if (y.rank === p.rank - 1 && p.shape[p.rank - 1] === 1) return tf.reshape(y, p.shape);
  if (y.rank === p.rank + 1 && y.shape[y.rank - 1] === 1) return tf.reshape(y, p.shape);
  return y;
}

/** Per-sample forms of the accuracies (Keras's `keras.metrics.*_accuracy` functions). */
export const samplewise = {
  accuracy: ((y, p) => asFloat(tf.equal(alignedTo(y, p), p))) as SamplewiseFunction,
  binaryAccuracy(threshold: number): SamplewiseFunction {
    return (y, p) => tf.mean(asFloat(tf.equal(asFloat(alignedTo(y, p)), asFloat(tf.greater(p, threshold)))), -1);
  },
  categoricalAccuracy: ((y, p) => asFloat(tf.equal(tf.argMax(y, -1), tf.argMax(p, -1)))) as SamplewiseFunction,
  sparseCategoricalAccuracy: ((y, p) =>
    asFloat(tf.equal(tf.cast(tf.reshape(y, p.shape.slice(0, -1)), 'int32'), tf.argMax(p, -1)))) as SamplewiseFunction,
  /** `"accuracy"` as Keras's compile resolves it from the shapes. */
  inferredAccuracy: ((y, p) => {
    const columns = p.shape[p.rank - 1] as number;
    if (columns === 1) return samplewise.binaryAccuracy(0.5)(y, p);
    if (y.rank < p.rank || (y.shape[y.rank - 1] === 1 && columns > 1))
      return samplewise.sparseCategoricalAccuracy(y, p);
    return samplewise.categoricalAccuracy(y, p);
  }) as SamplewiseFunction,
};

/** Exact matches between `yTrue` and `yPred`. */
export function accuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(yTrue, yPred), 'float32')) as tf.Scalar);
}

/** `yPred > threshold` (default 0.5) matches `yTrue`. */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, threshold = 0.5): tf.Scalar {
  return tf.tidy(
    () => tf.mean(tf.cast(tf.equal(tf.cast(yTrue, 'bool'), tf.greater(yPred, threshold)), 'float32')) as tf.Scalar,
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
