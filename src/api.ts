/**
 * The library's public API, the same from both entries: src/index.ts (Node)
 * and src/browser.ts (browsers), which differ only in the platform they
 * install and in when the engine starts. Each namespace is documented in its
 * own module (src/<namespace>/index.ts), the comment typedoc shows for it.
 *
 * @packageDocumentation
 */
export * as activations from './activations/index.js';
export * as backend from './backend/index.js';
export * as bridges from './bridges/index.js';
export * as callbacks from './callbacks/index.js';
export * as constraints from './constraints/index.js';
export * as datasets from './datasets/index.js';
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
