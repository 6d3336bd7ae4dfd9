/** RandomSaturation: each image's saturation scaled by a random factor in training, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
} from '../base/image-preprocessing-layer.js';
import { channelPlane, checkRgb, hsvToRgb, replaceChannel, rgbToHsv } from './color-ops.js';

/** Keras's `backend.epsilon()`. */
const EPSILON = 1e-7;

/** The options of `RandomSaturation`, Keras's `RandomSaturation(factor, value_range=(0, 255), data_format=None, seed=None)` camelCased. */
export interface RandomSaturationOptions extends ImagePreprocessingOptions {
  /** In [-1, 1] (Keras's bounds): `u` drawn from `[lower, upper]` scales the saturation by `u / (1 - u)`; 0.5 keeps it, 0 removes it. */
  factor: FactorValue;
  /** The `[min, max]` to which the scaled saturation is clipped (sorted, as Keras sorts it); default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer in [0, 2^32): the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

/**
 * In training, converts each RGB image to HSV as it is (Keras does not
 * rescale it first), multiplies its saturation by `u / (1 - u + 1e-7)` with
 * `u` drawn per image from `factor`, clips the saturation to `valueRange`,
 * and converts back; at inference, the identity (Keras's `RandomSaturation`).
 *
 * @example new layers.RandomSaturation({ factor: [0.4, 0.6], seed: 1 }).apply(x, { training: true })
 */
export class RandomSaturation extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomSaturation';
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(options: RandomSaturationOptions) {
    super('RandomSaturation', options, ['factor', 'valueRange', 'seed']);
    this.factor = parseFactor(options.factor, [-1, 1]);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], true);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const channels = this.axes.channels;
    checkRgb('RandomSaturation', images, channels);
    const u = this.uniform(images.shape[0], this.factor[0], this.factor[1]);
    const scale = perImage(tf.div(u, tf.add(tf.sub(1, u), EPSILON)));
    const hsv = rgbToHsv(images, channels);
    const saturation = tf.clipByValue(tf.mul(channelPlane(hsv, channels, 1), scale), ...this.valueRange);
    return hsvToRgb(replaceChannel(hsv, channels, 1, saturation), channels);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], seed: this.seed };
  }
}
