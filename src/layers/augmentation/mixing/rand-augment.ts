/** RandAugment: a few augmentations drawn from eleven, applied one after the other, in training calls. */
import type * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../../errors.js';
import type { Layer } from '../../layer.js';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import { BaseImagePreprocessingLayer, type ImagePreprocessingOptions } from '../base/image-preprocessing-layer.js';
import type { GeometricInterpolation } from '../geometric/map-coordinates.js';
import { geometricInterpolationOption } from '../geometric/options.js';
import { makePolicyLayers, type PolicyName } from './policy-layers.js';
import { Draws } from './random.js';

/** The options of `RandAugment`, Keras's `RandAugment(value_range, num_ops, factor, interpolation, seed)` camelCased. */
export interface RandAugmentOptions extends ImagePreprocessingOptions {
  /** The images' `[min, max]`; default `[0, 255]`. */
  valueRange?: ValueRange;
  /** How many augmentations each training call applies, one after the other; default 2. */
  numOps?: number;
  /** The strength, in [0, 1]: every augmentation's factor range (a number f: `[0, f]`); default 0.5. */
  factor?: FactorValue;
  /** `"bilinear"` (default) or `"nearest"`, for the geometric augmentations. */
  interpolation?: GeometricInterpolation;
  /** An integer seed, given to every augmentation too. */
  seed?: number | null;
}

/** Keras's `_AUGMENT_LAYERS`, in its order: the draws index this list. */
const RAND_AUGMENT_LAYERS: readonly PolicyName[] = [
  'randomShear',
  'randomTranslation',
  'randomRotation',
  'randomBrightness',
  'randomColorDegeneration',
  'randomContrast',
  'randomSharpness',
  'randomPosterization',
  'solarization',
  'autoContrast',
  'equalization',
];

/**
 * In training calls, applies `numOps` augmentations, each drawn uniformly
 * (with replacement) from eleven (Keras's RandAugment): shear, translation,
 * rotation, brightness, color degeneration, contrast, sharpness,
 * posterization, solarization, auto-contrast, equalization, each made with
 * `factor` as Keras makes it. One draw serves the whole batch. Inference
 * calls return the images as float32.
 *
 * @example new layers.RandAugment({ valueRange: [0, 1], numOps: 2, factor: 0.5, seed: 1 }).apply(x, { training: true })
 */
export class RandAugment extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandAugment';
  readonly valueRange: [number, number];
  readonly numOps: number;
  readonly factor: [number, number];
  readonly interpolation: GeometricInterpolation;
  readonly randomShear: Layer;
  readonly randomTranslation: Layer;
  readonly randomRotation: Layer;
  readonly randomBrightness: Layer;
  readonly randomColorDegeneration: Layer;
  readonly randomContrast: Layer;
  readonly randomSharpness: Layer;
  readonly randomPosterization: Layer;
  readonly solarization: Layer;
  readonly autoContrast: Layer;
  readonly equalization: Layer;

  constructor(options: RandAugmentOptions = {}) {
    super('RandAugment', options, ['valueRange', 'numOps', 'factor', 'interpolation', 'seed']);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], false);
    const numOps = options.numOps ?? 2;
    if (typeof numOps !== 'number' || !Number.isInteger(numOps) || numOps < 0) {
      throw invalidArgument('numOps', 'a non-negative integer', numOps);
    }
    this.numOps = numOps;
    this.factor = parseFactor(options.factor ?? 0.5, [0, 1]);
    this.interpolation = geometricInterpolationOption(options.interpolation ?? 'bilinear');
    // The settings just read (factor, valueRange, interpolation, seed, dataFormat) make the policy's layers.
    const made = makePolicyLayers(this);
    this.randomShear = made.randomShear;
    this.randomTranslation = made.randomTranslation;
    this.randomRotation = made.randomRotation;
    this.randomBrightness = made.randomBrightness;
    this.randomColorDegeneration = made.randomColorDegeneration;
    this.randomContrast = made.randomContrast;
    this.randomSharpness = made.randomSharpness;
    this.randomPosterization = made.randomPosterization;
    this.solarization = made.solarization;
    this.autoContrast = made.autoContrast;
    this.equalization = made.equalization;
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const draws = new Draws(this.nextSeed());
    let x: tf.Tensor = images;
    for (let op = 0; op < this.numOps; op++) {
      const name = RAND_AUGMENT_LAYERS[draws.integer(RAND_AUGMENT_LAYERS.length)] as PolicyName;
      x = this[name].apply(x, { training: true });
    }
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      valueRange: [...this.valueRange],
      numOps: this.numOps,
      factor: [...this.factor],
      interpolation: this.interpolation,
      seed: this.seed,
    };
  }
}
