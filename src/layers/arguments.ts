/** Checks and normalises layer arguments (units, filters, the convolution options), with Keras's error texts. */
import { ValueError } from '../errors.js';
import { normalizeDataFormat } from '../serialization/case.js';
import { formatValue } from '../utils/format.js';

/** Keras's `padding` of convolutions and pooling: none (`"valid"`), enough for an output of `ceil(input / stride)` steps (`"same"`), or on the left only, for Conv1D (`"causal"`). */
export type Padding = 'valid' | 'same' | 'causal';
/** Keras's `data_format`, camelCased: channels on the last axis (the default) or after the batch axis. Options also take `"channels_last"`/`"channels_first"`. */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/** Keras's `standardize_tuple`: a number becomes `rank` copies; an array must have `rank` positive (or, with `allowZero`, non-negative) integers. */
export function standardizeTuple(value: unknown, rank: number, name: string, allowZero = false): number[] {
  const tuple = typeof value === 'number' ? new Array<number>(rank).fill(value) : value;
  const valid =
    Array.isArray(tuple) &&
    tuple.length === rank &&
    tuple.every((v) => Number.isInteger(v) && (allowZero ? v >= 0 : v > 0));
  if (!valid) {
    const kind = allowZero ? 'non-negative' : 'positive';
    throw new ValueError(
      `The \`${name}\` argument must be a tuple of ${rank} ${kind} integers (or one ${kind} integer). Received: ${name}=${formatValue(value)}`,
      { argument: name, expected: `${rank} ${kind} integers`, received: formatValue(value) },
    );
  }
  return tuple as number[];
}

export function standardizePadding(value: unknown, allowCausal: boolean): Padding {
  const allowed = allowCausal ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  const lower = typeof value === 'string' ? value.toLowerCase() : value;
  if (typeof lower !== 'string' || !allowed.includes(lower)) {
    throw new ValueError(
      `The \`padding\` argument must be one of ${allowed.map((p) => JSON.stringify(p)).join(', ')}. Received: padding=${formatValue(value)}`,
      { argument: 'padding', expected: allowed.join(', '), received: formatValue(value) },
    );
  }
  return lower as Padding;
}

export function standardizeDataFormat(value: unknown): DataFormat {
  const format = normalizeDataFormat(value ?? 'channelsLast');
  if (format !== 'channelsLast' && format !== 'channelsFirst') {
    throw new ValueError(
      `The \`dataFormat\` argument must be one of "channelsLast", "channelsFirst" (or Keras's "channels_last", "channels_first"). Received: dataFormat=${formatValue(value)}`,
      { argument: 'dataFormat', expected: 'channelsLast or channelsFirst', received: formatValue(value) },
    );
  }
  return format;
}

export function checkGroups(filters: number, groups: unknown): number {
  if (!Number.isInteger(groups) || (groups as number) <= 0) {
    throw new ValueError(`The number of groups must be a positive integer. Received: groups=${formatValue(groups)}.`, {
      argument: 'groups',
      expected: 'a positive integer',
      received: formatValue(groups),
    });
  }
  if (filters % (groups as number) !== 0) {
    throw new ValueError(
      `The number of filters must be evenly divisible by the number of groups. Received: groups=${groups}, filters=${filters}.`,
      { argument: 'groups', expected: `a divisor of filters=${filters}`, received: String(groups) },
    );
  }
  return groups as number;
}

export function checkStridesAndDilation(strides: number[], dilationRate: number[]): void {
  if (Math.max(...strides) > 1 && Math.max(...dilationRate) > 1) {
    throw new ValueError(
      `\`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. Received: strides=${formatValue(strides)} and dilation_rate=${formatValue(dilationRate)}`,
      { argument: 'strides', expected: 'all 1 when dilationRate > 1', received: formatValue(strides) },
    );
  }
}

export function positiveInteger(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new ValueError(
      `Invalid value for argument \`${name}\`. Expected a strictly positive value. Received ${name}=${formatValue(value)}.`,
      { argument: name, expected: 'a strictly positive integer', received: formatValue(value) },
    );
  }
  return value as number;
}

/** Flatten computes channels-last only: a channels-first config is refused, not misread. */
export function requireChannelsLast(value: unknown, layer: string): 'channelsLast' {
  const format = standardizeDataFormat(value);
  if (format !== 'channelsLast') {
    throw new ValueError(
      `${layer} supports dataFormat "channelsLast" only. Received: dataFormat=${formatValue(value)}`,
      { argument: 'dataFormat', expected: 'channelsLast', received: formatValue(value) },
    );
  }
  return format;
}
