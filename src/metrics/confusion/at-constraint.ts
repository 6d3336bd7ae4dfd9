/**
 * Keras's `SensitivitySpecificityBase` family (keras/src/metrics/
 * confusion_metrics.py): the four counts at `numThresholds` evenly spaced
 * thresholds, and the best of one rate among the thresholds where the
 * other reaches the value asked for.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { readOptions } from '../../utils/options.js';
import { METRIC_OPTIONS, Metric, type MetricOptions } from '../base.js';
import { divideNoNan, updateConfusionVariables } from './update.js';

/** The options these metrics share: Keras's `(num_thresholds=200, class_id=None, name=None, dtype=None)`. */
export interface AtConstraintOptions extends MetricOptions {
  /** How many thresholds (evenly spaced in [0, 1]); 1 means 0.5 alone. Default 200. */
  numThresholds?: number;
  /** Only this class (an index of the last axis) is counted. */
  classId?: number | null;
}

type Rates = { tp: tf.Tensor; fp: tf.Tensor; tn: tf.Tensor; fn: tf.Tensor };

/** Shared state and update of the at-constraint metrics. */
abstract class AtConstraint extends Metric {
  readonly numThresholds: number;
  readonly classId: number | null;
  readonly thresholds: number[];
  readonly truePositives: tf.Variable;
  readonly falsePositives: tf.Variable;
  readonly trueNegatives: tf.Variable;
  readonly falseNegatives: tf.Variable;
  readonly #evenly: boolean;

  constructor(
    className: string,
    options: AtConstraintOptions,
    valueOption: string,
    defaultName: string,
    protected readonly value: number,
  ) {
    const read = readOptions<AtConstraintOptions & Record<string, unknown>>(className, options, [
      ...METRIC_OPTIONS,
      valueOption,
      'numThresholds',
      'classId',
    ]);
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new ValueError(
        `Argument \`${valueOption}\` must be in the range [0, 1]. Received: ${valueOption}=${String(value)}`,
        { argument: valueOption, expected: 'a number in [0, 1]', received: String(value) },
      );
    }
    super(read, defaultName);
    const numThresholds = read.numThresholds ?? 200;
    if (typeof numThresholds !== 'number' || !Number.isInteger(numThresholds) || numThresholds <= 0) {
      throw new ValueError(
        `Argument \`numThresholds\` must be an integer > 0. Received: numThresholds=${String(numThresholds)}`,
        { argument: 'numThresholds', expected: 'an integer > 0', received: String(numThresholds) },
      );
    }
    const classId = read.classId ?? null;
    if (classId != null && (typeof classId !== 'number' || !Number.isInteger(classId) || classId < 0)) {
      throw invalidArgument('classId', 'an integer >= 0', classId);
    }
    this.numThresholds = numThresholds;
    this.classId = classId;
    if (numThresholds === 1) {
      this.thresholds = [0.5];
      this.#evenly = false;
    } else {
      const inner = Array.from({ length: numThresholds - 2 }, (_, i) => ((i + 1) * 1.0) / (numThresholds - 1));
      this.thresholds = [0, ...inner, 1];
      this.#evenly = true;
    }
    const shape = [this.thresholds.length];
    this.truePositives = this.addVariable({ name: 'true_positives', shape });
    this.falsePositives = this.addVariable({ name: 'false_positives', shape });
    this.trueNegatives = this.addVariable({ name: 'true_negatives', shape });
    this.falseNegatives = this.addVariable({ name: 'false_negatives', shape });
  }

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    updateConfusionVariables(
      { tp: this.truePositives, fp: this.falsePositives, tn: this.trueNegatives, fn: this.falseNegatives },
      yTrue,
      yPred,
      {
        thresholds: this.thresholds,
        thresholdsDistributedEvenly: this.#evenly,
        classId: this.classId,
        sampleWeight,
        metric: this.constructor.name,
      },
    );
  }

  /** The two rates the subclass compares, from the counts. */
  protected abstract rates(counts: Rates): { constrained: tf.Tensor; dependent: tf.Tensor };

  /** Keras's `_find_max_under_constraint`: the largest dependent rate where the constrained one is >= value (else 0). */
  override result(): tf.Tensor {
    this.checkNotDisposed('result');
    return tf.tidy(() => {
      const { constrained, dependent } = this.rates({
        tp: this.truePositives,
        fp: this.falsePositives,
        tn: this.trueNegatives,
        fn: this.falseNegatives,
      });
      const feasible = tf.greaterEqual(constrained, this.value);
      return tf.max(tf.concat([tf.where(feasible, dependent, tf.zerosLike(dependent)), tf.zeros([1])]));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), classId: this.classId };
  }
}

const recallOf = ({ tp, fn }: Rates) => divideNoNan(tp, tf.add(tp, fn));
const precisionOf = ({ tp, fp }: Rates) => divideNoNan(tp, tf.add(tp, fp));
const specificityOf = ({ tn, fp }: Rates) => divideNoNan(tn, tf.add(tn, fp));

/** The options of `SensitivityAtSpecificity`. */
export interface SensitivityAtSpecificityOptions extends AtConstraintOptions {
  /** The specificity to reach, in [0, 1]. */
  specificity: number;
}

/**
 * The best sensitivity (recall) among thresholds whose specificity is at
 * least `specificity`: Keras's `keras.metrics.SensitivityAtSpecificity`.
 *
 * @example new metrics.SensitivityAtSpecificity({ specificity: 0.5 })
 */
export class SensitivityAtSpecificity extends AtConstraint {
  static override readonly className: string = 'SensitivityAtSpecificity';
  readonly specificity: number;
  constructor(options: SensitivityAtSpecificityOptions) {
    super('SensitivityAtSpecificity', options, 'specificity', 'sensitivity_at_specificity', options?.specificity);
    this.specificity = options.specificity;
  }
  protected rates(c: Rates) {
    return { constrained: specificityOf(c), dependent: recallOf(c) };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numThresholds: this.numThresholds, specificity: this.specificity };
  }
}

/** The options of `SpecificityAtSensitivity`. */
export interface SpecificityAtSensitivityOptions extends AtConstraintOptions {
  /** The sensitivity to reach, in [0, 1]. */
  sensitivity: number;
}

/**
 * The best specificity among thresholds whose sensitivity is at least
 * `sensitivity`: Keras's `keras.metrics.SpecificityAtSensitivity`.
 *
 * @example new metrics.SpecificityAtSensitivity({ sensitivity: 0.7 })
 */
export class SpecificityAtSensitivity extends AtConstraint {
  static override readonly className: string = 'SpecificityAtSensitivity';
  readonly sensitivity: number;
  constructor(options: SpecificityAtSensitivityOptions) {
    super('SpecificityAtSensitivity', options, 'sensitivity', 'specificity_at_sensitivity', options?.sensitivity);
    this.sensitivity = options.sensitivity;
  }
  protected rates(c: Rates) {
    return { constrained: recallOf(c), dependent: specificityOf(c) };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numThresholds: this.numThresholds, sensitivity: this.sensitivity };
  }
}

/** The options of `PrecisionAtRecall`. */
export interface PrecisionAtRecallOptions extends AtConstraintOptions {
  /** The recall to reach, in [0, 1]. */
  recall: number;
}

/**
 * The best precision among thresholds whose recall is at least `recall`:
 * Keras's `keras.metrics.PrecisionAtRecall`.
 *
 * @example new metrics.PrecisionAtRecall({ recall: 0.8 })
 */
export class PrecisionAtRecall extends AtConstraint {
  static override readonly className: string = 'PrecisionAtRecall';
  readonly recall: number;
  constructor(options: PrecisionAtRecallOptions) {
    super('PrecisionAtRecall', options, 'recall', 'precision_at_recall', options?.recall);
    this.recall = options.recall;
  }
  protected rates(c: Rates) {
    return { constrained: recallOf(c), dependent: precisionOf(c) };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numThresholds: this.numThresholds, recall: this.recall };
  }
}

/** The options of `RecallAtPrecision`. */
export interface RecallAtPrecisionOptions extends AtConstraintOptions {
  /** The precision to reach, in [0, 1]. */
  precision: number;
}

/**
 * The best recall among thresholds whose precision is at least
 * `precision`: Keras's `keras.metrics.RecallAtPrecision`.
 *
 * @example new metrics.RecallAtPrecision({ precision: 0.9 })
 */
export class RecallAtPrecision extends AtConstraint {
  static override readonly className: string = 'RecallAtPrecision';
  readonly precision: number;
  constructor(options: RecallAtPrecisionOptions) {
    super('RecallAtPrecision', options, 'precision', 'recall_at_precision', options?.precision);
    this.precision = options.precision;
  }
  protected rates(c: Rates) {
    return { constrained: precisionOf(c), dependent: recallOf(c) };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numThresholds: this.numThresholds, precision: this.precision };
  }
}
