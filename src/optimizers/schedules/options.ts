/** Argument checks shared by the built-in schedules' constructors. */
import { invalidArgument } from '../../errors.js';
import { readOptions } from '../../utils/options.js';

/** Reads a schedule's options object; the listed `required` ones must be present. */
export function readScheduleOptions<T extends object>(
  className: string,
  options: unknown,
  allowed: readonly string[],
  required: readonly string[],
): Readonly<Partial<T>> {
  const read = readOptions<T>(className, options, allowed) as Record<string, unknown>;
  for (const name of required) {
    if (read[name] === undefined) {
      throw invalidArgument(name, `a number (${className} requires ${required.join(', ')})`, undefined);
    }
  }
  return read as Readonly<Partial<T>>;
}

/** A finite number. */
export function checkNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(name, 'a finite number', value);
  return value;
}

/** A finite number >= 0 (a learning rate, a rate, a fraction). */
export function checkNonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(name, 'a non-negative number', value);
  }
  return value;
}

/** A finite number > 0: Keras's "Argument `decay_steps` must be > 0". */
export function checkPositive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidArgument(name, 'a number > 0', value);
  }
  return value;
}

export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(name, 'a boolean', value);
  return value;
}

export function checkName(value: unknown): string {
  if (typeof value !== 'string') throw invalidArgument('name', 'a string', value);
  return value;
}
