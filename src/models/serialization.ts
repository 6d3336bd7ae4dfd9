/**
 * Whole models in Keras 3 JSON: the `config.json` of a `.keras` file, with
 * `build_config` and `compile_config` where Keras writes them.
 */
import { invalidArgument, KerasTypeError, ValueError } from '../errors.js';
import * as losses from '../losses/index.js';
import * as metricsModule from '../metrics/index.js';
import * as optimizers from '../optimizers/index.js';
import type { KerasObjectJson } from '../serialization/keras-json.js';
import {
  type DeserializableClass,
  type DeserializeOptions,
  deserializeKerasObject,
  type ObjectFamily,
  serializeKerasObject,
} from '../serialization/serialization.js';
import { disposeVariablesOnFailure } from '../utils/backend-capacity.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject, ownValue } from '../utils/objects.js';
import type { CompileOptions } from './compile.js';
import { Functional } from './functional/functional.js';
import { Model, setModelSerializer } from './model.js';
import { Sequential } from './sequential.js';

/** Built lazily: this module and sequential.ts import each other. */
function modelFamily(): ObjectFamily {
  return {
    kind: 'model',
    module: 'keras',
    classes: new Map<string, DeserializableClass>([
      ['Sequential', Sequential],
      ['Functional', Functional],
    ]),
  };
}

/** A model as Keras 3 JSON: `{ module, class_name, config, registered_name }`, with its build and compile configs when it has them. */
export type ModelJson = KerasObjectJson<Record<string, unknown>> & {
  build_config?: { input_shape: (number | null)[] | null };
  compile_config?: Record<string, unknown>;
};

/** The model as Keras 3 JSON (what `model.to_json()` and `config.json` hold). */
export function modelToJSON(model: Model): ModelJson {
  if (!(model instanceof Model)) {
    throw invalidArgument('model', 'a Model', model);
  }
  const json = serializeKerasObject(model, modelFamily()) as ModelJson;
  const inputShape = model.buildInputShape;
  // A Functional model builds from its own config: Keras writes input_shape null for it.
  if (model instanceof Functional) json.build_config = { input_shape: null };
  else if (inputShape != null) json.build_config = { input_shape: [null, ...(inputShape as number[]).slice(1)] };
  const compileConfig = model.getCompileConfig();
  if (compileConfig != null) json.compile_config = compileConfig;
  return json;
}

/**
 * Builds a model from Keras 3 JSON (an object or its text): the layers, their
 * weights' shapes, and the compile settings when present. Only built-in,
 * registered and `customObjects` classes are resolved.
 */
export function modelFromJSON(json: unknown, options: DeserializeOptions & { compile?: boolean } = {}): Model {
  let parsed = json;
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new ValueError(`Invalid model JSON: ${(error as Error).message}`, {
        argument: 'json',
        expected: 'JSON text',
      });
    }
  }
  // A layer refused mid-build (too large for the backend) leaves its predecessors' variables: free them.
  const model = disposeVariablesOnFailure(() => deserializeKerasObject(parsed, modelFamily(), options));
  if (!(model instanceof Model)) {
    throw new ValueError(`Could not build a model from ${formatValue(parsed)}: got ${formatValue(model)}.`, {
      argument: 'class_name',
      expected: 'a Model class',
      received: formatValue(model),
    });
  }
  try {
    const compileConfig = ownValue(parsed as Record<string, unknown>, 'compile_config');
    // Keras writes an empty compile_config for a model that was never compiled.
    const compiled = isPlainObject(compileConfig) && Object.keys(compileConfig).length > 0;
    if (compiled && options.compile !== false) compileFrom(model, compileConfig, options);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** The compile_config fields Keras's `compile()` takes; the last four change nothing here. */
const COMPILE_CONFIG_FIELDS = [
  'optimizer',
  'loss',
  'loss_weights',
  'metrics',
  'weighted_metrics',
  'run_eagerly',
  'steps_per_execution',
  'jit_compile',
  'auto_scale_loss',
];

/**
 * Runs `body`; an error it throws is rethrown, same class and details, with
 * the field (`compile_config.loss`, or `compile_config` for `""`) named first.
 */
function inField<T>(field: string, body: () => T): T {
  const name = field === '' ? 'compile_config' : `compile_config.${field}`;
  try {
    return body();
  } catch (error) {
    if (error instanceof ValueError) {
      throw new ValueError(`${name}: ${error.message}`, {
        argument: name,
        expected: error.expected,
        received: error.received,
      });
    }
    if (error instanceof KerasTypeError) {
      throw new KerasTypeError(`${name}: ${error.message}`, {
        argument: name,
        expected: error.expected,
        received: error.received,
      });
    }
    throw error;
  }
}

/** Keras JSON objects (`{class_name, config, ...}`) in a loss or metrics structure, turned into objects. */
function objectsIn(value: unknown, deserialize: (json: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => objectsIn(item, deserialize));
  if (isPlainObject(value)) {
    if (Object.hasOwn(value, 'class_name')) return deserialize(value);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, objectsIn(item, deserialize)]));
  }
  return value;
}

function unsupportedField(field: string, expected: string, value: unknown): ValueError {
  return new ValueError(`Unsupported compile_config.${field}: ${expected}. Received: ${field}=${formatValue(value)}`, {
    argument: `compile_config.${field}`,
    expected,
    received: formatValue(value),
  });
}

/**
 * Compiles `model` as Keras's `compile_from_config` does: the optimizer
 * (Keras's default `"rmsprop"` when the field is absent; none when null),
 * the losses and metrics as names, Keras objects, lists or dicts per
 * output, and `loss_weights`. What we cannot honour is an error naming the
 * field.
 */
function compileFrom(model: Model, config: Record<string, unknown>, options: DeserializeOptions): void {
  for (const key of Object.keys(config)) {
    if (!COMPILE_CONFIG_FIELDS.includes(key)) {
      throw new ValueError(
        `Unknown field ${JSON.stringify(key)} in compile_config. Expected: ${COMPILE_CONFIG_FIELDS.join(', ')}.`,
        { argument: `compile_config.${key}`, expected: COMPILE_CONFIG_FIELDS.join(', '), received: key },
      );
    }
  }
  const field = (key: string) => ownValue(config, key);
  for (const key of ['run_eagerly', 'auto_scale_loss']) {
    const value = field(key);
    if (value != null && typeof value !== 'boolean') throw unsupportedField(key, 'expected a boolean', value);
  }
  const jit = field('jit_compile');
  if (jit != null && typeof jit !== 'boolean' && jit !== 'auto') {
    throw unsupportedField('jit_compile', 'expected a boolean or "auto"', jit);
  }
  const steps = field('steps_per_execution');
  if (steps != null && !(Number.isInteger(steps) && (steps as number) > 0)) {
    throw unsupportedField('steps_per_execution', 'expected a positive integer', steps);
  }
  const optimizerJson = field('optimizer');
  const optimizer = inField('optimizer', () =>
    !Object.hasOwn(config, 'optimizer')
      ? 'rmsprop'
      : optimizerJson === null
        ? null
        : typeof optimizerJson === 'string'
          ? optimizers.get(optimizerJson)
          : optimizers.deserialize(optimizerJson),
  );
  const loss = inField('loss', () => objectsIn(field('loss'), (json) => losses.deserialize(json, options)));
  const metrics = inField('metrics', () =>
    objectsIn(field('metrics'), (json) => metricsModule.deserialize(json, options)),
  );
  const weightedMetrics = inField('weighted_metrics', () =>
    objectsIn(field('weighted_metrics'), (json) => metricsModule.deserialize(json, options)),
  );
  inField('', () =>
    model.compile({
      optimizer,
      loss: loss as CompileOptions['loss'],
      lossWeights: field('loss_weights') as CompileOptions['lossWeights'],
      metrics: metrics as CompileOptions['metrics'],
      weightedMetrics: weightedMetrics as CompileOptions['weightedMetrics'],
    }),
  );
}

setModelSerializer(modelToJSON);
