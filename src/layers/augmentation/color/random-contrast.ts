/** RandomContrast: each image's contrast scaled by a random factor in training, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
} from '../base/image-preprocessing-layer.js';

/** The options of `RandomContrast`, Keras's `RandomContrast(factor, value_range=(0, 255), seed=None)` camelCased. */
export interface RandomContrastOptions extends ImagePreprocessingOptions {
  /** In [0, 1]: a number `f` draws the contrast factor from `[1 - f, 1 + f]`; `[lower, upper]` from `[1 - lower, 1 + upper]`. */
  factor: FactorValue;
  /** The images' `[min, max]`, to which the output is clipped; default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer in [0, 2^32): the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

/**
 * In training, scales each image's deviation from its per-channel mean by a
 * factor drawn per image (`(x - mean) * c + mean`, clipped to `valueRange`);
 * at inference, the identity (Keras's `RandomContrast`). Outputs are float32.
 *
 * @example new layers.RandomContrast({ factor: 0.2, seed: 1 }).apply(x, { training: true })
 */
export class RandomContrast extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomContrast';
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(options: RandomContrastOptions) {
    super('RandomContrast', options, ['factor', 'valueRange', 'seed']);
    this.factor = parseFactor(options.factor, [0, 1]);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], false);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const factors = perImage(this.uniform(images.shape[0], 1 - this.factor[0], 1 + this.factor[1]));
    const { height, width } = this.axes;
    const mean = tf.mean(images, [height, width], true);
    const adjusted = tf.add(tf.mul(tf.sub(images, mean), factors), mean);
    return tf.clipByValue(adjusted, this.valueRange[0], this.valueRange[1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], seed: this.seed };
  }
}
