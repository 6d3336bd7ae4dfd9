/**
 * keras-regularizers: Keras 3's layer weight regularizers, layers and
 * training on TensorFlow.js.
 *
 * Importing this module starts the engine: the `wasm` backend in Node (its
 * binary ships in the npm package), or `cpu` if wasm cannot start, with
 * every gradient registered.
 */
import { ready } from './backend/engine.js';

await ready();

export * as activations from './activations/index.js';
export * as backend from './backend/index.js';
export * as bridges from './bridges/index.js';
export * as callbacks from './callbacks/index.js';
export { KerasTypeError, NotImplementedError, ValueError } from './errors.js';
export * as initializers from './initializers/index.js';
export * as layers from './layers/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as models from './models/index.js';
export * as ops from './ops/index.js';
export * as optimizers from './optimizers/index.js';
export * as regularizers from './regularizers/index.js';
// The classes Keras users write unqualified, for `new L2(0.01)`.
export { L1, L1L2, L2, OrthogonalRegularizer, Regularizer } from './regularizers/index.js';
export * as saving from './saving/index.js';
export * as utils from './utils/public.js';
