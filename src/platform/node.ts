/**
 * The Node platform: files through node:fs (atomic writes, bounded reads),
 * and the `wasm` backend threaded (threaded-wasm.ts). Imported only by the
 * Node entry (src/index.ts), so that nothing of it reaches a browser bundle.
 */
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerThreadedWasm, setThreadedWasmBinary } from '../backend/threaded-wasm.js';
import { installCallbackFiles } from '../callbacks/files.js';
import { nodeCallbackFiles } from '../callbacks/node-files.js';
import { ValueError } from '../errors.js';
import { writeFileAtomic } from '../saving/atomic-write.js';
import { readRegularFile } from './node-read-file.js';
import { installPlatform, type WasmSettings } from './platform.js';

const THREADED_BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';

/** The threaded binary's location among the user's `wasmPaths`, if they gave any. */
function threadedBinary(paths: WasmSettings['paths']): string | null {
  if (paths == null) return null;
  return typeof paths === 'string' ? `${paths}${THREADED_BINARY}` : (paths[THREADED_BINARY] ?? null);
}

registerThreadedWasm();
// CSVLogger, ModelCheckpoint and BackupAndRestore write files through this.
installCallbackFiles(nodeCallbackFiles);

installPlatform({
  name: 'node',
  readRegularFile,
  writeFileAtomic,
  download() {
    // saving.downloadModel checks first; this is for any other caller.
    throw new ValueError(
      'A download needs a browser. In Node, save to a file: saving.saveModel(model, "model.keras").',
      {
        argument: 'filename',
        expected: 'a browser page',
        received: 'node',
      },
    );
  },
  prepareWasm({ paths, threads }) {
    // Unset: tfjs's own setting stands (its setThreadsCount, called directly, still works).
    if (threads != null) setThreadsCount(threads);
    if (paths != null) setWasmPaths(paths);
    setThreadedWasmBinary(threadedBinary(paths));
  },
  async h5ModuleFactory() {
    // h5wasm's package exports only its shared instance; its factory is the file beside its entry point.
    const url = new URL('./hdf5_util.js', import.meta.resolve('h5wasm')).href;
    const factory = (await import(url)).default;
    return typeof factory === 'function' ? factory : null;
  },
  // In Node, cpu when wasm cannot start is the documented norm, not a surprise to warn about.
  warnOnWasmFallback: false,
});
