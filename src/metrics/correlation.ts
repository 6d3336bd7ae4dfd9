/**
 * Keras's correlation metrics (keras/src/metrics/correlation_metrics.py):
 * Pearson's and the concordance correlation of each sample along `axis`,
 * averaged over the samples.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { METRIC_OPTIONS, MeanMetricWrapper, type MetricOptions } from './base.js';
import { concordanceCorrelation as concordanceOf, pearsonCorrelation as pearsonOf } from './loss-functions.js';

/**
 * Keras's `keras.metrics.pearson_correlation(y_true, y_pred, axis=-1)`:
 * Pearson's correlation of each sample along `axis` (not averaged).
 *
 * @example metrics.pearsonCorrelation(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[2, 4, 7]])) // [0.993]
 */
export function pearsonCorrelation(yTrue: tf.Tensor, yPred: tf.Tensor, axis = -1): tf.Tensor {
  const fn = pearsonOf(axis);
  return tf.tidy(() => fn(yTrue, yPred));
}

/**
 * Keras's `keras.metrics.concordance_correlation(y_true, y_pred, axis=-1)`:
 * the concordance correlation of each sample along `axis` (not averaged),
 * term for term as Keras 3.15.
 *
 * @example metrics.concordanceCorrelation(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[2, 3, 4]])) // [0.571]
 */
export function concordanceCorrelation(yTrue: tf.Tensor, yPred: tf.Tensor, axis = -1): tf.Tensor {
  const fn = concordanceOf(axis);
  return tf.tidy(() => fn(yTrue, yPred));
}

/** The options of the correlation metrics, Keras's `(name, dtype, axis=-1)`. */
export interface CorrelationOptions extends MetricOptions {
  /** The axis along which each correlation is taken; default -1. */
  axis?: number;
}

function readAxis(className: string, options: CorrelationOptions): { name?: string; dtype?: 'float32'; axis: number } {
  const read = readOptions<CorrelationOptions>(className, options, [...METRIC_OPTIONS, 'axis']);
  const axis = read.axis ?? -1;
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw invalidArgument('axis', 'an integer', axis);
  return { name: read.name, dtype: read.dtype, axis };
}

/**
 * Pearson's correlation of labels and predictions along `axis`, averaged
 * over the samples: Keras's `keras.metrics.PearsonCorrelation` (a constant
 * row gives NaN, 0/0, as in Keras).
 *
 * @example model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.PearsonCorrelation()] })
 */
export class PearsonCorrelation extends MeanMetricWrapper {
  static override readonly className: string = 'PearsonCorrelation';
  readonly axis: number;
  constructor(options: CorrelationOptions = {}) {
    const { axis, ...base } = readAxis('PearsonCorrelation', options);
    super(pearsonOf(axis), base, 'pearson_correlation');
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/**
 * Lin's concordance correlation along `axis`, averaged over the samples:
 * Keras's `keras.metrics.ConcordanceCorrelation`, term for term (including
 * Keras 3.15's covariance, which centres the labels on the predictions' mean).
 *
 * @example model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.ConcordanceCorrelation()] })
 */
export class ConcordanceCorrelation extends MeanMetricWrapper {
  static override readonly className: string = 'ConcordanceCorrelation';
  readonly axis: number;
  constructor(options: CorrelationOptions = {}) {
    const { axis, ...base } = readAxis('ConcordanceCorrelation', options);
    super(concordanceOf(axis), base, 'concordance_correlation');
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
