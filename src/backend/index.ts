/**
 * The `backend` namespace: which tfjs backend runs (`wasm`, `cpu`, or any
 * other registered with tfjs-core), and Keras's `keras.backend` constants.
 *
 * @packageDocumentation
 * @example await backend.ready({ backend: 'cpu' });
 */

export { epsilon, floatx } from './config.js';
export {
  getBackend,
  listBackends,
  PREFERRED_BACKENDS,
  type ReadyOptions,
  ready,
  setBackend,
  setThreadsCount,
  setWasmPaths,
} from './engine.js';
