/**
 * The option checks shared by the image augmentation layers, as Keras's
 * `BaseImagePreprocessingLayer._set_factor` and the layers' `value_range`
 * checks, with Keras's words (and the argument, what was expected and what
 * was received as the error's fields).
 */
import { ValueError } from '../../../errors.js';
import { formatValue } from '../../../utils/format.js';

/** A factor as Keras takes it: one number, or `[lower, upper]`. */
export type FactorValue = number | readonly [number, number] | readonly number[];

/** Keras's `(min, max)` of an image's values, e.g. `[0, 255]` or `[0, 1]`. */
export type ValueRange = readonly [number, number];

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Keras's `_set_factor`: a number `f` in `bounds` gives
 * `[max(-|f|, bounds[0]), |f|]`; a pair is sorted, and refused only when it
 * lies wholly outside `bounds` (its first number above the upper bound, or
 * its second below the lower one), as Keras checks it. A missing factor is
 * an error here: layers whose Keras factor defaults pass their default.
 */
export function parseFactor(factor: unknown, bounds: readonly [number, number], argument = 'factor'): [number, number] {
  const [low, high] = bounds;
  const fail = () =>
    new ValueError(
      `The \`${argument}\` argument should be a number (or a list of two numbers) in the range [${low}, ${high}]. Received: ${argument}=${formatValue(factor)}`,
      { argument, expected: `a number or a list of two numbers in [${low}, ${high}]`, received: formatValue(factor) },
    );
  if (Array.isArray(factor)) {
    if (factor.length !== 2 || !isNumber(factor[0]) || !isNumber(factor[1])) throw fail();
    if (factor[0] > high || factor[1] < low) throw fail();
    return factor[0] <= factor[1] ? [factor[0], factor[1]] : [factor[1], factor[0]];
  }
  if (!isNumber(factor) || factor < low || factor > high) throw fail();
  const magnitude = Math.abs(factor);
  return [Math.max(-magnitude, low), magnitude];
}

/**
 * A `valueRange`: two finite numbers. `sort` sorts them (Keras's
 * RandomBrightness, Solarization...); otherwise they must already be
 * increasing (we refuse `[255, 0]` where Keras would silently clip to an empty
 * range).
 */
export function valueRangeOption(value: unknown, sort: boolean, argument = 'valueRange'): [number, number] {
  const received = formatValue(value);
  if (!Array.isArray(value) || value.length !== 2 || !isNumber(value[0]) || !isNumber(value[1])) {
    throw new ValueError(
      `The \`${argument}\` argument should be a list of two numbers. Received: ${argument}=${received}`,
      { argument, expected: 'a list of two numbers', received },
    );
  }
  const [a, b] = value as [number, number];
  if (sort) return a <= b ? [a, b] : [b, a];
  if (!(a < b)) {
    throw new ValueError(
      `The \`${argument}\` argument should be a list of two increasing numbers [min, max]. Received: ${argument}=${received}`,
      { argument, expected: 'a list of two increasing numbers [min, max]', received },
    );
  }
  return [a, b];
}

/** A number in `[low, high]`, else an error naming `argument`. */
export function numberInRange(argument: string, value: unknown, low: number, high: number): number {
  if (!isNumber(value) || value < low || value > high) {
    throw new ValueError(
      `Invalid value for argument ${argument}: expected a number in [${low}, ${high}]. Received: ${argument}=${formatValue(value)}`,
      { argument, expected: `a number in [${low}, ${high}]`, received: formatValue(value) },
    );
  }
  return value;
}
