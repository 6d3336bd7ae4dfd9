/**
 * The shared part of the layers that resample images through an affine
 * transform (RandomRotation, RandomZoom, RandomTranslation, RandomShear):
 * Keras's `fill_mode`, `interpolation` and `fill_value` options, their
 * config keys, and the resampling of a batch through `[batch, 8]` transforms.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { BaseImagePreprocessingLayer, type ImagePreprocessingOptions } from '../base/image-preprocessing-layer.js';
import type { FillMode, GeometricInterpolation } from './map-coordinates.js';
import { fillModeOption, fillValueOption, geometricInterpolationOption } from './options.js';
import { affineTransform } from './transforms.js';

/** The options every affine augmentation layer takes (Keras's keywords camelCased). */
export interface AffineAugmentationOptions extends ImagePreprocessingOptions {
  /** How positions outside the image are read: `"reflect"` (default), `"wrap"`, `"constant"` or `"nearest"`. */
  fillMode?: 'reflect' | 'wrap' | 'constant' | 'nearest';
  /** `"bilinear"` (default) or `"nearest"`. */
  interpolation?: GeometricInterpolation;
  /** The value read outside the image in `"constant"` mode; default 0. */
  fillValue?: number;
  /** An integer in [0, 2^32): the layer's sequence of transforms repeats exactly. */
  seed?: number | null;
}

/**
 * The base of the affine augmentation layers: a subclass draws its `[batch, 8]`
 * transforms; this class resamples the images through them in training and
 * passes them through (as float32) otherwise.
 * (Internal: the geometric layers extend it; a subclass's `drawTransforms`
 * returns one row `[a0, a1, a2, b0, b1, b2, c0, c1]` per image, the identity
 * being `[1, 0, 0, 0, 1, 0, 0, 0]`.)
 */
export abstract class AffineAugmentationLayer extends BaseImagePreprocessingLayer {
  readonly fillMode: FillMode;
  readonly interpolation: GeometricInterpolation;
  readonly fillValue: number;

  protected constructor(className: string, options: AffineAugmentationOptions, ownNames: readonly string[]) {
    super(className, options, [...ownNames, 'fillMode', 'interpolation', 'fillValue', 'seed']);
    this.fillMode = fillModeOption(options.fillMode);
    this.interpolation = geometricInterpolationOption(options.interpolation);
    this.fillValue = fillValueOption(options.fillValue);
  }

  /** This training call's transforms, `[batch, 8]` (the layer's random draws). */
  protected abstract drawTransforms(images: tf.Tensor4D): tf.Tensor2D;

  /** Image height and width of a batch in this layer's data format. */
  protected imageSize(images: tf.Tensor4D): [number, number] {
    return [images.shape[this.axes.height] as number, images.shape[this.axes.width] as number];
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const settings = { interpolation: this.interpolation, fillMode: this.fillMode, fillValue: this.fillValue };
    return affineTransform(images, this.drawTransforms(images), settings, this.dataFormat);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      fillMode: this.fillMode,
      fillValue: this.fillValue,
      interpolation: this.interpolation,
      seed: this.seed,
    };
  }
}
