/**
 * Arguments shared by ZeroPadding and Cropping: a `(before, after)` pair of
 * sizes per spatial axis, given as Keras takes it, and the spatial axes of
 * an input in either data format.
 */
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { type DataFormat, standardizeTuple } from '../arguments.js';

/** `(before, after)` sizes on one spatial axis. */
export type Pair = [number, number];

const ORDINALS = ['1st', '2nd', '3rd'];

/**
 * Keras's reading of ZeroPadding2D/3D's `padding` and Cropping2D/3D's
 * `cropping`: an int for every side, `rank` ints (one per axis, both sides),
 * or `rank` pairs. `word` names a side in the error text ("pad", "crop").
 */
export function standardizePairs(value: unknown, rank: 2 | 3, name: string, word: string): Pair[] {
  const received = formatValue(value);
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (value < 0) {
      throw new ValueError(`\`${name}\` cannot be negative. Received: ${name}=${received}.`, {
        argument: name,
        expected: 'a non-negative integer',
        received,
      });
    }
    return Array.from({ length: rank }, (): Pair => [value, value]);
  }
  if (!Array.isArray(value)) {
    const symmetric =
      rank === 2
        ? `(symmetric_height_${word}, symmetric_width_${word})`
        : `(symmetric_dim1_${word}, symmetric_dim2_${word}, symmetric_dim3_${word})`;
    const pairs =
      rank === 2
        ? `((top_${word}, bottom_${word}), (left_${word}, right_${word}))`
        : `((left_dim1_${word}, right_dim1_${word}), (left_dim2_${word}, right_dim2_${word}), (left_dim3_${word}, right_dim3_${word}))`;
    throw new ValueError(
      `\`${name}\` should be either an int, a tuple of ${rank} ints ${symmetric}, or a tuple of ${rank} tuples of 2 ints ${pairs}. Received: ${name}=${received}.`,
      { argument: name, expected: `an int, ${rank} ints or ${rank} pairs of ints`, received },
    );
  }
  if (value.length !== rank) {
    throw new ValueError(
      `\`${name}\` should have ${rank === 2 ? 'two' : rank} elements. Received: ${name}=${received}.`,
      {
        argument: name,
        expected: `${rank} elements`,
        received,
      },
    );
  }
  return value.map((entry, i) => [...standardizeTuple(entry, 2, `${ORDINALS[i]} entry of ${name}`, true)] as Pair);
}

/** The input axes that hold the `rank` spatial axes. */
export function spatialAxes(rank: number, dataFormat: DataFormat): number[] {
  const first = dataFormat === 'channelsLast' ? 1 : 2;
  return Array.from({ length: rank }, (_, i) => first + i);
}
