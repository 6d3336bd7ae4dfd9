/** RandomPerspective: each image warped by a random perspective (its corners moved) in training. */
import * as tf from '@tensorflow/tfjs-core';
import { type FactorValue, numberInRange, parseFactor } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
} from '../base/image-preprocessing-layer.js';
import type { GeometricInterpolation } from './map-coordinates.js';
import { fillValueOption, geometricInterpolationOption } from './options.js';
import { perspectiveTransform } from './transforms.js';

/** The options of `RandomPerspective`, Keras's `RandomPerspective(factor, scale, interpolation, fill_value, seed, data_format)`. */
export interface RandomPerspectiveOptions extends ImagePreprocessingOptions {
  /** The probability of warping an image, in [0, 1]: `f` draws it in `[0, f]`, a pair in its range. Default 1. */
  factor?: FactorValue;
  /** How far the corners move, in [0, 1] (each by up to half of `scale` times its coordinates). Default 1. */
  scale?: number;
  /** `"bilinear"` (default) or `"nearest"`. */
  interpolation?: GeometricInterpolation;
  /** The value read outside the image; default 0. */
  fillValue?: number;
  /** An integer in [0, 2^32): the layer's sequence of warps repeats exactly. */
  seed?: number | null;
}

/**
 * Warps images of a training batch by random perspectives (Keras's
 * `RandomPerspective`): each image is warped when a uniform draw falls below
 * its drawn probability (in the `factor` range); its corners
 * `(0, 0), (w-1, 0), (0, h-1), (w-1, h-1)` move to `p + p * d` with each
 * `d` uniform in `[-scale/2, scale/2]`, and the image is resampled through
 * the homography between them, reading `fillValue` outside. Outside
 * training, the input as float32.
 *
 * @example new layers.RandomPerspective({ factor: 0.5, scale: 0.2, seed: 1 }).apply(x, { training: true })
 */
export class RandomPerspective extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomPerspective';
  readonly factor: [number, number];
  readonly scale: number;
  readonly interpolation: GeometricInterpolation;
  readonly fillValue: number;

  constructor(options: RandomPerspectiveOptions = {}) {
    super('RandomPerspective', options, ['factor', 'scale', 'interpolation', 'fillValue', 'seed']);
    this.factor = parseFactor(options.factor ?? 1, [0, 1]);
    this.scale = numberInRange('scale', options.scale ?? 1, 0, 1);
    this.interpolation = geometricInterpolationOption(options.interpolation);
    this.fillValue = fillValueOption(options.fillValue);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const batch = images.shape[0];
    const height = images.shape[this.axes.height] as number;
    const width = images.shape[this.axes.width] as number;
    // Keras's draws, in its order: the probability, the threshold, the corner moves.
    const probability = this.uniform(batch, this.factor[0], this.factor[1]);
    const apply = tf.less(this.uniform(batch, 0, 1), probability);
    const moves = tf.randomUniform([batch, 4, 2], -0.5 * this.scale, 0.5 * this.scale, 'float32', this.nextSeed());
    const corners = [
      [0, 0],
      [width - 1, 0],
      [0, height - 1],
      [width - 1, height - 1],
    ];
    const d = moves.arraySync() as number[][][];
    const start = d.map(() => corners);
    const end = d.map((image) =>
      corners.map((p, i) => p.map((v, k) => Math.fround(v + v * ((image[i] as number[])[k] as number)))),
    );
    const settings = { interpolation: this.interpolation, fillValue: this.fillValue };
    const warped = perspectiveTransform(images, start, end, settings, this.dataFormat);
    return tf.where(perImage(apply), warped, images);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      factor: [...this.factor],
      scale: this.scale,
      interpolation: this.interpolation,
      fillValue: this.fillValue,
      seed: this.seed,
    };
  }
}
