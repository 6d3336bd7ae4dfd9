/** RandomRotation: each image turned about its centre by a random angle in training. */
import * as tf from '@tensorflow/tfjs-core';
import { type FactorValue, parseFactor } from '../base/factor.js';
import { AffineAugmentationLayer, type AffineAugmentationOptions } from './affine-layer.js';
import { computeAffineMatrix } from './transforms.js';

/** The options of `RandomRotation`, Keras's `RandomRotation(factor, fill_mode, interpolation, seed, fill_value, data_format)`. */
export interface RandomRotationOptions extends AffineAugmentationOptions {
  /**
   * Fractions of a full turn (in [-1, 1]): `f` draws angles in
   * `[-f * 360°, f * 360°]`, `[lower, upper]` in `[lower * 360°, upper * 360°]`;
   * positive angles turn counter-clockwise.
   */
  factor: FactorValue;
}

/**
 * Rotates each image of a training batch by its own random angle about the
 * image's centre (Keras's `RandomRotation`), resampled with `interpolation`
 * and `fillMode` exactly as Keras's JAX backend does. Outside training, the
 * input as float32.
 *
 * @example new layers.RandomRotation({ factor: 0.1, seed: 1 }).apply(x, { training: true })
 */
export class RandomRotation extends AffineAugmentationLayer {
  static override readonly className: string = 'RandomRotation';
  /** `[lower, upper]`, fractions of a full turn. */
  readonly factor: [number, number];

  constructor(options: RandomRotationOptions) {
    super('RandomRotation', options, ['factor']);
    this.factor = parseFactor(options.factor, [-1, 1]);
  }

  protected override drawTransforms(images: tf.Tensor4D): tf.Tensor2D {
    const batch = images.shape[0];
    const [height, width] = this.imageSize(images);
    const angle = this.uniform(batch, this.factor[0] * 360, this.factor[1] * 360);
    const zeros = tf.zeros([batch]);
    const parameters = {
      angle,
      translateX: zeros,
      translateY: zeros,
      scale: tf.ones([batch]),
      shearX: zeros,
      shearY: zeros,
    };
    return computeAffineMatrix(parameters, 0.5, 0.5, height, width);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}
