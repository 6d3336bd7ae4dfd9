/** Checks shared by the preprocessing layers' constructors: Keras's argument rules, with Keras's words. */
import { invalidArgument, ValueError } from '../../errors.js';
import { normalizeDataFormat } from '../../serialization/case.js';
import { formatValue } from '../../utils/format.js';

/** Keras's `data_format`, camelCased as everywhere in the API: `"channelsLast"` (the default) or `"channelsFirst"`. */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/** The output modes of the layers that encode integer indices (Keras's `encode_categorical_inputs`). */
export type CategoricalOutputMode = 'int' | 'one_hot' | 'multi_hot' | 'count';

/** `value` if it is one of `allowed`, else Keras's `validate_string_arg` error. */
export function oneOf<T extends string>(className: string, argument: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ValueError(
    `Unknown value for \`${argument}\` argument of ${className}. Allowed values are: (${allowed.map((a) => `'${a}'`).join(', ')}). Received: ${argument}=${formatValue(value)}`,
    { argument, expected: `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, received: formatValue(value) },
  );
}

/** A data format option in either spelling: null or undefined means Keras's default, channels last. */
export function dataFormatOption(className: string, value: unknown): DataFormat {
  return oneOf(className, 'dataFormat', normalizeDataFormat(value ?? 'channelsLast'), [
    'channelsLast',
    'channelsFirst',
  ] as const);
}

/** A positive integer (an image's height or width). */
export function positiveInteger(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidArgument(argument, 'a positive integer', value);
  }
  return value;
}

/** A boolean option, `fallback` when undefined. */
export function booleanOption(argument: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidArgument(argument, 'a boolean', value);
  return value;
}

/** Keras's `sparse=True` needs sparse tensors, which tfjs has not: refused, saying so. */
export function refuseSparse(className: string, sparse: unknown): false {
  if (sparse == null || sparse === false) return false;
  throw new ValueError(
    `${className} cannot output sparse tensors: tfjs has no sparse tensor type, so only sparse=false is supported. Received: sparse=${formatValue(sparse)}`,
    { argument: 'sparse', expected: 'false', received: formatValue(sparse) },
  );
}
