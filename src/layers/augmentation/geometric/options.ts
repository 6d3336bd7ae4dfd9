/**
 * The option checks of the geometric augmentation layers, with Keras's
 * words: fill modes and interpolations (Keras raises NotImplementedError;
 * here a ValueError naming the argument), the per-number factor ranges of
 * RandomZoom, RandomTranslation and RandomShear, and `fillValue`.
 */
import { ValueError } from '../../../errors.js';
import { formatValue } from '../../../utils/format.js';
import type { FillMode, GeometricInterpolation } from './map-coordinates.js';

/** The fill modes of RandomRotation, RandomZoom, RandomTranslation and RandomShear. */
export const AFFINE_FILL_MODES = ['reflect', 'wrap', 'constant', 'nearest'] as const;
/** RandomElasticTransform's fill modes: Keras adds `mirror`. */
export const ELASTIC_FILL_MODES = ['constant', 'nearest', 'wrap', 'mirror', 'reflect'] as const;
/** The interpolations of the geometric layers. */
export const GEOMETRIC_INTERPOLATIONS = ['nearest', 'bilinear'] as const;

const tuple = (names: readonly string[]) => `(${names.map((n) => `'${n}'`).join(', ')})`;

/** `fillMode` checked against `allowed` (default `"reflect"`, as Keras). */
export function fillModeOption(value: unknown, allowed: readonly FillMode[] = AFFINE_FILL_MODES): FillMode {
  const mode = value ?? 'reflect';
  if ((allowed as readonly unknown[]).includes(mode)) return mode as FillMode;
  throw new ValueError(
    `Unknown \`fillMode\` ${formatValue(mode)}. Expected one of ${tuple(allowed)}. Received: fillMode=${formatValue(mode)}`,
    {
      argument: 'fillMode',
      expected: `one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
      received: formatValue(mode),
    },
  );
}

/** `interpolation` checked (default `"bilinear"`). */
export function geometricInterpolationOption(value: unknown): GeometricInterpolation {
  const name = value ?? 'bilinear';
  if ((GEOMETRIC_INTERPOLATIONS as readonly unknown[]).includes(name)) return name as GeometricInterpolation;
  throw new ValueError(
    `Unknown \`interpolation\` ${formatValue(name)}. Expected one of ${tuple(GEOMETRIC_INTERPOLATIONS)}. Received: interpolation=${formatValue(name)}`,
    { argument: 'interpolation', expected: '"nearest" or "bilinear"', received: formatValue(name) },
  );
}

/** `fillValue`: a finite number (default 0). */
export function fillValueOption(value: unknown): number {
  const fill = value ?? 0;
  if (typeof fill !== 'number' || !Number.isFinite(fill)) {
    throw new ValueError(
      `Invalid value for argument fillValue: expected a finite number. Received: fillValue=${formatValue(fill)}`,
      {
        argument: 'fillValue',
        expected: 'a finite number',
        received: formatValue(fill),
      },
    );
  }
  return fill;
}

/** A factor range checked number by number, as Keras's RandomZoom, RandomTranslation and RandomShear check theirs. */
export interface PerNumberRange {
  /** Keras's words for the range, e.g. `"(-1.0, 1.0]"`. */
  readonly text: string;
  readonly inRange: (x: number) => boolean;
}

/** RandomZoom's `(-1, 1]`: a factor of -1 would zoom to a point. */
export const ZOOM_RANGE: PerNumberRange = { text: '(-1.0, 1.0]', inRange: (x) => x > -1 && x <= 1 };
/** RandomTranslation's `[-1, 1]` (fractions of the image's size). */
export const TRANSLATION_RANGE: PerNumberRange = { text: '[-1.0, 1.0]', inRange: (x) => x >= -1 && x <= 1 };
/** RandomShear's `[0, 1]`. */
export const SHEAR_RANGE: PerNumberRange = { text: '[0, 1.0]', inRange: (x) => x >= 0 && x <= 1 };

/**
 * Keras's `_set_factor(factor, name)` of RandomZoom, RandomTranslation and
 * RandomShear: a number `f` gives `[-|f|, |f|]`, a pair is sorted; every
 * number must lie in `range`.
 */
export function perNumberFactor(argument: string, factor: unknown, range: PerNumberRange): [number, number] {
  const fail = () =>
    new ValueError(
      `The \`${argument}\` argument should be a number (or a list of two numbers) in the range ${range.text}. Received: ${argument}=${formatValue(factor)}`,
      { argument, expected: `a number or a list of two numbers in ${range.text}`, received: formatValue(factor) },
    );
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && range.inRange(x);
  if (Array.isArray(factor)) {
    if (factor.length !== 2 || !ok(factor[0]) || !ok(factor[1])) throw fail();
    return factor[0] <= factor[1] ? [factor[0], factor[1]] : [factor[1], factor[0]];
  }
  if (!ok(factor)) throw fail();
  const magnitude = Math.abs(factor);
  return [-magnitude, magnitude];
}
