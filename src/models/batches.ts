/** Splitting data into batches and validation sets. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import type { Dataset, OwnedTensors } from './data-checks.js';

export function checkPositiveInteger(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw invalidArgument(name, 'a positive integer', value);
  }
  return value as number;
}

/** Rows `start..end` of `t` (in order), or the rows at `indices`. */
export function takeRows(t: tf.Tensor, start: number, end: number, order: Int32Array | null): tf.Tensor {
  if (order == null) return tf.slice(t, start, end - start);
  return tf.tidy(() => tf.gather(t, tf.tensor1d(order.subarray(start, end), 'int32')));
}

/**
 * Keras's `validation_split`: the last `fraction` of the samples of every
 * input and target, taken before any shuffling. Both parts must keep at
 * least one sample. The slices are owned by `owned`.
 */
export function splitValidation(
  data: Dataset,
  fraction: unknown,
  owned: OwnedTensors,
): { train: Dataset; validation: Dataset } {
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw invalidArgument('validationSplit', 'a number in (0, 1)', fraction);
  }
  const { n } = data;
  const cut = Math.floor(n * (1 - fraction));
  if (cut === 0 || cut === n) {
    throw new ValueError(
      `Training data contains ${n} samples, which is not sufficient to split it into a validation and training set as specified by \`validationSplit=${fraction}\`. Either provide more data, or a different value for the \`validationSplit\` argument.`,
      { argument: 'validationSplit', expected: 'a split leaving samples on both sides', received: String(fraction) },
    );
  }
  const part = (start: number, size: number): Dataset => ({
    ...data,
    xs: data.xs.map((x) => owned.add(tf.slice(x, start, size))),
    ys: data.ys.map((y) => owned.add(tf.slice(y, start, size))),
    n: size,
  });
  return { train: part(0, cut), validation: part(cut, n - cut) };
}
