/**
 * Keras's `AUC` (keras/src/metrics/confusion_metrics.py): the four counts
 * at each threshold, then the area under the ROC, PR or PR-gain curve by a
 * Riemann sum (interpolation, minoring, majoring), with Keras's exact
 * interpolation for PR (Davis & Goadrich).
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { readOptions } from '../../utils/options.js';
import { METRIC_OPTIONS, Metric, type MetricOptions } from '../base.js';
import { checkThresholds, divideNoNan, EPSILON, evenlyDistributed, updateConfusionVariables } from './update.js';

/** The curve AUC measures. */
export type AucCurve = 'ROC' | 'PR' | 'PRGAIN';
/** How AUC sums the area between thresholds. */
export type AucSummationMethod = 'interpolation' | 'minoring' | 'majoring';

/** The options of `AUC`, Keras's `AUC(num_thresholds=200, curve="ROC", summation_method="interpolation", ...)`. */
export interface AucOptions extends MetricOptions {
  /** Evenly spaced thresholds (more than 1); default 200. Ignored when `thresholds` is given. */
  numThresholds?: number;
  /** `"ROC"` (default), `"PR"` or `"PRGAIN"` (Keras also takes lower case). */
  curve?: AucCurve | 'roc' | 'pr' | 'prgain';
  /** `"interpolation"` (default), `"minoring"` or `"majoring"`. */
  summationMethod?: AucSummationMethod | 'Interpolation' | 'Minoring' | 'Majoring';
  /** Thresholds in [0, 1], used instead of `numThresholds` (0 - epsilon and 1 + epsilon are added). */
  thresholds?: number[] | null;
  /** One curve per label (the last axis), averaged (weighted by `labelWeights`); else every entry is one sample. */
  multiLabel?: boolean;
  /** With `multiLabel`, the number of labels, so the state is made at once. */
  numLabels?: number | null;
  /** A weight per label: the labels' share of the counts (or, with multiLabel, of the average). */
  labelWeights?: number[] | null | { class_name: '__tensor__'; config: { value: number[] } };
  /** Predictions are logits: a sigmoid first. */
  fromLogits?: boolean;
}

const AUC_OPTIONS = [
  ...METRIC_OPTIONS,
  'numThresholds',
  'curve',
  'summationMethod',
  'thresholds',
  'multiLabel',
  'numLabels',
  'labelWeights',
  'fromLogits',
];

function parseCurve(curve: unknown): AucCurve {
  if (curve === 'pr' || curve === 'PR') return 'PR';
  if (curve === 'roc' || curve === 'ROC') return 'ROC';
  if (curve === 'prgain' || curve === 'PRGAIN') return 'PRGAIN';
  throw new ValueError(`Invalid AUC curve value: "${String(curve)}". Expected values are ["PR", "ROC", "PRGAIN"]`, {
    argument: 'curve',
    expected: '"ROC", "PR" or "PRGAIN"',
    received: String(curve),
  });
}

function parseSummation(method: unknown): AucSummationMethod {
  if (method === 'interpolation' || method === 'Interpolation') return 'interpolation';
  if (method === 'majoring' || method === 'Majoring') return 'majoring';
  if (method === 'minoring' || method === 'Minoring') return 'minoring';
  throw new ValueError(
    `Invalid AUC summation method value: "${String(method)}". Expected values are ["interpolation", "majoring", "minoring"]`,
    { argument: 'summationMethod', expected: '"interpolation", "majoring" or "minoring"', received: String(method) },
  );
}

/** A list from Keras's `__tensor__` JSON (`{class_name: "__tensor__", config: {value}}`), or the value as given. */
function tensorJsonValue(value: unknown): unknown {
  if (value == null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const className = record.class_name ?? record.className;
  const config = record.config as Record<string, unknown> | undefined;
  return className === '__tensor__' && config != null ? config.value : value;
}

/** AUC's counts, once built. */
interface AucState {
  tp: tf.Variable;
  fp: tf.Variable;
  tn: tf.Variable;
  fn: tf.Variable;
  labels: number | null;
}

/**
 * The area under the ROC or precision-recall curve, approximated over
 * thresholds: Keras's `keras.metrics.AUC`. Variables `true_positives`,
 * `false_positives`, `true_negatives`, `false_negatives` of shape
 * `[numThresholds]` (or `[numThresholds, numLabels]` with `multiLabel`,
 * made at the first update when `numLabels` is not given).
 *
 * @example model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: [new metrics.AUC({ curve: 'PR' })] })
 */
export class AUC extends Metric {
  static override readonly className: string = 'AUC';
  readonly numThresholds: number;
  readonly curve: AucCurve;
  readonly summationMethod: AucSummationMethod;
  readonly multiLabel: boolean;
  readonly numLabels: number | null;
  readonly labelWeights: number[] | null;
  readonly fromLogits: boolean;
  /** The thresholds the counts are taken at: 0 - epsilon, then the inner ones, then 1 + epsilon. */
  readonly thresholds: number[];
  readonly #fromThresholds: boolean;
  readonly #evenly: boolean;
  #state: AucState | null = null;

  constructor(options: AucOptions = {}) {
    const read = readOptions<AucOptions>('AUC', options, AUC_OPTIONS);
    const curve = parseCurve(read.curve ?? 'ROC');
    const summationMethod = parseSummation(read.summationMethod ?? 'interpolation');
    let inner: number[];
    let numThresholds: number;
    let evenly: boolean;
    if (read.thresholds != null) {
      if (!Array.isArray(read.thresholds))
        throw invalidArgument('thresholds', 'a list of numbers in [0, 1]', read.thresholds);
      inner = [...checkThresholds(read.thresholds)].sort((a, b) => a - b);
      numThresholds = inner.length + 2;
      evenly = evenlyDistributed([0, ...inner, 1]);
    } else {
      numThresholds = read.numThresholds ?? 200;
      if (typeof numThresholds !== 'number' || !Number.isInteger(numThresholds) || numThresholds <= 1) {
        throw new ValueError(
          `Argument \`numThresholds\` must be an integer > 1. Received: numThresholds=${String(numThresholds)}`,
          { argument: 'numThresholds', expected: 'an integer > 1', received: String(numThresholds) },
        );
      }
      inner = Array.from({ length: numThresholds - 2 }, (_, i) => ((i + 1) * 1.0) / (numThresholds - 1));
      evenly = true;
    }
    super(read, 'auc');
    this.numThresholds = numThresholds;
    this.curve = curve;
    this.summationMethod = summationMethod;
    this.thresholds = [0 - EPSILON, ...inner, 1 + EPSILON];
    this.#fromThresholds = read.thresholds != null;
    this.#evenly = evenly;
    this.multiLabel = read.multiLabel ?? false;
    if (typeof this.multiLabel !== 'boolean') throw invalidArgument('multiLabel', 'a boolean', this.multiLabel);
    this.fromLogits = read.fromLogits ?? false;
    if (typeof this.fromLogits !== 'boolean') throw invalidArgument('fromLogits', 'a boolean', this.fromLogits);
    const numLabels = read.numLabels ?? null;
    if (numLabels != null && (typeof numLabels !== 'number' || !Number.isInteger(numLabels) || numLabels < 1)) {
      throw invalidArgument('numLabels', 'a positive integer', numLabels);
    }
    this.numLabels = numLabels;
    const labelWeights = tensorJsonValue(read.labelWeights) ?? null;
    if (labelWeights != null) {
      const ok = Array.isArray(labelWeights) && labelWeights.every((w) => typeof w === 'number' && w >= 0);
      if (!ok) throw invalidArgument('labelWeights', 'a list of non-negative numbers, one per label', labelWeights);
      if (numLabels != null && labelWeights.length !== numLabels) {
        throw new ValueError(`AUC: labelWeights has ${labelWeights.length} entries but numLabels is ${numLabels}.`, {
          argument: 'labelWeights',
          expected: `${numLabels} weights`,
          received: String(labelWeights.length),
        });
      }
    }
    this.labelWeights = labelWeights == null ? null : [...labelWeights];
    if (this.multiLabel) {
      if (numLabels != null) this.#build(numLabels);
    } else {
      if (numLabels != null) {
        throw new ValueError('`num_labels` is needed only when `multi_label` is True.', {
          argument: 'numLabels',
          expected: 'null unless multiLabel is true',
          received: String(numLabels),
        });
      }
      this.#build(null);
    }
  }

  #build(labels: number | null): void {
    const shape = labels == null ? [this.numThresholds] : [this.numThresholds, labels];
    this.#state = {
      tp: this.addVariable({ name: 'true_positives', shape }),
      fp: this.addVariable({ name: 'false_positives', shape }),
      tn: this.addVariable({ name: 'true_negatives', shape }),
      fn: this.addVariable({ name: 'false_negatives', shape }),
      labels,
    };
  }

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    if (this.#state == null) {
      if (yPred.rank !== 2) {
        throw new ValueError(
          `\`y_pred\` must have rank 2 when \`multi_label=True\`. Found rank ${yPred.rank}. Full shape received for \`y_pred\`: [${yPred.shape.join(', ')}]`,
          { argument: 'yPred', expected: 'a rank-2 tensor (samples, labels)', received: `[${yPred.shape.join(', ')}]` },
        );
      }
      const labels = yPred.shape[1] as number;
      if (this.labelWeights != null && this.labelWeights.length !== labels) {
        throw new ValueError(
          `AUC: labelWeights has ${this.labelWeights.length} entries but yPred has ${labels} labels.`,
          {
            argument: 'labelWeights',
            expected: `${labels} weights`,
            received: String(this.labelWeights.length),
          },
        );
      }
      this.#build(labels);
    }
    const state = this.#state as AucState;
    if (state.labels != null && yPred.shape[yPred.rank - 1] !== state.labels) {
      throw new ValueError(
        `AUC(multiLabel) was built for ${state.labels} labels; yPred has shape [${yPred.shape.join(', ')}].`,
        {
          argument: 'yPred',
          expected: `${state.labels} labels on the last axis`,
          received: `[${yPred.shape.join(', ')}]`,
        },
      );
    }
    tf.tidy(() => {
      const predictions = this.fromLogits ? tf.sigmoid(yPred) : yPred;
      const labelWeights =
        this.multiLabel || this.labelWeights == null ? null : tf.tensor1d(this.labelWeights, 'float32');
      updateConfusionVariables(state, yTrue, predictions, {
        thresholds: this.thresholds,
        thresholdsDistributedEvenly: this.#evenly,
        sampleWeight,
        multiLabel: this.multiLabel,
        labelWeights,
        metric: 'AUC',
      });
    });
  }

  /** Keras's `interpolate_pr_auc`: the PR area with precision interpolated between thresholds (Davis & Goadrich). */
  #interpolatePrAuc(s: AucState): tf.Tensor {
    const n = this.numThresholds;
    const head = (t: tf.Tensor) => tf.slice(t, 0, n - 1);
    const tail = (t: tf.Tensor) => tf.slice(t, 1, n - 1);
    const dtp = tf.sub(head(s.tp), tail(s.tp));
    const p = tf.add(s.tp, s.fp);
    const dp = tf.sub(head(p), tail(p));
    const precSlope = divideNoNan(dtp, tf.maximum(dp, 0));
    const intercept = tf.sub(tail(s.tp), tf.mul(precSlope, tail(p)));
    const safePRatio = tf.where(
      tf.logicalAnd(tf.greater(head(p), 0), tf.greater(tail(p), 0)),
      divideNoNan(head(p), tf.maximum(tail(p), 0)),
      tf.onesLike(tail(p)),
    );
    const increment = divideNoNan(
      tf.mul(precSlope, tf.add(dtp, tf.mul(intercept, tf.log(safePRatio)))),
      tf.maximum(tf.add(tail(s.tp), tail(s.fn)), 0),
    );
    return this.#total(increment);
  }

  /** Sums the area terms: per label then averaged (weighted by labelWeights) with multiLabel. */
  #total(terms: tf.Tensor): tf.Tensor {
    if (!this.multiLabel) return tf.sum(terms);
    const byLabel = tf.sum(terms, 0);
    if (this.labelWeights == null) return tf.mean(byLabel);
    const weights = tf.tensor1d(this.labelWeights, 'float32');
    return divideNoNan(tf.sum(tf.mul(byLabel, weights)), tf.sum(weights));
  }

  override result(): tf.Tensor {
    this.checkNotDisposed('result');
    const s = this.#state;
    // A multi-label AUC that has seen nothing yet (no numLabels) has no state: Keras fails there; 0 here.
    if (s == null) return tf.scalar(0);
    return tf.tidy(() => {
      if (this.curve === 'PR' && this.summationMethod === 'interpolation') return this.#interpolatePrAuc(s);
      const recall = divideNoNan(s.tp, tf.add(s.tp, s.fn));
      let x: tf.Tensor;
      let y: tf.Tensor;
      if (this.curve === 'ROC') {
        x = divideNoNan(s.fp, tf.add(s.fp, s.tn));
        y = recall;
      } else if (this.curve === 'PR') {
        x = recall;
        y = divideNoNan(s.tp, tf.add(s.tp, s.fp));
      } else {
        const scaling = divideNoNan(tf.add(s.tp, s.fn), tf.add(s.tn, s.fp));
        const noTp = tf.equal(s.tp, 0);
        const recallGain = tf.sub(1, tf.mul(scaling, divideNoNan(s.fn, s.tp)));
        const precisionGain = tf.sub(1, tf.mul(scaling, divideNoNan(s.fp, s.tp)));
        x = tf.maximum(tf.where(noTp, tf.zerosLike(recallGain), recallGain), 0);
        y = tf.where(noTp, tf.onesLike(precisionGain), precisionGain);
      }
      const n = this.numThresholds;
      const head = (t: tf.Tensor) => tf.slice(t, 0, n - 1);
      const tail = (t: tf.Tensor) => tf.slice(t, 1, n - 1);
      const heights =
        this.summationMethod === 'interpolation'
          ? tf.div(tf.add(head(y), tail(y)), 2)
          : this.summationMethod === 'minoring'
            ? tf.minimum(head(y), tail(y))
            : tf.maximum(head(y), tail(y));
      return this.#total(tf.mul(tf.sub(head(x), tail(x)), heights));
    });
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(),
      numThresholds: this.numThresholds,
      curve: this.curve,
      summationMethod: this.summationMethod,
      multiLabel: this.multiLabel,
      numLabels: this.numLabels,
      // A list: Keras writes a `__tensor__` object here, which its own compile_from_config then
      // cannot read back (float() of a dict); a list loads in Keras, and both are read here.
      labelWeights: this.labelWeights == null ? null : [...this.labelWeights],
      fromLogits: this.fromLogits,
    };
    if (this.#fromThresholds) config.thresholds = this.thresholds.slice(1, -1);
    return config;
  }
}
