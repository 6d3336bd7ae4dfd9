/**
 * Checked reading of one untrusted HDF5 file with h5wasm's low-level calls.
 *
 * The file is reached by hard links only, each link checked before it is
 * followed (a soft link to itself makes HDF5 fail mid-traversal); a dataset's
 * layout, type and filters are checked before a byte of it is read (a
 * virtual dataset whose source is missing reads as zeros); and the file, its
 * handle and every buffer are released on every path, errors included.
 */
import { ValueError } from '../errors.js';
import { type H5Runtime, withH5Runtime } from './h5-runtime.js';

type H5Module = H5Runtime['module'];
/** The attribute calls of h5wasm's module, which its typings leave loose. */
interface AttributeModule {
  get_attribute_names(id: bigint, path: string): unknown;
  get_attribute_metadata(id: bigint, path: string, name: string): unknown;
  get_attribute_data(id: bigint, path: string, name: string, pointer: bigint): number;
  reclaim_vlen_memory(id: bigint, path: string, name: string, pointer: bigint): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAPU8: Uint8Array;
}

/** What errors call the file by default: the entry of a `.keras` archive. */
const ENTRY = 'model.weights.h5';
/** HDF5's built-in filters: deflate, shuffle, fletcher32. Others need plugins this runtime has not got. */
const KNOWN_FILTERS: ReadonlyMap<number, string> = new Map([
  [1, 'deflate'],
  [2, 'shuffle'],
  [3, 'fletcher32'],
]);
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;

/** A label opening a sentence: `the .weights.h5 file` becomes `The ...`; a file name (`model.weights.h5`) stays. */
export function sentenceStart(label: string): string {
  return label.startsWith('the ') ? `The ${label.slice(4)}` : label;
}

/** What a dataset holds, from its header alone. */
export interface DatasetInfo {
  readonly path: string;
  readonly shape: readonly number[];
  /** 4 (float32, int32) or 8 (float64, int64). */
  readonly bytesPerElement: number;
  readonly elements: number;
  /** An integer dataset (only where `dataset` was asked for numbers): Keras's optimizer `iteration`. */
  readonly integer?: { readonly signed: boolean };
}

interface Metadata {
  shape: number[] | null;
  type: number;
  size: number;
  signed: boolean;
  vlen: boolean;
  total_size: number;
  virtual_sources?: { file_name: string; dset_name: string }[];
}

/** The cause HDF5 reported, without its build paths: "H5D__efl_read(): unable to open external raw data file". */
function reason(lines: readonly string[], error?: unknown): string {
  const text = [...lines, error instanceof Error ? error.message : error == null ? '' : String(error)].join('\n');
  // The deepest frame of HDF5's error stack names the cause.
  const frames = [...text.matchAll(/#\d+: .*? in (\w+\(\)): ([^\n]*)/g)];
  const match = frames[frames.length - 1];
  if (match != null) return `${match[1]}: ${match[2]}`;
  return text.trim().split('\n')[0] || 'HDF5 reported an error';
}

function randomName(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function describeType(meta: Metadata): string {
  if (meta.type === H5T_FLOAT) return `float${meta.size * 8}`;
  if (meta.type === H5T_INTEGER) return `${meta.signed ? 'int' : 'uint'}${meta.size * 8}`;
  if (meta.type === H5T_STRING || meta.vlen) return 'string';
  return `HDF5 type class ${meta.type}`;
}

/** One open file. Its methods throw the library's ValueError naming the path at fault. */
export class H5FileReader {
  readonly #runtime: H5Runtime;
  readonly #module: H5Module;
  readonly #id: bigint;
  readonly #children = new Map<string, ReadonlySet<string>>();
  /** Paths already checked to be hard links to a group: a walk over thousands of layers checks each link once. */
  readonly #groups = new Set<string>();
  /** How errors name the file: `model.weights.h5`, or `the .weights.h5 file`. */
  readonly label: string;

  constructor(runtime: H5Runtime, id: bigint, label: string = ENTRY) {
    this.#runtime = runtime;
    this.#module = runtime.module;
    this.#id = id;
    this.label = label;
  }

  /** The label at the start of a sentence. */
  get #Label(): string {
    return sentenceStart(this.label);
  }

  /** Runs an h5wasm call; an exception or a negative status is an error naming `path`. */
  #call<T>(path: string, what: string, body: () => T): T {
    let result: T;
    try {
      result = body();
    } catch (error) {
      this.#runtime.recordFailure();
      throw this.#failure(path, what, error);
    }
    if ((typeof result === 'number' || typeof result === 'bigint') && result < 0) {
      this.#runtime.recordFailure();
      throw this.#failure(path, what);
    }
    return result;
  }

  #failure(path: string, what: string, error?: unknown): ValueError {
    const lines = this.#runtime.takeDiagnostics();
    const text = `${lines.join('\n')}\n${error instanceof Error ? error.message : ''}`;
    // HDF5 reads "external" raw data from another file, which a loader never should.
    if (/H5D__efl|External file list/.test(text)) {
      return new ValueError(
        `${this.#Label} stores ${path} in an external file; only data inside the file is read. (${reason(lines, error)})`,
        { argument: path, expected: 'data stored in the file', received: 'external storage' },
      );
    }
    return new ValueError(`${this.#Label} cannot be read at ${path} (${what}): ${reason(lines, error)}`, {
      argument: path,
      expected: 'a readable HDF5 object',
      received: reason(lines, error),
    });
  }

  #childrenOf(group: string): ReadonlySet<string> {
    let names = this.#children.get(group);
    if (names == null) {
      const list = this.#call(group, 'listing a group', () => this.#module.get_names(this.#id, group, false));
      names = new Set(Array.isArray(list) ? list.map(String) : []);
      this.#children.set(group, names);
    }
    return names;
  }

  /**
   * Follows `key` (`layers/dense/vars/0`) from the root through hard links
   * only, to a group or a dataset as `last` says: null when a link is
   * missing, a ValueError when one is a soft or external link or leads to
   * something else.
   */
  #resolve(key: string, last: 'group' | 'dataset'): string | null {
    const parts = key.split('/').filter((part) => part !== '');
    let parent = '/';
    for (const [index, part] of parts.entries()) {
      if (!this.#childrenOf(parent).has(part)) return null;
      const path = `${parent === '/' ? '' : parent}/${part}`;
      const expected = index === parts.length - 1 ? `a ${last}` : 'a group';
      if (expected === 'a group' && this.#groups.has(path)) {
        parent = path;
        continue;
      }
      const target = this.#call(path, 'reading a link', () => this.#module.get_symbolic_link(this.#id, path));
      if (typeof target === 'string') {
        throw new ValueError(
          `${this.#Label} has a soft link at ${path} (to ${JSON.stringify(target)}); Keras writes weights behind hard links only.`,
          { argument: path, expected: 'a group or dataset (a hard link)', received: `a soft link to ${target}` },
        );
      }
      const type = this.#call(path, 'reading a link', () => this.#module.get_type(this.#id, path));
      const kinds = new Map<number, string>([
        [this.#module.H5G_GROUP, 'a group'],
        [this.#module.H5G_DATASET, 'a dataset'],
        [this.#module.H5G_TYPE, 'a named datatype'],
        [this.#module.H5G_LINK, 'a soft link'],
        [this.#module.H5G_UDLINK, 'an external link'],
      ]);
      const received = kinds.get(type) ?? `an object of type ${type}`;
      if (received !== expected) {
        throw new ValueError(`${this.#Label} has ${received} at ${path}, where Keras writes ${expected}.`, {
          argument: path,
          expected,
          received,
        });
      }
      if (received === 'a group') this.#groups.add(path);
      parent = path;
    }
    return parent;
  }

  /** `body`'s result, or `fallback` where it refuses (a ValueError): for surveying a file, not reading it. */
  #lenient<T>(fallback: T, body: () => T): T {
    try {
      return body();
    } catch (error) {
      if (error instanceof ValueError) return fallback;
      throw error;
    }
  }

  /**
   * The names in the group at `key`, reached through hard links: null when
   * a link on the way is missing, a ValueError when one is a soft or
   * external link or leads to something else than a group. For reading.
   */
  members(key: string): string[] | null {
    const path = this.#resolve(key, 'group');
    return path == null ? null : [...this.#childrenOf(path)];
  }

  /** The names in the group at `key`, reached through hard links; null for anything else. For surveying. */
  groupNames(key: string): string[] | null {
    return this.#lenient(null, () => {
      const path = this.#resolve(key, 'group');
      return path == null ? null : [...this.#childrenOf(path)];
    });
  }

  /** The element count its header gives the dataset at `key`, reached through hard links; 0 for anything else. */
  elementsOf(key: string): number {
    return this.#lenient(0, () => {
      const path = this.#resolve(key, 'dataset');
      if (path == null || path === '/') return 0;
      const meta = this.#call(path, 'reading its header', () =>
        this.#module.get_dataset_metadata(this.#id, path),
      ) as unknown as Metadata;
      return Math.max(0, meta.total_size) || 0;
    });
  }

  /**
   * The float dataset at `key`, checked from its header: null when there is
   * none; a ValueError for a virtual dataset, a type other than float32 or
   * float64 (or, with `accept: 'number'`, 32- and 64-bit integers too), or
   * a filter this runtime cannot decode.
   */
  dataset(key: string, accept: 'float' | 'number' = 'float'): DatasetInfo | null {
    const path = this.#resolve(key, 'dataset');
    if (path == null || path === '/') return null;
    const meta = this.#call(path, 'reading its header', () =>
      this.#module.get_dataset_metadata(this.#id, path),
    ) as unknown as Metadata;
    if (Array.isArray(meta.virtual_sources)) {
      const sources = meta.virtual_sources.map((s) => `${s.file_name}:${s.dset_name}`).join(', ');
      throw new ValueError(
        `${this.#Label} has a virtual dataset at ${path} (mapped from ${sources || 'no source'}); only data inside the file is read.`,
        { argument: path, expected: 'a dataset stored in the file', received: 'a virtual dataset' },
      );
    }
    const integer = accept === 'number' && meta.type === H5T_INTEGER;
    if ((meta.type !== H5T_FLOAT && !integer) || meta.vlen || (meta.size !== 4 && meta.size !== 8)) {
      const received = describeType(meta);
      const expected = accept === 'number' ? 'a 32- or 64-bit float or integer' : 'float32 or float64';
      throw new ValueError(`Weight ${path} in ${this.label} is ${received}; expected ${expected}.`, {
        argument: path,
        expected,
        received,
      });
    }
    const filters = this.#call(path, 'reading its filters', () =>
      this.#module.get_dataset_filters(this.#id, path),
    ) as unknown as { id: number; name: string }[];
    for (const filter of Array.isArray(filters) ? filters : []) {
      if (!KNOWN_FILTERS.has(filter.id)) {
        const received = `filter ${filter.id} (${filter.name})`;
        throw new ValueError(
          `Weight ${path} in ${this.label} is compressed with ${received}, which cannot be decoded.`,
          {
            argument: path,
            expected: `no filter or ${[...KNOWN_FILTERS.values()].join(', ')}`,
            received,
          },
        );
      }
    }
    const shape = meta.shape ?? [];
    const info = { path, shape, bytesPerElement: meta.size, elements: meta.total_size };
    return integer ? { ...info, integer: { signed: meta.signed } } : info;
  }

  /**
   * The strings of attribute `name` on the group at `key` (the root is
   * `/`), reached through hard links: null when the object or the attribute
   * is missing; an empty list for Keras's empty `weight_names` (a float64
   * array of no elements). A ValueError for anything else than strings, or
   * for more than `maxBytes` bytes, checked from the header before a byte
   * is read. Fixed-length strings end at their first NUL, as h5py reads them.
   */
  stringsAttribute(key: string, name: string, maxBytes: number): string[] | null {
    const path = key === '/' ? '/' : this.#resolve(key, 'group');
    if (path == null) return null;
    const module = this.#module as unknown as AttributeModule;
    const names = this.#call(path, 'listing its attributes', () => module.get_attribute_names(this.#id, path));
    if (!Array.isArray(names) || !names.map(String).includes(name)) return null;
    const at = `${path === '/' ? '' : path}@${name}`;
    const meta = this.#call(at, 'reading its header', () =>
      module.get_attribute_metadata(this.#id, path, name),
    ) as unknown as Metadata;
    const count = meta.shape == null ? 1 : Math.max(0, meta.total_size) || 0;
    if (meta.type !== H5T_STRING) {
      if (count === 0) return [];
      const received = describeType(meta);
      throw new ValueError(`${this.#Label} has ${received} attribute ${at}; Keras writes strings there.`, {
        argument: at,
        expected: 'strings',
        received,
      });
    }
    // A vlen string is a pointer here; its bytes are counted as they are decoded.
    const bytes = count * (meta.vlen ? 4 : meta.size);
    if (!Number.isSafeInteger(bytes) || bytes > maxBytes) {
      throw new ValueError(
        `${this.#Label} has an attribute ${at} of ${bytes} bytes, over the ${maxBytes}-byte limit.`,
        {
          argument: at,
          expected: `at most ${maxBytes} bytes`,
          received: `${bytes} bytes`,
        },
      );
    }
    const pointer = module._malloc(Math.max(bytes, 1));
    if (pointer === 0) {
      this.#runtime.recordFailure();
      throw new ValueError(`${this.#Label} attribute ${at} could not be read: no memory for ${bytes} bytes.`, {
        argument: at,
        expected: 'an attribute that fits in memory',
        received: `${bytes} bytes`,
      });
    }
    try {
      this.#call(at, 'reading its data', () => module.get_attribute_data(this.#id, path, name, BigInt(pointer)));
      const decoder = new TextDecoder('utf-8', { fatal: false });
      if (!meta.vlen) {
        const raw = module.HEAPU8.slice(pointer, pointer + bytes);
        return Array.from({ length: count }, (_, i) => {
          const item = raw.subarray(i * meta.size, (i + 1) * meta.size);
          const end = item.indexOf(0);
          return decoder.decode(end < 0 ? item : item.subarray(0, end));
        });
      }
      try {
        const pointers = new Uint32Array(module.HEAPU8.slice(pointer, pointer + bytes).buffer);
        let total = 0;
        return Array.from(pointers, (item) => {
          if (item === 0) return '';
          // Read up to the budget left: a string without its NUL stops there.
          const end = module.HEAPU8.indexOf(0, item);
          const length = (end < 0 ? module.HEAPU8.length : end) - item;
          total += length;
          if (total > maxBytes) {
            throw new ValueError(`${this.#Label} has an attribute ${at} of over ${maxBytes} bytes.`, {
              argument: at,
              expected: `at most ${maxBytes} bytes`,
              received: `over ${maxBytes} bytes`,
            });
          }
          return decoder.decode(module.HEAPU8.subarray(item, item + length));
        });
      } finally {
        module.reclaim_vlen_memory(this.#id, path, name, BigInt(pointer));
      }
    } finally {
      module._free(pointer);
    }
  }

  /** The values of a dataset checked by `dataset()`, as float32. */
  readFloat32(info: DatasetInfo): Float32Array {
    const raw = this.#readRaw(info);
    if (info.integer != null) return Float32Array.from(integers(raw, info), Number);
    return info.bytesPerElement === 4 ? new Float32Array(raw) : Float32Array.from(new Float64Array(raw));
  }

  /** The values of a dataset checked by `dataset()`, as float64: integers below 2^53 exactly (an `iteration`). */
  readFloat64(info: DatasetInfo): Float64Array {
    const raw = this.#readRaw(info);
    if (info.integer != null) return Float64Array.from(integers(raw, info), Number);
    return info.bytesPerElement === 4 ? Float64Array.from(new Float32Array(raw)) : new Float64Array(raw);
  }

  #readRaw(info: DatasetInfo): ArrayBuffer {
    const module = this.#module;
    const bytes = info.elements * info.bytesPerElement;
    if (!Number.isSafeInteger(bytes) || bytes > module.MAXIMUM_MEMORY) {
      throw new ValueError(`Weight ${info.path} in ${this.label} is too large to read: ${bytes} bytes.`, {
        argument: info.path,
        expected: `at most ${module.MAXIMUM_MEMORY} bytes`,
        received: `${bytes} bytes`,
      });
    }
    const pointer = module._malloc(Math.max(bytes, 1));
    if (pointer === 0) {
      this.#runtime.recordFailure();
      throw new ValueError(`Weight ${info.path} in ${this.label} could not be read: no memory for ${bytes} bytes.`, {
        argument: info.path,
        expected: 'a weight that fits in memory',
        received: `${bytes} bytes`,
      });
    }
    try {
      this.#call(info.path, 'reading its data', () =>
        module.get_dataset_data(this.#id, info.path, null, null, null, BigInt(pointer)),
      );
      // slice() copies out of the heap, which later allocations may move.
      return module.HEAPU8.slice(pointer, pointer + bytes).buffer;
    } finally {
      module._free(pointer);
    }
  }
}

/** An integer dataset's raw values in their own type (int64 as bigint: exact, whatever they hold). */
function integers(buffer: ArrayBuffer, info: DatasetInfo): ArrayLike<number | bigint> & Iterable<number | bigint> {
  const signed = info.integer?.signed !== false;
  if (info.bytesPerElement === 8) return signed ? new BigInt64Array(buffer) : new BigUint64Array(buffer);
  return signed ? new Int32Array(buffer) : new Uint32Array(buffer);
}

/**
 * Opens `bytes` as an HDF5 file, runs `body` on it, and closes and deletes
 * the file whatever happens. Errors call the file `label`.
 */
export function withH5File<T>(bytes: Uint8Array, body: (file: H5FileReader) => T, label: string = ENTRY): Promise<T> {
  // Before HDF5 sees a byte: what it would loop forever on is refused here.
  checkGlobalHeaps(bytes, label);
  return withH5Runtime((runtime) => {
    const { module } = runtime;
    const fs = module.FS as unknown as { writeFile(path: string, data: Uint8Array): void; unlink(path: string): void };
    // An unguessable name: a dataset "stored externally" in this very file cannot name it.
    const path = `/${randomName()}.h5`;
    fs.writeFile(path, bytes);
    let id = -1n;
    try {
      try {
        id = BigInt(module.open(path, module.H5F_ACC_RDONLY, false, -1, -1));
      } catch (error) {
        runtime.recordFailure();
        throw unreadable(reason(runtime.takeDiagnostics(), error), bytes, label);
      }
      if (id < 0n) {
        runtime.recordFailure();
        throw unreadable(reason(runtime.takeDiagnostics()), bytes, label);
      }
      return body(new H5FileReader(runtime, id, label));
    } finally {
      if (id >= 0n) {
        try {
          if (module.close_file(id) < 0) runtime.recordFailure();
        } catch {
          runtime.recordFailure();
        }
      }
      try {
        fs.unlink(path);
      } catch {
        runtime.recordFailure();
      }
    }
  });
}

function unreadable(why: string, bytes: Uint8Array, label: string): ValueError {
  return new ValueError(`${sentenceStart(label)} is not a readable HDF5 file: ${why}`, {
    argument: label,
    expected: 'an HDF5 file',
    received: `${bytes.length} bytes that HDF5 cannot open`,
  });
}

/** HDF5's signature, and the offsets where a superblock may start (0, then 512, 1024, ...). */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** "GCOL", then version 1 and three reserved zero bytes: a global heap collection's header. */
const COLLECTION = [0x47, 0x43, 0x4f, 0x4c, 1, 0, 0, 0];
/** HDF5 makes no collection smaller. */
const MIN_COLLECTION = 4096;

const startsWith = (bytes: Uint8Array, at: number, prefix: readonly number[]) =>
  prefix.every((b, i) => bytes[at + i] === b);

/** The superblock's "size of lengths" (8 in files h5py and h5wasm write), for reading a collection. */
function lengthSize(bytes: Uint8Array): number {
  for (let at = 0; at + 16 <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (!startsWith(bytes, at, SIGNATURE)) continue;
    const size = (bytes[at + 8] as number) < 2 ? bytes[at + 14] : bytes[at + 10];
    return size === 2 || size === 4 || size === 8 ? size : 8;
  }
  return 8;
}

/** A little-endian length of `size` bytes at `at`, as a double: exact up to 2^53, beyond any file. */
function readLength(bytes: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + (bytes[at + i] as number);
  return value;
}

/**
 * HDF5 keeps variable-length strings (Keras's attributes, h5py's strings)
 * in global heap collections, and walks a collection's objects by their
 * declared sizes. In h5wasm's 32-bit build a size near 2^32 wraps the walk
 * back onto itself, and a size of 0 stalls it: HDF5 then loops forever
 * inside WebAssembly, where nothing can interrupt it. So every collection
 * header in the file is walked here first, as HDF5 would, and one whose
 * objects overrun it, or do not advance, is refused. A run of bytes that
 * only looks like a header (inside a weight) is walked too; a valid file
 * holds none that breaks these rules.
 */
export function checkGlobalHeaps(bytes: Uint8Array, label: string = ENTRY): void {
  const length = lengthSize(bytes);
  const header = 8 + length;
  const objectHeader = 8 + length;
  // A plain loop: indexOf costs a call per "G", and a file of nothing else would take seconds a gigabyte.
  for (let at = 0; at + header <= bytes.length; at++) {
    if (bytes[at] !== 0x47 || bytes[at + 1] !== 0x43 || bytes[at + 2] !== 0x4f || bytes[at + 3] !== 0x4c) continue;
    if (!startsWith(bytes, at, COLLECTION)) continue;
    const size = readLength(bytes, at + 8, length);
    // HDF5 cannot read a collection past the end of the file, nor one smaller than it makes: not a collection.
    if (size < MIN_COLLECTION || at + size > bytes.length) continue;
    const end = at + size;
    for (let p = at + header; p < end && p + objectHeader <= end; ) {
      const index = (bytes[p] as number) | ((bytes[p + 1] as number) << 8);
      const declared = readLength(bytes, p + 8, length);
      // Object 0 is the free space, stored unpadded and without its header in the count.
      const need = index === 0 ? declared : objectHeader + Math.ceil(declared / 8) * 8;
      if (need === 0 || need > end - p) {
        const received = `object ${index} of ${declared} bytes at byte ${p}`;
        throw new ValueError(
          `${sentenceStart(label)} is not a readable HDF5 file: its global heap collection at byte ${at} (${size} bytes) declares ${received}, which ${need === 0 ? 'takes no room' : 'overruns the collection'}.`,
          { argument: label, expected: 'heap objects within their collection', received },
        );
      }
      p += need;
    }
  }
}
