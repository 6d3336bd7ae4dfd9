/**
 * What `Model` reaches through a slot instead of an import: modules that
 * build on models/model.ts fill these when they load, so that model.ts
 * imports none of them (an import would be a cycle). Functional and
 * models/serialization.ts fill theirs; saving/model-methods.ts fills the
 * file methods (Keras keeps `Model.save` a thin call into `saving`, too).
 */
import type { FunctionalOptions } from './functional/functional.js';
import type { Model } from './model.js';
import type { ModelJson } from './serialization.js';

/** `model.save`, `saveWeights` and `loadWeights`, as the saving module implements them. */
export interface ModelFileMethods {
  save(model: Model, filepath: string, options: { overwrite?: boolean }): Promise<void>;
  saveWeights(model: Model, filepath: string, options: { overwrite?: boolean }): Promise<void>;
  loadWeights(model: Model, filepath: string): Promise<void>;
}

let functionalFactory: ((options: FunctionalOptions) => Model) | null = null;
let modelSerializer: ((model: Model) => ModelJson) | null = null;
let fileMethods: ModelFileMethods | null = null;

/** Set by functional.ts: `new Model({ inputs, outputs })` makes a Functional model. */
export function setFunctionalFactory(factory: (options: FunctionalOptions) => Model): void {
  functionalFactory = factory;
}

/** Set by models/serialization.ts: `model.toJSON()`. */
export function setModelSerializer(serializer: (model: Model) => ModelJson): void {
  modelSerializer = serializer;
}

/** Set by saving/model-methods.ts: `model.save`, `saveWeights`, `loadWeights`. */
export function setModelFileMethods(methods: ModelFileMethods): void {
  fileMethods = methods;
}

export function functionalFactoryOrThrow(): (options: FunctionalOptions) => Model {
  if (functionalFactory == null) throw new Error('Functional models are not loaded.');
  return functionalFactory;
}

export function modelSerializerOrThrow(): (model: Model) => ModelJson {
  if (modelSerializer == null) throw new Error('Model.toJSON: models/serialization.js was not loaded.');
  return modelSerializer;
}

export function modelFileMethods(): ModelFileMethods {
  if (fileMethods == null) {
    throw new Error('Model files: saving/model-methods.js was not loaded (import the package entry, not a deep path).');
  }
  return fileMethods;
}
