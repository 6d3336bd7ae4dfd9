/**
 * What differs between Node and the browser, behind one interface: reading
 * and writing files, offering bytes as a download, and where the `wasm`
 * backend finds its binaries and whether it may use threads.
 *
 * Why an installed object rather than imports: the browser build must have
 * no Node built-in anywhere in its import graph (bundlers resolve even a
 * string-literal `import('node:fs')` that never runs, and fail on it). So
 * the Node implementation (node.ts) is imported only by the Node entry
 * (src/index.ts) and the browser one (browser.ts) only by the browser entry
 * (src/browser.ts); each installs itself here before the rest of the
 * library runs, and the shared code asks `platform()`.
 */
import { ValueError } from '../errors.js';

/** The wasm settings the user chose (`backend.ready()`), applied when `wasm` starts. */
export interface WasmSettings {
  /** A folder URL ending in `/`, or a map from each binary's name to its URL (tfjs's `setWasmPaths`). */
  readonly paths: string | Readonly<Record<string, string>> | null;
  /** XNNPACK threads, or null for one per core. */
  readonly threads: number | null;
}

export interface Platform {
  /** `node` or `browser`: errors say which. */
  readonly name: 'node' | 'browser';
  /** The bytes of the regular file at `path`, refusing anything else or anything over `limit` bytes. */
  readRegularFile(path: string, limit: number, argument: string): Promise<Uint8Array>;
  /** Writes `bytes` to `path` atomically, in call order per path; `overwrite` false refuses an existing file. */
  writeFileAtomic(path: string, bytes: Uint8Array | Promise<Uint8Array>, overwrite: boolean): Promise<void>;
  /** Offers `bytes` to the user as a file named `filename` (a browser download). */
  download(bytes: Uint8Array, filename: string, mimeType: string): void;
  /**
   * Configures tfjs-backend-wasm right before it starts (binaries' URLs,
   * threads); rejects, saying what to serve or set, when the binary it
   * needs cannot be had.
   */
  prepareWasm(settings: WasmSettings): Promise<void> | void;
  /**
   * h5wasm's Emscripten module factory, to make private HDF5 runtimes for
   * reading untrusted files (h5-runtime.ts); null where it cannot be reached.
   */
  h5ModuleFactory(): Promise<unknown>;
  /** Whether a failed default start of `wasm` is worth a console warning (the browser) or silent (Node: cpu is the norm). */
  readonly warnOnWasmFallback: boolean;
}

let installed: Platform | null = null;

/** Makes `platform` the one the library uses; the package's entry does this once, first. */
export function installPlatform(platform: Platform): void {
  installed = platform;
}

/** The installed platform. */
export function platform(): Platform {
  if (installed == null) {
    // Only a program importing the library's internal modules, not its entry, gets here.
    throw new ValueError(
      "No platform is installed: import 'keras-regularizers' (its Node or browser entry), not its internal modules.",
      { argument: 'platform', expected: 'the Node or browser platform', received: 'none' },
    );
  }
  return installed;
}

/** The installed platform, or null before an entry installed one. */
export function installedPlatform(): Platform | null {
  return installed;
}

/** The error of a file operation asked for where there are no files: it names the call and what to use instead. */
export function noFileSystem(operation: string, instead: string): ValueError {
  return new ValueError(`${operation} needs a file system, which the browser does not have. Use ${instead} instead.`, {
    argument: 'filepath',
    expected: 'a file system (Node)',
    received: 'a browser',
  });
}
