/** RandomSharpness: each image sharpened or blurred by a random amount in training, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
} from '../base/image-preprocessing-layer.js';

/** The options of `RandomSharpness`, Keras's `RandomSharpness(factor, value_range=(0, 255), data_format=None, seed=None)` camelCased. */
export interface RandomSharpnessOptions extends ImagePreprocessingOptions {
  /** In [0, 1]: `u` drawn per image from `[lower, upper]` (a number `f`: `[0, f]`); 0.5 keeps the image, below blurs, above sharpens. */
  factor: FactorValue;
  /** The images' `[min, max]` (sorted, as Keras sorts it), to which the output is clipped; default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer in [0, 2^32): the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

const A = 1 / 13;
const B = 5 / 13;

/**
 * In training, blends each image with its smoothing by the 3x3 kernel
 * `[[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13` (per channel, zero padding at the
 * borders, as Keras's `same` depthwise convolution):
 * `x + (1 - 2u) * (smooth(x) - x)`, clipped to `valueRange`, `u` drawn per
 * image; at inference, the identity (Keras's `RandomSharpness`).
 *
 * @example new layers.RandomSharpness({ factor: [0.5, 0.9], seed: 1 }).apply(x, { training: true })
 */
export class RandomSharpness extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomSharpness';
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(options: RandomSharpnessOptions) {
    super('RandomSharpness', options, ['factor', 'valueRange', 'seed']);
    this.factor = parseFactor(options.factor, [0, 1]);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], true);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const last = this.dataFormat === 'channelsLast' ? images : (tf.transpose(images, [0, 2, 3, 1]) as tf.Tensor4D);
    const sharpness = perImage(tf.mul(this.uniform(last.shape[0], this.factor[0], this.factor[1]), 2));
    const channels = last.shape[3];
    const kernel = tf.tile(tf.tensor4d([A, A, A, A, B, A, A, A, A], [3, 3, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
    const smoothed = tf.depthwiseConv2d(last, kernel, 1, 'same');
    const blended = tf.add(last, tf.mul(tf.sub(1, sharpness), tf.sub(smoothed, last)));
    const clipped = tf.clipByValue(blended, ...this.valueRange);
    return this.dataFormat === 'channelsLast' ? clipped : tf.transpose(clipped, [0, 3, 1, 2]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], seed: this.seed };
  }
}
