/**
 * Validation of the loss classes' options, each error naming the option,
 * what was expected and what was received (Keras's own checks where it has
 * them, ours where Keras would fail later or silently).
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { formatShape, formatValue } from '../utils/format.js';

/** `value` as a boolean option, else an error naming `name`. */
export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(name, 'a boolean', value);
  return value;
}

/** `value` as a finite number option, else an error naming `name`. */
export function checkNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(name, 'a finite number', value);
  return value;
}

/** `labelSmoothing`: a number in [0, 1]. */
export function checkSmoothing(value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw invalidArgument('labelSmoothing', 'a number in [0, 1]', value);
  }
  return value;
}

/** An axis option: an integer (Keras refuses booleans too), or null where `nullable`. */
export function checkAxis(value: unknown, nullable = false): number | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalidArgument('axis', nullable ? 'an integer or null' : 'an integer', value);
  }
  return value;
}

/** `axis` made non-negative for a tensor of `rank`, or an error when it is out of range. */
export function canonicalAxis(axis: number, rank: number, lossName: string): number {
  if (axis < -rank || axis >= rank) {
    throw new ValueError(
      `${lossName}: axis ${axis} is out of bounds for predictions of rank ${rank}. Received: axis=${axis}`,
      { argument: 'axis', expected: `an integer in [${-rank}, ${rank})`, received: formatValue(axis) },
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** A shape as a message prints it. */
export const shapeOf = (t: { shape: readonly number[] }): string => formatShape(t.shape);

/** `yTrue` as float32 (Keras converts the targets to the loss's dtype). */
export function asFloat(t: tf.Tensor): tf.Tensor {
  return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
}
