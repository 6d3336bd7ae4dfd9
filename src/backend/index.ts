/** The `backend` namespace: which tfjs backend runs, and Keras's constants. */

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
