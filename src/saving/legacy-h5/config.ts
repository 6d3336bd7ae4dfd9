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

/**
 * The `compile_config` of a legacy `training_config` (parsed): its
 * `optimizer_config` as `optimizer`, and the loss and metric fields Keras
 * reads; null when there is nothing to compile from.
 */
export function compileConfigFromLegacy(trainingConfig: unknown): Record<string, unknown> {
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
  const compile: Record<string, unknown> = { optimizer: withRegisteredNames(optimizer) };
  for (const field of TRAINING_FIELDS) {
    const value = ownValue(trainingConfig, field);
    if (value !== undefined) compile[field] = withRegisteredNames(value);
  }
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
