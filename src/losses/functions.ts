/**
 * The loss functions of `keras.losses` (`mean_squared_error`, `huber`, ...)
 * in camelCase, each reduced the default Keras way: the loss of each sample,
 * then the mean over the batch (a scalar). The loss of each sample is a
 * class's `call` (or `compute` with `reduction: "none"`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Circle, type CircleOptions } from './circle.js';
import { CTC } from './ctc.js';
import {
  BinaryFocalCrossentropy,
  type BinaryFocalCrossentropyOptions,
  CategoricalFocalCrossentropy,
  type FocalCrossentropyOptions,
} from './focal.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import type { Loss } from './loss.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalGeneralizedCrossEntropy,
  type CrossentropyOptions,
  KLDivergence,
  Poisson,
  type SmoothedCrossentropyOptions,
  SparseCategoricalCrossentropy,
  type SparseCategoricalCrossentropyOptions,
} from './probabilistic.js';
import {
  CosineSimilarity,
  Huber,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
} from './regression.js';
import { Dice, type DiceOptions, Tversky, type TverskyOptions } from './segmentation.js';

/** A loss: `(yTrue, yPred) => scalar`, the mean over the batch. */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

const reduced = (loss: Loss, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar => loss.apply(yTrue, yPred);

/**
 * `mean((yPred - yTrue)^2)` over the last axis, then the mean over the batch:
 * Keras's `keras.losses.mean_squared_error`, reduced.
 *
 * @example losses.meanSquaredError(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 1]])) // 0.5
 */
export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reduced(new MeanSquaredError(), yTrue, yPred);
}

/**
 * `mean(|yPred - yTrue|)` over the last axis, then the mean over the batch:
 * Keras's `keras.losses.mean_absolute_error`, reduced.
 *
 * @example losses.meanAbsoluteError(tf.tensor2d([[0, 2]]), tf.tensor2d([[1, 1]])) // 1
 */
export function meanAbsoluteError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reduced(new MeanAbsoluteError(), yTrue, yPred);
}

/** Keras's `mean_absolute_percentage_error`, reduced. @example losses.meanAbsolutePercentageError(y, x) */
export function meanAbsolutePercentageError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reduced(new MeanAbsolutePercentageError(), yTrue, yPred);
}

/** Keras's `mean_squared_logarithmic_error`, reduced. @example losses.meanSquaredLogarithmicError(y, x) */
export function meanSquaredLogarithmicError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reduced(new MeanSquaredLogarithmicError(), yTrue, yPred);
}

/** Keras's `cosine_similarity(y_true, y_pred, axis=-1)`, reduced. @example losses.cosineSimilarity(y, x, { axis: -1 }) */
export function cosineSimilarity(yTrue: tf.Tensor, yPred: tf.Tensor, options: { axis?: number } = {}): tf.Scalar {
  return reduced(new CosineSimilarity(options), yTrue, yPred);
}

/** Keras's `huber(y_true, y_pred, delta=1.0)`, reduced. @example losses.huber(y, x, { delta: 0.5 }) */
export function huber(yTrue: tf.Tensor, yPred: tf.Tensor, options: { delta?: number } = {}): tf.Scalar {
  return reduced(new Huber(options), yTrue, yPred);
}

/** Keras's `log_cosh`, reduced. @example losses.logCosh(y, x) */
export function logCosh(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reduced(new LogCosh(), yTrue, yPred);
}

/** Keras's `kl_divergence`, reduced. @example losses.klDivergence(y, x) */
export function klDivergence(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reduced(new KLDivergence(), yTrue, yPred);
}

/** Keras's `poisson`, reduced. @example losses.poisson(y, x) */
export function poisson(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reduced(new Poisson(), yTrue, yPred);
}

/** Keras's `hinge`, reduced. @example losses.hinge(tf.tensor2d([[1, -1]]), x) */
export function hinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reduced(new Hinge(), yTrue, yPred);
}

/** Keras's `squared_hinge`, reduced. @example losses.squaredHinge(y, x) */
export function squaredHinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reduced(new SquaredHinge(), yTrue, yPred);
}

/** Keras's `categorical_hinge`, reduced. @example losses.categoricalHinge(y, x) */
export function categoricalHinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reduced(new CategoricalHinge(), yTrue, yPred);
}

/** A crossentropy function: called with options only, the loss as a function of (yTrue, yPred); with tensors, the value. */
function crossentropy<O>(make: (options: O) => Loss, first: tf.Tensor | O | undefined, yPred?: tf.Tensor, options?: O) {
  if (first instanceof tf.Tensor) return reduced(make(options ?? ({} as O)), first, yPred as tf.Tensor);
  const loss = make(first ?? ({} as O));
  return (yTrue: tf.Tensor, p: tf.Tensor) => loss.apply(yTrue, p);
}

/**
 * Keras's `binary_crossentropy(y_true, y_pred, from_logits, label_smoothing, axis)`,
 * reduced; with options alone, the loss as a function (`binaryCrossentropy({ fromLogits: true })(y, p)`).
 *
 * @example losses.binaryCrossentropy(y, x, { fromLogits: true })
 */
export function binaryCrossentropy(options?: CrossentropyOptions & SmoothedCrossentropyOptions): LossFunction;
/** The reduced value of `binaryCrossentropy` on `yTrue` and `yPred`. */
export function binaryCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options?: SmoothedCrossentropyOptions,
): tf.Scalar;
export function binaryCrossentropy(
  first?: tf.Tensor | SmoothedCrossentropyOptions,
  yPred?: tf.Tensor,
  options?: SmoothedCrossentropyOptions,
): LossFunction | tf.Scalar {
  return crossentropy((o: SmoothedCrossentropyOptions) => new BinaryCrossentropy(o), first, yPred, options);
}

/**
 * Keras's `categorical_crossentropy`, reduced, for one-hot `yTrue`; with
 * options alone, the loss as a function.
 *
 * @example losses.categoricalCrossentropy(y, x, { labelSmoothing: 0.1 })
 */
export function categoricalCrossentropy(options?: SmoothedCrossentropyOptions): LossFunction;
/** The reduced value of `categoricalCrossentropy` on `yTrue` and `yPred`. */
export function categoricalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options?: SmoothedCrossentropyOptions,
): tf.Scalar;
export function categoricalCrossentropy(
  first?: tf.Tensor | SmoothedCrossentropyOptions,
  yPred?: tf.Tensor,
  options?: SmoothedCrossentropyOptions,
): LossFunction | tf.Scalar {
  return crossentropy((o: SmoothedCrossentropyOptions) => new CategoricalCrossentropy(o), first, yPred, options);
}

/**
 * Keras's `sparse_categorical_crossentropy`, reduced, for integer labels of
 * shape `[batch]` or `[batch, 1]`; with options alone, the loss as a function.
 *
 * @example losses.sparseCategoricalCrossentropy(y, x, { fromLogits: true })
 */
export function sparseCategoricalCrossentropy(options?: SparseCategoricalCrossentropyOptions): LossFunction;
/** The reduced value of `sparseCategoricalCrossentropy` on `yTrue` and `yPred`. */
export function sparseCategoricalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options?: SparseCategoricalCrossentropyOptions,
): tf.Scalar;
export function sparseCategoricalCrossentropy(
  first?: tf.Tensor | SparseCategoricalCrossentropyOptions,
  yPred?: tf.Tensor,
  options?: SparseCategoricalCrossentropyOptions,
): LossFunction | tf.Scalar {
  return crossentropy(
    (o: SparseCategoricalCrossentropyOptions) => new SparseCategoricalCrossentropy(o),
    first,
    yPred,
    options,
  );
}

/** Keras's `binary_focal_crossentropy`, reduced. @example losses.binaryFocalCrossentropy(y, x, { gamma: 2 }) */
export function binaryFocalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: BinaryFocalCrossentropyOptions = {},
): tf.Scalar {
  return reduced(new BinaryFocalCrossentropy(options), yTrue, yPred);
}

/** Keras's `categorical_focal_crossentropy`, reduced. @example losses.categoricalFocalCrossentropy(y, x) */
export function categoricalFocalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: FocalCrossentropyOptions = {},
): tf.Scalar {
  return reduced(new CategoricalFocalCrossentropy(options), yTrue, yPred);
}

/** Keras's `categorical_generalized_cross_entropy(y_true, y_pred, q)`, reduced. @example losses.categoricalGeneralizedCrossEntropy(y, x, { q: 0.5 }) */
export function categoricalGeneralizedCrossEntropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: { q?: number } = {},
): tf.Scalar {
  return reduced(new CategoricalGeneralizedCrossEntropy(options), yTrue, yPred);
}

/** Keras's `dice(y_true, y_pred, axis=None)`, reduced. @example losses.dice(y, x, { axis: [1, 2] }) */
export function dice(yTrue: tf.Tensor, yPred: tf.Tensor, options: Pick<DiceOptions, 'axis'> = {}): tf.Scalar {
  return reduced(new Dice(options), yTrue, yPred);
}

/** Keras's `tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None)`, reduced. @example losses.tversky(y, x, { alpha: 0.7, beta: 0.3 }) */
export function tversky(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: Pick<TverskyOptions, 'alpha' | 'beta' | 'axis'> = {},
): tf.Scalar {
  return reduced(new Tversky(options), yTrue, yPred);
}

/** Keras's `circle(y_true, y_pred, remove_diagonal, gamma, margin)`, reduced (over the samples with a loss). @example losses.circle(y, x) */
export function circle(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: Pick<CircleOptions, 'gamma' | 'margin' | 'removeDiagonal'> = {},
): tf.Scalar {
  return reduced(new Circle(options), yTrue, yPred);
}

/** Keras's `ctc(y_true, y_pred)`, reduced: labels `[batch, maxLabels]` (0 the blank), logits `[batch, steps, classes]`. @example losses.ctc(y, x) */
export function ctc(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reduced(new CTC(), yTrue, yPred);
}
