/** The `models` namespace: Model, Sequential, and the loss helper for custom loops. */

export { type CloneOptions, cloneLayer, cloneModel } from './clone.js';
export { Functional, type FunctionalOptions, type GraphTensors, type Structure } from './functional/functional.js';
export {
  type CompileOptions,
  type EvaluateOptions,
  type FitOptions,
  type MetricIdentifier,
  type MetricName,
  Model,
  type ModelInputs,
  type Predictions,
  type PredictOptions,
  regularizationLoss,
  type Targets,
} from './model.js';
export { Sequential } from './sequential.js';
export { type ModelJson, modelFromJSON, modelToJSON } from './serialization.js';
export { layerLogKey } from './step.js';
