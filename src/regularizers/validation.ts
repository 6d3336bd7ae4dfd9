/** Argument checks shared by the regularizer constructors and setters. */
import { invalidArgument, ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';

/**
 * Keras's `validate_float_arg`: a finite number >= 0, returned as is.
 * Booleans and numeric strings are rejected (Python accepts `True` as 1).
 */
export function validateFactor(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(name, 'a non-negative float', value);
  }
  return value;
}

/** `undefined` and `null` mean the default, as Python's `None` does for L1/L2/L1L2. */
export function factorOrDefault(value: unknown, name: string, fallback: number): number {
  return value == null ? fallback : validateFactor(value, name);
}

export const ORTHOGONAL_MODES = ['rows', 'columns'] as const;
/** Which vectors `OrthogonalRegularizer` makes orthogonal, Keras's `mode`: the rows or the columns of the matrix. */
export type OrthogonalMode = (typeof ORTHOGONAL_MODES)[number];

export function validateMode(value: unknown): OrthogonalMode {
  if (value === 'rows' || value === 'columns') return value;
  const received = typeof value === 'string' ? value : formatValue(value);
  throw new ValueError(
    `Invalid value for argument \`mode\`. Expected one of {"rows", "columns"}. Received: mode=${received}`,
    { argument: 'mode', expected: '"rows" or "columns"', received },
  );
}
