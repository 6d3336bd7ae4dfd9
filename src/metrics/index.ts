/**
 * The `metrics` namespace, Keras's `keras.metrics`: accuracy in Keras's
 * variants and the mean errors, as functions and as Keras's classes. Each
 * metric gives the batch mean; `fit` and `evaluate` average them weighted by
 * batch size (Keras's running means).
 *
 * @packageDocumentation
 * @example model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: [new metrics.BinaryAccuracy({ threshold: 0.7 })] })
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import * as losses from '../losses/index.js';
import type { KerasObjectJson } from '../serialization/keras-json.js';
import {
  type DeserializeOptions,
  deserializeKerasObject,
  type ObjectFamily,
  serializeKerasObject,
} from '../serialization/serialization.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject, ownValue } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';

/** A metric as a function: `(yTrue, yPred) => scalar`, the batch mean; `compile` keys it by the function's name. */
export type MetricFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Exact matches between `yTrue` and `yPred`. */
export function accuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(yTrue, yPred), 'float32')) as tf.Scalar);
}

/** `yPred > threshold` (default 0.5) matches `yTrue`. */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, threshold = 0.5): tf.Scalar {
  return tf.tidy(
    () => tf.mean(tf.cast(tf.equal(tf.cast(yTrue, 'bool'), tf.greater(yPred, threshold)), 'float32')) as tf.Scalar,
  );
}

/** The arg max of `yPred` matches that of one-hot `yTrue`. */
export function categoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32')) as tf.Scalar);
}

/** The arg max of `yPred` equals the integer label. */
export function sparseCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(
    () =>
      tf.mean(
        tf.cast(tf.equal(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), tf.argMax(yPred, -1)), 'float32'),
      ) as tf.Scalar,
  );
}

/**
 * `"accuracy"` as Keras's `compile` resolves it, from the shapes: binary when
 * the prediction has one column, sparse categorical when the labels have a
 * lower rank or one column against several, categorical otherwise.
 */
export function inferredAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  const predictedColumns = yPred.shape[yPred.rank - 1];
  if (predictedColumns === 1) return binaryAccuracy(yTrue, yPred);
  if (yTrue.rank < yPred.rank || (yTrue.shape[yTrue.rank - 1] === 1 && (predictedColumns as number) > 1)) {
    return sparseCategoricalAccuracy(yTrue, yPred);
  }
  return categoricalAccuracy(yTrue, yPred);
}

/** The options every metric class takes, Keras's `Metric(name=None, dtype=None)`. */
export interface MetricOptions {
  /** The metric's key in the logs; default the snake_case name of the class. */
  name?: string;
  /** Only `"float32"`. */
  dtype?: 'float32';
}

const METRIC_OPTIONS = ['name', 'dtype'];

/**
 * Base of the metric classes: Keras's `Metric`, reduced to what `compile`
 * needs. `apply` gives the batch mean; training logs average it over the
 * batches, weighted by their size, which is Keras's `result()` for these
 * mean metrics.
 *
 * @example class Top1Error extends metrics.Metric { constructor() { super({}, 'top1_error'); } override apply(t: tf.Tensor, p: tf.Tensor) { return tf.sub(1, metrics.categoricalAccuracy(t, p)) as tf.Scalar; } }
 */
export abstract class Metric {
  static readonly className: string = 'Metric';
  readonly name: string;
  readonly dtype: 'float32';

  constructor(options: MetricOptions, defaultName: string) {
    const name = options.name ?? defaultName;
    if (typeof name !== 'string' || name === '') throw invalidArgument('name', 'a non-empty string', name);
    if (options.dtype != null && options.dtype !== 'float32') {
      throw invalidArgument('dtype', '"float32"', options.dtype);
    }
    this.name = name;
    this.dtype = 'float32';
  }

  /** The metric's mean over the batch. */
  abstract apply(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar;

  getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: this.dtype };
  }

  // biome-ignore lint/suspicious/noExplicitAny: each subclass's constructor takes its own options type.
  static fromConfig<T extends Metric>(this: new (config: any) => T, config: Record<string, unknown>): T {
    return new this(config);
  }

  toString(): string {
    return `${classNameOfInstance(this)}(name=${this.name})`;
  }
}

/**
 * The fraction of exact matches between `yTrue` and `yPred`: Keras's
 * `keras.metrics.Accuracy` (not `"accuracy"`, which `compile` resolves to
 * the variant the shapes call for).
 *
 * @example new metrics.Accuracy().apply(tf.tensor1d([1, 2, 3]), tf.tensor1d([1, 2, 0])) // 0.667
 */
export class Accuracy extends Metric {
  static override readonly className: string = 'Accuracy';
  constructor(options: MetricOptions = {}) {
    super(readOptions<MetricOptions>('Accuracy', options, METRIC_OPTIONS), 'accuracy');
  }
  override apply(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
    return accuracy(yTrue, yPred);
  }
}

/** The options of `BinaryAccuracy`, Keras's `BinaryAccuracy(name="binary_accuracy", dtype=None, threshold=0.5)`. */
export interface BinaryAccuracyOptions extends MetricOptions {
  /** A prediction above it counts as 1; default 0.5. */
  threshold?: number;
}

/**
 * The fraction of predictions above `threshold` that match 0/1 labels:
 * Keras's `keras.metrics.BinaryAccuracy`.
 *
 * @example new metrics.BinaryAccuracy({ threshold: 0.7 })
 */
export class BinaryAccuracy extends Metric {
  static override readonly className: string = 'BinaryAccuracy';
  readonly threshold: number;
  constructor(options: BinaryAccuracyOptions = {}) {
    const read = readOptions<BinaryAccuracyOptions>('BinaryAccuracy', options, [...METRIC_OPTIONS, 'threshold']);
    super(read, 'binary_accuracy');
    const threshold = read.threshold ?? 0.5;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
      throw invalidArgument('threshold', 'a finite number', threshold);
    }
    this.threshold = threshold;
  }
  override apply(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
    return binaryAccuracy(yTrue, yPred, this.threshold);
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
export class CategoricalAccuracy extends Metric {
  static override readonly className: string = 'CategoricalAccuracy';
  constructor(options: MetricOptions = {}) {
    super(readOptions<MetricOptions>('CategoricalAccuracy', options, METRIC_OPTIONS), 'categorical_accuracy');
  }
  override apply(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
    return categoricalAccuracy(yTrue, yPred);
  }
}

/**
 * The fraction of samples whose predicted arg max is the integer label:
 * Keras's `keras.metrics.SparseCategoricalAccuracy`.
 *
 * @example new metrics.SparseCategoricalAccuracy({ name: 'acc' })
 */
export class SparseCategoricalAccuracy extends Metric {
  static override readonly className: string = 'SparseCategoricalAccuracy';
  constructor(options: MetricOptions = {}) {
    super(
      readOptions<MetricOptions>('SparseCategoricalAccuracy', options, METRIC_OPTIONS),
      'sparse_categorical_accuracy',
    );
  }
  override apply(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
    return sparseCategoricalAccuracy(yTrue, yPred);
  }
}

/**
 * The mean squared error as a metric: Keras's `keras.metrics.MeanSquaredError`.
 *
 * @example model.compile({ optimizer: 'sgd', loss: 'mae', metrics: [new metrics.MeanSquaredError()] })
 */
export class MeanSquaredError extends Metric {
  static override readonly className: string = 'MeanSquaredError';
  constructor(options: MetricOptions = {}) {
    super(readOptions<MetricOptions>('MeanSquaredError', options, METRIC_OPTIONS), 'mean_squared_error');
  }
  override apply(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
    return losses.meanSquaredError(yTrue, yPred);
  }
}

/**
 * The mean absolute error as a metric: Keras's `keras.metrics.MeanAbsoluteError`.
 *
 * @example model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [new metrics.MeanAbsoluteError()] })
 */
export class MeanAbsoluteError extends Metric {
  static override readonly className: string = 'MeanAbsoluteError';
  constructor(options: MetricOptions = {}) {
    super(readOptions<MetricOptions>('MeanAbsoluteError', options, METRIC_OPTIONS), 'mean_absolute_error');
  }
  override apply(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
    return losses.meanAbsoluteError(yTrue, yPred);
  }
}

/** A metric given by name, function or object, resolved: its key in the logs and its batch mean. */
export interface ResolvedMetric {
  name: string;
  fn: MetricFunction;
}

/** Metric functions by the Keras names `compile` accepts (the loss names give the loss as a metric). */
const BY_NAME = new Map<string, MetricFunction>([
  ['binary_accuracy', (yTrue, yPred) => binaryAccuracy(yTrue, yPred)],
  ['categorical_accuracy', categoricalAccuracy],
  ['sparse_categorical_accuracy', sparseCategoricalAccuracy],
  ...losses.LOSS_NAMES.map((name): [string, MetricFunction] => [name, losses.get(name)]),
]);

/** Names `get` accepts. */
export const METRIC_NAMES: readonly string[] = ['accuracy', 'acc', ...BY_NAME.keys()];

const FAMILY: ObjectFamily = {
  kind: 'metric',
  module: 'keras.metrics',
  classes: new Map<string, typeof Accuracy>([
    ['Accuracy', Accuracy],
    ['BinaryAccuracy', BinaryAccuracy],
    ['CategoricalAccuracy', CategoricalAccuracy],
    ['SparseCategoricalAccuracy', SparseCategoricalAccuracy],
    ['MeanSquaredError', MeanSquaredError],
    ['MeanAbsoluteError', MeanAbsoluteError],
  ]),
};

function unknownMetric(identifier: unknown): ValueError {
  const names = METRIC_NAMES.join(', ');
  return new ValueError(
    `Could not interpret metric identifier: ${formatValue(identifier)}. Expected one of ${names}, a Metric object or a function.`,
    { argument: 'metrics', expected: names, received: formatValue(identifier) },
  );
}

/**
 * A metric by Keras name (`"accuracy"`/`"acc"` picks the variant as Keras
 * does; `"mae"`, `"mse"` and the loss names give that loss as a metric),
 * a Metric object (keyed by its `name`) or a function (by its name).
 */
export function get(identifier: string | Metric | MetricFunction): ResolvedMetric {
  if (identifier instanceof Metric) return { name: identifier.name, fn: (y, p) => identifier.apply(y, p) };
  if (typeof identifier === 'function') return { name: identifier.name || 'metric', fn: identifier };
  if (identifier === 'accuracy' || identifier === 'acc') return { name: identifier, fn: inferredAccuracy };
  const fn = typeof identifier === 'string' ? BY_NAME.get(identifier) : undefined;
  if (fn == null) throw unknownMetric(identifier);
  return { name: identifier, fn };
}

/** A Metric as Keras JSON (`{module: "keras.metrics", class_name, config, registered_name}`). */
export function serialize(metric: Metric): KerasObjectJson<Record<string, unknown>> {
  if (!(metric instanceof Metric)) {
    throw new ValueError(`Cannot serialize ${formatValue(metric)}: expected a Metric object with getConfig().`, {
      argument: 'metric',
      expected: 'a Metric object',
      received: formatValue(metric),
    });
  }
  return serializeKerasObject(metric, FAMILY) as KerasObjectJson<Record<string, unknown>>;
}

/**
 * A metric from Keras JSON: a Metric (built-in, registered or
 * `customObjects` class), or a function. A built-in function by name
 * (`{class_name: "function", config: "mean_absolute_error"}`) gives its
 * Keras name as a string, which `compile` accepts.
 */
export function deserialize(json: unknown, options: DeserializeOptions = {}): Metric | MetricFunction | string {
  if (isPlainObject(json) && ownValue(json, 'class_name') === 'function') {
    const name = ownValue(json, 'config');
    if (typeof name === 'string' && METRIC_NAMES.includes(name)) return name;
  }
  const metric = deserializeKerasObject(json, FAMILY, options);
  if (metric instanceof Metric || typeof metric === 'function') return metric as Metric | MetricFunction;
  throw unknownMetric(json);
}
