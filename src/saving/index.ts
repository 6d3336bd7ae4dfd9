/**
 * The `saving` namespace, Keras's `keras.saving`: `.keras` and `.weights.h5`
 * files (paths in Node; bytes, File, Blob, Response and downloads anywhere),
 * registering custom objects, and Keras JSON (de)serialization.
 *
 * @packageDocumentation
 * @example const model = await saving.loadModel('model.keras');
 */

// Fills model.save, saveWeights and loadWeights (models/ does not import saving/).
import './model-methods.js';

export { camelToSnake, classNameToSnake, configToCamel, configToSnake, snakeToCamel } from '../serialization/case.js';
export type {
  KerasFunctionJson,
  KerasObjectInput,
  KerasObjectJson,
  TfjsObjectJson,
} from '../serialization/keras-json.js';
export {
  getRegisteredName,
  getRegisteredObject,
  type RegisterOptions,
  registerSerializable,
  type Serializable,
  unregisterSerializable,
} from '../serialization/registry.js';
export { type CustomObjects, customObjectScope, type DeserializeOptions } from '../serialization/serialization.js';
export { classNameOfInstance as classNameOf } from '../utils/class-name.js';
export {
  type ByteSource,
  downloadModel,
  downloadWeights,
  loadModelFrom,
  loadWeightsFrom,
} from './from-sources.js';
export { KERAS_FORMAT_VERSION, loadModelFromBytes, saveModelToBytes } from './keras-archive.js';
export { loadModel, type SaveOptions, saveModel } from './keras-file.js';
export type { LoadOptions } from './load-options.js';
export { loadWeights, loadWeightsFromBytes, saveWeights, saveWeightsToBytes } from './weights-file.js';
