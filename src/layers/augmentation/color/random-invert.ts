/** RandomInvert: each image inverted with a random probability in training, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
} from '../base/image-preprocessing-layer.js';

/** The options of `RandomInvert`, Keras's `RandomInvert(factor=1.0, value_range=(0, 255), seed=None, data_format=None)` camelCased. */
export interface RandomInvertOptions extends ImagePreprocessingOptions {
  /** In [0, 1]: each image's probability of inversion is drawn from `[lower, upper]` (a number `f`: `[0, f]`); default 1. */
  factor?: FactorValue;
  /** The images' `[min, max]`; an inverted value is `max - x`. Default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer in [0, 2^32): the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

/**
 * In training, replaces each image by `valueRange[1] - x` when a uniform draw
 * falls below a probability itself drawn from `factor`; at inference, the
 * identity (Keras's `RandomInvert`). With the default factor an image is
 * inverted with probability 1/2.
 *
 * @example new layers.RandomInvert({ factor: 0.5, seed: 1 }).apply(x, { training: true })
 */
export class RandomInvert extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomInvert';
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(options: RandomInvertOptions = {}) {
    super('RandomInvert', options, ['factor', 'valueRange', 'seed']);
    this.factor = parseFactor(options.factor ?? 1, [0, 1]);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], false);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const batch = images.shape[0];
    const probability = this.uniform(batch, this.factor[0], this.factor[1]);
    const threshold = this.uniform(batch, 0, 1);
    const invert = perImage(tf.less(threshold, probability));
    return tf.where(invert, tf.sub(this.valueRange[1], images), images);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], seed: this.seed };
  }
}
