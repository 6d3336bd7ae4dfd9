/**
 * keras-regularizers' browser entry (the `browser` export condition, which
 * esbuild, Vite and webpack use for browser builds). It has no Node
 * built-in in its import graph and starts nothing at import (no top-level
 * await, so IIFE bundles work): the engine starts at `await
 * backend.ready(options)`, or at the first op if the user did not call it
 * (that op then throws an error saying to await `backend.ready()`).
 */
import './platform/browser.js';
import './saving/model-methods.js';

export * from './api.js';
