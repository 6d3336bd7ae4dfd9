/**
 * `keras.datasets.cifar100`: 50,000 training and 10,000 test 32x32 color
 * images in 100 fine (or 20 coarse) classes, from the Toronto tarball.
 *
 * @packageDocumentation
 */
import { ValueError } from '../errors.js';
import { loadBatch, readTarGz } from './cifar-batch.js';
import { type FetchOptions, getFile, readFetchOptions, readLoadOptions } from './get-file.js';
import type { DatasetArray, Splits } from './ndarray.js';

/** Keras's URL and sha256 of cifar-100-python.tar.gz. */
export const CIFAR100_FILE = {
  url: 'https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz',
  fileHash: '85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7',
} as const;

/** `loadData()`'s options: Keras's `label_mode` and the fetch options. */
export interface Cifar100Options extends FetchOptions {
  /** `'fine'` (100 classes, the default) or `'coarse'` (20 superclasses). */
  labelMode?: 'fine' | 'coarse';
}

/**
 * Keras's `cifar100.load_data(label_mode)`: x uint8 `[50000, 32, 32, 3]` /
 * `[10000, 32, 32, 3]` (channels_last), y `[50000, 1]` / `[10000, 1]` (numpy
 * int64 in Keras, int32 here). Node only.
 *
 * @example
 * const [[xTrain, yTrain]] = await datasets.cifar100.loadData({ labelMode: 'coarse' });
 */
export async function loadData(options: Cifar100Options = {}): Promise<Splits<DatasetArray, DatasetArray>> {
  const opts = readLoadOptions<Cifar100Options>('cifar100', options, ['labelMode']);
  const labelMode = opts.labelMode ?? 'fine';
  if (labelMode !== 'fine' && labelMode !== 'coarse') {
    throw new ValueError(`\`labelMode\` must be one of "fine", "coarse". Received: labelMode=${String(labelMode)}.`, {
      argument: 'labelMode',
      expected: '"fine" or "coarse"',
      received: String(labelMode),
    });
  }
  const bytes = await getFile(
    {
      dataset: 'cifar100',
      url: CIFAR100_FILE.url,
      fname: 'cifar-100-python-target_archive',
      fileHash: CIFAR100_FILE.fileHash,
    },
    readFetchOptions(opts),
  );
  const members = readTarGz(bytes);
  const key = `${labelMode}_labels`;
  const train = loadBatch(members, 'cifar-100-python/train', key);
  const test = loadBatch(members, 'cifar-100-python/test', key);
  const labels = (ls: number[]): DatasetArray => ({ data: Int32Array.from(ls), shape: [ls.length, 1], dtype: 'int32' });
  return [
    [train.x, labels(train.labels)],
    [test.x, labels(test.labels)],
  ];
}
