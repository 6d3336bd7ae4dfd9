/**
 * Keras's probabilistic metrics (keras/src/metrics/probabilistic_metrics.py):
 * the crossentropies, KL divergence and Poisson loss averaged over the
 * samples. Their classes share the losses' names but live in `metrics`.
 */
import { invalidArgument } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { METRIC_OPTIONS, MeanMetricWrapper, type MetricOptions } from './base.js';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  klDivergence,
  poisson,
  sparseCategoricalCrossentropy,
} from './loss-functions.js';

function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(name, 'a boolean', value);
  return value;
}

function checkSmoothing(value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw invalidArgument('labelSmoothing', 'a number in [0, 1]', value);
  return value;
}

/** Only the last axis holds the classes here (Keras's default); another axis is refused rather than misread. */
function checkAxis(value: unknown): number {
  if (value !== -1)
    throw invalidArgument('axis', '-1 (the classes on the last axis; other axes are not supported)', value);
  return value;
}

/** The options of the metric `BinaryCrossentropy`, Keras's `(name, dtype, from_logits=False, label_smoothing=0)`. */
export interface BinaryCrossentropyMetricOptions extends MetricOptions {
  /** Whether predictions are logits; default false (probabilities, clipped to [1e-7, 1 - 1e-7]). */
  fromLogits?: boolean;
  /** Labels squeezed toward 0.5 by this much; default 0. */
  labelSmoothing?: number;
}

/**
 * The binary crossentropy averaged over the samples: Keras's `keras.metrics.BinaryCrossentropy`.
 *
 * @example model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.BinaryCrossentropy({ fromLogits: true })] })
 */
export class BinaryCrossentropy extends MeanMetricWrapper {
  static override readonly className: string = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(options: BinaryCrossentropyMetricOptions = {}) {
    const read = readOptions<BinaryCrossentropyMetricOptions>('BinaryCrossentropy', options, [
      ...METRIC_OPTIONS,
      'fromLogits',
      'labelSmoothing',
    ]);
    const fromLogits = checkBoolean(read.fromLogits ?? false, 'fromLogits');
    const labelSmoothing = checkSmoothing(read.labelSmoothing ?? 0);
    super(
      binaryCrossentropy(fromLogits, labelSmoothing),
      { name: read.name, dtype: read.dtype },
      'binary_crossentropy',
    );
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

/** The options of the metric `CategoricalCrossentropy`, Keras's `(name, dtype, from_logits=False, label_smoothing=0, axis=-1)`. */
export interface CategoricalCrossentropyMetricOptions extends BinaryCrossentropyMetricOptions {
  /** The class axis: only -1. */
  axis?: number;
}

/**
 * The categorical crossentropy of one-hot labels averaged over the samples:
 * Keras's `keras.metrics.CategoricalCrossentropy`.
 *
 * @example model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.CategoricalCrossentropy({ labelSmoothing: 0.1 })] })
 */
export class CategoricalCrossentropy extends MeanMetricWrapper {
  static override readonly className: string = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(options: CategoricalCrossentropyMetricOptions = {}) {
    const read = readOptions<CategoricalCrossentropyMetricOptions>('CategoricalCrossentropy', options, [
      ...METRIC_OPTIONS,
      'fromLogits',
      'labelSmoothing',
      'axis',
    ]);
    const fromLogits = checkBoolean(read.fromLogits ?? false, 'fromLogits');
    const labelSmoothing = checkSmoothing(read.labelSmoothing ?? 0);
    const axis = checkAxis(read.axis ?? -1);
    super(
      categoricalCrossentropy(fromLogits, labelSmoothing),
      { name: read.name, dtype: read.dtype },
      'categorical_crossentropy',
    );
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/** The options of the metric `SparseCategoricalCrossentropy`, Keras's `(name, dtype, from_logits=False, ignore_class=None, axis=-1)`. */
export interface SparseCategoricalCrossentropyMetricOptions extends MetricOptions {
  /** Whether predictions are logits; default false. */
  fromLogits?: boolean;
  /** A label (say -1 or 255) whose entries give 0 and are marked in the Keras mask. */
  ignoreClass?: number | null;
  /** The class axis: only -1. */
  axis?: number;
}

/**
 * The crossentropy of integer labels averaged over the samples: Keras's
 * `keras.metrics.SparseCategoricalCrossentropy`. An ignored label's entry
 * counts as 0 (and, under sample weights, drops out of the count).
 *
 * @example model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.SparseCategoricalCrossentropy({ ignoreClass: -1 })] })
 */
export class SparseCategoricalCrossentropy extends MeanMetricWrapper {
  static override readonly className: string = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  readonly axis: number;
  constructor(options: SparseCategoricalCrossentropyMetricOptions = {}) {
    const read = readOptions<SparseCategoricalCrossentropyMetricOptions>('SparseCategoricalCrossentropy', options, [
      ...METRIC_OPTIONS,
      'fromLogits',
      'ignoreClass',
      'axis',
    ]);
    const fromLogits = checkBoolean(read.fromLogits ?? false, 'fromLogits');
    const ignoreClass = read.ignoreClass ?? null;
    if (ignoreClass !== null && (typeof ignoreClass !== 'number' || !Number.isInteger(ignoreClass))) {
      throw invalidArgument('ignoreClass', 'an integer class id or null', ignoreClass);
    }
    const axis = checkAxis(read.axis ?? -1);
    super(
      sparseCategoricalCrossentropy(fromLogits, ignoreClass),
      { name: read.name, dtype: read.dtype },
      'sparse_categorical_crossentropy',
    );
    this.fromLogits = fromLogits;
    this.ignoreClass = ignoreClass;
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, ignoreClass: this.ignoreClass, axis: this.axis };
  }
}

/**
 * `sum(yTrue * log(yTrue / yPred))` averaged over the samples (both clipped
 * to [1e-7, 1]): Keras's `keras.metrics.KLDivergence`.
 *
 * @example model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new metrics.KLDivergence()] })
 */
export class KLDivergence extends MeanMetricWrapper {
  static override readonly className: string = 'KLDivergence';
  constructor(options: MetricOptions = {}) {
    super(klDivergence, readOptions<MetricOptions>('KLDivergence', options, METRIC_OPTIONS), 'kl_divergence');
  }
}

/**
 * `mean(yPred - yTrue * log(yPred + 1e-7))` averaged over the samples: Keras's `keras.metrics.Poisson`.
 *
 * @example model.compile({ optimizer: 'adam', loss: 'poisson', metrics: [new metrics.Poisson()] })
 */
export class Poisson extends MeanMetricWrapper {
  static override readonly className: string = 'Poisson';
  constructor(options: MetricOptions = {}) {
    super(poisson, readOptions<MetricOptions>('Poisson', options, METRIC_OPTIONS), 'poisson');
  }
}
