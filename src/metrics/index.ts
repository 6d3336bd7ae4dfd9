/**
 * The `metrics` namespace, Keras's `keras.metrics`: stateful metrics
 * (`updateState`, `result`, `resetState`, state in `variables`) that `fit`
 * and `evaluate` reset and accumulate as Keras does, as classes, functions
 * and the names `compile` takes, with Keras JSON.
 *
 * @packageDocumentation
 * @example model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', new metrics.AUC()] })
 */
import { ValueError } from '../errors.js';
import * as losses from '../losses/index.js';
import type { KerasObjectJson } from '../serialization/keras-json.js';
import {
  type DeserializeOptions,
  deserializeKerasObject,
  type ObjectFamily,
  serializeKerasObject,
} from '../serialization/serialization.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject, ownValue } from '../utils/objects.js';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  InferredAccuracy,
  SparseCategoricalAccuracy,
} from './accuracy.js';
import { Mean, MeanMetricWrapper, Metric, Sum } from './base.js';
import { MORE_METRIC_CLASSES } from './catalog.js';
import { CONFUSION_METRIC_CLASSES } from './confusion/catalog.js';
import {
  binaryAccuracy,
  categoricalAccuracy,
  inferredAccuracy,
  type MetricFunction,
  sparseCategoricalAccuracy,
} from './functions.js';
import { lossSamplewise, MeanAbsoluteError, MeanSquaredError } from './regression.js';

export type { BinaryAccuracyOptions } from './accuracy.js';
export { Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy.js';
export {
  METRIC_OPTIONS,
  Mean,
  MeanMetricWrapper,
  Metric,
  type MetricOptions,
  reduceToSamplewise,
  type SamplewiseFunction,
  Sum,
  type VariableInitializer,
} from './base.js';
export * from './confusion/at-constraint.js';
export * from './confusion/auc.js';
export * from './confusion/counts.js';
export * from './confusion/precision-recall.js';
export * from './correlation.js';
export * from './f-score.js';
export {
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  inferredAccuracy,
  type MetricFunction,
  samplewise,
  sparseCategoricalAccuracy,
} from './functions.js';
export * from './hinge.js';
export * from './iou.js';
export * from './probabilistic.js';
export * from './r2-score.js';
export { MeanAbsoluteError, MeanSquaredError } from './regression.js';
export * from './regression-errors.js';
export * from './top-k.js';

/** A metric given by name, function or object, resolved: its key in the logs and its batch mean. */
export interface ResolvedMetric {
  name: string;
  fn: MetricFunction;
}

/** A metric class as the name table holds it: constructed from its options. */
type MetricClass = (new (
  // biome-ignore lint/suspicious/noExplicitAny: each class takes its own options type.
  options?: any,
) => Metric) & { className: string; fromConfig(config: Record<string, unknown>): Metric };

/**
 * The metric classes by Keras class name (Keras's `ALL_OBJECTS`): their
 * class names, and their snake_case names, are metric identifiers.
 */
export const METRIC_CLASSES = new Map<string, MetricClass>([
  ['Accuracy', Accuracy],
  ['BinaryAccuracy', BinaryAccuracy],
  ['CategoricalAccuracy', CategoricalAccuracy],
  ['SparseCategoricalAccuracy', SparseCategoricalAccuracy],
  ['MeanSquaredError', MeanSquaredError],
  ['MeanAbsoluteError', MeanAbsoluteError],
  ['Mean', Mean as unknown as MetricClass],
  ['Sum', Sum as unknown as MetricClass],
]);

/**
 * Strings `compile` takes for a metric class other than its class name
 * (Keras's `ALL_OBJECTS_DICT`: snake_case names and aliases). Only names
 * listed in METRIC_NAMES are offered to editors.
 */
const CLASS_ALIASES = new Map<string, string>([
  ['binary_accuracy', 'BinaryAccuracy'],
  ['categorical_accuracy', 'CategoricalAccuracy'],
  ['sparse_categorical_accuracy', 'SparseCategoricalAccuracy'],
]);

/** Registers a metric class under its class name and the strings Keras accepts for it (for the metric files). */
export function registerMetricClass(cls: MetricClass, aliases: readonly string[] = []): void {
  METRIC_CLASSES.set(cls.className, cls);
  for (const alias of aliases) CLASS_ALIASES.set(alias, cls.className);
}

for (const [cls, aliases] of MORE_METRIC_CLASSES) registerMetricClass(cls, aliases);
for (const [cls, aliases] of CONFUSION_METRIC_CLASSES) registerMetricClass(cls, aliases);

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
  classes: METRIC_CLASSES,
};

function unknownMetric(identifier: unknown): ValueError {
  const names = METRIC_NAMES.join(', ');
  return new ValueError(
    `Could not interpret metric identifier: ${formatValue(identifier)}. Expected one of ${names}, a class name (${[...METRIC_CLASSES.keys()].join(', ')}) or its Keras alias, a Metric object or a function.`,
    { argument: 'metrics', expected: names, received: formatValue(identifier) },
  );
}

/**
 * A metric by Keras name as a batch-mean function (`"accuracy"`/`"acc"`
 * picks the variant as Keras does; `"mae"`, `"mse"` and the loss names give
 * that loss as a metric), or a function (by its name). For the stateful
 * metric `compile` keeps, see `toMetric`.
 */
export function get(identifier: string | Metric | MetricFunction): ResolvedMetric {
  if (identifier instanceof Metric) {
    return {
      name: identifier.name,
      fn: () => {
        throw new ValueError(`Metric "${identifier.name}" is stateful: call updateState(yTrue, yPred) and result().`, {
          argument: 'metric',
          expected: 'a metric function',
          received: String(identifier),
        });
      },
    };
  }
  if (typeof identifier === 'function') return { name: identifier.name || 'metric', fn: identifier };
  if (identifier === 'accuracy' || identifier === 'acc') return { name: identifier, fn: inferredAccuracy };
  const fn = typeof identifier === 'string' ? BY_NAME.get(identifier) : undefined;
  if (fn == null) throw unknownMetric(identifier);
  return { name: identifier, fn };
}

/**
 * Keras's `get_metric` in `compile`: the stateful metric for an identifier.
 * A string names a class (`"AUC"`, `"auc"`, `"binary_accuracy"`), a loss
 * (its mean as a metric) or `"accuracy"`/`"acc"` (the variant the shapes
 * call for); the metric's name (its key in the logs) is the string itself,
 * as in Keras. A Metric object is used as it is; a function is wrapped
 * in Keras's `MeanMetricWrapper` under its name (a function giving the
 * batch mean, a scalar, counts once per batch, as in Keras).
 */
export function toMetric(identifier: unknown): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') {
    const fn = identifier as MetricFunction;
    return new MeanMetricWrapper(fn, { name: fn.name || 'metric' });
  }
  if (isPlainObject(identifier)) {
    const metric = deserialize(identifier);
    return typeof metric === 'string' || typeof metric === 'function' ? toMetric(metric) : metric;
  }
  if (typeof identifier !== 'string') throw unknownMetric(identifier);
  const name = identifier;
  if (name === 'accuracy' || name === 'acc') return new InferredAccuracy({ name });
  const cls = METRIC_CLASSES.get(CLASS_ALIASES.get(name) ?? name);
  if (cls != null && cls !== (Mean as unknown) && cls !== (Sum as unknown)) return new cls({ name });
  if (losses.LOSS_NAMES.includes(name)) return new MeanMetricWrapper(lossSamplewise(losses.toLoss(name)), { name });
  throw unknownMetric(identifier);
}

/** A new metric like `metric` (same class and config), with its own zeroed variables. */
export function cloneMetric(metric: Metric): Metric {
  const cls = metric.constructor as unknown as MetricClass;
  return cls.fromConfig(metric.getConfig());
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
