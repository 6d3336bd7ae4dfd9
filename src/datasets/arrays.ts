/** Checks shared by the loaders: the arrays a file must hold, and their kinds. */
import { ValueError } from '../errors.js';
import type { DatasetArray } from './ndarray.js';
import type { NpyArray } from './npy.js';

/** Array `key` of `arrays`, numeric, or an error naming the dataset and key. */
export function numeric(dataset: string, arrays: Map<string, NpyArray>, key: string): DatasetArray {
  const array = arrays.get(key);
  if (array == null || array.dtype === 'object') {
    throw new ValueError(
      `The ${dataset} file has no numeric array "${key}" (it holds: ${[...arrays.keys()].join(', ')}).`,
      {
        argument: 'file',
        expected: `a numeric array "${key}"`,
        received: array == null ? 'no such array' : 'an object array',
      },
    );
  }
  return array;
}

/** Array `key` of `arrays` as Python lists of integers (imdb, reuters). */
export function sequences(dataset: string, arrays: Map<string, NpyArray>, key: string): number[][] {
  const array = arrays.get(key);
  if (array == null || array.dtype !== 'object') {
    throw new ValueError(`The ${dataset} file has no object array "${key}" of sequences.`, {
      argument: 'file',
      expected: `an object array "${key}"`,
      received: array == null ? 'no such array' : array.dtype,
    });
  }
  return array.data.map((row) => {
    if (!Array.isArray(row) || row.some((w) => !Number.isInteger(w))) {
      throw new ValueError(`The ${dataset} file's "${key}" holds a row that is not a list of integers.`, {
        argument: 'file',
        expected: 'lists of integers',
        received: typeof row,
      });
    }
    return row as number[];
  });
}

/** Keras's `test_split` check: in [0, 1). */
export function checkTestSplit(testSplit: unknown): number {
  if (typeof testSplit !== 'number' || !(testSplit >= 0 && testSplit < 1)) {
    throw new ValueError(
      `Invalid \`testSplit\` argument: ${String(testSplit)}. It must be between 0 and 1 (exclusive of 1).`,
      {
        argument: 'testSplit',
        expected: 'a number in [0, 1)',
        received: String(testSplit),
      },
    );
  }
  return testSplit;
}

/** A seed numpy's RandomState takes: an integer in [0, 2^32). */
export function checkSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ValueError(`seed must be an integer between 0 and 2**32 - 1. Received: ${String(seed)}`, {
      argument: 'seed',
      expected: 'an integer in [0, 2**32)',
      received: String(seed),
    });
  }
  return seed;
}
