/** Checks of initializer options, which reach us from untrusted JSON too. */
import { invalidArgument } from '../errors.js';

/** A finite number (>= `min` when given). */
export function finiteNumber(value: unknown, name: string, min?: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (min != null && value < min)) {
    throw invalidArgument(name, min == null ? 'a finite number' : `a finite number >= ${min}`, value);
  }
  return value;
}

/** `null` or an integer seed. */
export function seedOrNull(value: unknown): number | null {
  if (value == null) return null;
  if (!Number.isSafeInteger(value)) throw invalidArgument('seed', 'null or an integer', value);
  return value as number;
}

/** `null` or an array of axis indices. */
export function axesOrNull(value: unknown, name: string): number[] | null {
  if (value == null) return null;
  if (!Array.isArray(value) || !value.every((axis) => Number.isInteger(axis)))
    throw invalidArgument(name, 'null or an array of integers', value);
  return value as number[];
}
