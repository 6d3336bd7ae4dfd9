/** RandomZoom: each image zoomed in or out about its centre by a random factor in training. */
import * as tf from '@tensorflow/tfjs-core';
import type { FactorValue } from '../base/factor.js';
import { AffineAugmentationLayer, type AffineAugmentationOptions } from './affine-layer.js';
import { perNumberFactor, ZOOM_RANGE } from './options.js';

/** The options of `RandomZoom`, Keras's `RandomZoom(height_factor, width_factor, fill_mode, interpolation, seed, fill_value, data_format)`. */
export interface RandomZoomOptions extends AffineAugmentationOptions {
  /**
   * Numbers in (-1, 1]: `f` draws a vertical zoom in `[-|f|, |f|]`, a pair in
   * its range. A negative value zooms in (the image looks larger), a
   * positive one zooms out.
   */
  heightFactor: FactorValue;
  /** The horizontal zoom, as `heightFactor`; null (default) keeps the aspect ratio (the vertical draw). */
  widthFactor?: FactorValue | null;
}

/**
 * Zooms each image of a training batch about its centre (Keras's
 * `RandomZoom`): the output pixel `(x, y)` reads the input at
 * `(zx x + (w - 1)(1 - zx) / 2, zy y + (h - 1)(1 - zy) / 2)` with
 * `z = 1 + factor`, resampled with `interpolation` and `fillMode`. Outside
 * training, the input as float32.
 *
 * @example new layers.RandomZoom({ heightFactor: [-0.3, 0.3], seed: 1 }).apply(x, { training: true })
 */
export class RandomZoom extends AffineAugmentationLayer {
  static override readonly className: string = 'RandomZoom';
  /** As given (Keras writes it back unchanged). */
  readonly heightFactor: FactorValue;
  readonly widthFactor: FactorValue | null;
  readonly #height: [number, number];
  readonly #width: [number, number] | null;

  constructor(options: RandomZoomOptions) {
    super('RandomZoom', options, ['heightFactor', 'widthFactor']);
    this.#height = perNumberFactor('heightFactor', options.heightFactor, ZOOM_RANGE);
    this.heightFactor = copy(options.heightFactor);
    this.widthFactor = options.widthFactor == null ? null : copy(options.widthFactor);
    this.#width = options.widthFactor == null ? null : perNumberFactor('widthFactor', options.widthFactor, ZOOM_RANGE);
  }

  protected override drawTransforms(images: tf.Tensor4D): tf.Tensor2D {
    const batch = images.shape[0];
    const [height, width] = this.imageSize(images);
    const zy = this.uniform(batch, 1 + this.#height[0], 1 + this.#height[1]);
    const zx = this.#width == null ? zy : this.uniform(batch, 1 + this.#width[0], 1 + this.#width[1]);
    // Keras's _get_zoom_matrix, in float32.
    const xOffset = tf.mul((width - 1) / 2, tf.sub(1, zx));
    const yOffset = tf.mul((height - 1) / 2, tf.sub(1, zy));
    const zeros = tf.zeros([batch]);
    return tf.stack([zx, zeros, xOffset, zeros, zy, yOffset, zeros, zeros], 1) as tf.Tensor2D;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), heightFactor: copy(this.heightFactor), widthFactor: copy(this.widthFactor) };
  }
}

/** A factor as given, arrays copied (so that the layer's options cannot change under it). */
export function copy<T>(factor: T): T {
  return (Array.isArray(factor) ? [...factor] : factor) as T;
}
