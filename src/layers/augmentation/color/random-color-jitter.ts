/** RandomColorJitter: brightness, contrast, saturation and hue jitter in one layer, as Keras's layer. */
import type * as tf from '@tensorflow/tfjs-core';
import type { FactorValue, ValueRange } from '../base/factor.js';
import { BaseImagePreprocessingLayer, type ImagePreprocessingOptions } from '../base/image-preprocessing-layer.js';
import { RandomBrightness } from './random-brightness.js';
import { RandomContrast } from './random-contrast.js';
import { RandomHue } from './random-hue.js';
import { RandomSaturation } from './random-saturation.js';

/**
 * The options of `RandomColorJitter`, Keras's `RandomColorJitter(value_range=(0, 255),
 * brightness_factor=None, contrast_factor=None, saturation_factor=None, hue_factor=None, seed=None, data_format=None)` camelCased.
 */
export interface RandomColorJitterOptions extends ImagePreprocessingOptions {
  /** The images' `[min, max]`, given to each step; default `[0, 255]`. */
  valueRange?: ValueRange;
  /** RandomBrightness's `factor`; null or absent skips the step. */
  brightnessFactor?: FactorValue | null;
  /** RandomContrast's `factor`; null or absent skips the step. */
  contrastFactor?: FactorValue | null;
  /** RandomSaturation's `factor`; null or absent skips the step. */
  saturationFactor?: FactorValue | null;
  /** RandomHue's `factor`; null or absent skips the step. */
  hueFactor?: FactorValue | null;
  /** An integer in [0, 2^32): the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

type Step = RandomBrightness | RandomContrast | RandomSaturation | RandomHue;

const copy = (factor: FactorValue | null | undefined) =>
  factor == null ? null : typeof factor === 'number' ? factor : [...factor];

/**
 * In training, applies in turn RandomBrightness, RandomContrast,
 * RandomSaturation and RandomHue, each only when its factor is given; at
 * inference, the identity (Keras's `RandomColorJitter`). As in Keras, the
 * steps run on channels-last images whatever `dataFormat` says, and the
 * config keeps the factors as given.
 *
 * @example new layers.RandomColorJitter({ brightnessFactor: 0.2, hueFactor: 0.1, seed: 1 }).apply(x, { training: true })
 */
export class RandomColorJitter extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomColorJitter';
  readonly valueRange: ValueRange;
  readonly brightnessFactor: FactorValue | null;
  readonly contrastFactor: FactorValue | null;
  readonly saturationFactor: FactorValue | null;
  readonly hueFactor: FactorValue | null;
  readonly #steps: Step[];

  constructor(options: RandomColorJitterOptions = {}) {
    super('RandomColorJitter', options, [
      'valueRange',
      'brightnessFactor',
      'contrastFactor',
      'saturationFactor',
      'hueFactor',
      'seed',
    ]);
    const valueRange = options.valueRange ?? [0, 255];
    this.brightnessFactor = copy(options.brightnessFactor);
    this.contrastFactor = copy(options.contrastFactor);
    this.saturationFactor = copy(options.saturationFactor);
    this.hueFactor = copy(options.hueFactor);
    // Each step draws from its own sequence: the layer's seed plus the step's rank (Keras draws every step's
    // seed from the layer's one generator; the bits differ from Keras's anyway).
    const seed = (k: number) => (this.seed == null ? null : (this.seed + k) % 2 ** 32);
    this.#steps = [];
    if (this.brightnessFactor != null) {
      this.#steps.push(new RandomBrightness({ factor: this.brightnessFactor, valueRange, seed: seed(1) }));
    }
    if (this.contrastFactor != null) {
      this.#steps.push(new RandomContrast({ factor: this.contrastFactor, valueRange, seed: seed(2) }));
    }
    if (this.saturationFactor != null) {
      this.#steps.push(new RandomSaturation({ factor: this.saturationFactor, valueRange, seed: seed(3) }));
    }
    if (this.hueFactor != null) this.#steps.push(new RandomHue({ factor: this.hueFactor, valueRange, seed: seed(4) }));
    this.valueRange = [...valueRange] as unknown as ValueRange;
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    let output: tf.Tensor = images;
    for (const step of this.#steps) output = step.call(output, { training: true });
    return output;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      valueRange: [...this.valueRange],
      brightnessFactor: copy(this.brightnessFactor),
      contrastFactor: copy(this.contrastFactor),
      saturationFactor: copy(this.saturationFactor),
      hueFactor: copy(this.hueFactor),
      seed: this.seed,
    };
  }
}
