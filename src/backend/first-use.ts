/**
 * What a synchronous call (a layer call, predict, any tensor op) does when
 * no backend runs yet, in the browser, where nothing starts at import.
 *
 * Why: `wasm` cannot start synchronously, and most of the API is
 * synchronous. tfjs itself, on the first op, starts its highest-priority
 * backend; for `wasm` it throws "has not yet been initialized ... await
 * tf.ready()" while the start goes on without our settings or our fallback.
 * Instead, the first op starts the engine as `backend.ready()` would (so a
 * later `await backend.ready()` finds it started or starting) and throws an
 * error that says to await `backend.ready()` first. A backend that starts
 * synchronously and that the user made current (`tf.setBackend('cpu')`,
 * which is done at once) runs as usual.
 *
 * In Node's CommonJS entry (src/require.ts, which `require()` loads and
 * which therefore cannot await at its top level) the first synchronous op
 * with nothing started or starting starts `cpu` at once instead, as tfjs
 * itself does for a backend that starts synchronously: `require` and go
 * works; `await backend.ready()` first runs on `wasm`.
 *
 * How: tfjs-core reaches the backend through its engine's `backend` getter;
 * an own getter on the engine instance answers before tfjs's does, and is
 * removed once a backend runs, so that the ops after pay nothing for it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { ready, silenceCpuNodeNotice } from './engine.js';

interface EngineInternals {
  backendName: string | null;
  backendInstance: tf.KernelBackend | null;
  pendingBackendInit: Promise<boolean> | null;
}

/** What the first synchronous op does when no backend runs: start `cpu` at once (Node's require entry), or throw. */
export interface FirstUseOptions {
  startCpu?: boolean;
}

function notStarted(starting: string | null, where: string): ValueError {
  const what =
    starting == null ? 'no backend has started' : `the ${JSON.stringify(starting)} backend is still starting`;
  return new ValueError(
    `The engine is not ready: ${what}. ${where} the engine starts asynchronously: call \`await backend.ready()\` (or \`await backend.ready({ backend: 'cpu' })\`) once before the first layer call, predict or tensor op.`,
    { argument: 'backend', expected: 'a started backend (await backend.ready() first)', received: what },
  );
}

/** Installs the getter on tfjs's engine; idempotent. */
export function guardFirstUse({ startCpu = false }: FirstUseOptions = {}): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (Object.hasOwn(engine, 'backend')) return;
  if (Object.getOwnPropertyDescriptor(Object.getPrototypeOf(engine), 'backend')?.get == null) return;
  Object.defineProperty(engine, 'backend', {
    configurable: true,
    get(this: EngineInternals) {
      if (this.backendInstance != null && this.pendingBackendInit == null) {
        // Started: tfjs's own getter from now on.
        delete (this as unknown as Record<string, unknown>).backend;
        return this.backendInstance;
      }
      const where = startCpu ? 'Under require()' : 'In the browser';
      if (this.pendingBackendInit != null) throw notStarted(this.backendName ?? 'default', where);
      if (startCpu && tf.findBackendFactory('cpu') != null) {
        // cpu's factory is synchronous: tfjs's setBackend sets it before its first await.
        void tf.setBackend('cpu');
        silenceCpuNodeNotice();
        delete (this as unknown as Record<string, unknown>).backend;
        return this.backendInstance;
      }
      // Nothing started (tfjs would now start its highest-priority backend): start as ready() does, and say so.
      void ready().catch(() => {});
      throw notStarted(null, where);
    },
  });
}
