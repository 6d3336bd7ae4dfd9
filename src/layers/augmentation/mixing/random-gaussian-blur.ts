/** RandomGaussianBlur: a Gaussian blur of random strength, applied to each image with a random probability, in training calls. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../../errors.js';
import { formatValue } from '../../../utils/format.js';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
} from '../base/image-preprocessing-layer.js';
import { Draws } from './random.js';

/** The options of `RandomGaussianBlur`, Keras's `RandomGaussianBlur(factor, kernel_size, sigma, value_range, seed)` camelCased. */
export interface RandomGaussianBlurOptions extends ImagePreprocessingOptions {
  /** The probability of blurring an image, drawn per image in `[lower, upper]` (a number f: `[0, f]`); default 1, so `[0, 1]`. */
  factor?: FactorValue;
  /** The kernel's size: an odd integer, or `[x, y]` odd integers (across the width, down the height); default 3. */
  kernelSize?: number | readonly [number, number];
  /** The standard deviation's range `[lower, upper]` (a number s: `[0, s]`), checked as Keras checks it; default 1. */
  sigma?: FactorValue;
  /** The images' `[min, max]`: training outputs are clipped to it; default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer seed: the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

function kernelSizeOption(value: unknown): [number, number] {
  const odd = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0 && v % 2 === 1;
  if (odd(value)) return [value as number, value as number];
  if (Array.isArray(value) && value.length === 2 && value.every(odd)) return [value[0], value[1]];
  throw new ValueError(
    `kernelSize must be an odd positive integer or a list of two. Received: kernelSize=${formatValue(value)}`,
    { argument: 'kernelSize', expected: 'an odd positive integer, or a list of two', received: formatValue(value) },
  );
}

/** Keras's 1-D Gaussian kernel: `exp(-0.5 (x / sigma)^2)` over `x = i - (size - 1) / 2`, normalised to sum 1. */
function gaussian1d(size: number, sigma: tf.Scalar): tf.Tensor1D {
  const x = tf.sub(tf.range(0, size, 1, 'float32'), (size - 1) / 2);
  const kernel = tf.exp(tf.mul(-0.5, tf.square(tf.div(x, sigma))));
  return tf.div(kernel, tf.sum(kernel));
}

/**
 * Keras's `image.gaussian_blur`: the depthwise convolution of each channel
 * with `outer(k_y, k_x)` (sizes `kernelSize[1]` by `kernelSize[0]`, sigmas
 * `sigma[1]` and `sigma[0]`), zero padding ("same"), on a channels-last batch.
 */
export function gaussianBlur(
  images: tf.Tensor4D,
  kernelSize: readonly [number, number],
  sigma: tf.Tensor1D,
): tf.Tensor4D {
  const [sx, sy] = tf.unstack(sigma) as [tf.Scalar, tf.Scalar];
  const kx = gaussian1d(kernelSize[0], sx);
  const ky = gaussian1d(kernelSize[1], sy);
  const kernel2d = tf.mul(tf.reshape(ky, [kernelSize[1], 1]), tf.reshape(kx, [1, kernelSize[0]]));
  const channels = images.shape[3];
  const filter = tf.tile(tf.reshape(kernel2d, [kernelSize[1], kernelSize[0], 1, 1]), [
    1,
    1,
    channels,
    1,
  ]) as tf.Tensor4D;
  return tf.depthwiseConv2d(images, filter, 1, 'same');
}

/**
 * In training calls, blurs each image with probability drawn in `factor`
 * (Keras's RandomGaussianBlur): one sigma per axis is drawn in `sigma` for
 * the call (plus Keras's 1e-6), every output then clipped to `valueRange`.
 * Inference calls return the images as float32.
 *
 * @example new layers.RandomGaussianBlur({ factor: 0.5, kernelSize: 5, sigma: [0.2, 1], seed: 3 }).apply(x, { training: true })
 */
export class RandomGaussianBlur extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomGaussianBlur';
  readonly factor: [number, number];
  readonly kernelSize: [number, number];
  readonly sigma: [number, number];
  readonly valueRange: [number, number];

  constructor(options: RandomGaussianBlurOptions = {}) {
    super('RandomGaussianBlur', options, ['factor', 'kernelSize', 'sigma', 'valueRange', 'seed']);
    this.factor = parseFactor(options.factor ?? 1, [0, 1]);
    this.kernelSize = kernelSizeOption(options.kernelSize ?? 3);
    this.sigma = parseFactor(options.sigma ?? 1, [0, 1], 'sigma');
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], false);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const batch = images.shape[0];
    const draws = new Draws(this.nextSeed());
    const blur = Array.from({ length: batch }, () => {
      const probability = draws.between(this.factor[0], this.factor[1]);
      return draws.uniform() < probability;
    });
    const sigma = [0, 1].map(() => Math.fround(draws.between(this.sigma[0], this.sigma[1])) + 1e-6);
    const channelsLast = this.dataFormat === 'channelsLast';
    const input = channelsLast ? images : tf.transpose(images, [0, 2, 3, 1]);
    let blurred: tf.Tensor = gaussianBlur(input, this.kernelSize, tf.tensor1d(sigma, 'float32'));
    if (!channelsLast) blurred = tf.transpose(blurred, [0, 3, 1, 2]);
    const chosen = tf.where(perImage(tf.tensor1d(blur, 'bool')), blurred, images);
    return tf.clipByValue(chosen, this.valueRange[0], this.valueRange[1]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      factor: [...this.factor],
      kernelSize: [...this.kernelSize],
      sigma: [...this.sigma],
      valueRange: [...this.valueRange],
      seed: this.seed,
    };
  }
}
