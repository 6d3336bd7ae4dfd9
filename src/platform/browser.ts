/**
 * The browser platform: no file system (the path-based saving calls say
 * what to use instead), downloads through a link, and the `wasm` backend's
 * binaries fetched from where the bundle put them, threaded only in a
 * cross-origin isolated page. Imported only by the browser entry
 * (src/browser.ts); nothing here imports a Node built-in.
 */
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { guardFirstUse } from '../backend/first-use.js';
import { WASM_BINARIES } from '../backend/ready-options.js';
import { ValueError } from '../errors.js';
import { shippedWasmBinaries } from '../wasm-binaries.js';
import { installPlatform, noFileSystem, type WasmSettings } from './platform.js';

const WHERE_SHIPPED = 'node_modules/keras-regularizers/dist/wasm/';

/** The binary tfjs-backend-wasm will load: its own rule, from what the page supports. */
async function chosenBinary(): Promise<string> {
  const [simd, threads] = await Promise.all([
    tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  ]);
  if (simd && threads) return 'tfjs-backend-wasm-threaded-simd.wasm';
  return simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
}

/** Each binary's URL: the user's `wasmPaths`, else where the build ships them; null when unknown. */
function binaryUrls(paths: WasmSettings['paths']): Record<string, string> | null {
  if (paths == null) return shippedWasmBinaries();
  const base = typeof document === 'object' ? document.baseURI : globalThis.location?.href;
  const resolve = (url: string) => new URL(url, base).href;
  return Object.fromEntries(
    WASM_BINARIES.map((name) => [
      name,
      resolve(typeof paths === 'string' ? `${paths}${name}` : (paths[name] as string)),
    ]),
  );
}

function cannotLoad(name: string, url: string, what: string, paths: WasmSettings['paths']): ValueError {
  const folder = new URL('.', url).href;
  const fix =
    paths == null
      ? `Serve the files of ${WHERE_SHIPPED} (${WASM_BINARIES.join(', ')}) at ${folder}, or say where they are: await backend.ready({ wasmPaths: '/path/to/wasm/' }).`
      : 'Check wasmPaths: it must lead to the files of keras-regularizers/dist/wasm/.';
  return new ValueError(
    `The wasm backend needs ${name}, and ${url} ${what}. ${fix} Or run on cpu: await backend.ready({ backend: 'cpu' }).`,
    { argument: 'wasmPaths', expected: `${name} served at ${url}`, received: what },
  );
}

/** The binary's bytes, or an error that names the URL, what the server said, and what to serve or set. */
async function fetchBinary(name: string, url: string, paths: WasmSettings['paths']): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (error) {
    throw cannotLoad(name, url, `could not be fetched (${(error as Error).message})`, paths);
  }
  if (!response.ok) throw cannotLoad(name, url, `answered HTTP ${response.status}`, paths);
  return response.arrayBuffer();
}

/** The object URL handed to tfjs for the fetched binary; replaced at each start. */
let fetchedBinary: string | null = null;

async function prepareWasm({ paths, threads }: WasmSettings): Promise<void> {
  // Threads need SharedArrayBuffer, which browsers give only to cross-origin isolated pages (COOP and COEP headers).
  if (globalThis.crossOriginIsolated !== true) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // Unset: tfjs's own setting stands (its setThreadsCount, called directly, still works).
  if (threads != null) setThreadsCount(threads);
  const name = await chosenBinary();
  const urls = binaryUrls(paths);
  if (urls == null) {
    throw new ValueError(
      `This bundle has no import.meta.url, so the wasm backend cannot find ${name} beside it. Say where the files of ${WHERE_SHIPPED} are served: await backend.ready({ wasmPaths: '/path/to/wasm/' }). Or run on cpu: await backend.ready({ backend: 'cpu' }).`,
      { argument: 'wasmPaths', expected: 'the URL of the .wasm files', received: 'none, and no import.meta.url' },
    );
  }
  // Fetched here, not by tfjs: a missing file is then one clear error, not Emscripten's abort and a dozen console lines.
  const bytes = await fetchBinary(name, urls[name] as string, paths);
  if (fetchedBinary != null) URL.revokeObjectURL(fetchedBinary);
  fetchedBinary = URL.createObjectURL(new Blob([bytes], { type: 'application/wasm' }));
  setWasmPaths({ ...urls, [name]: fetchedBinary });
}

function download(bytes: Uint8Array, filename: string, mimeType: string): void {
  if (typeof document !== 'object') {
    throw new ValueError('A download needs a page (document); this code runs without one, e.g. in a worker.', {
      argument: 'filename',
      expected: 'a page with a document',
      received: 'no document',
    });
  }
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the blob after click() returns; a minute is ample.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

installPlatform({
  name: 'browser',
  readRegularFile: async () => {
    throw noFileSystem(
      'Loading from a file path',
      'the bytes variants, e.g. saving.loadModelFromBytes(bytes) with the bytes of a file input or a fetch()',
    );
  },
  writeFileAtomic: async (_path, bytes) => {
    // The bytes may still be in the making: their failure is not this error's.
    Promise.resolve(bytes).catch(() => {});
    throw noFileSystem(
      'Saving to a file path',
      'saving.saveModelToBytes(model), or saving.downloadModel(model, "model.keras")',
    );
  },
  download,
  // h5wasm's package exports only its shared instance; bundles cannot reach its factory.
  h5ModuleFactory: async () => null,
  prepareWasm,
  warnOnWasmFallback: true,
});

guardFirstUse();
