/** RandomElasticTransform: each image distorted by a random smooth displacement field in training. */
import * as tf from '@tensorflow/tfjs-core';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
} from '../base/image-preprocessing-layer.js';
import { elasticDisplace } from './elastic.js';
import type { FillMode, GeometricInterpolation } from './map-coordinates.js';
import { ELASTIC_FILL_MODES, fillModeOption, fillValueOption, geometricInterpolationOption } from './options.js';
import { fromChannelsLast, toChannelsLast } from './transforms.js';

/** The options of `RandomElasticTransform`, Keras's `RandomElasticTransform(factor, scale, interpolation, fill_mode, fill_value, value_range, seed, data_format)`. */
export interface RandomElasticTransformOptions extends ImagePreprocessingOptions {
  /** The probability of distorting an image, in [0, 1]: `f` draws it in `[0, f]`, a pair in its range. Default 1. */
  factor?: FactorValue;
  /** The distortion's strength in [0, 1], drawn once per call in `[0, s]` (or a pair's range). Default 1. */
  scale?: FactorValue;
  /** `"bilinear"` (default) or `"nearest"`. */
  interpolation?: GeometricInterpolation;
  /** `"reflect"` (default), `"wrap"`, `"constant"`, `"nearest"` or `"mirror"`. */
  fillMode?: FillMode;
  /** The value read outside the image in `"constant"` mode; default 0. */
  fillValue?: number;
  /** The images' `[min, max]`; training outputs are clipped to it. Default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer in [0, 2^32): the layer's sequence of distortions repeats exactly. */
  seed?: number | null;
}

/**
 * Distorts images of a training batch by a smooth random displacement field
 * (Keras's `RandomElasticTransform`): a strength `s` is drawn per call,
 * `alpha = 0.1 s max(h, w)` and `sigma = 0.05 s min(h, w)`, and each image
 * whose uniform draw falls below its drawn probability is resampled at its
 * pixels moved by `alpha` times a Gaussian-blurred (`sigma`) normal field.
 * Keras moves x and y by the same field, and so does this layer. Training
 * outputs are clipped to `valueRange`; outside training, the input as
 * float32.
 *
 * @example new layers.RandomElasticTransform({ factor: 0.5, scale: 0.5, valueRange: [0, 1], seed: 1 }).apply(x, { training: true })
 */
export class RandomElasticTransform extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomElasticTransform';
  readonly factor: [number, number];
  readonly scale: [number, number];
  readonly interpolation: GeometricInterpolation;
  readonly fillMode: FillMode;
  readonly fillValue: number;
  readonly valueRange: [number, number];

  constructor(options: RandomElasticTransformOptions = {}) {
    super('RandomElasticTransform', options, [
      'factor',
      'scale',
      'interpolation',
      'fillMode',
      'fillValue',
      'valueRange',
      'seed',
    ]);
    this.factor = parseFactor(options.factor ?? 1, [0, 1]);
    this.scale = parseFactor(options.scale ?? 1, [0, 1], 'scale');
    this.interpolation = geometricInterpolationOption(options.interpolation);
    this.fillMode = fillModeOption(options.fillMode, ELASTIC_FILL_MODES);
    this.fillValue = fillValueOption(options.fillValue);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], false);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training || this.scale[1] === 0 || this.factor[1] === 0) return images;
    const batch = images.shape[0];
    // Keras's draws, in its order: the probability, the threshold, the strength, the noise.
    const probability = this.uniform(batch, this.factor[0], this.factor[1]);
    const apply = tf.less(this.uniform(batch, 0, 1), probability);
    const distortion = this.uniform(1, this.scale[0], this.scale[1]).dataSync()[0] as number;
    const nhwc = toChannelsLast(images, this.dataFormat);
    const [, height, width] = nhwc.shape;
    const noise = tf.randomNormal([batch, height, width], 0, 1, 'float32', this.nextSeed()) as tf.Tensor3D;
    const settings = { interpolation: this.interpolation, fillMode: this.fillMode, fillValue: this.fillValue };
    const distorted = fromChannelsLast(elasticDisplace(nhwc, noise, distortion, settings), this.dataFormat);
    return tf.clipByValue(tf.where(perImage(apply), distorted, images), this.valueRange[0], this.valueRange[1]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      factor: [...this.factor],
      scale: [...this.scale],
      interpolation: this.interpolation,
      fillMode: this.fillMode,
      fillValue: this.fillValue,
      valueRange: [...this.valueRange],
      seed: this.seed,
    };
  }
}
