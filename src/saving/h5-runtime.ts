/**
 * The HDF5 runtime (h5wasm's WebAssembly) that reads untrusted weights files.
 *
 * h5wasm's shared instance cannot be trusted with hostile files: with its
 * throwing error handler on, an HDF5 error unwinds through C code that never
 * gets to close its handles, so each refused file leaves an open file, a
 * temporary file and heap behind, and after about two thousand refusals every
 * read fails ("memory access out of bounds"). So reads use a private instance:
 * errors are reported by return codes (the C code then frees what it opened)
 * and the diagnostics HDF5 prints are captured instead of reaching stderr;
 * its file system has no devices, so that a dataset stored "externally"
 * can name no file (the one being read is there under a random name); and an
 * instance that failed often, kept handles open or grew its heap large is
 * dropped, so that the garbage collector reclaims all of it, and the next
 * read starts a fresh one.
 *
 * Where h5wasm's factory cannot be reached (the browser build: h5wasm's
 * package exports only its shared instance, and a bundle has no
 * `import.meta.resolve`), the shared instance is used as before and these
 * guarantees do not hold; SECURITY.md says so.
 */
import { platform } from '../platform/platform.js';

type H5Module = typeof import('h5wasm').Module;
type ModuleFactory = (options: Record<string, unknown>) => Promise<H5Module>;

/** An instance is replaced after this many HDF5 errors, whatever it may have leaked. */
const FAILURES_BEFORE_RECYCLING = 64;
/** Or when its heap has grown past this (a large valid file): memory a new instance does not hold. */
const HEAP_BYTES_BEFORE_RECYCLING = 256 << 20;
/** Or when more files than the standard streams are left open (a handle HDF5 did not close). */
const OPEN_STREAMS_BEFORE_RECYCLING = 8;
/** Diagnostics kept per operation: HDF5's error stacks are a few dozen lines. */
const MAX_DIAGNOSTIC_LINES = 200;

export interface H5Runtime {
  readonly module: H5Module;
  /** False for h5wasm's shared instance, which is never recycled nor altered. */
  readonly isPrivate: boolean;
  /** HDF5's diagnostics since the last `takeDiagnostics()`. */
  takeDiagnostics(): string[];
  /** Records an HDF5 error: the runtime may have leaked, so it is counted towards recycling. */
  recordFailure(): void;
}

interface RuntimeState extends H5Runtime {
  failures: number;
}

let current: Promise<RuntimeState> | null = null;

/** h5wasm's module factory from the platform (Node finds it beside h5wasm's entry point); null where it cannot be reached. */
async function privateFactory(): Promise<ModuleFactory | null> {
  try {
    return ((await platform().h5ModuleFactory()) as ModuleFactory | null) ?? null;
  } catch {
    return null;
  }
}

/** Removes the devices and /proc from a private instance's file system; best effort. */
function removeDevices(module: H5Module): void {
  const fs = module.FS as unknown as { readdir(path: string): string[]; unlink(path: string): void };
  for (const folder of ['/dev', '/proc/self/fd']) {
    let names: string[] = [];
    try {
      names = fs.readdir(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name === '.' || name === '..') continue;
      try {
        fs.unlink(`${folder}/${name}`);
      } catch {
        // A folder (/dev/shm) or a mount: nothing reads raw data from it.
      }
    }
  }
}

async function startRuntime(): Promise<RuntimeState> {
  let diagnostics: string[] = [];
  const capture = (line: unknown) => {
    if (diagnostics.length < MAX_DIAGNOSTIC_LINES) diagnostics.push(String(line));
  };
  const factory = await privateFactory();
  let module: H5Module;
  let isPrivate = false;
  if (factory != null) {
    module = await factory({ noInitialRun: true, print: capture, printErr: capture });
    removeDevices(module);
    isPrivate = true;
  } else {
    const { default: h5 } = await import('h5wasm');
    module = (await h5.ready) as H5Module;
  }
  const state: RuntimeState = {
    module,
    isPrivate,
    failures: 0,
    takeDiagnostics() {
      const taken = diagnostics;
      diagnostics = [];
      return taken;
    },
    recordFailure() {
      state.failures++;
    },
  };
  return state;
}

function worn(state: RuntimeState): boolean {
  if (state.failures >= FAILURES_BEFORE_RECYCLING) return true;
  if (state.module.HEAPU8.length > HEAP_BYTES_BEFORE_RECYCLING) return true;
  const streams = (state.module.FS as unknown as { streams?: unknown[] }).streams ?? [];
  return streams.filter((stream) => stream != null).length > OPEN_STREAMS_BEFORE_RECYCLING;
}

/**
 * Runs `body` (synchronously, so no other read interleaves) on the reading
 * runtime, then drops a private runtime that has worn out.
 */
export async function withH5Runtime<T>(body: (runtime: H5Runtime) => T): Promise<T> {
  current ??= startRuntime();
  const pending = current;
  let state: RuntimeState;
  try {
    state = await pending;
  } catch (error) {
    if (current === pending) current = null;
    throw error;
  }
  try {
    state.takeDiagnostics();
    return body(state);
  } finally {
    if (state.isPrivate && current === pending && worn(state)) current = null;
  }
}
