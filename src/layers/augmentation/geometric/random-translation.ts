/** RandomTranslation: each image shifted by a random fraction of its size in training. */
import * as tf from '@tensorflow/tfjs-core';
import type { FactorValue } from '../base/factor.js';
import { AffineAugmentationLayer, type AffineAugmentationOptions } from './affine-layer.js';
import { perNumberFactor, TRANSLATION_RANGE } from './options.js';
import { copy } from './random-zoom.js';

/** The options of `RandomTranslation`, Keras's `RandomTranslation(height_factor, width_factor, fill_mode, interpolation, seed, fill_value, data_format)`. */
export interface RandomTranslationOptions extends AffineAugmentationOptions {
  /** Fractions of the height in [-1, 1]: `f` draws a shift in `[-|f|, |f|]`, a pair in its range; positive moves down. */
  heightFactor: FactorValue;
  /** Fractions of the width in [-1, 1], as `heightFactor`; positive moves right. */
  widthFactor: FactorValue;
}

/**
 * Shifts each image of a training batch by its own random offset (Keras's
 * `RandomTranslation`): the output pixel `(x, y)` reads the input at
 * `(x - dx, y - dy)`, with `dx` a fraction of the width and `dy` of the
 * height, resampled with `interpolation` and `fillMode`. Outside training,
 * the input as float32.
 *
 * @example new layers.RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 1 }).apply(x, { training: true })
 */
export class RandomTranslation extends AffineAugmentationLayer {
  static override readonly className: string = 'RandomTranslation';
  /** As given (Keras writes it back unchanged). */
  readonly heightFactor: FactorValue;
  readonly widthFactor: FactorValue;
  readonly #height: [number, number];
  readonly #width: [number, number];

  constructor(options: RandomTranslationOptions) {
    super('RandomTranslation', options, ['heightFactor', 'widthFactor']);
    this.#height = perNumberFactor('heightFactor', options.heightFactor, TRANSLATION_RANGE);
    this.#width = perNumberFactor('widthFactor', options.widthFactor, TRANSLATION_RANGE);
    this.heightFactor = copy(options.heightFactor);
    this.widthFactor = copy(options.widthFactor);
  }

  protected override drawTransforms(images: tf.Tensor4D): tf.Tensor2D {
    const batch = images.shape[0];
    const [height, width] = this.imageSize(images);
    // Keras draws the vertical shift first.
    const dy = tf.mul(this.uniform(batch, this.#height[0], this.#height[1]), height);
    const dx = tf.mul(this.uniform(batch, this.#width[0], this.#width[1]), width);
    const zeros = tf.zeros([batch]);
    const ones = tf.ones([batch]);
    return tf.stack([ones, zeros, tf.neg(dx), zeros, ones, tf.neg(dy), zeros, zeros], 1) as tf.Tensor2D;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), heightFactor: copy(this.heightFactor), widthFactor: copy(this.widthFactor) };
  }
}
