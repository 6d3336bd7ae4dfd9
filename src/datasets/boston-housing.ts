/**
 * `keras.datasets.boston_housing`: 506 Boston suburbs, 13 features each
 * (float64) and the median home value in k$ as the target.
 *
 * @packageDocumentation
 */
import { checkSeed, checkTestSplit, numeric } from './arrays.js';
import { type FetchOptions, getFile, readFetchOptions, readLoadOptions } from './get-file.js';
import { shuffleSplit } from './housing.js';
import type { DatasetArray, Splits } from './ndarray.js';
import { readNpz } from './npy.js';

/** Keras's URL and sha256 of boston_housing.npz. */
export const BOSTON_HOUSING_FILE = {
  url: 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz',
  fileHash: 'f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5',
} as const;

/** Keras's `load_data()` arguments, camelCased, and the fetch options. */
export interface HousingOptions extends FetchOptions {
  /** The file's name in the cache folder (Keras's `path`). */
  path?: string;
  /** The fraction of rows kept for testing, in [0, 1). Default 0.2. */
  testSplit?: number;
  /** The shuffle's seed (numpy's RandomState). Default 113. */
  seed?: number;
}

/**
 * Keras's `boston_housing.load_data(test_split, seed)`: x float64 `[404, 13]` /
 * `[102, 13]`, y float64 `[404]` / `[102]` at the default split, the rows in
 * Keras's shuffled order. Node only.
 *
 * @example
 * const [[xTrain, yTrain], [xTest, yTest]] = await datasets.bostonHousing.loadData({ testSplit: 0.2 });
 */
export async function loadData(options: HousingOptions = {}): Promise<Splits<DatasetArray, DatasetArray>> {
  const opts = readLoadOptions<HousingOptions>('bostonHousing', options, ['path', 'testSplit', 'seed']);
  const testSplit = checkTestSplit(opts.testSplit ?? 0.2);
  const seed = checkSeed(opts.seed ?? 113);
  const bytes = await getFile(
    {
      dataset: 'bostonHousing',
      url: BOSTON_HOUSING_FILE.url,
      fname: opts.path ?? 'boston_housing.npz',
      fileHash: BOSTON_HOUSING_FILE.fileHash,
    },
    readFetchOptions(opts),
  );
  const arrays = readNpz(bytes);
  return shuffleSplit(numeric('bostonHousing', arrays, 'x'), numeric('bostonHousing', arrays, 'y'), testSplit, seed);
}
