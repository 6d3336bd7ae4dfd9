/**
 * Keras's mean-error metrics (keras/src/metrics/regression_metrics.py) that
 * average a loss of each sample: `MeanSquaredError`, `MeanAbsoluteError`,
 * and any loss as a metric (`compile({ metrics: ['mse'] })`).
 */
import * as losses from '../losses/index.js';
import { readOptions } from '../utils/options.js';
import { METRIC_OPTIONS, MeanMetricWrapper, type MetricOptions } from './base.js';

/** A loss's value for each sample, as a metric function. */
export function lossSamplewise(loss: losses.Loss) {
  return (yTrue: import('@tensorflow/tfjs-core').Tensor, yPred: import('@tensorflow/tfjs-core').Tensor) =>
    loss.call(yTrue, yPred);
}

/**
 * The mean squared error as a metric: Keras's `keras.metrics.MeanSquaredError`.
 *
 * @example model.compile({ optimizer: 'sgd', loss: 'mae', metrics: [new metrics.MeanSquaredError()] })
 */
export class MeanSquaredError extends MeanMetricWrapper {
  static override readonly className: string = 'MeanSquaredError';
  constructor(options: MetricOptions = {}) {
    super(
      lossSamplewise(new losses.MeanSquaredError()),
      readOptions<MetricOptions>('MeanSquaredError', options, METRIC_OPTIONS),
      'mean_squared_error',
    );
  }
}

/**
 * The mean absolute error as a metric: Keras's `keras.metrics.MeanAbsoluteError`.
 *
 * @example model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [new metrics.MeanAbsoluteError()] })
 */
export class MeanAbsoluteError extends MeanMetricWrapper {
  static override readonly className: string = 'MeanAbsoluteError';
  constructor(options: MetricOptions = {}) {
    super(
      lossSamplewise(new losses.MeanAbsoluteError()),
      readOptions<MetricOptions>('MeanAbsoluteError', options, METRIC_OPTIONS),
      'mean_absolute_error',
    );
  }
}
