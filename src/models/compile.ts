/**
 * `compile()`'s arguments, normalized to one loss, loss weight and metric
 * list per model output (a Sequential has one; a Functional model names
 * several), and written back as Keras's `compile_config`.
 */
import { invalidArgument, ValueError } from '../errors.js';
import * as losses from '../losses/index.js';
import * as metrics from '../metrics/index.js';
import * as optimizers from '../optimizers/index.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';

/** Keras's metric names (the loss names are metrics too), for autocompletion. */
export type MetricName =
  | 'accuracy'
  | 'acc'
  | 'binary_accuracy'
  | 'categorical_accuracy'
  | 'sparse_categorical_accuracy'
  | losses.LossName;

/** One output's metric, as `compile` takes it: a Keras name, a Metric object or a function. */
// `string & {}`: any other string still type-checks; an unknown one is refused with the list.
export type MetricIdentifier = MetricName | (string & {}) | metrics.Metric | metrics.MetricFunction;

/** The options of `Model.compile`, Keras's `compile(optimizer="rmsprop", loss=None, loss_weights=None, metrics=None)` camelCased. */
export interface CompileOptions {
  /**
   * `"sgd"`, `"adam"`, `"adamw"`, `"rmsprop"` or an optimizer object; default
   * `"rmsprop"`, as in Keras. `null` compiles without one: `evaluate` works,
   * `fit` and `trainOnBatch` refuse.
   */
  optimizer?: optimizers.OptimizerName | (string & {}) | optimizers.Optimizer | null;
  /**
   * A Keras loss name (`"mse"`, `"sparse_categorical_crossentropy"`, ...), a
   * Loss object (`new losses.SparseCategoricalCrossentropy({ fromLogits: true })`)
   * or a function, for every output; or one per output, as an array in
   * output order or a record keyed by output name. Without a loss, the
   * model trains on its penalties (`model.losses`) alone.
   */
  loss?: losses.LossIdentifier | (losses.LossIdentifier | null)[] | Record<string, losses.LossIdentifier | null> | null;
  /** A number (one output), or one per output as an array or a record by output name; default 1. */
  lossWeights?: number | number[] | Record<string, number> | null;
  /**
   * E.g. `["accuracy"]`: every metric for the single output (`"accuracy"`
   * picks the variant that fits the loss, as in Keras); or per output, an
   * array with an entry (a metric or an array of them) per output, or a
   * record keyed by output name.
   */
  metrics?:
    | MetricIdentifier[]
    | (MetricIdentifier | MetricIdentifier[] | null)[]
    | Record<string, MetricIdentifier | MetricIdentifier[] | null>
    | null;
  /**
   * Keras's `weighted_metrics`: metrics laid out as `metrics`, weighed by
   * the `sampleWeight` (or `classWeight`) of `fit` and `evaluate`. Logged
   * under the metric's name, or `weighted_<name>` when `metrics` has that
   * name already (Keras's rule).
   */
  weightedMetrics?:
    | MetricIdentifier[]
    | (MetricIdentifier | MetricIdentifier[] | null)[]
    | Record<string, MetricIdentifier | MetricIdentifier[] | null>
    | null;
}

const COMPILE_OPTIONS = ['optimizer', 'loss', 'lossWeights', 'metrics', 'weightedMetrics'];

/** A stateful metric of one output, with its key in the logs (Keras's `CompileMetrics.result` names). */
export interface CompiledMetric {
  key: string;
  metric: metrics.Metric;
}

/** What one model output contributes to the loss and the logs. */
export interface CompiledOutput {
  /** The output's name (`model.outputNames`). */
  name: string;
  loss: losses.Loss | null;
  /** The loss's weight in the total; null is 1 (Keras's None). */
  weight: number | null;
  /** The key of this output's unweighted loss in the logs when the model has several losses, else null. */
  lossKey: string | null;
  metrics: CompiledMetric[];
  /** Keras's `weighted_metrics` of this output, weighed by the sample weights. */
  weightedMetrics: CompiledMetric[];
}

export interface Compiled {
  optimizer: optimizers.Optimizer | null;
  outputs: CompiledOutput[];
  /** The metrics compile made (from names, functions, or clones of an object given twice): freed with the model. */
  ownMetrics: metrics.Metric[];
  /** Keras's `compile_config` without the optimizer, or null when a function in it cannot be named in JSON. */
  config: { loss: unknown; loss_weights: unknown; metrics: unknown; weighted_metrics: unknown } | null;
}

const describeNames = (names: readonly string[]) => `[${names.map((n) => JSON.stringify(n)).join(', ')}]`;

/** Checks that every key of a per-output record is an output name. */
function checkRecordKeys(record: Record<string, unknown>, outputNames: readonly string[], argument: string): void {
  for (const key of Object.keys(record)) {
    if (!outputNames.includes(key)) {
      throw new ValueError(
        `Unknown output name ${JSON.stringify(key)} in ${argument}: the model's outputs are ${describeNames(outputNames)}. Received: ${argument}=${formatValue(record)}`,
        { argument, expected: `keys among ${describeNames(outputNames)}`, received: key },
      );
    }
  }
}

function perOutputArray<T>(value: readonly T[], outputNames: readonly string[], argument: string, what: string): T[] {
  if (value.length !== outputNames.length) {
    throw new ValueError(
      `Expected ${outputNames.length} ${what} in ${argument}, one per model output ${describeNames(outputNames)}. Received: ${argument}=${formatValue(value)}`,
      { argument, expected: `${outputNames.length} entries`, received: formatValue(value) },
    );
  }
  return [...value];
}

function isLossIdentifier(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'function' || value instanceof losses.Loss;
}

/**
 * `losses.toLoss`, refusing a loss that does not reduce to a scalar (Keras's
 * JAX backend fails on it at the first step; its TensorFlow backend trains on
 * the sum of the unreduced losses).
 */
function compiledLoss(identifier: unknown): losses.Loss {
  const loss = losses.toLoss(identifier);
  if (loss.reduction == null || loss.reduction === 'none') {
    throw new ValueError(
      `Loss ${JSON.stringify(loss.name)} has reduction ${JSON.stringify(loss.reduction)}: compile() needs a loss reduced to a scalar ("sum_over_batch_size", "sum", "mean" or "mean_with_sample_weight"). Received: reduction=${JSON.stringify(loss.reduction)}`,
      { argument: 'reduction', expected: 'a reduction to a scalar', received: JSON.stringify(loss.reduction) },
    );
  }
  return loss;
}

function normalizeLosses(loss: unknown, outputNames: readonly string[]): (losses.Loss | null)[] {
  if (loss == null) return outputNames.map(() => null);
  if (isLossIdentifier(loss)) return outputNames.map(() => compiledLoss(loss));
  let perOutput: unknown[];
  if (Array.isArray(loss)) {
    perOutput = perOutputArray(loss, outputNames, 'loss', 'losses');
  } else if (isPlainObject(loss)) {
    checkRecordKeys(loss, outputNames, 'loss');
    const missing = outputNames.filter((name) => !Object.hasOwn(loss, name));
    if (missing.length > 0) {
      throw new ValueError(
        `Expected keys ${describeNames(outputNames)} in the loss record, one per model output, but found ${describeNames(Object.keys(loss))}. Give null for an output without a loss.`,
        { argument: 'loss', expected: `keys ${describeNames(outputNames)}`, received: formatValue(loss) },
      );
    }
    perOutput = outputNames.map((name) => loss[name]);
  } else {
    // Not a loss, an array or a record: toLoss throws, naming it.
    return outputNames.map(() => compiledLoss(loss));
  }
  return perOutput.map((entry) => (entry == null ? null : compiledLoss(entry)));
}

function checkWeight(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(argument, 'a finite number', value);
  return value;
}

function normalizeWeights(lossWeights: unknown, outputNames: readonly string[]): (number | null)[] {
  if (lossWeights == null) return outputNames.map(() => null);
  if (typeof lossWeights === 'number') {
    if (outputNames.length !== 1) {
      throw new ValueError(
        `A single number for lossWeights fits a model with one output; this one has ${outputNames.length} ${describeNames(outputNames)}: give an array or a record by output name. Received: lossWeights=${formatValue(lossWeights)}`,
        { argument: 'lossWeights', expected: 'an array or a record', received: formatValue(lossWeights) },
      );
    }
    return [checkWeight(lossWeights, 'lossWeights')];
  }
  if (Array.isArray(lossWeights)) {
    return perOutputArray(lossWeights, outputNames, 'lossWeights', 'weights').map((w, i) =>
      checkWeight(w, `lossWeights[${i}]`),
    );
  }
  if (isPlainObject(lossWeights)) {
    checkRecordKeys(lossWeights, outputNames, 'lossWeights');
    return outputNames.map((name) =>
      Object.hasOwn(lossWeights, name) ? checkWeight(lossWeights[name], `lossWeights.${name}`) : null,
    );
  }
  throw new ValueError(
    `Expected \`lossWeights\` to be a number (single output case) or an array or a record by output name (multiple output case). Received instead: lossWeights=${formatValue(lossWeights)}`,
    { argument: 'lossWeights', expected: 'a number, an array or a record', received: formatValue(lossWeights) },
  );
}

const asList = (entry: unknown): unknown[] => (entry == null ? [] : Array.isArray(entry) ? entry : [entry]);

function normalizeMetrics(given: unknown, outputNames: readonly string[], argument = 'metrics'): unknown[][] {
  // Keras's `if not metrics`: an empty list or record is none.
  const empty = (Array.isArray(given) || isPlainObject(given)) && Object.keys(given).length === 0;
  if (given == null || empty) return outputNames.map(() => []);
  if (Array.isArray(given)) {
    // One output: every metric is its own, in a flat array or one nested per output.
    if (outputNames.length === 1) return [given.flatMap(asList)];
    return perOutputArray(given, outputNames, argument, 'metric lists').map(asList);
  }
  if (isPlainObject(given)) {
    checkRecordKeys(given, outputNames, argument);
    return outputNames.map((name) => asList(Object.hasOwn(given, name) ? given[name] : null));
  }
  throw new ValueError(
    `Expected \`${argument}\` argument to be an array or a record by output name. Received instead: ${argument}=${formatValue(given)}`,
    { argument, expected: 'an array or a record', received: formatValue(given) },
  );
}

function checkMetricKeys(outputs: readonly CompiledOutput[]): void {
  const used = outputs.flatMap((output) => [...output.metrics, ...output.weightedMetrics].map((m) => m.key));
  for (const key of used) {
    // Metric values share the logs with the loss and the penalties.
    if (key === 'loss' || key.startsWith('regularization_loss') || key.startsWith('val_')) {
      throw new ValueError(
        `Invalid metric name ${JSON.stringify(key)}: "loss", "regularization_loss…" and "val_…" would collide in the logs.`,
        { argument: 'metrics', expected: 'names not used by the logs', received: key },
      );
    }
  }
}

/**
 * The metrics' keys in the logs, as Keras's `CompileMetrics.result` names
 * them: the metric's name (after the output's, for several outputs), with
 * `_1`, `_2`, ... on repeats; a weighted metric whose key is taken becomes
 * `weighted_<name>` (output first), then `_1`, `_2`, ... on repeats.
 */
function nameMetrics(outputs: readonly CompiledOutput[], single: boolean): void {
  const counters = new Map<string, number>();
  for (const output of outputs) {
    const prefix = single ? '' : `${output.name}_`;
    for (const entry of output.metrics) {
      const key = `${prefix}${entry.metric.name}`;
      const seen = counters.get(key);
      counters.set(key, (seen ?? 0) + 1);
      entry.key = seen == null ? key : `${key}_${seen}`;
    }
  }
  for (const output of outputs) {
    const prefix = single ? '' : `${output.name}_`;
    for (const entry of output.weightedMetrics) {
      let key = `${prefix}${entry.metric.name}`;
      if (!counters.has(key)) counters.set(key, 1);
      else {
        key = `${prefix}weighted_${entry.metric.name}`;
        const seen = counters.get(key);
        counters.set(key, (seen ?? 0) + 1);
        if (seen != null) key = `${key}_${seen}`;
      }
      entry.key = key;
    }
  }
}

/**
 * The stateful metrics of one compile: Keras's `get_metric` for each
 * identifier. An object given again (for another output, or twice) is
 * cloned, so that no two entries share a state; what compile makes it
 * records in `own`.
 */
function metricMaker(own: metrics.Metric[]): (identifier: unknown) => CompiledMetric {
  const used = new Set<metrics.Metric>();
  return (identifier) => {
    let metric = metrics.toMetric(identifier);
    if (metric === identifier) {
      if (metric.isDisposed) {
        throw new ValueError(`Metric "${metric.name}" was disposed; compile() needs a metric with its variables.`, {
          argument: 'metrics',
          expected: 'a metric that has not been disposed',
          received: String(metric),
        });
      }
      if (used.has(metric)) {
        metric = metrics.cloneMetric(metric);
        own.push(metric);
      } else used.add(metric);
    } else own.push(metric);
    return { key: metric.name, metric };
  };
}

/** A value of `compile()`'s arguments as Keras JSON, or undefined when a function in it has no JSON. */
function toKerasJson(value: unknown): unknown {
  if (value == null) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (value instanceof losses.LossFunctionWrapper || typeof value === 'function') return undefined;
  if (value instanceof losses.Loss) return losses.serialize(value);
  if (value instanceof metrics.Metric) return metrics.serialize(value);
  if (Array.isArray(value)) {
    const items = value.map(toKerasJson);
    return items.includes(undefined) ? undefined : items;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([key, item]) => [key, toKerasJson(item)] as const);
    return entries.some(([, item]) => item === undefined) ? undefined : Object.fromEntries(entries);
  }
  return undefined;
}

/**
 * Reads `compile()`'s options for a model with outputs `outputNames`:
 * resolves every identifier (an unknown one throws before anything
 * changes) and lays them out per output.
 */
export function resolveCompile(options: unknown, outputNames: readonly string[]): Compiled {
  const read = readOptions<CompileOptions>('compile()', options, COMPILE_OPTIONS);
  const optimizer =
    read.optimizer === null
      ? null
      : optimizers.get((read.optimizer === undefined ? 'rmsprop' : read.optimizer) as string);
  const lossList = normalizeLosses(read.loss, outputNames);
  const weights = normalizeWeights(read.lossWeights, outputNames);
  const metricLists = normalizeMetrics(read.metrics, outputNames);
  const weightedLists = normalizeMetrics(read.weightedMetrics, outputNames, 'weightedMetrics');
  const single = outputNames.length === 1;
  const ownMetrics: metrics.Metric[] = [];
  const make = metricMaker(ownMetrics);
  const lossCount = lossList.filter((l) => l != null).length;
  const outputs = outputNames.map((name, i): CompiledOutput => {
    const loss = lossList[i] ?? null;
    return {
      name,
      loss,
      weight: weights[i] ?? null,
      lossKey: loss != null && lossCount > 1 ? `${name}_loss` : null,
      metrics: [],
      weightedMetrics: [],
    };
  });
  try {
    outputs.forEach((output, i) => {
      output.metrics = (metricLists[i] ?? []).map(make);
    });
    outputs.forEach((output, i) => {
      output.weightedMetrics = (weightedLists[i] ?? []).map(make);
    });
    nameMetrics(outputs, single);
    checkMetricKeys(outputs);
  } catch (error) {
    for (const metric of ownMetrics) metric.dispose();
    throw error;
  }
  const loss = toKerasJson(read.loss);
  const lossWeights = toKerasJson(read.lossWeights);
  const metricsJson = toKerasJson(read.metrics);
  const weightedJson = toKerasJson(read.weightedMetrics);
  const config =
    loss === undefined || lossWeights === undefined || metricsJson === undefined || weightedJson === undefined
      ? null
      : { loss, loss_weights: lossWeights, metrics: metricsJson, weighted_metrics: weightedJson };
  return { optimizer, outputs, ownMetrics, config };
}

/** Keras's `compile_config` of a compiled model, or null when a function in it has no JSON. */
export function compileConfigOf(compiled: Compiled): Record<string, unknown> | null {
  if (compiled.config == null) return null;
  return {
    optimizer: compiled.optimizer == null ? null : optimizers.serialize(compiled.optimizer),
    ...compiled.config,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}
