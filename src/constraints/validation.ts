/** Argument checks of the norm constraints (Keras checks none of them; a bad bound would silently break training). */
import { invalidArgument } from '../errors.js';

/** A finite number >= 0: a norm bound. */
export function nonNegativeBound(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(name, 'a non-negative number', value);
  }
  return value;
}

/** A number in [0, 1]: MinMaxNorm's rate. */
export function unitRate(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw invalidArgument(name, 'a number in [0, 1]', value);
  }
  return value;
}
