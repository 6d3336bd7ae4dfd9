/**
 * Keras's `cifar.load_batch`: one pickled CIFAR batch (a dict of byte-string
 * keys, `data` an (N, 3072) uint8 array, the labels a list) read with the
 * restricted unpickler, the images reshaped to (N, 3, 32, 32) and here
 * transposed to channels_last as Keras does for its default image format.
 */
import { gunzipSync } from 'fflate';
import { ValueError } from '../errors.js';
import type { DatasetArray } from './ndarray.js';
import { fromPickled } from './npy.js';
import type { PickledArray } from './pickle.js';
import { unpickle } from './pickle.js';
import { readTar } from './tar.js';

function bad(what: string, received: string): ValueError {
  return new ValueError(`Cannot read a CIFAR batch: ${what}.`, {
    argument: 'file',
    expected: 'a CIFAR python batch',
    received,
  });
}

/** The members of CIFAR's `.tar.gz`. */
export function readTarGz(bytes: Uint8Array): Map<string, Uint8Array> {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(bytes);
  } catch (error) {
    throw bad(`the archive is not gzip (${(error as Error).message})`, `${bytes.length} bytes`);
  }
  return readTar(tar);
}

/** One batch: images (N, 32, 32, 3) uint8 channels_last and the labels under `labelKey`. */
export function loadBatch(
  members: Map<string, Uint8Array>,
  path: string,
  labelKey: string,
): { x: DatasetArray<'uint8'>; labels: number[] } {
  const bytes = members.get(path);
  if (bytes == null) throw bad(`the archive has no ${path}`, [...members.keys()].join(', '));
  const dict = unpickle(bytes);
  if (!(dict instanceof Map)) throw bad(`${path} is not a pickled dict`, typeof dict);
  const data = dict.get('data') as PickledArray | undefined;
  const labels = dict.get(labelKey);
  if (data?.kind !== 'ndarray') throw bad(`${path} has no "data" array`, [...dict.keys()].join(', '));
  if (!Array.isArray(labels)) throw bad(`${path} has no "${labelKey}" list`, [...dict.keys()].join(', '));
  const raw = fromPickled(data);
  if (raw.dtype !== 'uint8' || raw.shape.length !== 2 || raw.shape[1] !== 3072) {
    throw bad(`${path}'s data is not (N, 3072) uint8`, `${raw.dtype} ${JSON.stringify(raw.shape)}`);
  }
  const n = raw.shape[0] as number;
  if (labels.length !== n) throw bad(`${path} has ${labels.length} labels for ${n} images`, `${labels.length}`);
  const chw = raw.data as Uint8Array;
  const hwc = new Uint8Array(chw.length);
  // (N, 3, 32, 32) -> (N, 32, 32, 3), Keras's transpose(0, 2, 3, 1).
  for (let i = 0; i < n; i++) {
    const base = i * 3072;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 1024; p++) hwc[base + p * 3 + c] = chw[base + c * 1024 + p] as number;
    }
  }
  return { x: { data: hwc, shape: [n, 32, 32, 3], dtype: 'uint8' }, labels: labels as number[] };
}

/** Images of several batches, one after another. */
export function concatImages(parts: DatasetArray<'uint8'>[]): DatasetArray<'uint8'> {
  const n = parts.reduce((sum, p) => sum + (p.shape[0] as number), 0);
  const data = new Uint8Array(n * 3072);
  let at = 0;
  for (const p of parts) {
    data.set(p.data, at);
    at += p.data.length;
  }
  return { data, shape: [n, 32, 32, 3], dtype: 'uint8' };
}
