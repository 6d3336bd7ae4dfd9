/**
 * Data as people have it (Keras's PyDataset / tf.data role): a sync or
 * async iterable of batches, an iterator, or a function that returns one
 * per pass. Each batch is `[x, y]` or `[x, y, sampleWeight]` (for
 * `predict`, `[x]` or `x` alone), each laid out as the in-memory methods
 * take them. Batches are pulled one at a time, so the data never has to
 * fit in memory.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import type { ModelInputs, Targets } from '../data-checks.js';
import type { SampleWeights } from './sample-weights.js';

/**
 * One batch: `[x, y]` or `[x, y, sampleWeight]` (for `predict`, also `[x]`,
 * or `x` alone: see `PredictBatch`). A plain `yield [x, y]` of tensors
 * (typed `tf.Tensor[]`) is one too.
 */
export type Batch =
  | readonly [ModelInputs, Targets]
  | readonly [ModelInputs, Targets, SampleWeights | null | undefined]
  | readonly tf.Tensor[];

/** A batch for `predict`: `[x]`, `[x, y]` (y ignored) or the inputs alone. */
export type PredictBatch = readonly [ModelInputs] | Batch | ModelInputs;

/** What a pass over the data is: an iterable or an iterator, sync or async. */
export type BatchIterable<B = Batch> = Iterable<B> | AsyncIterable<B> | Iterator<B> | AsyncIterator<B>;

/**
 * A dataset for `fit`, `evaluate` and `predict`: an iterable (a generator,
 * an async generator, any object with `Symbol.iterator` or
 * `Symbol.asyncIterator`), an iterator, or a function returning one, called
 * for each new pass. A generator object (one pass only) is used up by its
 * first pass; a function or a re-iterable object starts over each time.
 */
export type DataSource<B = Batch> = BatchIterable<B> | (() => BatchIterable<B>);

/**
 * Whether `value` is a dataset rather than in-memory data: a function, an
 * iterator, or an iterable other than an array (an array is a list of
 * input tensors) or a tensor.
 */
export function isDataSource(value: unknown): value is DataSource<unknown> {
  if (typeof value === 'function') return true;
  if (value == null || typeof value !== 'object' || Array.isArray(value) || value instanceof tf.Tensor) return false;
  if (ArrayBuffer.isView(value)) return false;
  return (
    Symbol.asyncIterator in value ||
    Symbol.iterator in value ||
    typeof (value as { next?: unknown }).next === 'function'
  );
}

/** One pass over the data: batches pulled one at a time. */
export interface Pass {
  next(): Promise<IteratorResult<unknown>>;
  /** Ends the pass early (a generator's `finally` runs). */
  close(): Promise<void>;
}

/** A dataset opened pass after pass, knowing whether a new pass starts over. */
export class BatchSource {
  readonly #source: DataSource<unknown>;
  readonly #argument: string;
  #opened = false;
  /** Whether a new pass starts the data over (false for a generator object or an iterator: one pass only). */
  restartable = true;

  constructor(source: DataSource<unknown>, argument: string) {
    this.#source = source;
    this.#argument = argument;
  }

  /** A new pass over the data. */
  open(): Pass {
    const given = typeof this.#source === 'function' ? (this.#source as () => unknown)() : this.#source;
    const iterator = this.#iteratorOf(given);
    if (typeof this.#source !== 'function' && iterator === given) this.restartable = false;
    this.#opened = true;
    return {
      next: async () => {
        const result = await (iterator as AsyncIterator<unknown>).next();
        if (result == null || typeof result !== 'object') {
          throw invalidArgument(this.#argument, 'an iterator whose next() returns { value, done }', result);
        }
        return result;
      },
      close: async () => {
        await (iterator as AsyncIterator<unknown>).return?.();
      },
    };
  }

  /** Whether `open` was called at least once. */
  get opened(): boolean {
    return this.#opened;
  }

  #iteratorOf(given: unknown): unknown {
    if (given != null && typeof given === 'object') {
      const asyncIterator = (given as AsyncIterable<unknown>)[Symbol.asyncIterator];
      if (typeof asyncIterator === 'function') return asyncIterator.call(given);
      const iterator = (given as Iterable<unknown>)[Symbol.iterator];
      if (typeof iterator === 'function' && !Array.isArray(given)) return iterator.call(given);
      if (typeof (given as Iterator<unknown>).next === 'function') return given;
    }
    const what = typeof this.#source === 'function' ? `a function returning ${formatValue(given)}` : formatValue(given);
    throw new ValueError(
      `Invalid value for argument ${this.#argument}: expected an iterable or iterator of batches [x, y] or [x, y, sampleWeight], or a function returning one. Received: ${what}`,
      {
        argument: this.#argument,
        expected: 'an iterable or iterator of batches, or a function returning one',
        received: what,
      },
    );
  }
}

/** A batch split into its parts, as Keras's `unpack_x_y_sample_weight`. */
export interface BatchParts {
  x: unknown;
  y: unknown;
  sampleWeight: unknown;
}

/**
 * `[x, y]` / `[x, y, sampleWeight]` split; `withTargets` false (predict)
 * also takes `[x]` or `x` alone. `index` names the batch in messages.
 */
export function batchParts(batch: unknown, argument: string, index: number, withTargets: boolean): BatchParts {
  if (Array.isArray(batch) && batch.length >= 1 && batch.length <= 3 && (batch.length > 1 || !withTargets)) {
    // A predict batch [x1, x2] of two input tensors cannot be told from [x, y]: Keras reads it as (x, y) too.
    return { x: batch[0], y: batch[1] ?? null, sampleWeight: batch[2] ?? null };
  }
  if (!withTargets && !Array.isArray(batch)) return { x: batch, y: null, sampleWeight: null };
  const received = Array.isArray(batch) ? `an array of ${batch.length}` : formatValue(batch);
  const expected = withTargets ? '[x, y] or [x, y, sampleWeight]' : '[x], [x, y] or x';
  throw new ValueError(`Invalid batch ${index} of ${argument}: expected ${expected}. Received: ${received}`, {
    argument: `${argument} batch ${index}`,
    expected,
    received,
  });
}

/** Keras's warning when the data runs out before `stepsPerEpoch` steps. */
export const RAN_OUT_WARNING =
  'Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least `stepsPerEpoch * epochs` batches. You may need to use a function that returns a new iterator for each pass.';
