/** RandomPosterization: each image's values reduced to a random number of bits in training, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
  transformValueRange,
} from '../base/image-preprocessing-layer.js';

/** The options of `RandomPosterization`, Keras's `RandomPosterization(factor, value_range=(0, 255), data_format=None, seed=None)` camelCased. */
export interface RandomPosterizationOptions extends ImagePreprocessingOptions {
  /** Bits kept, in [1, 8]: a number `f` means `[1, f]`; each image keeps an integer number of bits drawn from `[lower, upper)` (or `lower` when they are equal). */
  factor: FactorValue;
  /** The images' `[min, max]` (sorted, as Keras sorts it); default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer in [0, 2^32): the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

/**
 * In training, maps each image to [0, 255], truncates to 8-bit integers and
 * keeps each value's `bits` highest bits (`floor(v / 2^(8 - bits)) * 2^(8 - bits)`),
 * then maps back to `valueRange`; at inference, the identity (Keras's
 * `RandomPosterization`). Values outside the range are clipped to it
 * before the 8-bit cast.
 *
 * @example new layers.RandomPosterization({ factor: 4, seed: 1 }).apply(x, { training: true })
 */
export class RandomPosterization extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomPosterization';
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(options: RandomPosterizationOptions) {
    super('RandomPosterization', options, ['factor', 'valueRange', 'seed']);
    this.factor = parseFactor(options.factor, [1, 8]);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], true);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const batch = images.shape[0];
    const [low, high] = this.factor;
    // Keras's randint(minval, maxval): integers in [low, high), the upper bound excluded.
    const bits =
      low === high
        ? tf.fill([batch], low)
        : tf.floor(tf.randomUniform([batch], Math.ceil(low), Math.ceil(high), 'float32', this.nextSeed()));
    const step = perImage(tf.pow(2, tf.sub(8, bits)));
    const bytes = tf.floor(tf.clipByValue(transformValueRange(images, this.valueRange, [0, 255]), 0, 255));
    const posterized = tf.mul(tf.floor(tf.div(bytes, step)), step);
    return transformValueRange(posterized, [0, 255], this.valueRange);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], seed: this.seed };
  }
}
