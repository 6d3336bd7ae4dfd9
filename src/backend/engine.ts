/**
 * Engine start-up: tfjs-core with the `wasm` backend by default in Node and
 * `cpu` as the fallback, and every gradient registered.
 */
import * as tf from '@tensorflow/tfjs-core';
// Importing a backend package registers it with tfjs-core; that is their API.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import './generated/tfjs-registrations.js';
import { ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import { registerFastBiasGradient } from './add-gradient.js';
import { registerFastTranspose } from './fast-transpose.js';
import { registerFusedKernels } from './fused-kernels.js';
import { registerFastMatMulGradient } from './matmul-gradient.js';
import { registerFastMaxPoolGradient } from './max-pool-gradient.js';
import { registerFastReluGradient } from './relu-gradient.js';
import { registerSharedIdentity } from './shared-identity.js';
import { registerThreadedWasm } from './threaded-wasm.js';
import { registerZeroGradients } from './zero-gradients.js';

registerZeroGradients();
registerFastMatMulGradient();
registerFusedKernels();
registerFastTranspose();
registerFastMaxPoolGradient();
registerFastBiasGradient();
registerFastReluGradient();
registerSharedIdentity();
registerThreadedWasm();

/** The backend tried first, then the one used when it cannot start. */
export const PREFERRED_BACKENDS = ['wasm', 'cpu'] as const;

let startup: Promise<string> | null = null;

/**
 * Resolves once a backend is running: the one the user already chose, else
 * `wasm`, else `cpu`. Safe to call many times; the first call does the work.
 */
export function ready(): Promise<string> {
  startup ??= startPreferredBackend();
  return startup;
}

async function startPreferredBackend(): Promise<string> {
  const chosen = tf.engine().backendName;
  if (chosen != null) return chosen;
  for (const name of PREFERRED_BACKENDS) {
    if (tf.findBackendFactory(name) == null) continue;
    if (await startBackend(name)) return name;
  }
  // Nothing we know started: let tfjs pick whatever else is registered.
  await tf.ready();
  return tf.getBackend();
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
function silenceCpuNodeNotice(): void {
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
  if (typeof name !== 'string' || tf.findBackendFactory(name) == null) {
    const known = listBackends().map((n) => JSON.stringify(n));
    throw new ValueError(
      `Invalid value for argument name: expected a registered backend (one of ${known.join(', ')}). Received: name=${formatValue(name)}`,
      { argument: 'name', expected: known.join(', '), received: formatValue(name) },
    );
  }
  if (!(await startBackend(name))) {
    throw new ValueError(`Backend ${JSON.stringify(name)} failed to start.`, { argument: 'name', received: name });
  }
  startup = Promise.resolve(name);
}

/** The name of the running backend, e.g. `"wasm"`. */
export function getBackend(): string {
  return tf.getBackend();
}

/** Names of the backends registered with tfjs-core. */
export function listBackends(): string[] {
  return Object.keys(tf.engine().registryFactory);
}
