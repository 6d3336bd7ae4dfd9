/**
 * numpy's `.npy` and `.npz` formats, read as Keras reads them
 * (`np.load(allow_pickle=False)`, and Keras's `npz_utils.load_npz`, which
 * unpickles object arrays with its restricted unpickler): the header's
 * dict, the dtype (`|u1`, `<i8`, `<f8`, ... or `|O`) and the shape.
 */
import { unzipSync } from 'fflate';
import { ValueError } from '../errors.js';
import type { DatasetArray } from './ndarray.js';
import { type PickledArray, unpickle } from './pickle.js';

/** An array read from a `.npy`: numeric, or Python objects (lists of ints) for `|O`. */
export type NpyArray = DatasetArray | { readonly data: unknown[]; readonly shape: number[]; readonly dtype: 'object' };

function bad(what: string): ValueError {
  return new ValueError(`Cannot read a numpy array: ${what}.`, {
    argument: 'file',
    expected: 'a .npy file of version 1-3',
    received: what,
  });
}

/** Converts raw little-endian bytes of numpy dtype `dtype` to the dataset arrays' typed arrays. */
export function fromRaw(bytes: Uint8Array, dtype: string, shape: number[]): DatasetArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const kind = dtype.replace(/^[<>|=]/, '');
  if (dtype.startsWith('>') && kind !== 'u1' && kind !== 'i1') throw bad(`big-endian dtype ${dtype}`);
  const sizes: Record<string, number> = { u1: 1, i1: 1, b1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8, u8: 8, f4: 4, f8: 8 };
  const size = sizes[kind];
  if (size == null) throw bad(`dtype ${dtype}`);
  if (bytes.length < n * size) throw bad(`${bytes.length} bytes for ${n} elements of ${dtype}`);
  // Copy so that the typed array is aligned and owns its buffer.
  const raw = bytes.slice(0, n * size);
  const buffer = raw.buffer;
  switch (kind) {
    case 'u1':
    case 'b1':
      return { data: raw, shape, dtype: 'uint8' };
    case 'f4':
      return { data: new Float32Array(buffer), shape, dtype: 'float32' };
    case 'f8':
      return { data: new Float64Array(buffer), shape, dtype: 'float64' };
    default: {
      // Integers become int32 (what tfjs holds); a value out of its range is an error, not a wrap.
      const out = new Int32Array(n);
      const view = new DataView(buffer);
      for (let i = 0; i < n; i++) {
        let v: number;
        if (kind === 'i8' || kind === 'u8') {
          v = Number(kind === 'i8' ? view.getBigInt64(i * 8, true) : view.getBigUint64(i * 8, true));
        } else if (kind === 'i4') v = view.getInt32(i * 4, true);
        else if (kind === 'u4') v = view.getUint32(i * 4, true);
        else if (kind === 'i2') v = view.getInt16(i * 2, true);
        else if (kind === 'u2') v = view.getUint16(i * 2, true);
        else v = view.getInt8(i);
        if (v > 2147483647 || v < -2147483648) throw bad(`the value ${v} of a ${dtype} array, outside int32`);
        out[i] = v;
      }
      return { data: out, shape, dtype: 'int32' };
    }
  }
}

/** A pickled numpy array (from a pickle) as a dataset array. */
export function fromPickled(array: PickledArray): NpyArray {
  if (array.fortran) throw bad('a Fortran-ordered array');
  if (array.dtype.endsWith('O')) return { data: array.data as unknown[], shape: array.shape, dtype: 'object' };
  return fromRaw(array.data as Uint8Array, array.dtype, array.shape);
}

/** Reads one `.npy` file; object arrays are unpickled with the restricted unpickler. */
export function readNpy(bytes: Uint8Array): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw bad('no \\x93NUMPY magic');
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [headerLength, start] = major === 1 ? [view.getUint16(8, true), 10] : [view.getUint32(8, true), 12];
  if (major < 1 || major > 3) throw bad(`version ${major}`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr == null || fortran == null || shapeText == null) throw bad(`header ${header.trim()}`);
  if (fortran === 'True') throw bad('a Fortran-ordered array');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number.parseInt(s, 10));
  const body = bytes.subarray(start + headerLength);
  if (descr === '|O') {
    const pickled = unpickle(body);
    const list = (pickled as PickledArray)?.kind === 'ndarray' ? (pickled as PickledArray).data : pickled;
    if (!Array.isArray(list)) throw bad('an object array whose pickle is not a list');
    return { data: list, shape, dtype: 'object' };
  }
  return fromRaw(body, descr, shape);
}

/** Reads every `.npy` member of an `.npz` archive, by name without `.npy`. */
export function readNpz(bytes: Uint8Array): Map<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw bad(`not a zip archive (${(error as Error).message})`);
  }
  const arrays = new Map<string, NpyArray>();
  for (const [name, member] of Object.entries(files)) {
    if (name.endsWith('.npy')) arrays.set(name.slice(0, -4), readNpy(member));
  }
  return arrays;
}
