/** AutoContrast: each channel of each image stretched to the full value range, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  transformValueRange,
} from '../base/image-preprocessing-layer.js';

/** The options of `AutoContrast`, Keras's `AutoContrast(value_range=(0, 255))` camelCased. */
export interface AutoContrastOptions extends ImagePreprocessingOptions {
  /** The images' `[min, max]` (sorted, as Keras sorts it); default `[0, 255]`. */
  valueRange?: ValueRange;
}

/**
 * Stretches each image's channels so that their lowest value becomes
 * `valueRange[0]` and their highest `valueRange[1]`, in training and at
 * inference alike (Keras's `AutoContrast`, which is not random). A constant
 * channel is left as it is. As in Keras, the minimum and maximum are taken
 * over axes 1 and 2, which are height and width for channels-last images.
 *
 * @example new layers.AutoContrast({ valueRange: [0, 1] }).apply(x)
 */
export class AutoContrast extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'AutoContrast';
  readonly valueRange: [number, number];

  constructor(options: AutoContrastOptions = {}) {
    super('AutoContrast', options, ['valueRange']);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], true);
  }

  protected override transformImages(images: tf.Tensor4D): tf.Tensor {
    const scaled = transformValueRange(images, this.valueRange, [0, 255]);
    // Keras reduces axes (1, 2) whatever the data format.
    const low = tf.min(scaled, [1, 2], true);
    const high = tf.max(scaled, [1, 2], true);
    const scale = tf.div(255, tf.sub(high, low));
    const offset = tf.mul(tf.neg(low), scale);
    const unclipped = tf.add(tf.mul(scaled, scale), offset);
    const results = transformValueRange(tf.clipByValue(unclipped, 0, 255), [0, 255], this.valueRange);
    // A constant channel gives NaN (x * inf - low * inf), where Keras keeps the input. The mask is taken
    // before the clip, which does not keep NaN on every backend.
    return tf.where(tf.isNaN(unclipped), images, results);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), valueRange: [...this.valueRange] };
  }
}
