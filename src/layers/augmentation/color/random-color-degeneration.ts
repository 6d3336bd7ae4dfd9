/** RandomColorDegeneration: each image blended toward its grayscale in training, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
} from '../base/image-preprocessing-layer.js';
import { checkRgb, rgbToGrayscale } from './color-ops.js';

/** The options of `RandomColorDegeneration`, Keras's `RandomColorDegeneration(factor, value_range=(0, 255), data_format=None, seed=None)` camelCased. */
export interface RandomColorDegenerationOptions extends ImagePreprocessingOptions {
  /** In [-1, 1] (Keras's bounds): the blend `u` toward grayscale is drawn per image from `[lower, upper]` (a number `f`: `[-f, f]`). */
  factor: FactorValue;
  /** The images' `[min, max]` (sorted, as Keras sorts it), to which the output is clipped; default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer in [0, 2^32): the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

/**
 * In training, replaces each RGB image by `x + u * (gray(x) - x)`, clipped to
 * `valueRange`, `u` drawn per image from `factor`: 0 keeps the image, 1 is
 * its grayscale; at inference, the identity (Keras's `RandomColorDegeneration`).
 *
 * @example new layers.RandomColorDegeneration({ factor: 0.5, seed: 1 }).apply(x, { training: true })
 */
export class RandomColorDegeneration extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomColorDegeneration';
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(options: RandomColorDegenerationOptions) {
    super('RandomColorDegeneration', options, ['factor', 'valueRange', 'seed']);
    this.factor = parseFactor(options.factor, [-1, 1]);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], true);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const channels = this.axes.channels;
    checkRgb('RandomColorDegeneration', images, channels);
    const u = perImage(this.uniform(images.shape[0], this.factor[0], this.factor[1]));
    const blended = tf.add(images, tf.mul(u, tf.sub(rgbToGrayscale(images, channels), images)));
    return tf.clipByValue(blended, ...this.valueRange);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], seed: this.seed };
  }
}
