/**
 * `keras.datasets.imdb`: 25,000 training and 25,000 test movie reviews as
 * sequences of word indices (by frequency), labelled positive or negative.
 *
 * @packageDocumentation
 */
import { ValueError } from '../errors.js';
import { numeric, sequences } from './arrays.js';
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

/** Keras's URL and sha256 of imdb.npz. */
export const IMDB_FILE = {
  url: 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz',
  fileHash: '69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f',
} as const;

/**
 * Keras's `imdb.load_data(...)`: `[[xTrain, yTrain], [xTest, yTest]]`, x the
 * sequences (`number[][]`, numpy object arrays in Keras), y int32 labels
 * (int64 in Keras). Both splits are shuffled by the same RandomState(seed)
 * as Keras's, so the rows come in Keras's order. Node only.
 *
 * @example
 * const [[xTrain, yTrain]] = await datasets.imdb.loadData({ numWords: 10000, maxlen: 200 });
 */
export async function loadData(options: SequenceOptions = {}): Promise<Splits<number[][], DatasetArray>> {
  const opts = readLoadOptions<SequenceOptions>('imdb', options, SEQUENCE_OPTIONS);
  const args = sequenceArgs(opts);
  const bytes = await getFile(
    { dataset: 'imdb', url: IMDB_FILE.url, fname: opts.path ?? 'imdb.npz', fileHash: IMDB_FILE.fileHash },
    readFetchOptions(opts),
  );
  const arrays = readNpz(bytes);
  const random = rng(args.seed);
  const xTrainRaw = sequences('imdb', arrays, 'x_train');
  const xTestRaw = sequences('imdb', arrays, 'x_test');
  let [xTrain, yTrain] = shuffled(xTrainRaw, numeric('imdb', arrays, 'y_train'), random.permutation(xTrainRaw.length));
  let [xTest, yTest] = shuffled(xTestRaw, numeric('imdb', arrays, 'y_test'), random.permutation(xTestRaw.length));
  xTrain = offsetWords(xTrain, args);
  xTest = offsetWords(xTest, args);
  if (args.maxlen) {
    [xTrain, yTrain] = removeLong(args.maxlen, xTrain, yTrain);
    [xTest, yTest] = removeLong(args.maxlen, xTest, yTest);
    if (xTrain.length === 0 || xTest.length === 0) {
      throw new ValueError(
        `After filtering for sequences shorter than maxlen=${args.maxlen}, no sequence was kept. Increase maxlen.`,
        { argument: 'maxlen', expected: 'longer than some sequence of each split', received: String(args.maxlen) },
      );
    }
  }
  const xs = limitWords([...xTrain, ...xTest], args);
  const idx = xTrain.length;
  return [
    [xs.slice(0, idx), labelArray(yTrain)],
    [xs.slice(idx), labelArray(yTest)],
  ];
}
