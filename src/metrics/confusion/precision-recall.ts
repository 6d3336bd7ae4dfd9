/**
 * Keras's `Precision` and `Recall` (keras/src/metrics/confusion_metrics.py):
 * counts per threshold, optionally of the top `k` predictions or of one
 * class, and their ratio.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../errors.js';
import { readOptions } from '../../utils/options.js';
import { METRIC_OPTIONS, Metric, type MetricOptions } from '../base.js';
import { divideNoNan, evenlyDistributed, NEG_INF, parseThresholds, updateConfusionVariables } from './update.js';

/** The options of `Precision` and `Recall`: Keras's `(thresholds=None, top_k=None, class_id=None, name=None, dtype=None)`. */
export interface PrecisionRecallOptions extends MetricOptions {
  /** A number or a list in [0, 1] (default 0.5; without it and with `topK`, every top-k prediction is positive). */
  thresholds?: number | number[] | null;
  /** Only the `topK` largest predictions of each sample can be positive. */
  topK?: number | null;
  /** Only this class (an index of the last axis) is counted. */
  classId?: number | null;
}

function positiveInteger(value: unknown, argument: string, min: number): number | null {
  if (value == null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalidArgument(argument, `an integer >= ${min}`, value);
  }
  return value;
}

/** Shared by Precision and Recall: tp and the other count, per threshold. */
abstract class ThresholdRatio extends Metric {
  readonly thresholds: number[];
  readonly initThresholds: number | number[] | null;
  readonly topK: number | null;
  readonly classId: number | null;
  readonly truePositives: tf.Variable;
  readonly other: tf.Variable;
  readonly #evenly: boolean;

  constructor(className: string, options: PrecisionRecallOptions, defaultName: string, otherName: string) {
    const read = readOptions<PrecisionRecallOptions>(className, options, [
      ...METRIC_OPTIONS,
      'thresholds',
      'topK',
      'classId',
    ]);
    super(read, defaultName);
    this.initThresholds = read.thresholds ?? null;
    this.topK = positiveInteger(read.topK, 'topK', 1);
    this.classId = positiveInteger(read.classId, 'classId', 0);
    this.thresholds = parseThresholds(read.thresholds, this.topK == null ? 0.5 : NEG_INF);
    this.#evenly = evenlyDistributed(this.thresholds);
    this.truePositives = this.addVariable({ name: 'true_positives', shape: [this.thresholds.length] });
    this.other = this.addVariable({ name: otherName, shape: [this.thresholds.length] });
  }

  protected abstract readonly otherKey: 'fp' | 'fn';

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    updateConfusionVariables({ tp: this.truePositives, [this.otherKey]: this.other }, yTrue, yPred, {
      thresholds: this.thresholds,
      thresholdsDistributedEvenly: this.#evenly,
      topK: this.topK,
      classId: this.classId,
      sampleWeight,
      metric: this.constructor.name,
    });
  }

  /** `tp / (tp + other)` (0 where nothing was counted); a scalar for one threshold. */
  override result(): tf.Tensor {
    this.checkNotDisposed('result');
    return tf.tidy(() => {
      const ratio = divideNoNan(this.truePositives, tf.add(this.truePositives, this.other));
      return this.thresholds.length === 1 ? tf.reshape(tf.slice(ratio, 0, 1), []) : ratio;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.initThresholds, topK: this.topK, classId: this.classId };
  }
}

/**
 * The fraction of positive predictions that are right, `tp / (tp + fp)`:
 * Keras's `keras.metrics.Precision`.
 *
 * @example model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: [new metrics.Precision({ thresholds: 0.7 })] })
 */
export class Precision extends ThresholdRatio {
  static override readonly className: string = 'Precision';
  protected readonly otherKey = 'fp' as const;
  constructor(options: PrecisionRecallOptions = {}) {
    super('Precision', options, 'precision', 'false_positives');
  }
  /** The false positives per threshold (Keras's `false_positives`). */
  get falsePositives(): tf.Variable {
    return this.other;
  }
}

/**
 * The fraction of positive labels predicted positive, `tp / (tp + fn)`:
 * Keras's `keras.metrics.Recall`.
 *
 * @example model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new metrics.Recall({ classId: 2 })] })
 */
export class Recall extends ThresholdRatio {
  static override readonly className: string = 'Recall';
  protected readonly otherKey = 'fn' as const;
  constructor(options: PrecisionRecallOptions = {}) {
    super('Recall', options, 'recall', 'false_negatives');
  }
  /** The false negatives per threshold (Keras's `false_negatives`). */
  get falseNegatives(): tf.Variable {
    return this.other;
  }
}
