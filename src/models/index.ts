/**
 * The `models` namespace, Keras's `keras.models` (with `keras.Model` and
 * `keras.Sequential`): Model, Sequential and Functional, cloning, model
 * JSON, the loss helper for custom loops, and `prune` (a regularized model
 * made smaller).
 *
 * @packageDocumentation
 * @example const model = new models.Sequential([layers.Input({ shape: [4] }), new layers.Dense({ units: 1 })]);
 */

export { type CloneOptions, cloneLayer, cloneModel } from './clone.js';
export { Functional, type FunctionalOptions, type GraphTensors, type Structure } from './functional/functional.js';
export {
  type Batch,
  type BatchIterable,
  type ClassWeights,
  type CompileOptions,
  type DataSource,
  type EvaluateOptions,
  type FitOptions,
  type MetricIdentifier,
  type MetricName,
  Model,
  type ModelInputs,
  type PredictBatch,
  type Predictions,
  type PredictOptions,
  regularizationLoss,
  type SampleWeights,
  type Targets,
  type TensorData,
} from './model.js';
export { type PruneOptions, type PruneResult, prune } from './pruning/prune.js';
export { formatPruneReport, type PruneLayerReport, type PruneReport } from './pruning/report.js';
export { Sequential } from './sequential.js';
export { type ModelJson, modelFromJSON, modelToJSON } from './serialization.js';
export { layerLogKey } from './step.js';
