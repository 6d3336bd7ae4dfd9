/**
 * `keras.datasets.california_housing`: 20,640 California block groups
 * (600 in the "small" version), 8 features each and the median house value.
 *
 * @packageDocumentation
 */
import { ValueError } from '../errors.js';
import { checkSeed, checkTestSplit, numeric } from './arrays.js';
import type { HousingOptions } from './boston-housing.js';
import { getFile, readFetchOptions, readLoadOptions } from './get-file.js';
import { shuffleSplit } from './housing.js';
import { type DatasetArray, type Splits, sliceRows } from './ndarray.js';
import { readNpz } from './npy.js';

/** Keras's URL and sha256 of california_housing.npz. */
export const CALIFORNIA_HOUSING_FILE = {
  url: 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/california_housing.npz',
  fileHash: '1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f',
} as const;

/** Boston's options and Keras's `version`. */
export interface CaliforniaHousingOptions extends HousingOptions {
  /** `'large'` (all 20,640 rows, the default) or `'small'` (the first 600). */
  version?: 'large' | 'small';
}

/**
 * Keras's `california_housing.load_data(version, test_split, seed)`: x
 * `[n_train, 8]` / `[n_test, 8]` and y `[n_train]` / `[n_test]` (the file's
 * dtype, float32), shuffled and split as Keras does. Node only.
 *
 * @example
 * const [[xTrain, yTrain]] = await datasets.californiaHousing.loadData({ version: 'small' });
 */
export async function loadData(options: CaliforniaHousingOptions = {}): Promise<Splits<DatasetArray, DatasetArray>> {
  const opts = readLoadOptions<CaliforniaHousingOptions>('californiaHousing', options, [
    'version',
    'path',
    'testSplit',
    'seed',
  ]);
  const testSplit = checkTestSplit(opts.testSplit ?? 0.2);
  const seed = checkSeed(opts.seed ?? 113);
  const version = opts.version ?? 'large';
  if (version !== 'large' && version !== 'small') {
    throw new ValueError(`Argument \`version\` must be one of 'small', 'large'. Received: version=${String(version)}`, {
      argument: 'version',
      expected: "'small' or 'large'",
      received: String(version),
    });
  }
  const bytes = await getFile(
    {
      dataset: 'californiaHousing',
      url: CALIFORNIA_HOUSING_FILE.url,
      fname: opts.path ?? 'california_housing.npz',
      fileHash: CALIFORNIA_HOUSING_FILE.fileHash,
    },
    readFetchOptions(opts),
  );
  const arrays = readNpz(bytes);
  let x = numeric('californiaHousing', arrays, 'x');
  let y = numeric('californiaHousing', arrays, 'y');
  if (version === 'small') {
    x = sliceRows(x, 0, Math.min(600, x.shape[0] as number));
    y = sliceRows(y, 0, Math.min(600, y.shape[0] as number));
  }
  return shuffleSplit(x, y, testSplit, seed);
}
