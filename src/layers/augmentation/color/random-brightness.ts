/** RandomBrightness: a random shift of each image's values in training, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
} from '../base/image-preprocessing-layer.js';

/** The options of `RandomBrightness`, Keras's `RandomBrightness(factor, value_range=(0, 255), seed=None)` camelCased. */
export interface RandomBrightnessOptions extends ImagePreprocessingOptions {
  /** In [-1, 1]: the shift is drawn from `[lower, upper]` times the value range's width; a number `f` means `[-f, f]`. */
  factor: FactorValue;
  /** The images' `[min, max]` (sorted, as Keras sorts it), to which the output is clipped; default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer in [0, 2^32): the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

/**
 * In training, adds to each image one value drawn from
 * `[factor[0], factor[1]] * (valueRange[1] - valueRange[0])` and clips to
 * `valueRange`; at inference, the identity (Keras's `RandomBrightness`).
 *
 * @example new layers.RandomBrightness({ factor: 0.2, seed: 1 }).apply(x, { training: true })
 */
export class RandomBrightness extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomBrightness';
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(options: RandomBrightnessOptions) {
    super('RandomBrightness', options, ['factor', 'valueRange', 'seed']);
    this.factor = parseFactor(options.factor, [-1, 1]);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], true);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const [low, high] = this.valueRange;
    const deltas = tf.mul(this.uniform(images.shape[0], this.factor[0], this.factor[1]), high - low);
    return tf.clipByValue(tf.add(images, perImage(deltas)), low, high);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], seed: this.seed };
  }
}
