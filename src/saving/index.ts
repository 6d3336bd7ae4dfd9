/** The `saving` namespace: registering custom objects and Keras JSON (de)serialization. */

export { classNameOfInstance as classNameOf } from '../utils/class-name.js';
export { camelToSnake, classNameToSnake, configToCamel, configToSnake, snakeToCamel } from './case.js';
export { KERAS_FORMAT_VERSION, loadModelFromBytes, saveModelToBytes } from './keras-archive.js';
export { loadModel, saveModel } from './keras-file.js';
export type { KerasFunctionJson, KerasObjectInput, KerasObjectJson, TfjsObjectJson } from './keras-json.js';
export {
  getRegisteredName,
  getRegisteredObject,
  type RegisterOptions,
  registerSerializable,
  type Serializable,
  unregisterSerializable,
} from './registry.js';
export { type CustomObjects, customObjectScope, type DeserializeOptions } from './serialization.js';
