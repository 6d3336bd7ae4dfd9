/**
 * Engine start-up: tfjs-core with the `cpu` and `wasm` backends registered
 * and every gradient and kernel of ours registered at import (synchronous
 * and cheap); `ready()` is the one asynchronous step, which starts a
 * backend. Which backend starts by default, and when, is the entries'
 * choice: the Node entry awaits `ready()` at import, the browser entry
 * leaves it to the user or to the first need (first-use.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
// Importing a backend package registers it with tfjs-core; that is their API.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import './generated/tfjs-registrations.js';
import { ValueError } from '../errors.js';
import { installedPlatform } from '../platform/platform.js';
import { formatValue } from '../utils/format.js';
import { registerFastBiasGradient } from './add-gradient.js';
import { registerFastTranspose } from './fast-transpose.js';
import { registerFusedKernels } from './fused-kernels.js';
import { registerFastMatMulGradient } from './matmul-gradient.js';
import { registerFastMaxPoolGradient } from './max-pool-gradient.js';
import { type ReadyOptions, readReadyOptions } from './ready-options.js';
import { registerFastReluGradient } from './relu-gradient.js';
import { registerSharedIdentity } from './shared-identity.js';
import { changeWasmSettings, requireWasmNotStarted, restartWasm, trackWasmStarts, wasmFailure } from './wasm-start.js';
import { registerZeroGradients } from './zero-gradients.js';

registerZeroGradients();
registerFastMatMulGradient();
registerFusedKernels();
registerFastTranspose();
registerFastMaxPoolGradient();
registerFastBiasGradient();
registerFastReluGradient();
registerSharedIdentity();
trackWasmStarts();

export type { ReadyOptions } from './ready-options.js';

/** The backend tried first, then the one used when it cannot start. */
export const PREFERRED_BACKENDS = ['wasm', 'cpu'] as const;

/**
 * Starts, one after the other: two calls of `ready()` at once must not start
 * two instances of one backend (tfjs would start both and keep the last).
 */
let queue: Promise<unknown> = Promise.resolve();

function inTurn<T>(body: () => Promise<T>): Promise<T> {
  const run = queue.then(body);
  queue = run.catch(() => {});
  return run;
}

interface EngineState {
  backendName: string | null;
  backendInstance: tf.KernelBackend | null;
  pendingBackendInit: Promise<boolean> | null;
}

/** The backend that runs now, or null while none has started (or one is still starting). */
export function runningBackend(): string | null {
  const engine = tf.engine() as unknown as EngineState;
  if (engine.pendingBackendInit != null || engine.backendInstance == null) return null;
  return engine.backendName;
}

/**
 * Starts the engine and resolves with the running backend's name. Safe to
 * call many times. With no options: the backend already running, else
 * `wasm`, else `cpu`. Options:
 * - `backend`: the backend to run (`"wasm"`, `"cpu"`, or any registered with
 *   tfjs-core, e.g. `"webgl"` once @tensorflow/tfjs-backend-webgl is imported);
 *   it rejects if that one cannot start.
 * - `wasmPaths`: where the `.wasm` binaries are served: a folder URL ending
 *   in `/`, or a map from each binary's name to its URL.
 * - `threads`: XNNPACK threads for `wasm`. Default in Node: one per core
 *   other processes leave free while `wasm` starts (at least 1, at most 8):
 *   with every core busy elsewhere, one thread, which is then faster than two.
 *
 * `wasmPaths` and `threads` apply when `wasm` starts; given after it started
 * they start it anew if no tensor lives on it yet, and are refused otherwise.
 *
 * @example await backend.ready({ backend: 'wasm', wasmPaths: '/static/wasm/' });
 */
export function ready(options: ReadyOptions = {}): Promise<string> {
  return inTurn(async () => {
    const { backend, wasmPaths, threads } = readReadyOptions(options);
    if (changeWasmSettings({ paths: wasmPaths, threads })) await restartWasm();
    if (backend != null) {
      if (runningBackend() !== backend) await startNamed(backend);
      return backend;
    }
    // A start the user began with tfjs (`tf.setBackend('webgpu')`, not awaited) is theirs to finish.
    const pending = (tf.engine() as unknown as EngineState).pendingBackendInit;
    if (pending != null) await pending;
    return runningBackend() ?? startPreferredBackend();
  });
}

async function startPreferredBackend(): Promise<string> {
  for (const name of PREFERRED_BACKENDS) {
    if (tf.findBackendFactory(name) == null) continue;
    if (await startBackend(name)) return name;
    if (name === 'wasm' && installedPlatform()?.warnOnWasmFallback) {
      console.warn(`keras-regularizers runs on cpu: ${describeFailure(wasmFailure())}`);
    }
  }
  // Nothing we know started: let tfjs pick whatever else is registered.
  await tf.ready();
  return tf.getBackend();
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error != null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return 'the wasm backend failed to start.';
}

/** Starts `name` or throws: a ValueError naming an unknown backend, or saying why a registered one did not start. */
async function startNamed(name: string): Promise<void> {
  if (tf.findBackendFactory(name) == null) {
    const known = listBackends().map((n) => JSON.stringify(n));
    throw new ValueError(
      `Invalid value for argument name: expected a registered backend (one of ${known.join(', ')}). Received: name=${formatValue(name)}`,
      { argument: 'name', expected: known.join(', '), received: formatValue(name) },
    );
  }
  if (!(await startBackend(name))) {
    const cause = name === 'wasm' ? wasmFailure() : null;
    // The platform's error says what to serve or set (browser): keep its details.
    const details = cause instanceof ValueError ? cause : { argument: 'name', expected: 'a backend that starts here' };
    const why = cause != null ? ` ${describeFailure(cause)}` : '';
    throw new ValueError(`Backend ${JSON.stringify(name)} failed to start.${why}`, {
      argument: details.argument ?? 'name',
      expected: details.expected ?? 'a backend that starts here',
      received: cause instanceof ValueError ? (cause.received ?? name) : name,
    });
  }
}

async function startBackend(name: string): Promise<boolean> {
  try {
    if (!(await withoutNewProcessHandlers(() => tf.setBackend(name)))) return false;
  } catch {
    return false;
  }
  silenceCpuNodeNotice();
  return true;
}

/**
 * The wasm backend's Emscripten runtime, when it starts in Node, adds
 * `uncaughtException` and `unhandledRejection` handlers that rethrow: Node
 * then prints the whole minified runtime as the error's source line. They
 * serve only Emscripten's own exit handling, so we take them off again.
 */
async function withoutNewProcessHandlers<T>(body: () => Promise<T>): Promise<T> {
  if (typeof process === 'undefined' || typeof process.listeners !== 'function') return body();
  const events = ['uncaughtException', 'unhandledRejection'];
  const listeners = (event: string) => process.listeners(event as 'uncaughtException');
  const before = events.map((event) => new Set(listeners(event)));
  try {
    return await body();
  } finally {
    events.forEach((event, i) => {
      for (const listener of listeners(event)) {
        if (!before[i]?.has(listener)) process.removeListener(event, listener);
      }
    });
  }
}

/**
 * The `cpu` backend prints a notice on first use in Node suggesting
 * tfjs-node, which cannot be installed offline and which we do not need.
 * The notice is gated by this instance flag; clearing it is cosmetic only.
 */
export function silenceCpuNodeNotice(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu != null && 'firstUse' in cpu) cpu.firstUse = false;
}

/**
 * Switches the engine to backend `name` (`"wasm"`, `"cpu"`, or any backend
 * registered with tfjs-core) and waits until it runs.
 *
 * @example await backend.setBackend('cpu');
 */
export async function setBackend(name: string): Promise<void> {
  await inTurn(() => startNamed(name));
}

/**
 * Where the `wasm` backend's `.wasm` binaries are served (a folder URL ending
 * in `/`, or a URL per binary name), for its next start; refused (a
 * ValueError) once it started, where tfjs's own `setWasmPaths` is silently
 * ignored. The same as `ready({ wasmPaths })`, which can also restart it.
 */
export function setWasmPaths(paths: string | Record<string, string>): void {
  const { wasmPaths } = readReadyOptions({ wasmPaths: paths });
  requireWasmNotStarted('wasmPaths', paths);
  changeWasmSettings({ paths: wasmPaths });
}

/** XNNPACK threads for the `wasm` backend's next start; refused (a ValueError) once it started. */
export function setThreadsCount(threads: number): void {
  const read = readReadyOptions({ threads });
  requireWasmNotStarted('threads', threads);
  changeWasmSettings({ threads: read.threads });
}

/** The name of the running backend, e.g. `"wasm"`. */
export function getBackend(): string {
  return tf.getBackend();
}

/** Names of the backends registered with tfjs-core. */
export function listBackends(): string[] {
  return Object.keys(tf.engine().registryFactory);
}
