/**
 * Keras's stateful metric protocol (keras/src/metrics/metric.py and
 * reduction_metrics.py): a `Metric` keeps its state in non-trainable
 * variables, `updateState` adds a batch, `result` reads the value so far,
 * `resetState` starts over. `Mean`, `Sum` and `MeanMetricWrapper` are the
 * reductions every mean metric (the accuracies, losses as metrics) is made of.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { maskedWeights, predictionMask, sameRank } from '../losses/masked-reduction.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { formatValue } from '../utils/format.js';

/** The options every metric class takes, Keras's `Metric(name=None, dtype=None)`. */
export interface MetricOptions {
  /** The metric's key in the logs; default the snake_case name of the class. */
  name?: string;
  /** Only `"float32"`. */
  dtype?: 'float32';
}

/** The option names of `MetricOptions`, for `readOptions`. */
export const METRIC_OPTIONS: readonly string[] = ['name', 'dtype'];

/** How a state variable starts (and what `resetState` puts back): Keras's initializer. */
export type VariableInitializer = 'zeros' | 'ones' | number;

/** One state variable of a metric: its Keras name and its initial fill. */
interface StateVariable {
  variable: tf.Variable;
  name: string;
  initial: number;
}

/**
 * Base of the metrics: Keras's `Metric`. The state lives in `variables`
 * (Keras's names and order in `variableNames`); `updateState` adds a batch,
 * `result` gives the value over every batch since the last `resetState`.
 * `fit` resets the compiled metrics at each epoch, `evaluate` at each call,
 * and the logs report `result()`.
 *
 * @example class Total extends metrics.Metric { readonly total = this.addVariable({ name: 'total', shape: [] }); constructor() { super({}, 'total'); } override updateState(y: tf.Tensor) { this.total.assign(tf.add(this.total, tf.sum(y))); } override result() { return this.total.clone(); } }
 */
export abstract class Metric {
  static readonly className: string = 'Metric';
  readonly name: string;
  readonly dtype: 'float32';
  readonly #state: StateVariable[] = [];
  #disposed = false;

  constructor(options: MetricOptions, defaultName: string) {
    const name = options.name ?? defaultName;
    if (typeof name !== 'string' || name === '') throw invalidArgument('name', 'a non-empty string', name);
    if (options.dtype != null && options.dtype !== 'float32') {
      throw invalidArgument('dtype', '"float32"', options.dtype);
    }
    this.name = name;
    this.dtype = 'float32';
  }

  /**
   * Keras's `add_variable`: a non-trainable state variable of `shape`
   * filled with the initializer's value (default zeros), tracked in
   * `variables` in the order of the calls.
   */
  protected addVariable(options: {
    name: string;
    shape: readonly number[];
    initializer?: VariableInitializer;
  }): tf.Variable {
    const init = options.initializer ?? 'zeros';
    const initial = init === 'zeros' ? 0 : init === 'ones' ? 1 : init;
    // tfjs names must be unique across the engine: the Keras name is kept in variableNames.
    const variable = tf.tidy(() => tf.variable(tf.fill([...options.shape], initial, 'float32'), false));
    this.#state.push({ variable, name: options.name, initial });
    return variable;
  }

  /** The state variables, in Keras's order. */
  get variables(): tf.Variable[] {
    return this.#state.map((s) => s.variable);
  }

  /** The Keras names of `variables` (`"total"`, `"count"`, `"true_positives"`, ...), in the same order. */
  get variableNames(): string[] {
    return this.#state.map((s) => s.name);
  }

  /** Adds a batch to the state. */
  abstract updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor | null): void;

  /** The metric over every batch since the last reset (a new tensor; the caller disposes it). */
  abstract result(): tf.Tensor;

  /** Every variable back to its initial value. */
  resetState(): void {
    this.checkNotDisposed('resetState');
    for (const { variable, initial } of this.#state) {
      tf.tidy(() => variable.assign(tf.fill(variable.shape, initial, 'float32')));
    }
  }

  /** Throws when the metric's variables were freed. */
  protected checkNotDisposed(method: string): void {
    if (this.#disposed) {
      throw new ValueError(`Metric "${this.name}" was disposed; ${method}() needs its variables.`, {
        argument: 'metric',
        expected: 'a metric that has not been disposed',
        received: `${this.name} (disposed)`,
      });
    }
  }

  /** Whether `dispose` freed the variables. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Frees the state variables; the metric cannot be updated after. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const { variable } of this.#state) variable.dispose();
  }

  /** Keras's `get_config` (camelCase here; snake_case in Keras JSON). */
  getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: this.dtype };
  }

  /** A new metric of this class from `getConfig()`'s output. */
  // biome-ignore lint/suspicious/noExplicitAny: each subclass's constructor takes its own options type.
  static fromConfig<T extends Metric>(this: new (config: any) => T, config: Record<string, unknown>): T {
    return new this(config);
  }

  toString(): string {
    return `${classNameOfInstance(this)}(name=${this.name})`;
  }
}

const asFloat = (t: tf.Tensor) => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'));

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/**
 * Keras's `reduce_to_samplewise_values`: the values' own mask merged into
 * the weights, ranks aligned, the values reduced (`reduce`) to the weights'
 * rank and weighted, the weights reduced to one per sample, then the values
 * reduced to one per sample.
 */
export function reduceToSamplewise(
  values: tf.Tensor,
  sampleWeight: tf.Tensor | null,
  reduce: 'mean' | 'sum',
): { values: tf.Tensor; sampleWeight: tf.Tensor | null } {
  const fn = reduce === 'mean' ? tf.mean : tf.sum;
  const mask = predictionMask(values);
  let v = asFloat(values);
  let w: tf.Tensor | null = null;
  if (sampleWeight != null) {
    w = asFloat(sampleWeight);
    if (mask != null) w = maskedWeights(w, mask, 'sum') as tf.Tensor;
    [v, w] = sameRank(v, w);
    const weightRank = w.rank;
    if (v.rank > weightRank) v = fn(v, range(weightRank, v.rank));
    w = tf.broadcastTo(w, v.shape);
    v = tf.mul(v, w);
    if (weightRank > 1) w = fn(w, range(1, weightRank));
  }
  if (v.rank > 1) v = fn(v, range(1, v.rank));
  return { values: v, sampleWeight: w };
}

/**
 * Keras's `Sum`: the weighted sum of the values given. One variable, `total`.
 *
 * @example const s = new metrics.Sum(); s.updateState(tf.tensor1d([1, 3, 5, 7]), tf.tensor1d([1, 1, 0, 0])); s.result() // 4
 */
export class Sum extends Metric {
  static override readonly className: string = 'Sum';
  readonly total: tf.Variable;

  constructor(options: MetricOptions = {}) {
    super(options, 'sum');
    this.total = this.addVariable({ name: 'total', shape: [] });
  }

  /** Adds the (weighted) values; Keras's `update_state(values, sample_weight=None)`. */
  override updateState(values: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    tf.tidy(() => {
      const reduced = reduceToSamplewise(values, sampleWeight, 'sum');
      this.total.assign(tf.add(this.total, tf.sum(reduced.values)));
    });
  }

  override result(): tf.Tensor {
    this.checkNotDisposed('result');
    return this.total.clone();
  }
}

/**
 * Keras's `Mean`: the weighted mean of the values given, `total / count`
 * (0 before any weight). Variables `total` and `count`; without weights a
 * batch counts its first axis (1 for a scalar).
 *
 * @example const m = new metrics.Mean(); m.updateState(tf.tensor1d([1, 3, 5, 7])); m.result() // 4
 */
export class Mean extends Metric {
  static override readonly className: string = 'Mean';
  readonly total: tf.Variable;
  readonly count: tf.Variable;

  constructor(options: MetricOptions = {}, defaultName = 'mean') {
    super(options, defaultName);
    this.total = this.addVariable({ name: 'total', shape: [] });
    this.count = this.addVariable({ name: 'count', shape: [] });
  }

  /** Adds the (weighted) values; Keras's `update_state(values, sample_weight=None)`. */
  override updateState(values: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    tf.tidy(() => this.addValues(values, sampleWeight));
  }

  /** `Mean.update_state` itself, for subclasses whose `updateState` takes labels and predictions. */
  protected addValues(values: tf.Tensor, sampleWeight: tf.Tensor | null): void {
    // An empty batch adds nothing (and zero-size tensors trip the wasm kernels).
    if (values.size === 0) return;
    const reduced = reduceToSamplewise(values, sampleWeight, 'mean');
    this.total.assign(tf.add(this.total, tf.sum(reduced.values)));
    const samples =
      reduced.sampleWeight != null
        ? tf.sum(reduced.sampleWeight)
        : tf.scalar(reduced.values.rank >= 1 ? (reduced.values.shape[0] as number) : 1);
    this.count.assign(tf.add(this.count, samples));
  }

  override result(): tf.Tensor {
    this.checkNotDisposed('result');
    // divide_no_nan: nothing counted yet gives 0.
    return tf.tidy(() => tf.where(tf.equal(this.count, 0), tf.zerosLike(this.total), tf.div(this.total, this.count)));
  }
}

/** A metric of each sample: `(yTrue, yPred) => values` with the batch axis first (or a scalar for the batch). */
export type SamplewiseFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * Keras's `MeanMetricWrapper`: a function of each sample averaged as `Mean`
 * does, with the prediction's Keras mask merged into the sample weights
 * (0/1), so masked entries count for nothing.
 *
 * @example const m = new metrics.MeanMetricWrapper((y, p) => tf.abs(tf.sub(y, p)), { name: 'abs' });
 */
export class MeanMetricWrapper extends Mean {
  static override readonly className: string = 'MeanMetricWrapper';
  readonly fn: SamplewiseFunction;

  constructor(fn: SamplewiseFunction, options: MetricOptions = {}, defaultName?: string) {
    if (typeof fn !== 'function') throw invalidArgument('fn', 'a function (yTrue, yPred) => values', fn);
    super(options, defaultName ?? (fn.name || 'mean_metric_wrapper'));
    this.fn = fn;
  }

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    if (!(yTrue instanceof tf.Tensor) || !(yPred instanceof tf.Tensor)) {
      throw new ValueError(
        `${classNameOfInstance(this)}.updateState expects tensors yTrue and yPred. Received: ${formatValue(yTrue)}, ${formatValue(yPred)}`,
        { argument: 'yTrue', expected: 'tensors', received: formatValue(yTrue) },
      );
    }
    tf.tidy(() => {
      const mask = predictionMask(yPred);
      const values = this.fn(yTrue, yPred);
      this.addValues(values, maskedWeights(sampleWeight, mask, 'sum'));
    });
  }
}
