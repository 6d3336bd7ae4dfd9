/**
 * Whole models in Keras 3 JSON: the `config.json` of a `.keras` file, with
 * `build_config` and `compile_config` where Keras writes them.
 */
import { invalidArgument, ValueError } from '../errors.js';
import * as optimizers from '../optimizers/index.js';
import type { KerasObjectJson } from '../serialization/keras-json.js';
import {
  type DeserializableClass,
  type DeserializeOptions,
  deserializeKerasObject,
  type ObjectFamily,
  serializeKerasObject,
} from '../serialization/serialization.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject, ownValue } from '../utils/objects.js';
import { Model } from './model.js';
import { Functional } from './functional/functional.js';
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
  const model = deserializeKerasObject(parsed, modelFamily(), options);
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
    if (compiled && options.compile !== false) compileFrom(model, compileConfig);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

function compileFrom(model: Model, config: unknown): void {
  const loss = isPlainObject(config) ? ownValue(config, 'loss') : undefined;
  const metricNames = isPlainObject(config) ? (ownValue(config, 'metrics') ?? []) : undefined;
  if (typeof loss !== 'string' || !Array.isArray(metricNames) || !metricNames.every((m) => typeof m === 'string')) {
    throw new ValueError(
      `Unsupported compile_config: expected a loss name and metric names. Received: compile_config=${formatValue(config)}`,
      { argument: 'compile_config', expected: 'a loss name and metric names', received: formatValue(config) },
    );
  }
  const optimizer = optimizers.deserialize(ownValue(config as Record<string, unknown>, 'optimizer'));
  model.compile({ optimizer, loss, metrics: metricNames as string[] });
}
