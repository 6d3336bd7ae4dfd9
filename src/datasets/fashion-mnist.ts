/**
 * `keras.datasets.fashion_mnist`: 60,000 training and 10,000 test 28x28
 * grayscale images of clothing in 10 classes, from Keras's four gzipped
 * idx files (no hash: Keras checks none for them).
 *
 * @packageDocumentation
 */
import { gunzipSync } from 'fflate';
import { ValueError } from '../errors.js';
import { type FetchOptions, getFile, readFetchOptions, readLoadOptions } from './get-file.js';
import type { DatasetArray, Splits } from './ndarray.js';

const BASE = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';

/** The idx file's bytes after its `offset`-byte header, as Keras's `np.frombuffer(..., offset=)`. */
async function idx(name: string, offset: number, opts: FetchOptions): Promise<Uint8Array> {
  const gz = await getFile(
    { dataset: 'fashionMnist', url: `${BASE}${name}`, fname: name, subdir: 'datasets/fashion-mnist', fileHash: null },
    opts,
  );
  let raw: Uint8Array;
  try {
    raw = gunzipSync(gz);
  } catch (error) {
    throw new ValueError(`${name} is not a gzip file (${(error as Error).message}).`, {
      argument: 'file',
      expected: 'a gzipped idx file',
      received: `${gz.length} bytes`,
    });
  }
  if (raw.length < offset) {
    throw new ValueError(`${name} is shorter than its ${offset}-byte idx header.`, {
      argument: 'file',
      expected: `at least ${offset} bytes`,
      received: `${raw.length} bytes`,
    });
  }
  return raw.slice(offset);
}

/**
 * Keras's `fashion_mnist.load_data()`: `[[xTrain, yTrain], [xTest, yTest]]`,
 * x uint8 `[60000, 28, 28]` / `[10000, 28, 28]`, y uint8 `[60000]` / `[10000]`.
 * Kept in the cache's `datasets/fashion-mnist/`. Node only.
 *
 * @example
 * const [[xTrain, yTrain], [xTest, yTest]] = await datasets.fashionMnist.loadData();
 */
export async function loadData(options: FetchOptions = {}): Promise<Splits<DatasetArray, DatasetArray>> {
  const opts = readFetchOptions(readLoadOptions<FetchOptions>('fashionMnist', options, []));
  const yTrain = await idx('train-labels-idx1-ubyte.gz', 8, opts);
  const xTrain = await idx('train-images-idx3-ubyte.gz', 16, opts);
  const yTest = await idx('t10k-labels-idx1-ubyte.gz', 8, opts);
  const xTest = await idx('t10k-images-idx3-ubyte.gz', 16, opts);
  const images = (x: Uint8Array, n: number, name: string): DatasetArray => {
    if (x.length !== n * 784) {
      throw new ValueError(`${name} holds ${x.length} pixels, not ${n} 28x28 images (cannot reshape as Keras does).`, {
        argument: 'file',
        expected: `${n * 784} pixels`,
        received: `${x.length}`,
      });
    }
    return { data: x, shape: [n, 28, 28], dtype: 'uint8' };
  };
  return [
    [
      images(xTrain, yTrain.length, 'train-images-idx3-ubyte.gz'),
      { data: yTrain, shape: [yTrain.length], dtype: 'uint8' },
    ],
    [images(xTest, yTest.length, 't10k-images-idx3-ubyte.gz'), { data: yTest, shape: [yTest.length], dtype: 'uint8' }],
  ];
}
