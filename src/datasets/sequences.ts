/**
 * What imdb and reuters share, Keras's steps in Keras's order: shuffle with
 * numpy's RandomState(seed), prepend `startChar` and offset by `indexFrom`,
 * drop sequences of `maxlen` or more words, and replace words outside
 * [skipTop, numWords) with `oovChar` (or drop them when it is null).
 */
import { ValueError } from '../errors.js';
import { checkSeed } from './arrays.js';
import type { FetchOptions } from './get-file.js';
import type { DatasetArray } from './ndarray.js';
import { RandomState } from './random-state.js';

/** Keras's `load_data()` arguments for imdb and reuters, camelCased. */
export interface SequenceOptions extends FetchOptions {
  /** The file's name in the cache folder (Keras's `path`). */
  path?: string;
  /** Keep the words ranked below this (by frequency); others become `oovChar`. Null or 0: all words. */
  numWords?: number | null;
  /** The most frequent words to treat as out of vocabulary. Default 0. */
  skipTop?: number;
  /** Drop sequences of this many words or more (after `startChar`). Null or 0: keep all. */
  maxlen?: number | null;
  /** The shuffle's seed (numpy's RandomState). Default 113. */
  seed?: number;
  /** The index each sequence starts with; null for none. Default 1. */
  startChar?: number | null;
  /** The index of out-of-vocabulary words; null drops them. Default 2. */
  oovChar?: number | null;
  /** The offset added to every word index. Default 3. */
  indexFrom?: number;
}

/** The option names of SequenceOptions besides the fetch options. */
export const SEQUENCE_OPTIONS = [
  'path',
  'numWords',
  'skipTop',
  'maxlen',
  'seed',
  'startChar',
  'oovChar',
  'indexFrom',
] as const;

function integer(name: string, value: unknown, nullable: boolean): number | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ValueError(
      `${name} must be a non-negative integer${nullable ? ' or null' : ''}. Received: ${String(value)}`,
      {
        argument: name,
        expected: `a non-negative integer${nullable ? ' or null' : ''}`,
        received: String(value),
      },
    );
  }
  return value;
}

/** The checked arguments with Keras's defaults. */
export interface SequenceArgs {
  numWords: number | null;
  skipTop: number;
  maxlen: number | null;
  seed: number;
  startChar: number | null;
  oovChar: number | null;
  indexFrom: number;
}

/** Reads the sequence arguments with Keras's defaults. */
export function sequenceArgs(opts: Readonly<Partial<SequenceOptions>>): SequenceArgs {
  return {
    numWords: integer('numWords', opts.numWords ?? null, true),
    skipTop: integer('skipTop', opts.skipTop ?? 0, false) as number,
    maxlen: integer('maxlen', opts.maxlen ?? null, true),
    seed: checkSeed(opts.seed ?? 113),
    startChar: integer('startChar', opts.startChar === undefined ? 1 : opts.startChar, true),
    oovChar: integer('oovChar', opts.oovChar === undefined ? 2 : opts.oovChar, true),
    indexFrom: integer('indexFrom', opts.indexFrom ?? 3, false) as number,
  };
}

/** Rows `order` of `xs` and `labels`. */
export function shuffled(xs: number[][], labels: DatasetArray, order: Int32Array): [number[][], number[]] {
  const ys = Array.from(labels.data as ArrayLike<number>);
  return [Array.from(order, (i) => xs[i] as number[]), Array.from(order, (i) => ys[i] as number)];
}

/** A new RandomState for `seed`. */
export function rng(seed: number): RandomState {
  return new RandomState(seed);
}

/** `startChar` and `indexFrom` applied (Keras's two branches). */
export function offsetWords(xs: number[][], args: SequenceArgs): number[][] {
  if (args.startChar !== null) return xs.map((x) => [args.startChar as number, ...x.map((w) => w + args.indexFrom)]);
  if (args.indexFrom) return xs.map((x) => x.map((w) => w + args.indexFrom));
  return xs.map((x) => [...x]);
}

/** Keras's `remove_long_seq`: keeps sequences shorter than `maxlen`. */
export function removeLong(maxlen: number, xs: number[][], ys: number[]): [number[][], number[]] {
  const keep = xs.map((x) => x.length < maxlen);
  return [xs.filter((_, i) => keep[i]), ys.filter((_, i) => keep[i])];
}

/** Words outside [skipTop, numWords) replaced by `oovChar` or dropped. */
export function limitWords(xs: number[][], args: SequenceArgs): number[][] {
  let numWords = args.numWords;
  // Keras: `if not num_words: num_words = max(max(x) for x in xs)` (so that word itself is out).
  if (!numWords) numWords = Math.max(...xs.map((x) => Math.max(...x)));
  const n = numWords;
  if (args.oovChar !== null) {
    const oov = args.oovChar;
    return xs.map((x) => x.map((w) => (args.skipTop <= w && w < n ? w : oov)));
  }
  return xs.map((x) => x.filter((w) => args.skipTop <= w && w < n));
}

/** Labels as an int32 array (numpy int64 in Keras). */
export function labelArray(ys: number[]): DatasetArray {
  return { data: Int32Array.from(ys), shape: [ys.length], dtype: 'int32' };
}
