/** RandomShear: each image sheared along x and y by random factors in training. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../../errors.js';
import { formatValue } from '../../../utils/format.js';
import type { FactorValue } from '../base/factor.js';
import { AffineAugmentationLayer, type AffineAugmentationOptions } from './affine-layer.js';
import { perNumberFactor, SHEAR_RANGE } from './options.js';

/** The options of `RandomShear`, Keras's `RandomShear(x_factor, y_factor, interpolation, fill_mode, fill_value, data_format, seed)`. */
export interface RandomShearOptions extends AffineAugmentationOptions {
  /** A number `f` in [0, 1] draws horizontal shears in `[-f, f]`; a pair draws in its range. Default 0. */
  xFactor?: FactorValue;
  /** The vertical shear, as `xFactor`. Default 0. */
  yFactor?: FactorValue;
}

/**
 * Shears each image of a training batch about its top-left corner (Keras's
 * `RandomShear`): the output pixel `(x, y)` reads the input at
 * `(x + sx y, sy x + y)`, with `sx` and `sy` drawn in their ranges and both
 * negated for about half of the images (one draw per image, as Keras).
 * Outside training, the input as float32.
 *
 * @example new layers.RandomShear({ xFactor: 0.2, yFactor: 0.2, seed: 1 }).apply(x, { training: true })
 */
export class RandomShear extends AffineAugmentationLayer {
  static override readonly className: string = 'RandomShear';
  /** `[lower, upper]` of the horizontal shear (what Keras writes in its config). */
  readonly xFactor: [number, number];
  readonly yFactor: [number, number];

  constructor(options: RandomShearOptions = {}) {
    super('RandomShear', options, ['xFactor', 'yFactor']);
    this.xFactor = shearFactor('xFactor', options.xFactor);
    this.yFactor = shearFactor('yFactor', options.yFactor);
  }

  protected override drawTransforms(images: tf.Tensor4D): tf.Tensor2D {
    const batch = images.shape[0];
    // Keras's order of draws: the sign, then y, then x.
    const sign = tf.where(tf.greater(this.uniform(batch, 0, 1), 0.5), tf.fill([batch], -1), tf.ones([batch]));
    const sy = tf.mul(this.uniform(batch, this.yFactor[0], this.yFactor[1]), sign);
    const sx = tf.mul(this.uniform(batch, this.xFactor[0], this.xFactor[1]), sign);
    const zeros = tf.zeros([batch]);
    const ones = tf.ones([batch]);
    return tf.stack([ones, sx, zeros, sy, ones, zeros, zeros, zeros], 1) as tf.Tensor2D;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), xFactor: [...this.xFactor], yFactor: [...this.yFactor] };
  }
}

/**
 * A shear factor: a number in [0, 1] as Keras checks it, or a pair. Keras
 * writes `x_factor=0.3` back as `[-0.3, 0.3]` and then refuses that pair
 * (its numbers must lie in [0, 1]); here a pair may hold numbers in
 * [-1, 1], so that its own configs load.
 */
function shearFactor(argument: string, factor: unknown): [number, number] {
  if (factor == null) return [0, 0];
  if (!Array.isArray(factor)) return perNumberFactor(argument, factor, SHEAR_RANGE);
  const ok = (x: unknown) => typeof x === 'number' && x >= -1 && x <= 1;
  if (factor.length !== 2 || !ok(factor[0]) || !ok(factor[1])) {
    throw new ValueError(
      `The \`${argument}\` argument should be a number in [0, 1.0] or a list of two numbers in [-1.0, 1.0]. Received: ${argument}=${formatValue(factor)}`,
      { argument, expected: 'a number in [0, 1] or a list of two numbers in [-1, 1]', received: formatValue(factor) },
    );
  }
  const [a, b] = factor as [number, number];
  return a <= b ? [a, b] : [b, a];
}
