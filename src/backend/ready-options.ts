/** The options of `backend.ready()`, checked: each bad value is an error naming it. */
import { invalidArgument } from '../errors.js';
import type { WasmSettings } from '../platform/platform.js';
import { readOptions } from '../utils/options.js';

/** The binaries of tfjs-backend-wasm, which a map given as `wasmPaths` must all name. */
export const WASM_BINARIES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/** The options of `backend.ready()`: which backend to start, and the `wasm` backend's binaries and threads. */
export interface ReadyOptions {
  /** The backend to run: `"wasm"`, `"cpu"`, or another registered with tfjs-core (`"webgl"`, `"webgpu"`). */
  backend?: string;
  /** Where the `.wasm` binaries are served: a folder URL ending in `/`, or a URL for each binary by its name. */
  wasmPaths?: string | Record<string, string>;
  /**
   * XNNPACK threads for `wasm` (a positive integer). Default, in Node: one
   * per core that other processes left free while `wasm` started (at least
   * 1, at most 8), so that a machine whose cores are busy gets the
   * single-thread speed rather than a slower shared split; in browsers,
   * tfjs's own choice.
   */
  threads?: number;
}

interface ReadOptions {
  backend: string | undefined;
  /** Undefined: unchanged. */
  wasmPaths: WasmSettings['paths'] | undefined;
  threads: WasmSettings['threads'] | undefined;
}

function readPaths(value: unknown): WasmSettings['paths'] | undefined {
  if (value === undefined) return undefined;
  const expected = `a folder URL ending in "/", or an object with a URL for each of ${WASM_BINARIES.join(', ')}`;
  if (typeof value === 'string') {
    if (!value.endsWith('/')) throw invalidArgument('wasmPaths', expected, value);
    return value;
  }
  if (value == null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument('wasmPaths', expected, value);
  }
  const map = value as Record<string, unknown>;
  const names = Object.keys(map);
  const complete = WASM_BINARIES.every((name) => typeof map[name] === 'string' && map[name] !== '');
  const unknown = names.some((name) => !(WASM_BINARIES as readonly string[]).includes(name));
  if (!complete || unknown) throw invalidArgument('wasmPaths', expected, value);
  return { ...(map as Record<string, string>) };
}

function readThreads(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidArgument('threads', 'a positive integer', value);
  }
  return value;
}

/** Reads `ready()`'s options, refusing unknown keys and bad values. */
export function readReadyOptions(options: unknown): ReadOptions {
  const read = readOptions<ReadyOptions>('backend.ready', options, ['backend', 'wasmPaths', 'threads']);
  if (read.backend !== undefined && (typeof read.backend !== 'string' || read.backend === '')) {
    throw invalidArgument('backend', 'the name of a registered backend, e.g. "wasm", "cpu" or "webgl"', read.backend);
  }
  return { backend: read.backend, wasmPaths: readPaths(read.wasmPaths), threads: readThreads(read.threads) };
}
