/**
 * Keras's regression losses (keras/src/losses/losses.py): each a mean (or,
 * for CosineSimilarity, a sum) over the last axis of an elementwise error,
 * with the targets in the predictions' shape (a trailing axis of 1 added or
 * dropped, as Keras's `squeeze_or_expand_to_same_rank`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { canonicalAxis, checkAxis, checkNumber } from './checks.js';
import { aligned, EPSILON, Loss, type LossOptions, readLossOptions } from './loss.js';

/**
 * `mean((yPred - yTrue)^2)` over the last axis: Keras's `keras.losses.MeanSquaredError`
 * (`"mse"`, `"mean_squared_error"`).
 *
 * @example model.compile({ optimizer: 'adam', loss: new losses.MeanSquaredError() })
 */
export class MeanSquaredError extends Loss {
  static override readonly className: string = 'MeanSquaredError';

  constructor(options: LossOptions = {}) {
    super(readLossOptions('MeanSquaredError', options), 'mean_squared_error');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mean(tf.square(tf.sub(aligned(yTrue, yPred), yPred)), -1));
  }
}

/**
 * `mean(|yPred - yTrue|)` over the last axis: Keras's `keras.losses.MeanAbsoluteError`
 * (`"mae"`, `"mean_absolute_error"`).
 *
 * @example new losses.MeanAbsoluteError().apply(y, model.predict(x)) // a scalar
 */
export class MeanAbsoluteError extends Loss {
  static override readonly className: string = 'MeanAbsoluteError';

  constructor(options: LossOptions = {}) {
    super(readLossOptions('MeanAbsoluteError', options), 'mean_absolute_error');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mean(tf.abs(tf.sub(aligned(yTrue, yPred), yPred)), -1));
  }
}

/**
 * `100 * mean(|(yTrue - yPred) / max(|yTrue|, 1e-7)|)` over the last axis:
 * Keras's `keras.losses.MeanAbsolutePercentageError` (`"mape"`).
 *
 * @example new losses.MeanAbsolutePercentageError().compute(tf.tensor2d([[2, 4]]), tf.tensor2d([[1, 5]])) // 37.5
 */
export class MeanAbsolutePercentageError extends Loss {
  static override readonly className: string = 'MeanAbsolutePercentageError';

  constructor(options: LossOptions = {}) {
    super(readLossOptions('MeanAbsolutePercentageError', options), 'mean_absolute_percentage_error');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const y = aligned(yTrue, yPred);
      const diff = tf.abs(tf.div(tf.sub(y, yPred), tf.maximum(tf.abs(y), EPSILON)));
      return tf.mul(100, tf.mean(diff, -1));
    });
  }
}

/**
 * `mean((log(max(yPred, 1e-7) + 1) - log(max(yTrue, 1e-7) + 1))^2)` over the
 * last axis: Keras's `keras.losses.MeanSquaredLogarithmicError` (`"msle"`).
 *
 * @example new losses.MeanSquaredLogarithmicError()
 */
export class MeanSquaredLogarithmicError extends Loss {
  static override readonly className: string = 'MeanSquaredLogarithmicError';

  constructor(options: LossOptions = {}) {
    super(readLossOptions('MeanSquaredLogarithmicError', options), 'mean_squared_logarithmic_error');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const first = tf.log(tf.add(tf.maximum(yPred, EPSILON), 1));
      const second = tf.log(tf.add(tf.maximum(aligned(yTrue, yPred), EPSILON), 1));
      return tf.mean(tf.square(tf.sub(first, second)), -1);
    });
  }
}

/** The options of `CosineSimilarity`, Keras's `(axis=-1, ...)`. */
export interface CosineSimilarityOptions extends LossOptions {
  /** The axis the similarity is computed along; default -1. */
  axis?: number;
}

/** `x * rsqrt(max(sum(x^2), 1e-14))` along `axis`: Keras's L2 `normalize` (an all-zero slice stays zero). */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), EPSILON * EPSILON)));
}

/**
 * `-sum(l2normalize(yTrue) * l2normalize(yPred))` along `axis`: between -1
 * (same direction) and 1. Keras's `keras.losses.CosineSimilarity`.
 *
 * @example new losses.CosineSimilarity({ axis: -1 })
 */
export class CosineSimilarity extends Loss {
  static override readonly className: string = 'CosineSimilarity';
  readonly axis: number;

  constructor(options: CosineSimilarityOptions = {}) {
    const read = readLossOptions<CosineSimilarityOptions>('CosineSimilarity', options, ['axis']);
    super(read, 'cosine_similarity');
    this.axis = checkAxis(read.axis ?? -1) as number;
  }

  override valuesShape(predShape: readonly number[]): readonly number[] {
    const axis = canonicalAxis(this.axis, predShape.length, this.name);
    return predShape.filter((_, i) => i !== axis);
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const axis = canonicalAxis(this.axis, yPred.rank, this.name);
    return tf.tidy(() =>
      tf.neg(tf.sum(tf.mul(l2Normalize(aligned(yTrue, yPred), axis), l2Normalize(yPred, axis)), axis)),
    );
  }

  /** Keras writes only name and reduction; `axis` is added so that a non-default axis survives a round trip. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** The options of `Huber`, Keras's `(delta=1.0, ...)`. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear; > 0, default 1. */
  delta?: number;
}

/**
 * `0.5 e^2` where `|e| <= delta`, else `delta |e| - 0.5 delta^2`, the mean
 * over the last axis (`e = yPred - yTrue`). Keras's `keras.losses.Huber`
 * (`"huber"`, class default name `"huber_loss"`).
 *
 * @example new losses.Huber({ delta: 0.5 })
 */
export class Huber extends Loss {
  static override readonly className: string = 'Huber';
  readonly delta: number;

  constructor(options: HuberOptions = {}) {
    const read = readLossOptions<HuberOptions>('Huber', options, ['delta']);
    super(read, 'huber_loss');
    const delta = checkNumber(read.delta ?? 1, 'delta');
    // Keras takes any delta; <= 0 makes every error "linear" with a negative slope or none.
    if (!(delta > 0)) throw invalidArgument('delta', 'a number > 0', delta);
    this.delta = delta;
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const error = tf.sub(yPred, aligned(yTrue, yPred));
      const absError = tf.abs(error);
      const quadratic = tf.mul(0.5, tf.square(error));
      const linear = tf.sub(tf.mul(this.delta, absError), 0.5 * this.delta * this.delta);
      return tf.mean(tf.where(tf.lessEqual(absError, this.delta), quadratic, linear), -1);
    });
  }

  /** Keras writes only name and reduction; `delta` is added so that it survives a round trip (Keras reads it too). */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}

/**
 * `mean(x + softplus(-2x) - log 2)` over the last axis, `x = yPred - yTrue`
 * (`log(cosh(x))`, stable for large `x`). Keras's `keras.losses.LogCosh` (`"log_cosh"`).
 *
 * @example new losses.LogCosh()
 */
export class LogCosh extends Loss {
  static override readonly className: string = 'LogCosh';

  constructor(options: LossOptions = {}) {
    super(readLossOptions('LogCosh', options), 'log_cosh');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const x = tf.sub(yPred, aligned(yTrue, yPred));
      return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.log(2)), -1);
    });
  }
}
