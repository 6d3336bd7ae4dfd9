import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { nextSeed } from '../utils/random.js';
import { Initializer } from './initializer.js';
import { axesOrNull, finiteNumber, seedOrNull } from './validation.js';

/**
 * A seed fixes the values: the same seed gives the same tensor on every call,
 * as in Keras. Without one, each call draws a seed from the library's
 * generator, so `utils.setRandomSeed` makes runs repeatable.
 */
export type Seed = number | null;

interface DistributionOptions {
  mean?: number;
  stddev?: number;
  seed?: Seed;
}

/**
 * Normal distribution with `mean` 0 and `stddev` 0.05 by default: Keras's
 * `keras.initializers.RandomNormal`.
 *
 * @example new initializers.RandomNormal({ stddev: 0.01, seed: 42 }).apply([4, 4])
 */
export class RandomNormal extends Initializer {
  static override readonly className: string = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed: Seed;

  constructor(options: DistributionOptions = {}) {
    super();
    const {
      mean = 0,
      stddev = 0.05,
      seed = null,
    } = readOptions<DistributionOptions>('RandomNormal', options, ['mean', 'stddev', 'seed']);
    this.mean = finiteNumber(mean, 'mean');
    this.stddev = finiteNumber(stddev, 'stddev', 0);
    this.seed = seedOrNull(seed);
  }

  override apply(shape: readonly number[]): tf.Tensor {
    return tf.randomNormal([...shape], this.mean, this.stddev, 'float32', this.seed ?? nextSeed());
  }

  override getConfig(): { seed: Seed; mean: number; stddev: number } {
    return { seed: this.seed, mean: this.mean, stddev: this.stddev };
  }
}

/**
 * Normal distribution cut at two standard deviations; `mean` 0, `stddev` 0.05
 * by default. Keras's `keras.initializers.TruncatedNormal`.
 *
 * @example new initializers.TruncatedNormal({ stddev: 0.02 }).apply([4, 4])
 */
export class TruncatedNormal extends RandomNormal {
  static override readonly className: string = 'TruncatedNormal';

  override apply(shape: readonly number[]): tf.Tensor {
    return tf.truncatedNormal([...shape], this.mean, this.stddev, 'float32', this.seed ?? nextSeed());
  }
}

interface UniformOptions {
  minval?: number;
  maxval?: number;
  seed?: Seed;
}

/**
 * Uniform distribution on [`minval`, `maxval`), default [-0.05, 0.05).
 * Keras's `keras.initializers.RandomUniform`.
 *
 * @example new initializers.RandomUniform({ minval: -1, maxval: 1, seed: 0 }).apply([3])
 */
export class RandomUniform extends Initializer {
  static override readonly className: string = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed: Seed;

  constructor(options: UniformOptions = {}) {
    super();
    const {
      minval = -0.05,
      maxval = 0.05,
      seed = null,
    } = readOptions<UniformOptions>('RandomUniform', options, ['minval', 'maxval', 'seed']);
    this.minval = finiteNumber(minval, 'minval');
    this.maxval = finiteNumber(maxval, 'maxval', this.minval);
    this.seed = seedOrNull(seed);
  }

  override apply(shape: readonly number[]): tf.Tensor {
    return tf.randomUniform([...shape], this.minval, this.maxval, 'float32', this.seed ?? nextSeed());
  }

  override getConfig(): { seed: Seed; minval: number; maxval: number } {
    return { seed: this.seed, minval: this.minval, maxval: this.maxval };
  }
}

/** Which fan `VarianceScaling` divides by, Keras's `mode`: the inputs, the outputs, or their mean. */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
/** What `VarianceScaling` samples from, Keras's `distribution`; the normals have the variance asked for. */
export type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

/** The options of `VarianceScaling`, Keras's `VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None)`. */
export interface VarianceScalingOptions {
  /** The variance's numerator; positive, default 1. */
  scale?: number;
  /** Default `"fan_in"`. */
  mode?: FanMode;
  /** Default `"truncated_normal"`. */
  distribution?: Distribution;
  seed?: Seed;
  /** The axes whose sizes multiply into the fan in; with `outputAxes`, instead of `computeFans`'s guess from the shape. */
  inputAxes?: number[] | null;
  /** The axes whose sizes multiply into the fan out. */
  outputAxes?: number[] | null;
}

/** Keras's `compute_fans`: a Conv kernel's receptive field multiplies both fans. */
export function computeFans(
  shape: readonly number[],
  inputAxes: readonly number[] | null = null,
  outputAxes: readonly number[] | null = null,
): [number, number] {
  const at = (axis: number) => shape[axis < 0 ? shape.length + axis : axis] ?? 1;
  if (inputAxes != null && outputAxes != null) {
    return [inputAxes.reduce((p, a) => p * at(a), 1), outputAxes.reduce((p, a) => p * at(a), 1)];
  }
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [at(0), at(0)];
  if (shape.length === 2) return [at(0), at(1)];
  const receptiveField = shape.slice(0, -2).reduce((p, d) => p * d, 1);
  return [at(-2) * receptiveField, at(-1) * receptiveField];
}

/** Stddev of a standard normal cut at ±2, which truncation shrinks the spread to. */
const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

/** What a named preset (GlorotUniform, HeNormal, ...) fixes. */
interface Preset {
  scale: number;
  mode: FanMode;
  distribution: Distribution;
}

/** The options of a named preset: the seed and the axes only. */
export type PresetOptions = Pick<VarianceScalingOptions, 'seed' | 'inputAxes' | 'outputAxes'>;

const PRESET_OPTIONS = ['seed', 'inputAxes', 'outputAxes'];
const ALL_OPTIONS = ['scale', 'mode', 'distribution', ...PRESET_OPTIONS];

/**
 * Samples with variance `scale / n`, n being the fan in, fan out or their
 * mean (`mode`), from a truncated normal, a normal or a uniform distribution.
 * Keras's `keras.initializers.VarianceScaling`; Glorot, He and Lecun are its presets.
 *
 * @example new initializers.VarianceScaling({ scale: 2, mode: 'fan_out', distribution: 'uniform' })
 */
export class VarianceScaling extends Initializer {
  static override readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly seed: Seed;
  readonly inputAxes: number[] | null;
  readonly outputAxes: number[] | null;
  readonly #isPreset: boolean;

  constructor(options: VarianceScalingOptions = {}, preset?: Preset) {
    super();
    const read = readOptions<VarianceScalingOptions>(
      this.constructor.name,
      options,
      preset == null ? ALL_OPTIONS : PRESET_OPTIONS,
    );
    this.#isPreset = preset != null;
    this.scale = read.scale ?? preset?.scale ?? 1;
    this.mode = read.mode ?? preset?.mode ?? 'fan_in';
    this.distribution = read.distribution ?? preset?.distribution ?? 'truncated_normal';
    this.seed = seedOrNull(read.seed);
    this.inputAxes = axesOrNull(read.inputAxes, 'inputAxes');
    this.outputAxes = axesOrNull(read.outputAxes, 'outputAxes');
    if (!(typeof this.scale === 'number' && Number.isFinite(this.scale) && this.scale > 0)) {
      throw new ValueError(`Argument \`scale\` must be positive float. Received: scale=${formatValue(this.scale)}`, {
        argument: 'scale',
        expected: 'a positive float',
        received: formatValue(this.scale),
      });
    }
    if (!['fan_in', 'fan_out', 'fan_avg'].includes(this.mode)) {
      throw new ValueError(
        `Invalid \`mode\` argument: expected one of {"fan_in", "fan_out", "fan_avg"}. Received: mode=${formatValue(this.mode)}`,
        { argument: 'mode', expected: 'fan_in, fan_out or fan_avg', received: formatValue(this.mode) },
      );
    }
    if (!['truncated_normal', 'untruncated_normal', 'uniform'].includes(this.distribution)) {
      throw new ValueError(
        `Invalid \`distribution\` argument: expected one of {"uniform", "truncated_normal", "untruncated_normal"}. Received: distribution=${formatValue(this.distribution)}`,
        {
          argument: 'distribution',
          expected: 'uniform, truncated_normal or untruncated_normal',
          received: formatValue(this.distribution),
        },
      );
    }
  }

  override apply(shape: readonly number[]): tf.Tensor {
    const [fanIn, fanOut] = computeFans(shape, this.inputAxes, this.outputAxes);
    const n = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const scale = this.scale / Math.max(1, n);
    const seed = this.seed ?? nextSeed();
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * scale);
      return tf.randomUniform([...shape], -limit, limit, 'float32', seed);
    }
    if (this.distribution === 'untruncated_normal') {
      return tf.randomNormal([...shape], 0, Math.sqrt(scale), 'float32', seed);
    }
    return tf.truncatedNormal([...shape], 0, Math.sqrt(scale) / TRUNCATED_NORMAL_STDDEV, 'float32', seed);
  }

  override getConfig(): Record<string, unknown> {
    const axes = { inputAxes: this.inputAxes, outputAxes: this.outputAxes };
    if (this.#isPreset) return { seed: this.seed, ...axes };
    return { seed: this.seed, scale: this.scale, mode: this.mode, distribution: this.distribution, ...axes };
  }
}

/**
 * Uniform on ±sqrt(6 / (fan_in + fan_out)): the default kernel initializer.
 * Keras's `keras.initializers.GlorotUniform`.
 *
 * @example new layers.Dense({ units: 4, kernelInitializer: new initializers.GlorotUniform({ seed: 7 }) })
 */
export class GlorotUniform extends VarianceScaling {
  static override readonly className: string = 'GlorotUniform';
  constructor(options: PresetOptions = {}) {
    super(options, { scale: 1, mode: 'fan_avg', distribution: 'uniform' });
  }
}

/**
 * Truncated normal with stddev sqrt(2 / (fan_in + fan_out)): Keras's
 * `keras.initializers.GlorotNormal`.
 *
 * @example new initializers.GlorotNormal({ seed: 7 }).apply([3, 4])
 */
export class GlorotNormal extends VarianceScaling {
  static override readonly className: string = 'GlorotNormal';
  constructor(options: PresetOptions = {}) {
    super(options, { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' });
  }
}

/**
 * Truncated normal with stddev sqrt(2 / fan_in): Keras's
 * `keras.initializers.HeNormal`, for ReLU layers.
 *
 * @example new initializers.HeNormal({ seed: 7 }).apply([3, 4])
 */
export class HeNormal extends VarianceScaling {
  static override readonly className: string = 'HeNormal';
  constructor(options: PresetOptions = {}) {
    super(options, { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' });
  }
}

/**
 * Uniform on ±sqrt(6 / fan_in): Keras's `keras.initializers.HeUniform`.
 *
 * @example new initializers.HeUniform({ seed: 7 }).apply([3, 4])
 */
export class HeUniform extends VarianceScaling {
  static override readonly className: string = 'HeUniform';
  constructor(options: PresetOptions = {}) {
    super(options, { scale: 2, mode: 'fan_in', distribution: 'uniform' });
  }
}

/**
 * Truncated normal with stddev sqrt(1 / fan_in): Keras's
 * `keras.initializers.LecunNormal`, for SELU layers.
 *
 * @example new initializers.LecunNormal({ seed: 7 }).apply([3, 4])
 */
export class LecunNormal extends VarianceScaling {
  static override readonly className: string = 'LecunNormal';
  constructor(options: PresetOptions = {}) {
    super(options, { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' });
  }
}

/**
 * Uniform on ±sqrt(3 / fan_in): Keras's `keras.initializers.LecunUniform`.
 *
 * @example new initializers.LecunUniform({ seed: 7 }).apply([3, 4])
 */
export class LecunUniform extends VarianceScaling {
  static override readonly className: string = 'LecunUniform';
  constructor(options: PresetOptions = {}) {
    super(options, { scale: 1, mode: 'fan_in', distribution: 'uniform' });
  }
}
