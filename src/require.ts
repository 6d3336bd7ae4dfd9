/**
 * The Node entry for `require('keras-regularizers')` (the `require` export
 * condition goes to dist/index.cjs, which loads this): the same API as
 * src/index.ts, but no top-level await anywhere in its import graph, which
 * Node's `require()` of an ES module refuses (ERR_REQUIRE_ASYNC_MODULE). So
 * nothing starts at load: `await backend.ready()` starts `wasm` (or `cpu`
 * if wasm cannot start), as the `import` entry does at import; without it,
 * the first synchronous op starts `cpu` at once (first-use.ts), and `fit`,
 * `evaluate` or a load runs on whatever runs then.
 */
import './platform/node.js';
import './saving/model-methods.js';
import { guardFirstUse } from './backend/first-use.js';

guardFirstUse({ startCpu: true });

export * from './api.js';
