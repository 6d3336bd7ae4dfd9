/** MixUp: each image blended with another image of the batch, in training calls. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../../errors.js';
import type { CallOptions } from '../../layer-types.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  perImage,
} from '../base/image-preprocessing-layer.js';
import { checkImagesAndLabels, type ImagesAndLabels, type Mixing, mixLabels } from './mixed-batch.js';
import { Draws } from './random.js';

/** The options of `MixUp`, Keras's `MixUp(alpha=0.2, seed=None)` camelCased. */
export interface MixUpOptions extends ImagePreprocessingOptions {
  /** Beta's parameter for the blending weight, `lambda ~ Beta(alpha, alpha)`: a positive number; default 0.2. */
  alpha?: number;
  /** An integer seed: the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

/**
 * In training calls, replaces each image `x_i` by `lambda_i x_i + (1 -
 * lambda_i) x_{p(i)}` (Keras's MixUp), `lambda_i ~ Beta(alpha, alpha)` and
 * `p` a random permutation of the batch; `mixBatch` mixes the labels with
 * the same weights. One image is mixed with itself. Inference calls return
 * the images as float32.
 *
 * @example new layers.MixUp({ alpha: 0.2, seed: 1 }).mixBatch({ images: x, labels: y }, { training: true })
 */
export class MixUp extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'MixUp';
  readonly alpha: number;

  constructor(options: MixUpOptions = {}) {
    super('MixUp', options, ['alpha', 'seed']);
    const alpha = options.alpha ?? 0.2;
    // Keras does not check it; Beta(alpha, alpha) needs alpha > 0.
    if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 0) {
      throw invalidArgument('alpha', 'a positive number', alpha);
    }
    this.alpha = alpha;
  }

  /** One call's permutation (Keras draws it first) and blending weights. */
  private draw(batch: number): Mixing {
    const draws = new Draws(this.nextSeed());
    const permutation = draws.permutation(batch);
    return { permutation, weights: permutation.map(() => draws.beta(this.alpha, this.alpha)) };
  }

  private blend(images: tf.Tensor4D, mixing: Mixing): tf.Tensor {
    const w = perImage(tf.tensor1d(mixing.weights, 'float32'));
    const other = tf.gather(images, tf.tensor1d(mixing.permutation, 'int32'));
    return tf.add(tf.mul(w, images), tf.mul(tf.sub(1, w), other));
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    return this.blend(images, this.draw(images.shape[0]));
  }

  /**
   * Keras's `{"images", "labels"}` call: in training, images and labels both
   * blended with the same weights and permutation; otherwise both unchanged
   * (as float32).
   */
  mixBatch(
    data: ImagesAndLabels,
    options: Pick<CallOptions, 'training'> = {},
  ): { images: tf.Tensor; labels: tf.Tensor } {
    const { images, labels } = checkImagesAndLabels('MixUp', data);
    return tf.tidy(() => {
      const x = tf.cast(images, 'float32') as tf.Tensor4D;
      if (options.training !== true) return { images: tf.clone(x), labels: tf.cast(labels, 'float32') };
      const mixing = this.draw(x.shape[0]);
      return { images: this.blend(x, mixing), labels: mixLabels(labels, mixing) };
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha, seed: this.seed };
  }
}
