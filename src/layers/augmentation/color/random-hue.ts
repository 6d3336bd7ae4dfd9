/** RandomHue: each image's hue rotated by a random amount in training, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
  transformValueRange,
} from '../base/image-preprocessing-layer.js';
import { channelPlane, checkRgb, hsvToRgb, replaceChannel, rgbToHsv } from './color-ops.js';

/** The options of `RandomHue`, Keras's `RandomHue(factor, value_range=(0, 255), data_format=None, seed=None)` camelCased. */
export interface RandomHueOptions extends ImagePreprocessingOptions {
  /** In [0, 1]: the hue shift is `±u / 2` of a turn, `u` drawn from `[lower, upper]` (a number `f`: `[0, f]`), the sign at random. */
  factor: FactorValue;
  /** The images' `[min, max]`; default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer in [0, 2^32): the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

/**
 * In training, maps each RGB image to [0, 1], converts it to HSV, shifts its
 * hue by a random `±u / 2` (wrapped to [0, 1]), converts back, clips to
 * [0, 1] and maps back to `valueRange`; at inference, the identity (Keras's
 * `RandomHue`). `factor: 1` (a half turn either way) is deterministic.
 *
 * @example new layers.RandomHue({ factor: 0.2, seed: 1 }).apply(x, { training: true })
 */
export class RandomHue extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomHue';
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(options: RandomHueOptions) {
    super('RandomHue', options, ['factor', 'valueRange', 'seed']);
    this.factor = parseFactor(options.factor, [0, 1]);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], false);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const channels = this.axes.channels;
    checkRgb('RandomHue', images, channels);
    const batch = images.shape[0];
    // Keras draws the direction first, then the amount.
    const sign = tf.where(tf.greater(this.uniform(batch, 0, 1), 0.5), tf.fill([batch], -1), tf.fill([batch], 1));
    const shift = perImage(tf.mul(tf.mul(sign, this.uniform(batch, this.factor[0], this.factor[1])), 0.5));
    const hsv = rgbToHsv(transformValueRange(images, this.valueRange, [0, 1]) as tf.Tensor4D, channels);
    let hue = tf.add(channelPlane(hsv, channels, 0), shift);
    hue = tf.where(tf.greater(hue, 1), tf.sub(hue, 1), hue);
    hue = tf.where(tf.less(hue, 0), tf.add(hue, 1), hue);
    const rgb = tf.clipByValue(hsvToRgb(replaceChannel(hsv, channels, 0, hue), channels), 0, 1);
    return transformValueRange(rgb, [0, 1], this.valueRange);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], seed: this.seed };
  }
}
