import { KerasTypeError } from '../errors.js';
import { formatValue } from './format.js';
import { isPlainObject } from './objects.js';

/**
 * Reads an options object (a constructor's, or a config given to
 * `fromConfig`): it must be a plain object whose keys are all known, so that
 * a typo (`{ l3: 0.1 }`) is an error naming the key, not a silent default.
 */
export function readOptions<T extends object = Record<string, unknown>>(
  className: string,
  options: unknown,
  allowed: readonly string[],
): Readonly<Partial<T>> {
  const expected = allowed.length > 0 ? allowed.join(', ') : 'no options';
  if (!isPlainObject(options)) {
    throw new KerasTypeError(
      `${className} expects an options object {${expected}}. Received: ${formatValue(options)}`,
      {
        argument: 'options',
        expected: `{${expected}}`,
        received: formatValue(options),
      },
    );
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new KerasTypeError(
        `${className} got an unexpected option ${JSON.stringify(key)}. Expected: ${expected}. Received: ${formatValue(options)}`,
        { argument: key, expected, received: formatValue(options) },
      );
    }
  }
  return options as Partial<T>;
}
