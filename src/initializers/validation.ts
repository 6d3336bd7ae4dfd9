/** Checks of initializer options, which reach us from untrusted JSON too. */
import { ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';

function fail(name: string, expected: string, value: unknown): never {
  throw new ValueError(
    `Invalid value for argument ${name}: expected ${expected}. Received: ${name}=${formatValue(value)}`,
    {
      argument: name,
      expected,
      received: formatValue(value),
    },
  );
}

/** A finite number (>= `min` when given). */
export function finiteNumber(value: unknown, name: string, min?: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (min != null && value < min)) {
    fail(name, min == null ? 'a finite number' : `a finite number >= ${min}`, value);
  }
  return value;
}

/** `null` or an integer seed. */
export function seedOrNull(value: unknown): number | null {
  if (value == null) return null;
  if (!Number.isSafeInteger(value)) fail('seed', 'null or an integer', value);
  return value as number;
}

/** `null` or an array of axis indices. */
export function axesOrNull(value: unknown, name: string): number[] | null {
  if (value == null) return null;
  if (!Array.isArray(value) || !value.every((axis) => Number.isInteger(axis)))
    fail(name, 'null or an array of integers', value);
  return value as number[];
}
