/**
 * SpatialDropout1D/2D/3D: Dropout that drops whole feature maps, through
 * Dropout's `noiseShape` (one keep/drop draw per sample and channel).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { readOptions } from '../../utils/options.js';
import { type DataFormat, standardizeDataFormat } from '../arguments.js';
import type { DTypeOption } from '../dtype-policy.js';
import { singleInput } from '../layer-checks.js';
import type { CallOptions, LayerInputs, Shape } from '../layer-types.js';
import { checkInputRank, singleShape } from '../reshaping/input-shape.js';
import { Dropout } from './dropout.js';

/** Keras's SpatialDropout takes these options only (no `trainable`, no `noiseShape`). */
export interface SpatialDropout1DOptions {
  /** Fraction of the feature maps to drop, in [0, 1). */
  rate: number;
  seed?: number | null;
  name?: string;
  dtype?: DTypeOption;
}

/** The options of `SpatialDropout2D` and `SpatialDropout3D`, Keras's `SpatialDropout2D(rate, data_format=None, seed=None)` camelCased. */
export interface SpatialDropoutOptions extends SpatialDropout1DOptions {
  /** `"channelsLast"` (default) or `"channelsFirst"`; Keras's snake_case spellings are accepted too. */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first';
}

/**
 * In training, zeroes a `rate` fraction of the channels of each sample, all
 * their positions at once, and scales the rest by `1 / (1 - rate)`; at
 * inference, the identity. For inputs whose neighbouring positions are
 * correlated (after convolutions), where plain dropout would barely
 * regularize. A mask passes through unchanged (Dropout's `supportsMasking`).
 */
export abstract class BaseSpatialDropout extends Dropout {
  readonly spatialRank: 1 | 2 | 3;
  readonly dataFormat: DataFormat;

  constructor(rank: 1 | 2 | 3, className: string, options: SpatialDropoutOptions) {
    const names = ['rate', 'seed', 'name', 'dtype', ...(rank > 1 ? ['dataFormat'] : [])];
    const read = readOptions<SpatialDropoutOptions>(className, options, names);
    const dataFormat = standardizeDataFormat(read.dataFormat);
    // Keras's noise shape: (batch, 1, ..., 1, channels), or channels first.
    const ones = new Array<number>(rank).fill(1);
    const noiseShape = dataFormat === 'channelsLast' ? [null, ...ones, null] : [null, null, ...ones];
    const { dataFormat: _, ...dropout } = read;
    super({ ...(dropout as SpatialDropout1DOptions), noiseShape });
    this.spatialRank = rank;
    this.dataFormat = dataFormat;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    checkInputRank(shape, this.spatialRank + 2, this.name);
    return [...shape];
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): tf.Tensor {
    checkInputRank([...singleInput(inputs).shape], this.spatialRank + 2, this.name);
    return super.call(inputs, options);
  }

  /** Keras's config, in its order: no `trainable` and no `noise_shape`, `dtype` as a plain name. */
  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { rate: this.rate, seed: this.seed, name: this.name, dtype: this.dtype };
    if (this.spatialRank > 1) config.dataFormat = this.dataFormat;
    return config;
  }
}

/**
 * Drops whole features of `(batch, steps, features)`: the same features at every step.
 *
 * @example new layers.SpatialDropout1D({ rate: 0.2 }).apply(x, { training: true })
 */
export class SpatialDropout1D extends BaseSpatialDropout {
  static override readonly className: string = 'SpatialDropout1D';

  constructor(options: SpatialDropout1DOptions) {
    super(1, 'SpatialDropout1D', options);
  }
}

/**
 * Drops whole channels of `(batch, rows, cols, channels)`.
 *
 * @example new layers.SpatialDropout2D({ rate: 0.2 }).apply(x, { training: true })
 */
export class SpatialDropout2D extends BaseSpatialDropout {
  static override readonly className: string = 'SpatialDropout2D';

  constructor(options: SpatialDropoutOptions) {
    super(2, 'SpatialDropout2D', options);
  }
}

/**
 * Drops whole channels of `(batch, d1, d2, d3, channels)`.
 *
 * @example new layers.SpatialDropout3D({ rate: 0.2 }).apply(x, { training: true })
 */
export class SpatialDropout3D extends BaseSpatialDropout {
  static override readonly className: string = 'SpatialDropout3D';

  constructor(options: SpatialDropoutOptions) {
    super(3, 'SpatialDropout3D', options);
  }
}
