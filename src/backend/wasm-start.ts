/**
 * The `wasm` backend's settings (where its binaries are, how many threads)
 * and the state of its start, so that settings chosen before it starts are
 * applied when it starts, and settings chosen too late are refused out loud.
 *
 * Why a wrapper around the registered factory: tfjs starts a backend by
 * calling its factory, either when we ask (`ready()`) or on its own at the
 * first op; both must see the user's settings. tfjs-backend-wasm itself
 * ignores `setThreadsCount` after the start, and `setWasmPaths` too unless
 * the start failed, without a word.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { installedPlatform, type WasmSettings } from '../platform/platform.js';
import { formatValue } from '../utils/format.js';

type WasmState = 'idle' | 'starting' | 'running' | 'failed';

let settings: WasmSettings = { paths: null, threads: null };
let state: WasmState = 'idle';
let failure: unknown = null;
let wrapped: { factory: () => tf.KernelBackend | Promise<tf.KernelBackend>; priority: number } | null = null;

interface RegistryEntry {
  factory: () => tf.KernelBackend | Promise<tf.KernelBackend>;
  priority: number;
}

function registryEntry(name: string): RegistryEntry | undefined {
  return (tf.engine() as unknown as { registryFactory: Record<string, RegistryEntry> }).registryFactory[name];
}

/**
 * Wraps the registered `wasm` factory (tfjs's, or the threaded one in Node)
 * so that each start applies the settings first and records how it ended.
 */
export function trackWasmStarts(): void {
  const entry = registryEntry('wasm');
  if (entry == null || wrapped != null) return;
  const inner = entry.factory;
  const factory = async () => {
    state = 'starting';
    failure = null;
    try {
      await installedPlatform()?.prepareWasm(settings);
      const backend = await inner();
      state = 'running';
      return backend;
    } catch (error) {
      state = 'failed';
      failure = error;
      throw error;
    }
  };
  wrapped = { factory, priority: entry.priority };
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, entry.priority);
}

/** The settings the next start of `wasm` uses. */
export function wasmSettings(): WasmSettings {
  return settings;
}

/** Why the last start of `wasm` failed, or null. */
export function wasmFailure(): unknown {
  return failure;
}

/**
 * Refuses a setting given synchronously once `wasm` has started (or is
 * starting): only `ready()`, which can wait and start it anew, can apply it then.
 */
export function requireWasmNotStarted(argument: 'wasmPaths' | 'threads', value: unknown): void {
  if (state !== 'starting' && state !== 'running') return;
  throw new ValueError(
    `Too late to set ${argument}: the wasm backend has ${state === 'running' ? 'started' : 'begun to start'}, and tfjs would ignore it. Set it before the first op, or call \`await backend.ready({ ${argument} })\`, which starts wasm anew while no tensor lives on it. Received: ${argument}=${formatValue(value)}`,
    {
      argument,
      expected: 'a call before the wasm backend starts',
      received: `a call after it ${state === 'running' ? 'started' : 'began to start'}`,
    },
  );
}

/** Tensors whose data live on the running `wasm` backend (0 when it is not running). */
function tensorsOnWasm(): number {
  const running = (tf.engine() as unknown as { registry: Record<string, tf.KernelBackend> }).registry.wasm;
  return running == null ? 0 : running.numDataIds();
}

function sameSettings(a: WasmSettings, b: WasmSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Records new settings. Before `wasm` started they simply apply when it
 * starts. After it started they need a new start, which is only possible
 * while no tensor lives on it; returns whether one is needed, and refuses
 * (a ValueError that says so) when tensors would be lost.
 */
export function changeWasmSettings(next: Partial<WasmSettings>): boolean {
  const merged: WasmSettings = {
    paths: next.paths !== undefined ? next.paths : settings.paths,
    threads: next.threads !== undefined ? next.threads : settings.threads,
  };
  if (sameSettings(merged, settings)) return false;
  const live = tensorsOnWasm();
  if (state === 'running' && live > 0) {
    const argument = next.threads !== undefined && next.threads !== settings.threads ? 'threads' : 'wasmPaths';
    const value = argument === 'threads' ? merged.threads : merged.paths;
    throw new ValueError(
      `Too late to set ${argument}: the wasm backend already started, and ${live} tensor(s) live on it. Call backend.ready({ ${argument} }) before making any tensor. Received: ${argument}=${formatValue(value)}`,
      {
        argument,
        expected: 'a call before the wasm backend started (or before any tensor was made on it)',
        received: `a call after the start, with ${live} tensor(s) on wasm`,
      },
    );
  }
  settings = merged;
  return state === 'running';
}

/**
 * Starts `wasm` anew with the current settings: the running instance, which
 * holds no tensor (checked by `changeWasmSettings`), is disposed.
 */
export async function restartWasm(): Promise<void> {
  if (wrapped == null) return;
  const active = tf.getBackend() === 'wasm';
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', wrapped.factory, wrapped.priority);
  state = 'idle';
  if (active) await tf.setBackend('wasm');
}
