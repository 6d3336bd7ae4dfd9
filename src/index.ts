/**
 * keras-regularizers: Keras 3's layer weight regularizers, layers and
 * training on TensorFlow.js. This is the Node entry.
 *
 * Importing it starts the engine (so that Node programs import and go): the
 * `wasm` backend, threaded (its binary ships in the npm package), or `cpu`
 * if wasm cannot start, with every gradient registered. Other choices are
 * made with `await backend.ready({ backend, threads, wasmPaths })`, which
 * starts wasm anew with new settings while no tensor lives on it.
 * Browsers get src/browser.ts (the `browser` export condition), which
 * starts nothing at import.
 */
import './platform/node.js';
import './saving/model-methods.js';
import { ready } from './backend/engine.js';

await ready();

export * from './api.js';
