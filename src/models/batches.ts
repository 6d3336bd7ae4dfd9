/** Splitting data into batches and validation sets. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { formatShape } from '../utils/format.js';

/** Checks that `x` and `y` are tensors with the same number of samples; returns it. */
export function sampleCount(x: unknown, y: unknown): number {
  for (const [name, value] of [
    ['x', x],
    ['y', y],
  ] as const) {
    if (!(value instanceof tf.Tensor) || value.rank < 1) {
      throw invalidArgument(name, 'a tensor of rank >= 1', value);
    }
  }
  const [xs, ys] = [x as tf.Tensor, y as tf.Tensor];
  if (xs.shape[0] !== ys.shape[0]) {
    throw new ValueError(
      `x and y must have the same number of samples. Received: x.shape=${formatShape(xs.shape)} and y.shape=${formatShape(ys.shape)}`,
      { argument: 'y', expected: `${xs.shape[0]} samples`, received: formatShape(ys.shape) },
    );
  }
  return xs.shape[0] as number;
}

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

/** Keras's `validation_split`: the last `fraction` of the samples, taken before any shuffling. */
export function splitValidation(
  x: tf.Tensor,
  y: tf.Tensor,
  fraction: number,
): { train: [tf.Tensor, tf.Tensor]; validation: [tf.Tensor, tf.Tensor] } {
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw invalidArgument('validationSplit', 'a number in (0, 1)', fraction);
  }
  const n = x.shape[0] as number;
  const cut = Math.floor(n * (1 - fraction));
  return {
    train: [tf.slice(x, 0, cut), tf.slice(y, 0, cut)],
    validation: [tf.slice(x, cut, n - cut), tf.slice(y, cut, n - cut)],
  };
}
