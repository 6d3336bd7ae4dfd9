/**
 * The `wasm` backend with threads in Node: tfjs-backend-wasm's threaded SIMD
 * build, so that XNNPACK's matmuls and convolutions use every core.
 *
 * Why: tfjs ships that build but turns it off in Node (tensorflow/tfjs#3830),
 * because it hands Emscripten its pthread worker as a Blob URL, which Node's
 * worker_threads cannot start. We start the same build with the worker
 * script written to a file (scripts/write-wasm-pthread-worker.mjs) and the
 * package's own `BackendWasm` on top, so every wasm kernel, `setThreadsCount`
 * and `getThreadsCount` of '@tensorflow/tfjs-backend-wasm' work as usual.
 * When the threaded build cannot start, the stock single-threaded one does.
 */
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { othersBusyCores, sampleCpu, threadsForFreeCores } from './core-contention.js';

/** tfjs-backend-wasm's own priority for `wasm`. */
const WASM_PRIORITY = 2;
const MAIN_SCRIPT = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
const WORKER_SCRIPT = new URL('./generated/wasm-pthread-worker.cjs', import.meta.url);
const BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';

/** Where the threaded binary is read from when the user said (`backend.ready({ wasmPaths })`); else the package's. */
let binaryLocation: string | null = null;

/** Reads the threaded binary from `location` (a path or a file: URL) from the next start on; null: the package's own. */
export function setThreadedWasmBinary(location: string | null): void {
  binaryLocation = location;
}

/** The parts of the Emscripten module that starting it needs. */
interface EmscriptenModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: { unusedWorkers: PthreadWorker[]; runningWorkers: PthreadWorker[] };
  tfjs?: unknown;
}

interface PthreadWorker {
  terminate(): void;
  unref(): void;
}

type Instantiate = (
  info: WebAssembly.Imports,
  receiveInstance: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
) => object;

/**
 * Makes `wasm` start threaded where that can help: in Node, with more than
 * one core and shared memory. Elsewhere tfjs's own factory stays.
 */
export function registerThreadedWasm(): void {
  const stock = tf.findBackendFactory('wasm');
  if (stock == null || !canRunThreads()) return;
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      try {
        return await startThreadedWasm();
      } catch {
        return stock();
      }
    },
    WASM_PRIORITY,
  );
}

function canRunThreads(): boolean {
  const node = typeof process === 'object' && typeof process.versions?.node === 'string';
  return node && typeof SharedArrayBuffer === 'function' && typeof WebAssembly === 'object';
}

/** The shortest window over which the cores' busy time is sampled (their counters tick every 10 ms). */
const SAMPLE_MS = 100;

async function startThreadedWasm(): Promise<BackendWasm> {
  const cpuBefore = await sampleCpu();
  const [
    { createRequire },
    { availableParallelism },
    { existsSync, readFileSync },
    { dirname, join },
    { fileURLToPath },
    { Worker: NodeWorker },
  ] = await Promise.all([
    import('node:module'),
    import('node:os'),
    import('node:fs'),
    import('node:path'),
    import('node:url'),
    import('node:worker_threads'),
  ]);
  const cores = availableParallelism();
  const workerScript = fileURLToPath(WORKER_SCRIPT);
  // A worker that fails to start throws out of its error event: check first.
  if (cores < 2 || !existsSync(workerScript)) throw new Error('no threads to use');
  const require = createRequire(import.meta.url);
  const mainScript = require.resolve(MAIN_SCRIPT);
  const binary = binaryLocation?.startsWith('file:')
    ? fileURLToPath(binaryLocation)
    : (binaryLocation ?? join(dirname(mainScript), BINARY));
  const createModule = require(mainScript) as (config: object) => Promise<EmscriptenModule>;

  let failInstantiation: (error: unknown) => void = () => {};
  const instantiationFailed = new Promise<never>((_, reject) => {
    failInstantiation = reject;
  });
  const instantiateWasm: Instantiate = (info, receiveInstance) => {
    // tfjs sizes its thread pool from half the logical cores (it assumes two
    // hyperthreads per core); Node tells us the cores we may use, so report
    // twice that. tfjs still caps the pool at 8 threads.
    const env = { ...info.env, emscripten_num_logical_cores: () => 2 * cores };
    WebAssembly.instantiate(readFileSync(binary), { ...info, env }).then(
      ({ instance, module }) => receiveInstance(instance, module),
      failInstantiation,
    );
    return {};
  };
  /**
   * A worker of the pool runs only the worker script, with none of this
   * process's flags: a worker inherits them by default, and some stop it
   * from starting (`--input-type`, `--eval`), which would take the process down.
   */
  class PoolWorker extends NodeWorker {
    constructor(file: string) {
      super(file, { execArgv: [] });
    }
  }
  // Emscripten makes this object the module, and starts the workers at once.
  const config = {
    locateFile: (file: string, prefix: string) => {
      if (!file.endsWith('.worker.js')) return prefix + file;
      // Emscripten makes each worker with the global `Worker`, which it has
      // just set to Node's; ours passes the options.
      (globalThis as { Worker?: unknown }).Worker = PoolWorker;
      return workerScript;
    },
    // What each worker evaluates to make its copy of the module.
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm,
    onAbort: failInstantiation,
  } as Partial<EmscriptenModule>;
  let module: EmscriptenModule;
  try {
    module = await Promise.race([createModule(config), instantiationFailed]);
  } catch (error) {
    // Workers waiting for a module that never comes would keep Node alive.
    for (const worker of config.PThread?.unusedWorkers ?? []) worker.terminate();
    throw error;
  }
  const waitMs = SAMPLE_MS - (performance.now() - cpuBefore.at);
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  // Threads when neither `backend.ready({ threads })` nor tfjs's
  // `setThreadsCount` said (tfjs passes -1): the cores other processes
  // leave free over the start (see core-contention.ts).
  const freeCores = Math.min(8, threadsForFreeCores(cores, othersBusyCores(cpuBefore, await sampleCpu(), cores)));
  const initWithThreadsCount = module.cwrap('init_with_threads_count', null, ['number']);
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: (count: number) => initWithThreadsCount(count > 0 ? count : freeCores),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  // Makes XNNPACK's thread pool: `setThreadsCount` threads, else one per core.
  const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  // Emscripten starts 8 workers up front; the pool has taken what it uses.
  // The rest would only hold memory. Pool threads wait for work and must not
  // keep Node from exiting.
  for (const worker of module.PThread.unusedWorkers) worker.terminate();
  module.PThread.unusedWorkers = [];
  for (const worker of module.PThread.runningWorkers) worker.unref();
  return backend;
}
