/** RandomGrayscale: each image turned to grayscale with a probability in training, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { numberInRange } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
} from '../base/image-preprocessing-layer.js';
import { rgbToGrayscale } from './color-ops.js';

/** The options of `RandomGrayscale`, Keras's `RandomGrayscale(factor=0.5, data_format=None, seed=None)` camelCased. */
export interface RandomGrayscaleOptions extends ImagePreprocessingOptions {
  /** The probability, in [0, 1], that an image is turned to grayscale; default 0.5. */
  factor?: number;
  /** An integer in [0, 2^32): the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

/**
 * In training, replaces each image, with probability `factor`, by its
 * grayscale (`0.2989 R + 0.587 G + 0.114 B` in every channel); at inference,
 * the identity (Keras's `RandomGrayscale`). Images have 3 channels (or 1,
 * left as they are).
 *
 * @example new layers.RandomGrayscale({ factor: 0.2, seed: 1 }).apply(x, { training: true })
 */
export class RandomGrayscale extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomGrayscale';
  readonly factor: number;

  constructor(options: RandomGrayscaleOptions = {}) {
    super('RandomGrayscale', options, ['factor', 'seed']);
    this.factor = numberInRange('factor', options.factor ?? 0.5, 0, 1);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const gray = rgbToGrayscale(images, this.axes.channels);
    const apply = perImage(tf.less(this.uniform(images.shape[0], 0, 1), this.factor));
    return tf.where(apply, gray, images);
  }

  // Keras's config of this layer has no seed (it is not saved).
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}
