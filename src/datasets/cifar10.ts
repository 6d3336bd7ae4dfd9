/**
 * `keras.datasets.cifar10`: 50,000 training and 10,000 test 32x32 color
 * images in 10 classes, from the Toronto tarball Keras fetches.
 *
 * @packageDocumentation
 */
import { concatImages, loadBatch, readTarGz } from './cifar-batch.js';
import { type FetchOptions, getFile, readFetchOptions, readLoadOptions } from './get-file.js';
import type { DatasetArray, Splits } from './ndarray.js';

/** Keras's URL and sha256 of cifar-10-python.tar.gz. */
export const CIFAR10_FILE = {
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz',
  fileHash: '6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce',
} as const;

/**
 * Keras's `cifar10.load_data()`: x uint8 `[50000, 32, 32, 3]` / `[10000, 32, 32, 3]`
 * (channels_last), y uint8 `[50000, 1]` / `[10000, 1]`. The archive is kept
 * (as `cifar-10-batches-py-target_archive`, Keras's name) and read in memory,
 * not extracted. Node only.
 *
 * @example
 * const [[xTrain, yTrain], [xTest, yTest]] = await datasets.cifar10.loadData();
 */
export async function loadData(options: FetchOptions = {}): Promise<Splits<DatasetArray, DatasetArray>> {
  const opts = readFetchOptions(readLoadOptions<FetchOptions>('cifar10', options, []));
  const bytes = await getFile(
    {
      dataset: 'cifar10',
      url: CIFAR10_FILE.url,
      fname: 'cifar-10-batches-py-target_archive',
      fileHash: CIFAR10_FILE.fileHash,
    },
    opts,
  );
  const members = readTarGz(bytes);
  const train = [1, 2, 3, 4, 5].map((i) => loadBatch(members, `cifar-10-batches-py/data_batch_${i}`, 'labels'));
  const test = loadBatch(members, 'cifar-10-batches-py/test_batch', 'labels');
  const labels = (ls: number[]): DatasetArray => ({ data: Uint8Array.from(ls), shape: [ls.length, 1], dtype: 'uint8' });
  return [
    [concatImages(train.map((b) => b.x)), labels(train.flatMap((b) => b.labels))],
    [test.x, labels(test.labels)],
  ];
}
