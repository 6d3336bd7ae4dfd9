/**
 * Keras's hinge metrics (keras/src/metrics/hinge_metrics.py): the hinge
 * losses averaged over the samples. 0/1 labels are read as -1/1 when every
 * label of the batch is 0 or 1, as Keras does.
 */
import { readOptions } from '../utils/options.js';
import { METRIC_OPTIONS, MeanMetricWrapper, type MetricOptions } from './base.js';
import { categoricalHinge, hinge, squaredHinge } from './loss-functions.js';

/**
 * `mean(max(1 - yTrue * yPred, 0))` averaged over the samples: Keras's `keras.metrics.Hinge`.
 *
 * @example model.compile({ optimizer: 'sgd', loss: 'hinge', metrics: [new metrics.Hinge()] })
 */
export class Hinge extends MeanMetricWrapper {
  static override readonly className: string = 'Hinge';
  constructor(options: MetricOptions = {}) {
    super(hinge, readOptions<MetricOptions>('Hinge', options, METRIC_OPTIONS), 'hinge');
  }
}

/**
 * `mean(max(1 - yTrue * yPred, 0)^2)` averaged over the samples: Keras's `keras.metrics.SquaredHinge`.
 *
 * @example model.compile({ optimizer: 'sgd', loss: 'squared_hinge', metrics: [new metrics.SquaredHinge()] })
 */
export class SquaredHinge extends MeanMetricWrapper {
  static override readonly className: string = 'SquaredHinge';
  constructor(options: MetricOptions = {}) {
    super(squaredHinge, readOptions<MetricOptions>('SquaredHinge', options, METRIC_OPTIONS), 'squared_hinge');
  }
}

/**
 * `max(max((1 - yTrue) * yPred) - sum(yTrue * yPred) + 1, 0)` averaged over
 * the samples: Keras's `keras.metrics.CategoricalHinge`.
 *
 * @example model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: [new metrics.CategoricalHinge()] })
 */
export class CategoricalHinge extends MeanMetricWrapper {
  static override readonly className: string = 'CategoricalHinge';
  constructor(options: MetricOptions = {}) {
    super(
      categoricalHinge,
      readOptions<MetricOptions>('CategoricalHinge', options, METRIC_OPTIONS),
      'categorical_hinge',
    );
  }
}
