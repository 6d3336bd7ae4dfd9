/**
 * `keras.datasets.reuters`: 11,228 newswires as sequences of word indices,
 * labelled with 46 topics, split by `testSplit` after Keras's shuffle.
 *
 * @packageDocumentation
 */
import { checkTestSplit, numeric, sequences } from './arrays.js';
import { getFile, readFetchOptions, readLoadOptions } from './get-file.js';
import type { DatasetArray, Splits } from './ndarray.js';
import { readNpz } from './npy.js';
import {
  labelArray,
  limitWords,
  offsetWords,
  removeLong,
  rng,
  SEQUENCE_OPTIONS,
  type SequenceOptions,
  sequenceArgs,
  shuffled,
} from './sequences.js';

/** Keras's URL and sha256 of reuters.npz. */
export const REUTERS_FILE = {
  url: 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters.npz',
  fileHash: 'd6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916',
} as const;

/** `loadData()`'s options: imdb's and Keras's `test_split`. */
export interface ReutersOptions extends SequenceOptions {
  /** The fraction of the (shuffled) sequences kept for testing, in [0, 1). Default 0.2. */
  testSplit?: number;
}

/** Keras's 46 topic names, in label order (`reuters.get_label_names()`). */
export const LABEL_NAMES: readonly string[] = [
  'cocoa',
  'grain',
  'veg-oil',
  'earn',
  'acq',
  'wheat',
  'copper',
  'housing',
  'money-supply',
  'coffee',
  'sugar',
  'trade',
  'reserves',
  'ship',
  'cotton',
  'carcass',
  'crude',
  'nat-gas',
  'cpi',
  'money-fx',
  'interest',
  'gnp',
  'meal-feed',
  'alum',
  'oilseed',
  'gold',
  'tin',
  'strategic-metal',
  'livestock',
  'retail',
  'ipi',
  'iron-steel',
  'rubber',
  'heat',
  'jobs',
  'lei',
  'bop',
  'zinc',
  'orange',
  'pet-chem',
  'dlr',
  'gas',
  'silver',
  'wpi',
  'hog',
  'lead',
];

/**
 * Keras's `reuters.get_label_names()`: the 46 topics by label.
 *
 * @example
 * const topic = datasets.reuters.getLabelNames()[3]; // 'earn'
 */
export function getLabelNames(): readonly string[] {
  return LABEL_NAMES;
}

/**
 * Keras's `reuters.load_data(...)`: `[[xTrain, yTrain], [xTest, yTest]]`, x the
 * sequences (`number[][]`), y int32 topic labels; the first
 * `floor(n * (1 - testSplit))` shuffled sequences train. Node only.
 *
 * @example
 * const [[xTrain, yTrain], [xTest, yTest]] = await datasets.reuters.loadData({ numWords: 10000 });
 */
export async function loadData(options: ReutersOptions = {}): Promise<Splits<number[][], DatasetArray>> {
  const opts = readLoadOptions<ReutersOptions>('reuters', options, [...SEQUENCE_OPTIONS, 'testSplit']);
  const args = sequenceArgs(opts);
  // Keras does not check test_split here; a value outside [0, 1) would slice nonsense, so refuse it.
  const testSplit = checkTestSplit(opts.testSplit ?? 0.2);
  const bytes = await getFile(
    { dataset: 'reuters', url: REUTERS_FILE.url, fname: opts.path ?? 'reuters.npz', fileHash: REUTERS_FILE.fileHash },
    readFetchOptions(opts),
  );
  const arrays = readNpz(bytes);
  const raw = sequences('reuters', arrays, 'x');
  let [xs, labels] = shuffled(raw, numeric('reuters', arrays, 'y'), rng(args.seed).permutation(raw.length));
  xs = offsetWords(xs, args);
  if (args.maxlen) [xs, labels] = removeLong(args.maxlen, xs, labels);
  xs = limitWords(xs, args);
  const idx = Math.trunc(xs.length * (1 - testSplit));
  return [
    [xs.slice(0, idx), labelArray(labels.slice(0, idx))],
    [xs.slice(idx), labelArray(labels.slice(idx))],
  ];
}
