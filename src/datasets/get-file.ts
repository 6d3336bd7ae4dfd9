/**
 * Keras's `get_file` for the datasets: a file fetched once from its URL
 * into the cache folder (`~/.keras/datasets`, or `$KERAS_HOME/datasets`, or
 * `cacheDir/datasets`; `/tmp/.keras/datasets` when that is not writable),
 * checked against its sha256 (64 hex digits) or md5 hash, re-fetched when
 * a cached copy does not match, refused (and removed) when a download does
 * not match. Node only: the browser has no cache folder to keep 170 MB in.
 */
import { ValueError } from '../errors.js';
import { readOptions } from '../utils/options.js';

/** The options every `loadData()` takes besides Keras's own. */
export interface FetchOptions {
  /**
   * The folder the files are fetched from, instead of Keras's
   * (`https://storage.googleapis.com/tensorflow/tf-keras-datasets/`, or
   * `https://www.cs.toronto.edu/~kriz/` for CIFAR): a mirror, or a local
   * server in tests. The file's own name is appended.
   */
  baseUrl?: string;
  /** The cache folder in place of `$KERAS_HOME` or `~/.keras` (files go to its `datasets/`). */
  cacheDir?: string;
  /**
   * The file's expected sha256 (or md5) hash in place of Keras's, for a
   * mirror of other bytes; `null` skips the check.
   */
  fileHash?: string | null;
}

/** The option names of FetchOptions, for `readOptions`. */
export const FETCH_OPTIONS = ['baseUrl', 'cacheDir', 'fileHash'] as const;

interface NodeApi {
  fs: typeof import('node:fs/promises');
  fsSync: typeof import('node:fs');
  path: typeof import('node:path');
  os: typeof import('node:os');
  crypto: typeof import('node:crypto');
}

/** Node's modules, imported by a computed name so that no bundler resolves them for the browser. */
async function nodeApi(dataset: string): Promise<NodeApi> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (typeof proc?.versions?.node !== 'string') {
    throw new ValueError(
      `datasets.${dataset}.loadData() runs in Node only: it keeps the files in a cache folder on disk. In a browser, fetch the arrays from your own server instead.`,
      { argument: 'environment', expected: 'Node', received: 'a browser' },
    );
  }
  const load = (name: string) => import(/* @vite-ignore */ `node:${name}`);
  const [fs, fsSync, path, os, crypto] = await Promise.all([
    load('fs/promises'),
    load('fs'),
    load('path'),
    load('os'),
    load('crypto'),
  ]);
  return { fs, fsSync, path, os, crypto };
}

/** The fetch options of `options`, checked. */
export function readFetchOptions(options: Partial<FetchOptions>): FetchOptions {
  const { baseUrl, cacheDir, fileHash } = options;
  if (baseUrl !== undefined && (typeof baseUrl !== 'string' || baseUrl.length === 0)) {
    throw new ValueError(`baseUrl must be a URL string. Received: ${String(baseUrl)}`, {
      argument: 'baseUrl',
      expected: 'a URL string',
      received: String(baseUrl),
    });
  }
  if (cacheDir !== undefined && (typeof cacheDir !== 'string' || cacheDir.length === 0)) {
    throw new ValueError(`cacheDir must be a folder path. Received: ${String(cacheDir)}`, {
      argument: 'cacheDir',
      expected: 'a folder path',
      received: String(cacheDir),
    });
  }
  if (fileHash !== undefined && fileHash !== null && !/^([0-9a-f]{32}|[0-9a-f]{64})$/i.test(String(fileHash))) {
    throw new ValueError(
      `fileHash must be a sha256 (64 hex digits) or md5 (32) hash, or null. Received: ${String(fileHash)}`,
      {
        argument: 'fileHash',
        expected: 'a sha256 or md5 hex string, or null',
        received: String(fileHash),
      },
    );
  }
  return {
    ...(baseUrl !== undefined && { baseUrl }),
    ...(cacheDir !== undefined && { cacheDir }),
    ...(fileHash !== undefined && { fileHash }),
  };
}

/** One file to fetch: Keras's URL, its name in the cache, its hash. */
export interface RemoteFile {
  readonly dataset: string;
  readonly url: string;
  /** The name in the cache folder (Keras's `fname`). */
  readonly fname: string;
  /** Keras's `cache_subdir` under the cache folder. */
  readonly subdir?: string;
  readonly fileHash: string | null;
}

/** The cache folder Keras would use: `cacheDir` or `$KERAS_HOME` or `~/.keras`, else `/tmp/.keras` when not writable. */
async function cacheRoot(api: NodeApi, cacheDir: string | undefined): Promise<string> {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const wanted = cacheDir ?? env.KERAS_HOME ?? api.path.join(api.os.homedir(), '.keras');
  const base = wanted.startsWith('~') ? api.path.join(api.os.homedir(), wanted.slice(1)) : wanted;
  try {
    await api.fs.mkdir(base, { recursive: true });
    await api.fs.access(base, api.fsSync.constants.W_OK);
    return base;
  } catch {
    return api.path.join(api.os.tmpdir(), '.keras');
  }
}

function hashOf(api: NodeApi, bytes: Uint8Array, expected: string): string {
  return api.crypto
    .createHash(expected.length === 64 ? 'sha256' : 'md5')
    .update(bytes)
    .digest('hex');
}

/**
 * The bytes of `file`: from the cache when there and matching its hash,
 * else downloaded (from `options.baseUrl` when given) and cached.
 */
export async function getFile(file: RemoteFile, options: FetchOptions): Promise<Uint8Array> {
  const api = await nodeApi(file.dataset);
  const root = await cacheRoot(api, options.cacheDir);
  const folder = api.path.join(root, file.subdir ?? 'datasets');
  await api.fs.mkdir(folder, { recursive: true });
  const target = api.path.join(folder, file.fname);
  const name = file.url.slice(file.url.lastIndexOf('/') + 1);
  const url = options.baseUrl == null ? file.url : `${options.baseUrl.replace(/\/?$/, '/')}${name}`;
  const expected = options.fileHash === undefined ? file.fileHash : options.fileHash;

  if (api.fsSync.existsSync(target)) {
    const cached = new Uint8Array(await api.fs.readFile(target));
    if (expected == null || hashOf(api, cached, expected) === expected.toLowerCase()) return cached;
    // Keras re-downloads an incomplete or outdated cached file.
  }
  let bytes: Uint8Array;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    const cause = error as Error & { cause?: Error };
    const reason = cause.cause?.message ?? cause.message;
    throw new ValueError(
      `URL fetch failure on ${url}: ${reason}. datasets.${file.dataset}.loadData() keeps its files in ${folder}: when offline, put ${file.fname} there (downloaded from ${url}), or pass baseUrl for a mirror.`,
      { argument: 'baseUrl', expected: `${url} reachable, or ${target} in the cache`, received: reason },
    );
  }
  if (expected != null) {
    const actual = hashOf(api, bytes, expected);
    if (actual !== expected.toLowerCase()) {
      await api.fs.rm(target, { force: true });
      const algorithm = expected.length === 64 ? 'sha256' : 'md5';
      throw new ValueError(
        `Incomplete or corrupted file detected. The ${algorithm} file hash of ${url} (${actual}) does not match the provided value of ${expected}. Nothing was kept in ${folder}.`,
        { argument: 'fileHash', expected, received: actual },
      );
    }
  }
  // Written whole under another name, then renamed: a cut-off write never looks cached.
  const partial = `${target}.${Math.random().toString(36).slice(2)}.part`;
  await api.fs.writeFile(partial, bytes);
  await api.fs.rename(partial, target);
  return bytes;
}

/** Reads a loader's options: Keras's `allowed` plus the fetch options. */
export function readLoadOptions<T extends object>(
  name: string,
  options: unknown,
  allowed: readonly string[],
): Readonly<Partial<T & FetchOptions>> {
  return readOptions<T & FetchOptions>(`datasets.${name}.loadData()`, options, [...allowed, ...FETCH_OPTIONS]);
}
