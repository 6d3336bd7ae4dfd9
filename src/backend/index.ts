/** The `backend` namespace: which tfjs backend runs, and Keras's constants. */

export { epsilon, floatx } from './config.js';
export { getBackend, listBackends, PREFERRED_BACKENDS, ready, setBackend } from './engine.js';
