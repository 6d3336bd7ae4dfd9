/**
 * Keras's accuracy metrics (keras/src/metrics/accuracy_metrics.py): mean
 * metrics over the per-sample matches, weighted by sample weights and masks.
 */
import { invalidArgument } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { METRIC_OPTIONS, MeanMetricWrapper, type MetricOptions } from './base.js';
import { samplewise } from './functions.js';

/**
 * The fraction of exact matches between `yTrue` and `yPred`: Keras's
 * `keras.metrics.Accuracy` (not `"accuracy"`, which `compile` resolves to
 * the variant the shapes call for).
 *
 * @example const m = new metrics.Accuracy(); m.updateState(tf.tensor1d([1, 2, 3]), tf.tensor1d([1, 2, 0])); m.result() // 0.667
 */
export class Accuracy extends MeanMetricWrapper {
  static override readonly className: string = 'Accuracy';
  constructor(options: MetricOptions = {}) {
    super(samplewise.accuracy, readOptions<MetricOptions>('Accuracy', options, METRIC_OPTIONS), 'accuracy');
  }
}

/** The options of `BinaryAccuracy`, Keras's `BinaryAccuracy(name="binary_accuracy", dtype=None, threshold=0.5)`. */
export interface BinaryAccuracyOptions extends MetricOptions {
  /** A prediction above it counts as 1; default 0.5. */
  threshold?: number;
}

function checkedThreshold(threshold: unknown): number {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw invalidArgument('threshold', 'a finite number', threshold);
  }
  return threshold;
}

/**
 * The fraction of predictions above `threshold` that match 0/1 labels:
 * Keras's `keras.metrics.BinaryAccuracy`.
 *
 * @example new metrics.BinaryAccuracy({ threshold: 0.7 })
 */
export class BinaryAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'BinaryAccuracy';
  readonly threshold: number;
  constructor(options: BinaryAccuracyOptions = {}) {
    const read = readOptions<BinaryAccuracyOptions>('BinaryAccuracy', options, [...METRIC_OPTIONS, 'threshold']);
    const threshold = checkedThreshold(read.threshold ?? 0.5);
    super(samplewise.binaryAccuracy(threshold), read, 'binary_accuracy');
    this.threshold = threshold;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

/**
 * The fraction of samples whose predicted arg max is that of the one-hot
 * label: Keras's `keras.metrics.CategoricalAccuracy`.
 *
 * @example model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new metrics.CategoricalAccuracy()] })
 */
export class CategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'CategoricalAccuracy';
  constructor(options: MetricOptions = {}) {
    super(
      samplewise.categoricalAccuracy,
      readOptions<MetricOptions>('CategoricalAccuracy', options, METRIC_OPTIONS),
      'categorical_accuracy',
    );
  }
}

/**
 * The fraction of samples whose predicted arg max is the integer label:
 * Keras's `keras.metrics.SparseCategoricalAccuracy`.
 *
 * @example new metrics.SparseCategoricalAccuracy({ name: 'acc' })
 */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'SparseCategoricalAccuracy';
  constructor(options: MetricOptions = {}) {
    super(
      samplewise.sparseCategoricalAccuracy,
      readOptions<MetricOptions>('SparseCategoricalAccuracy', options, METRIC_OPTIONS),
      'sparse_categorical_accuracy',
    );
  }
}

/**
 * `"accuracy"`/`"acc"` in `compile`: the accuracy the shapes call for
 * (binary, sparse categorical or categorical), chosen per batch as Keras's
 * compile chooses it from the first. Not serialized: the string is.
 */
export class InferredAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'InferredAccuracy';
  constructor(options: MetricOptions = {}) {
    super(samplewise.inferredAccuracy, options, 'accuracy');
  }
}
