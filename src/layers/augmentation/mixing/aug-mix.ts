/** AugMix: chains of random augmentations mixed together and with the image, in training calls. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../../errors.js';
import type { Layer } from '../../layer.js';
import { booleanOption } from '../../preprocessing/arguments.js';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import { BaseImagePreprocessingLayer, type ImagePreprocessingOptions } from '../base/image-preprocessing-layer.js';
import type { GeometricInterpolation } from '../geometric/map-coordinates.js';
import { geometricInterpolationOption } from '../geometric/options.js';
import { makePolicyLayers, POLICY_NAMES, type PolicyName } from './policy-layers.js';
import { Draws } from './random.js';

/** The options of `AugMix`, Keras's `AugMix(value_range, num_chains, chain_depth, factor, alpha, all_ops, interpolation, seed)` camelCased. */
export interface AugMixOptions extends ImagePreprocessingOptions {
  /** The images' `[min, max]`: outputs are clipped to it; default `[0, 255]`. */
  valueRange?: ValueRange;
  /** How many augmentation chains are mixed; default 3. */
  numChains?: number;
  /** How many augmentations each chain draws (each may draw "none"); default 3. */
  chainDepth?: number;
  /** The strength, in [0, 1]: every augmentation's factor range (a number f: `[0, f]`); default 0.3. */
  factor?: FactorValue;
  /** The Dirichlet (chain weights) and Beta (image weight) parameter: a positive number; default 1. */
  alpha?: number;
  /** Whether the color augmentations (brightness, color degeneration, contrast, sharpness) are among the choices; default true. */
  allOps?: boolean;
  /** `"bilinear"` (default) or `"nearest"`, for the geometric augmentations. */
  interpolation?: GeometricInterpolation;
  /** An integer seed, given to every augmentation too. */
  seed?: number | null;
}

function countOption(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidArgument(argument, 'a positive integer', value);
  }
  return value;
}

/**
 * In training calls (Keras's AugMix): chain weights `w ~ Dirichlet(alpha)`
 * over `numChains` chains and `m ~ Beta(alpha, alpha)` are drawn; each
 * chain applies `chainDepth` augmentations drawn uniformly from the seven
 * (eleven with `allOps`) and "none"; the output is `m * x + (1 - m) *
 * sum_c w_c chain_c(x)`, clipped to `valueRange`. One draw serves the whole
 * batch. Inference calls return the images as float32.
 *
 * @example new layers.AugMix({ valueRange: [0, 1], numChains: 3, chainDepth: 2, seed: 1 }).apply(x, { training: true })
 */
export class AugMix extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'AugMix';
  readonly valueRange: [number, number];
  readonly numChains: number;
  readonly chainDepth: number;
  readonly factor: [number, number];
  readonly alpha: number;
  readonly allOps: boolean;
  readonly interpolation: GeometricInterpolation;
  readonly randomShear: Layer;
  readonly randomTranslation: Layer;
  readonly randomRotation: Layer;
  readonly solarization: Layer;
  readonly randomPosterization: Layer;
  readonly autoContrast: Layer;
  readonly equalization: Layer;
  readonly randomBrightness: Layer | null;
  readonly randomColorDegeneration: Layer | null;
  readonly randomContrast: Layer | null;
  readonly randomSharpness: Layer | null;
  readonly #choices: readonly PolicyName[];

  constructor(options: AugMixOptions = {}) {
    super('AugMix', options, [
      'valueRange',
      'numChains',
      'chainDepth',
      'factor',
      'alpha',
      'allOps',
      'interpolation',
      'seed',
    ]);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], false);
    this.numChains = countOption('numChains', options.numChains ?? 3);
    this.chainDepth = countOption('chainDepth', options.chainDepth ?? 3);
    this.factor = parseFactor(options.factor ?? 0.3, [0, 1]);
    const alpha = options.alpha ?? 1;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 0) {
      throw invalidArgument('alpha', 'a positive number', alpha);
    }
    this.alpha = alpha;
    this.allOps = booleanOption('allOps', options.allOps, true);
    this.interpolation = geometricInterpolationOption(options.interpolation ?? 'bilinear');
    // The settings just read (factor, valueRange, interpolation, seed, dataFormat) make the policy's layers.
    const made = makePolicyLayers(this);
    this.randomShear = made.randomShear;
    this.randomTranslation = made.randomTranslation;
    this.randomRotation = made.randomRotation;
    this.solarization = made.solarization;
    this.randomPosterization = made.randomPosterization;
    this.autoContrast = made.autoContrast;
    this.equalization = made.equalization;
    // Keras makes the color layers only with all_ops (and so stores only those).
    this.randomBrightness = this.allOps ? made.randomBrightness : null;
    this.randomColorDegeneration = this.allOps ? made.randomColorDegeneration : null;
    this.randomContrast = this.allOps ? made.randomContrast : null;
    this.randomSharpness = this.allOps ? made.randomSharpness : null;
    this.#choices = this.allOps ? POLICY_NAMES : POLICY_NAMES.slice(0, 7);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const draws = new Draws(this.nextSeed());
    const chainWeights = draws.dirichlet(this.numChains, this.alpha);
    const imageWeight = draws.beta(this.alpha, this.alpha);
    let mixed: tf.Tensor = tf.zerosLike(images);
    for (let chain = 0; chain < this.numChains; chain++) {
      let x: tf.Tensor = images;
      for (let depth = 0; depth < this.chainDepth; depth++) {
        // One choice more than there are layers: "none", as Keras's `choice(layers + [None])`.
        const pick = draws.integer(this.#choices.length + 1);
        const name = this.#choices[pick];
        if (name !== undefined) x = (this[name] as Layer).apply(x, { training: true });
      }
      mixed = tf.add(mixed, tf.mul(x, chainWeights[chain] as number));
    }
    const output = tf.add(tf.mul(images, imageWeight), tf.mul(mixed, 1 - imageWeight));
    return tf.clipByValue(output, this.valueRange[0], this.valueRange[1]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      valueRange: [...this.valueRange],
      numChains: this.numChains,
      chainDepth: this.chainDepth,
      factor: [...this.factor],
      alpha: this.alpha,
      allOps: this.allOps,
      interpolation: this.interpolation,
      seed: this.seed,
    };
  }
}
