/**
 * Keras's error metrics that average a per-sample loss, beyond MSE and MAE
 * (keras/src/metrics/regression_metrics.py): `RootMeanSquaredError`,
 * `MeanAbsolutePercentageError`, `MeanSquaredLogarithmicError`,
 * `LogCoshError`, `CosineSimilarity`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { sameRank } from '../losses/masked-reduction.js';
import { readOptions } from '../utils/options.js';
import { METRIC_OPTIONS, Mean, MeanMetricWrapper, type MetricOptions } from './base.js';
import {
  cosineSimilarity,
  logCosh,
  meanAbsolutePercentageError,
  meanSquaredLogarithmicError,
} from './loss-functions.js';

/**
 * The square root of the (weighted) mean squared error over every entry
 * seen: Keras's `keras.metrics.RootMeanSquaredError` (a `Mean` of the
 * squared errors, its square root at `result`).
 *
 * @example model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.RootMeanSquaredError()] })
 */
export class RootMeanSquaredError extends Mean {
  static override readonly className: string = 'RootMeanSquaredError';
  constructor(options: MetricOptions = {}) {
    super(readOptions<MetricOptions>('RootMeanSquaredError', options, METRIC_OPTIONS), 'root_mean_squared_error');
  }
  /** Keras: ranks aligned, `(yPred - yTrue)^2` added as `Mean` adds values. */
  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor | null = null, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    if (!(yPred instanceof tf.Tensor)) throw invalidArgument('yPred', 'a tensor of predictions', yPred);
    tf.tidy(() => {
      const [y, p] = sameRank(tf.cast(yTrue, 'float32'), tf.cast(yPred, 'float32'));
      this.addValues(tf.square(tf.sub(p, y)), sampleWeight);
    });
  }
  override result(): tf.Tensor {
    const mean = super.result();
    const root = tf.sqrt(mean);
    mean.dispose();
    return root;
  }
}

/**
 * `100 * mean(|(yTrue - yPred) / yTrue|)` averaged over the samples:
 * Keras's `keras.metrics.MeanAbsolutePercentageError` (`|yTrue|` floored at 1e-7).
 *
 * @example model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.MeanAbsolutePercentageError()] })
 */
export class MeanAbsolutePercentageError extends MeanMetricWrapper {
  static override readonly className: string = 'MeanAbsolutePercentageError';
  constructor(options: MetricOptions = {}) {
    super(
      meanAbsolutePercentageError,
      readOptions<MetricOptions>('MeanAbsolutePercentageError', options, METRIC_OPTIONS),
      'mean_absolute_percentage_error',
    );
  }
}

/**
 * The mean squared difference of `log(1 + x)` averaged over the samples:
 * Keras's `keras.metrics.MeanSquaredLogarithmicError` (values floored at 1e-7).
 *
 * @example model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.MeanSquaredLogarithmicError()] })
 */
export class MeanSquaredLogarithmicError extends MeanMetricWrapper {
  static override readonly className: string = 'MeanSquaredLogarithmicError';
  constructor(options: MetricOptions = {}) {
    super(
      meanSquaredLogarithmicError,
      readOptions<MetricOptions>('MeanSquaredLogarithmicError', options, METRIC_OPTIONS),
      'mean_squared_logarithmic_error',
    );
  }
}

/**
 * The mean `log(cosh(yPred - yTrue))` over the samples: Keras's
 * `keras.metrics.LogCoshError` (named `"logcosh"`, as in Keras).
 *
 * @example model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.LogCoshError()] })
 */
export class LogCoshError extends MeanMetricWrapper {
  static override readonly className: string = 'LogCoshError';
  constructor(options: MetricOptions = {}) {
    super(logCosh, readOptions<MetricOptions>('LogCoshError', options, METRIC_OPTIONS), 'logcosh');
  }
}

/** The options of `CosineSimilarity`, Keras's `CosineSimilarity(name, dtype, axis=-1)`. */
export interface CosineSimilarityOptions extends MetricOptions {
  /** The axis along which the cosine is taken; default -1. Keras does not write it in the config. */
  axis?: number;
}

/**
 * The cosine of the angle between labels and predictions, averaged over
 * the samples: Keras's `keras.metrics.CosineSimilarity`. As in Keras 3.15,
 * `getConfig` leaves `axis` out (a round trip gives axis -1).
 *
 * @example model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.CosineSimilarity()] })
 */
export class CosineSimilarity extends MeanMetricWrapper {
  static override readonly className: string = 'CosineSimilarity';
  readonly axis: number;
  constructor(options: CosineSimilarityOptions = {}) {
    const read = readOptions<CosineSimilarityOptions>('CosineSimilarity', options, [...METRIC_OPTIONS, 'axis']);
    const axis = read.axis ?? -1;
    if (typeof axis !== 'number' || !Number.isInteger(axis)) throw invalidArgument('axis', 'an integer', axis);
    super(cosineSimilarity(axis), { name: read.name, dtype: read.dtype }, 'cosine_similarity');
    this.axis = axis;
  }
}
