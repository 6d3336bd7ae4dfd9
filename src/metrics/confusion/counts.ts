/**
 * Keras's `TruePositives`, `TrueNegatives`, `FalsePositives` and
 * `FalseNegatives` (keras/src/metrics/confusion_metrics.py): one count per
 * threshold, in a variable named `accumulator`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readOptions } from '../../utils/options.js';
import { METRIC_OPTIONS, Metric, type MetricOptions } from '../base.js';
import { type ConfusionVariables, evenlyDistributed, parseThresholds, updateConfusionVariables } from './update.js';

/** The options of the count metrics: Keras's `(thresholds=None, name=None, dtype=None)`. */
export interface ConfusionCountOptions extends MetricOptions {
  /** A number or a list in [0, 1]: a prediction above it is positive; default 0.5. One count per threshold. */
  thresholds?: number | number[] | null;
}

type Condition = keyof ConfusionVariables;

/** Keras's `_ConfusionMatrixConditionCount`: the weighted count of one cell of the confusion matrix per threshold. */
abstract class ConfusionCount extends Metric {
  readonly thresholds: number[];
  readonly initThresholds: number | number[] | null;
  readonly accumulator: tf.Variable;
  readonly #evenly: boolean;

  constructor(
    private readonly condition: Condition,
    className: string,
    options: ConfusionCountOptions,
    defaultName: string,
  ) {
    const read = readOptions<ConfusionCountOptions>(className, options, [...METRIC_OPTIONS, 'thresholds']);
    super(read, defaultName);
    this.initThresholds = read.thresholds ?? null;
    this.thresholds = parseThresholds(read.thresholds, 0.5);
    this.#evenly = evenlyDistributed(this.thresholds);
    this.accumulator = this.addVariable({ name: 'accumulator', shape: [this.thresholds.length] });
  }

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    updateConfusionVariables({ [this.condition]: this.accumulator }, yTrue, yPred, {
      thresholds: this.thresholds,
      thresholdsDistributedEvenly: this.#evenly,
      sampleWeight,
      metric: this.constructor.name,
    });
  }

  /** The count (a scalar for one threshold, else one per threshold). */
  override result(): tf.Tensor {
    this.checkNotDisposed('result');
    return this.thresholds.length === 1
      ? tf.tidy(() => tf.reshape(tf.slice(this.accumulator, 0, 1), []))
      : this.accumulator.clone();
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.initThresholds };
  }
}

/**
 * The weighted number of positive labels predicted positive: Keras's `keras.metrics.TruePositives`.
 *
 * @example const m = new metrics.TruePositives(); m.updateState(tf.tensor1d([0, 1, 1, 1]), tf.tensor1d([1, 0, 1, 1])); m.result() // 2
 */
export class TruePositives extends ConfusionCount {
  static override readonly className: string = 'TruePositives';
  constructor(options: ConfusionCountOptions = {}) {
    super('tp', 'TruePositives', options, 'true_positives');
  }
}

/**
 * The weighted number of negative labels predicted negative: Keras's `keras.metrics.TrueNegatives`.
 *
 * @example const m = new metrics.TrueNegatives({ thresholds: [0.3, 0.7] });
 */
export class TrueNegatives extends ConfusionCount {
  static override readonly className: string = 'TrueNegatives';
  constructor(options: ConfusionCountOptions = {}) {
    super('tn', 'TrueNegatives', options, 'true_negatives');
  }
}

/**
 * The weighted number of negative labels predicted positive: Keras's `keras.metrics.FalsePositives`.
 *
 * @example const m = new metrics.FalsePositives();
 */
export class FalsePositives extends ConfusionCount {
  static override readonly className: string = 'FalsePositives';
  constructor(options: ConfusionCountOptions = {}) {
    super('fp', 'FalsePositives', options, 'false_positives');
  }
}

/**
 * The weighted number of positive labels predicted negative: Keras's `keras.metrics.FalseNegatives`.
 *
 * @example const m = new metrics.FalseNegatives();
 */
export class FalseNegatives extends ConfusionCount {
  static override readonly className: string = 'FalseNegatives';
  constructor(options: ConfusionCountOptions = {}) {
    super('fn', 'FalseNegatives', options, 'false_negatives');
  }
}
