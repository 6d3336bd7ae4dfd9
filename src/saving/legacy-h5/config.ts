/**
 * The JSON of a legacy `.h5` model file turned into the Keras 3 JSON that
 * `modelFromJSON` reads, and back. The `model_config` attribute is Keras 2
 * style (layers without `module`, `"Model"` for Functional, Keras 2's
 * `batch_input_shape`, registered classes named `package>Name` in
 * `class_name`); `training_config` holds compile settings with the optimizer
 * under `optimizer_config`. The renames are those of Keras 3's legacy loader
 * (legacy/saving/saving_utils.py, `model_from_config` and
 * `compile_args_from_training_config`).
 */
import { ValueError } from '../../errors.js';
import type { ModelJson } from '../../models/serialization.js';
import { OPTIMIZER_CLASSES } from '../../optimizers/registry.js';
import { classNameOf } from '../../utils/class-name.js';
import { formatValue } from '../../utils/format.js';
import { isPlainObject, ownValue } from '../../utils/objects.js';

/** The compile settings Keras 3's legacy loader takes from `training_config`; it ignores the rest. */
const TRAINING_FIELDS = ['loss', 'loss_weights', 'metrics', 'weighted_metrics'] as const;

/** Deepest nesting walked: serialization.ts refuses deeper configs anyway. */
const MAX_DEPTH = 64;

/**
 * One layer's config as Keras 3's `model_from_config` rewrites it:
 * `batch_input_shape` becomes an InputLayer's `batch_shape` (other layers
 * read `batch_input_shape` themselves), and an `axis` of one entry a number.
 */
function legacyLayer(layer: Record<string, unknown>): Record<string, unknown> {
  const config = ownValue(layer, 'config');
  if (!isPlainObject(config)) return layer;
  const rewritten: Record<string, unknown> = { ...config };
  if (ownValue(layer, 'class_name') === 'InputLayer' && Object.hasOwn(rewritten, 'batch_input_shape')) {
    rewritten.batch_shape = rewritten.batch_input_shape;
    delete rewritten.batch_input_shape;
  }
  const axis = rewritten.axis;
  if (Array.isArray(axis) && axis.length === 1 && typeof axis[0] === 'number') rewritten.axis = axis[0];
  return { ...layer, config: rewritten };
}

/**
 * Keras 2 named a registered class `package>Name` in `class_name` and wrote
 * no `registered_name`: that name is the registry's key, so it is moved
 * there. Walks every object of the config; iterative depth is bounded.
 */
function withRegisteredNames(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => withRegisteredNames(item, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = withRegisteredNames(value[key], depth + 1);
  const className = ownValue(value, 'class_name');
  if (typeof className === 'string' && className.includes('>') && ownValue(value, 'registered_name') == null) {
    out.registered_name = className;
  }
  return out;
}

function notAModel(received: unknown): ValueError {
  return new ValueError(
    `The .h5 file's model_config is not a Keras model config: expected {"class_name": "Sequential" | "Functional" | "Model", "config": {...}}. Received: ${formatValue(received)}`,
    {
      argument: 'model_config',
      expected: '{"class_name": "Sequential" | "Functional" | "Model", "config": {...}}',
      received: formatValue(received),
    },
  );
}

/**
 * The outputs of a model's JSON: one for a Sequential; a Functional's
 * `output_layers`, one `[name, node, tensor]` entry each, or that entry alone.
 */
export function outputCount(json: ModelJson): number {
  const config = json.config as Record<string, unknown>;
  const outputs = json.class_name === 'Sequential' ? null : ownValue(config, 'output_layers');
  return Array.isArray(outputs) && outputs.every(Array.isArray) ? outputs.length : 1;
}

/** The Keras 3 JSON of a legacy `model_config` (parsed). */
export function modelJsonFromLegacy(modelConfig: unknown): ModelJson {
  if (!isPlainObject(modelConfig)) throw notAModel(modelConfig);
  const className = ownValue(modelConfig, 'class_name');
  const config = ownValue(modelConfig, 'config');
  if (!['Sequential', 'Functional', 'Model'].includes(className as string) || !isPlainObject(config)) {
    throw notAModel(modelConfig);
  }
  const layers = ownValue(config, 'layers');
  const rewritten: Record<string, unknown> = { ...config };
  if (Array.isArray(layers)) {
    rewritten.layers = layers.map((layer) => (isPlainObject(layer) ? legacyLayer(layer) : layer));
  }
  return withRegisteredNames({
    // Keras 2 saved a Functional model as "Model"; Keras 3 maps it to Functional.
    class_name: className === 'Model' ? 'Functional' : className,
    config: rewritten,
  }) as ModelJson;
}

/** The optimizers this library has, by the lower-case names Keras 3 matches class names with. */
const OPTIMIZERS: ReadonlyMap<string, string> = new Map(
  [...OPTIMIZER_CLASSES].map(([name, cls]) => [name, classNameOf(cls)]),
);
/** Keys of tf.keras 2.11+ optimizer configs that Keras 3's optimizers do not take. */
const KERAS2_OPTIMIZER_KEYS = ['jit_compile', 'is_legacy_optimizer'];

let warnedDecay = false;

/**
 * An `optimizer_config` in Keras 2's spellings, as this library's optimizers
 * read it: the class name matched without case, as Keras 3 does, and
 * without tf.keras 2.11's `Custom>` prefix (Keras 3 rebuilds such an
 * optimizer with its defaults; the file's settings are kept here, as Keras
 * 2 kept them); `lr` as `learning_rate` (Keras 2's alias, which Keras 3
 * refuses); `decay` dropped with Keras 3's warning; tf.keras 2.11's
 * `jit_compile` and `is_legacy_optimizer` dropped.
 */
function optimizerFromLegacy(optimizer: Record<string, unknown>): Record<string, unknown> {
  const className = ownValue(optimizer, 'class_name');
  const out: Record<string, unknown> = { ...optimizer };
  if (typeof className === 'string') {
    const bare = className.startsWith('Custom>') ? className.slice('Custom>'.length) : className;
    out.class_name = OPTIMIZERS.get(bare.toLowerCase()) ?? className;
  }
  const config = ownValue(optimizer, 'config');
  if (!isPlainObject(config)) return out;
  const rewritten: Record<string, unknown> = { ...config };
  if (Object.hasOwn(rewritten, 'lr')) {
    if (!Object.hasOwn(rewritten, 'learning_rate')) rewritten.learning_rate = rewritten.lr;
    delete rewritten.lr;
  }
  if (Object.hasOwn(rewritten, 'decay')) {
    if (rewritten.decay != null && !warnedDecay) {
      warnedDecay = true;
      console.warn('Argument `decay` is no longer supported and will be ignored.');
    }
    delete rewritten.decay;
  }
  for (const key of KERAS2_OPTIMIZER_KEYS) delete rewritten[key];
  out.config = rewritten;
  return out;
}

/** Metric aliases Keras 3's legacy loader turns into their functions, logged under the functions' names. */
const METRIC_ALIASES: ReadonlyMap<string, string> = new Map([
  ['mse', 'mean_squared_error'],
  ['mae', 'mean_absolute_error'],
  ['mape', 'mean_absolute_percentage_error'],
  ['msle', 'mean_squared_logarithmic_error'],
]);
/** Metric classes by the function a Keras 2 MeanMetricWrapper names in `fn`. */
const METRIC_CLASSES: ReadonlyMap<string, string> = new Map([
  ['mean_squared_error', 'MeanSquaredError'],
  ['mean_absolute_error', 'MeanAbsoluteError'],
  ['binary_accuracy', 'BinaryAccuracy'],
  ['categorical_accuracy', 'CategoricalAccuracy'],
  ['sparse_categorical_accuracy', 'SparseCategoricalAccuracy'],
  ['accuracy', 'Accuracy'],
]);

/**
 * One metric as Keras 3's legacy loader reads it: an alias as its
 * function's name; Keras 2's `MeanMetricWrapper` (what tf.keras 2 saved
 * after training; Keras 3 fails on it) as the metric class of its `fn`,
 * keeping its `name`, which is its key in the logs.
 */
function legacyMetric(metric: unknown): unknown {
  if (typeof metric === 'string') return METRIC_ALIASES.get(metric) ?? metric;
  if (isPlainObject(metric) && ownValue(metric, 'class_name') === 'MeanMetricWrapper') {
    const config = ownValue(metric, 'config');
    const fn = isPlainObject(config) ? ownValue(config, 'fn') : undefined;
    const className = typeof fn === 'string' ? METRIC_CLASSES.get(METRIC_ALIASES.get(fn) ?? fn) : undefined;
    if (className == null || !isPlainObject(config)) {
      throw new ValueError(
        `The .h5 file's training_config has a MeanMetricWrapper of ${formatValue(fn)}, which has no metric class here. Expected fn among ${[...METRIC_CLASSES.keys()].join(', ')}.`,
        {
          argument: 'training_config.metrics',
          expected: [...METRIC_CLASSES.keys()].join(', '),
          received: formatValue(fn),
        },
      );
    }
    return { class_name: className, config: { name: ownValue(config, 'name') ?? fn, dtype: 'float32' } };
  }
  return metric;
}

/** A metrics structure (a metric, a list, or a dict by output) with each metric as `legacyMetric` reads it. */
function legacyMetrics(metrics: unknown, depth = 0): unknown {
  if (depth > 3) return metrics;
  if (Array.isArray(metrics)) return metrics.map((m) => legacyMetrics(m, depth + 1));
  if (isPlainObject(metrics) && !Object.hasOwn(metrics, 'class_name')) {
    return Object.fromEntries(Object.entries(metrics).map(([key, m]) => [key, legacyMetrics(m, depth + 1)]));
  }
  return legacyMetric(metrics);
}

/** A loss structure with Keras 2's reduction "auto" (the mean over the batch, as compile used it) spelled out. */
function legacyLosses(loss: unknown, depth = 0): unknown {
  if (depth > 3) return loss;
  if (Array.isArray(loss)) return loss.map((l) => legacyLosses(l, depth + 1));
  if (!isPlainObject(loss)) return loss;
  if (!Object.hasOwn(loss, 'class_name')) {
    return Object.fromEntries(Object.entries(loss).map(([key, l]) => [key, legacyLosses(l, depth + 1)]));
  }
  const config = ownValue(loss, 'config');
  if (isPlainObject(config) && ownValue(config, 'reduction') === 'auto') {
    return { ...loss, config: { ...config, reduction: 'sum_over_batch_size' } };
  }
  return loss;
}

/** A metric's key in the logs, where it can be told from its JSON; null otherwise. */
function metricKey(metric: unknown): string | null {
  if (typeof metric === 'string') return metric;
  const config = isPlainObject(metric) ? ownValue(metric, 'config') : undefined;
  const name = isPlainObject(config) ? ownValue(config, 'name') : undefined;
  return typeof name === 'string' ? name : null;
}

/** Metric classes by the names compile takes, for a weighted metric renamed `weighted_<name>`. */
const RENAMABLE: ReadonlyMap<string, string> = new Map([
  ...METRIC_CLASSES,
  ...[...METRIC_ALIASES].map(([alias, name]): [string, string] => [alias, METRIC_CLASSES.get(name) ?? '']),
]);

/**
 * `weighted_metrics` folded into `metrics`. This library has no sample
 * weights, and without them Keras computes a weighted metric as the plain
 * one, logged under its name, or `weighted_<name>` where a metric of
 * `metrics` has that name already (Keras's CompileMetrics.result). Folded
 * for a model of one output, or when `metrics` is empty; otherwise refused,
 * naming the field.
 */
function foldWeighted(metrics: unknown, weighted: unknown, outputs: number): unknown {
  const none = (value: unknown) => value == null || (Array.isArray(value) && value.length === 0);
  if (none(weighted)) return metrics;
  if (none(metrics)) return weighted;
  if (outputs !== 1 || !Array.isArray(metrics) || !Array.isArray(weighted)) {
    throw new ValueError(
      `The .h5 file's training_config has weighted_metrics beside metrics for a model of ${outputs} outputs; without sample weights they are plain metrics, which can be folded into metrics for one output only. Received: weighted_metrics=${formatValue(weighted)}`,
      {
        argument: 'training_config.weighted_metrics',
        expected: 'null, or lists for a model of one output',
        received: formatValue(weighted),
      },
    );
  }
  const plain = metrics.flat(2);
  const keys = new Set(plain.map(metricKey));
  const folded = weighted.flat(2).map((metric) => {
    const key = metricKey(metric);
    if (key == null || !keys.has(key)) return metric;
    const className =
      typeof metric === 'string'
        ? RENAMABLE.get(metric)
        : isPlainObject(metric)
          ? ownValue(metric, 'class_name')
          : null;
    if (typeof className !== 'string' || className === '') {
      throw new ValueError(
        `The .h5 file's training_config repeats metric ${JSON.stringify(key)} in weighted_metrics, which Keras logs as weighted_${key}: a metric this library cannot rename.`,
        { argument: 'training_config.weighted_metrics', expected: 'metrics with a class here', received: key },
      );
    }
    return { class_name: className, config: { name: `weighted_${key}`, dtype: 'float32' } };
  });
  return [...plain, ...folded];
}

/**
 * The `compile_config` of a legacy `training_config` (parsed), as Keras 3's
 * `compile_args_from_training_config` reads it, and Keras 2's spellings as
 * Keras 2 read them (optimizerFromLegacy, legacyMetric, legacyLosses,
 * foldWeighted): its `optimizer_config` as `optimizer`, and the loss and
 * metric fields; Keras ignores the rest (`sample_weight_mode`). `outputs`
 * is the model's count of outputs.
 */
export function compileConfigFromLegacy(trainingConfig: unknown, outputs = 1): Record<string, unknown> {
  if (!isPlainObject(trainingConfig)) {
    throw new ValueError(
      `The .h5 file's training_config is not an object of compile settings. Received: ${formatValue(trainingConfig)}`,
      { argument: 'training_config', expected: 'an object', received: formatValue(trainingConfig) },
    );
  }
  const optimizer = ownValue(trainingConfig, 'optimizer_config');
  // Keras reads training_config["optimizer_config"] unconditionally: without it, it fails.
  if (!isPlainObject(optimizer)) {
    throw new ValueError(
      `The .h5 file's training_config has no optimizer_config object. Received: optimizer_config=${formatValue(optimizer)}`,
      {
        argument: 'training_config.optimizer_config',
        expected: '{"class_name": ..., "config": {...}}',
        received: formatValue(optimizer),
      },
    );
  }
  const field = (name: (typeof TRAINING_FIELDS)[number]) => withRegisteredNames(ownValue(trainingConfig, name));
  const compile: Record<string, unknown> = {
    optimizer: optimizerFromLegacy(withRegisteredNames(optimizer) as Record<string, unknown>),
  };
  if (field('loss') !== undefined) compile.loss = legacyLosses(field('loss'));
  // Keras 3 fails without loss_weights; files that lack it (Keras 1) mean none.
  if (field('loss_weights') !== undefined) compile.loss_weights = field('loss_weights');
  const metrics = foldWeighted(legacyMetrics(field('metrics')), legacyMetrics(field('weighted_metrics')), outputs);
  if (metrics !== undefined) compile.metrics = metrics;
  return compile;
}

/**
 * A layer or nested object as Keras's legacy writer puts it in
 * `model_config`: a layer entry keeps `class_name`, `config` (and a
 * Functional's `name` and `inbound_nodes`), without `module`,
 * `registered_name` or `build_config`; objects inside configs keep theirs.
 */
function legacyLayerEntry(entry: unknown): unknown {
  if (!isPlainObject(entry)) return entry;
  const { module: _module, registered_name: registered, build_config: _build, ...rest } = entry;
  const config = ownValue(rest, 'config');
  // A nested model's layers are layer entries too.
  if (isPlainObject(config) && Array.isArray(ownValue(config, 'layers'))) {
    rest.config = { ...config, layers: (config.layers as unknown[]).map(legacyLayerEntry) };
  }
  // A registered layer keeps its registry key, which Keras 2 wrote as its class_name.
  if (typeof registered === 'string' && registered !== rest.class_name) rest.class_name = registered;
  return rest;
}

/** The `model_config` Keras's legacy writer makes from the model's Keras 3 JSON. */
export function legacyModelConfig(json: ModelJson): Record<string, unknown> {
  const config = json.config as Record<string, unknown>;
  const layers = ownValue(config, 'layers');
  return {
    class_name: json.class_name,
    config: Array.isArray(layers) ? { ...config, layers: layers.map(legacyLayerEntry) } : config,
  };
}

/**
 * Loss aliases Keras 3.15's legacy loader cannot read back (its
 * `losses.deserialize("mse")` finds the metric function and refuses it,
 * even in files Keras wrote itself): written under their full names.
 */
const LOSS_ALIASES: ReadonlyMap<string, string> = new Map([
  ['mse', 'mean_squared_error'],
  ['mae', 'mean_absolute_error'],
  ['mape', 'mean_absolute_percentage_error'],
  ['msle', 'mean_squared_logarithmic_error'],
  ['kld', 'kl_divergence'],
]);

/** A loss structure (a name, a list or a dict of them) with the aliases above spelled out. */
function fullLossNames(loss: unknown): unknown {
  if (typeof loss === 'string') return LOSS_ALIASES.get(loss) ?? loss;
  if (Array.isArray(loss)) return loss.map(fullLossNames);
  if (isPlainObject(loss) && !Object.hasOwn(loss, 'class_name')) {
    return Object.fromEntries(Object.entries(loss).map(([key, value]) => [key, fullLossNames(value)]));
  }
  return loss;
}

/** The `training_config` Keras's legacy writer makes from a `compile_config`. */
export function legacyTrainingConfig(compile: Record<string, unknown>): Record<string, unknown> {
  const { optimizer, ...rest } = compile;
  const training: Record<string, unknown> = { loss_weights: null, ...rest };
  if (Object.hasOwn(training, 'loss')) training.loss = fullLossNames(training.loss);
  if (isPlainObject(optimizer)) {
    training.optimizer_config = { class_name: optimizer.class_name, config: optimizer.config };
  } else if (typeof optimizer === 'string') {
    training.optimizer_config = { class_name: optimizer, config: {} };
  }
  return training;
}
