/** Equalization: histogram equalization of each channel in training, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { positiveInteger } from '../../preprocessing/arguments.js';
import { type ValueRange, valueRangeOption } from '../base/factor.js';
import { BaseImagePreprocessingLayer, type ImagePreprocessingOptions } from '../base/image-preprocessing-layer.js';

/** Keras's `_scale_values`: `v * scale + offset` with `scale = (t1 - t0) / (s1 - s0)` and `offset = t0 - s0 * scale`. */
function scaleValues(values: tf.Tensor, source: readonly number[], target: readonly number[]): tf.Tensor {
  const [s0, s1] = source as [number, number];
  const [t0, t1] = target as [number, number];
  const scale = (t1 - t0) / (s1 - s0);
  return tf.add(tf.mul(values, scale), t0 - s0 * scale);
}

/** The options of `Equalization`, Keras's `Equalization(value_range=(0, 255), bins=256, data_format=None)` camelCased. */
export interface EqualizationOptions extends ImagePreprocessingOptions {
  /** The images' `[min, max]` (sorted, as Keras sorts it); default `[0, 255]`. */
  valueRange?: ValueRange;
  /** The histogram's number of bins; default 256. */
  bins?: number;
}

/**
 * In training, equalizes each channel's histogram: values are mapped to
 * [0, 255], binned into `bins` bins, and replaced through the rounded
 * normalised cumulative histogram, then mapped back to `valueRange`; a
 * channel whose values fall in one bin is left as it is. At inference, the
 * identity (Keras's `Equalization`, which equalizes only in training calls).
 * As in Keras, one histogram is taken per channel over the whole batch.
 *
 * @example new layers.Equalization({ bins: 256 }).apply(x, { training: true })
 */
export class Equalization extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'Equalization';
  readonly valueRange: [number, number];
  readonly bins: number;

  constructor(options: EqualizationOptions = {}) {
    super('Equalization', options, ['valueRange', 'bins']);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], true);
    this.bins = positiveInteger('bins', options.bins ?? 256);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const axis = this.axes.channels;
    const channels = tf.split(images, images.shape[axis] as number, axis).map((channel) => this.#equalize(channel));
    return tf.concat(channels, axis);
  }

  /** Keras's `_equalize_channel`, on one channel plane of the whole batch. */
  #equalize(channel: tf.Tensor): tf.Tensor {
    const bins = this.bins;
    const scaled = scaleValues(channel, this.valueRange, [0, 255]);
    // Keras's histogram: int32 truncation of v * (bins - 1) / 255, clipped to the bins.
    const binOf = tf.clipByValue(tf.cast(tf.div(tf.mul(scaled, bins - 1), 255), 'int32'), 0, bins - 1);
    const hist = tf.bincount(tf.reshape(binOf, [-1]) as tf.Tensor1D, tf.tensor1d([], 'float32'), bins);
    const cdf = tf.cumsum(hist);
    const nonzero = tf.sum(tf.cast(tf.greater(hist, 0), 'float32'));
    // The first non-zero value of the (non-decreasing) cumulative histogram.
    const cdfMin = tf.min(tf.where(tf.greater(cdf, 0), cdf, tf.fill([bins], Number.POSITIVE_INFINITY)));
    const last = tf.slice(cdf, [bins - 1], [1]);
    const span = tf.sub(last, cdfMin);
    const denominator = tf.where(tf.equal(span, 0), tf.onesLike(span), span);
    const lookup = tf.clipByValue(tf.round(tf.div(tf.mul(tf.sub(cdf, cdfMin), 255), denominator)), 0, 255);
    const index = tf.cast(tf.clipByValue(tf.mul(tf.div(scaled, 255), bins - 1), 0, bins - 1), 'int32');
    const equalized = tf.reshape(tf.gather(lookup, tf.reshape(index, [-1])), scaled.shape);
    const result = tf.where(tf.lessEqual(nonzero, 1), scaled, equalized);
    return scaleValues(result, [0, 255], this.valueRange);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), bins: this.bins, valueRange: [...this.valueRange] };
  }
}
