/** UpSampling1D/2D/3D: thin classes over `BaseUpSampling`, each with Keras's options. */
import { KerasTypeError, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { type DataFormat, standardizeDataFormat, standardizeTuple } from '../arguments.js';
import { type LayerOptions, layerOptionsOf } from '../layer-types.js';
import { BaseUpSampling } from './base-up-sampling.js';

/** The options of `UpSampling1D`, Keras's `UpSampling1D(size=2)`. */
export interface UpSampling1DOptions extends LayerOptions {
  /** How many times each step is repeated; default 2. */
  size?: number;
}

/** The options of `UpSampling2D`, Keras's `UpSampling2D(size=(2, 2), data_format=None, interpolation="nearest")` camelCased. */
export interface UpSampling2DOptions extends LayerOptions {
  /** The factor for rows and columns: one int for both, or `[rows, cols]`; default 2. */
  size?: number | number[];
  /** `"channelsLast"` (default) or `"channelsFirst"`; Keras's snake_case spellings are accepted too. */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first';
  /** `"nearest"` (default: each pixel repeated) or `"bilinear"` (half-pixel centres, as Keras's `ops.image.resize`). */
  interpolation?: 'nearest' | 'bilinear';
}

/** The options of `UpSampling3D`, Keras's `UpSampling3D(size=(2, 2, 2), data_format=None)` camelCased. */
export interface UpSampling3DOptions extends LayerOptions {
  /** The factor per spatial axis: one int for all, or three; default 2. */
  size?: number | number[];
  dataFormat?: DataFormat | 'channels_last' | 'channels_first';
}

/**
 * Repeats each step of `(batch, steps, features)` `size` times.
 *
 * @example new layers.UpSampling1D({ size: 3 }).apply(x) // [b, 4, c] → [b, 12, c]
 */
export class UpSampling1D extends BaseUpSampling {
  static override readonly className: string = 'UpSampling1D';
  readonly size: number;

  constructor(options: UpSampling1DOptions = {}) {
    const layerOptions = layerOptionsOf('UpSampling1D', options, ['size']);
    const size = options.size ?? 2;
    if (!Number.isInteger(size)) {
      throw new KerasTypeError(`Expected an integer value for \`size\`. Received: size=${formatValue(size)}`, {
        argument: 'size',
        expected: 'an integer',
        received: formatValue(size),
      });
    }
    if (size <= 0) {
      throw new ValueError(`Argument \`size\` should be a positive integer. Received: size=${formatValue(size)}`, {
        argument: 'size',
        expected: 'a positive integer',
        received: formatValue(size),
      });
    }
    super(1, layerOptions, [size], 'channelsLast');
    this.size = size;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size };
  }
}

/**
 * Repeats the rows and columns of `(batch, rows, cols, channels)` (or
 * interpolates them bilinearly).
 *
 * @example new layers.UpSampling2D({ size: [2, 3] }).apply(x) // [b, 4, 4, c] → [b, 8, 12, c]
 */
export class UpSampling2D extends BaseUpSampling {
  static override readonly className: string = 'UpSampling2D';
  readonly size: number[];
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(options: UpSampling2DOptions = {}) {
    const layerOptions = layerOptionsOf('UpSampling2D', options, ['size', 'dataFormat', 'interpolation']);
    const size = [...standardizeTuple(options.size ?? 2, 2, 'size')];
    const interpolation = checkInterpolation(options.interpolation ?? 'nearest');
    super(2, layerOptions, size, standardizeDataFormat(options.dataFormat), interpolation);
    this.size = size;
    this.interpolation = interpolation;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      size: [...this.size],
      dataFormat: this.dataFormat,
      interpolation: this.interpolation,
    };
  }
}

/**
 * Repeats each position of the three spatial axes of `(batch, d1, d2, d3, channels)`.
 *
 * @example new layers.UpSampling3D({ size: 2 }).apply(x) // [b, 2, 2, 2, c] → [b, 4, 4, 4, c]
 */
export class UpSampling3D extends BaseUpSampling {
  static override readonly className: string = 'UpSampling3D';
  readonly size: number[];

  constructor(options: UpSampling3DOptions = {}) {
    const layerOptions = layerOptionsOf('UpSampling3D', options, ['size', 'dataFormat']);
    const size = [...standardizeTuple(options.size ?? 2, 3, 'size')];
    super(3, layerOptions, size, standardizeDataFormat(options.dataFormat));
    this.size = size;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], dataFormat: this.dataFormat };
  }
}

/**
 * Keras lower-cases the name and accepts every `ops.image.resize` method;
 * only the two computed here are accepted, the others refused by name
 * rather than computed differently.
 */
function checkInterpolation(value: unknown): 'nearest' | 'bilinear' {
  const lower = typeof value === 'string' ? value.toLowerCase() : value;
  if (lower === 'nearest' || lower === 'bilinear') return lower;
  throw new ValueError(
    `UpSampling2D supports interpolation "nearest" and "bilinear" only (Keras also has "bicubic", "lanczos3", "lanczos5", "area"). Received: interpolation=${formatValue(value)}`,
    { argument: 'interpolation', expected: '"nearest" or "bilinear"', received: formatValue(value) },
  );
}
