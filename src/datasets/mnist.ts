/**
 * `keras.datasets.mnist`: 60,000 training and 10,000 test 28x28 grayscale
 * digits, uint8 pixels and labels, from Keras's mnist.npz.
 *
 * @packageDocumentation
 */

import { numeric } from './arrays.js';
import { type FetchOptions, getFile, readFetchOptions, readLoadOptions } from './get-file.js';
import type { DatasetArray, Splits } from './ndarray.js';
import { readNpz } from './npy.js';

/** Keras's URL and sha256 of mnist.npz. */
export const MNIST_FILE = {
  url: 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz',
  fileHash: '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1',
} as const;

/** `loadData()`'s options: Keras's `path` (the file's name in the cache) and the fetch options. */
export interface MnistOptions extends FetchOptions {
  /** The file's name in the cache folder (Keras's `path`), `mnist.npz` by default. */
  path?: string;
}

/**
 * Keras's `mnist.load_data()`: `[[xTrain, yTrain], [xTest, yTest]]`, x uint8
 * of shape `[60000, 28, 28]` and `[10000, 28, 28]`, y uint8 of shape
 * `[60000]` and `[10000]`. Node only; fetched once into the cache folder.
 *
 * @example
 * const [[xTrain, yTrain]] = await datasets.mnist.loadData();
 * const images = tf.tensor(xTrain.data, xTrain.shape, 'float32').div(255);
 */
export async function loadData(options: MnistOptions = {}): Promise<Splits<DatasetArray, DatasetArray>> {
  const opts = readLoadOptions<MnistOptions>('mnist', options, ['path']);
  const bytes = await getFile(
    { dataset: 'mnist', url: MNIST_FILE.url, fname: opts.path ?? 'mnist.npz', fileHash: MNIST_FILE.fileHash },
    readFetchOptions(opts),
  );
  const arrays = readNpz(bytes);
  const get = (key: string) => numeric('mnist', arrays, key);
  return [
    [get('x_train'), get('y_train')],
    [get('x_test'), get('y_test')],
  ];
}
