/** RandomFlip: each image flipped left-right and/or top-bottom with probability 1/2 in training. */
import * as tf from '@tensorflow/tfjs-core';
import { oneOf } from '../../preprocessing/arguments.js';
import { BaseImagePreprocessingLayer, type ImagePreprocessingOptions } from '../base/image-preprocessing-layer.js';

/** Keras's flip modes. */
export const FLIP_MODES = ['horizontal', 'vertical', 'horizontal_and_vertical'] as const;
/** One of Keras's flip modes. */
export type FlipMode = (typeof FLIP_MODES)[number];

/** The options of `RandomFlip`, Keras's `RandomFlip(mode, seed, data_format)` camelCased. */
export interface RandomFlipOptions extends ImagePreprocessingOptions {
  /** `"horizontal"` (left-right), `"vertical"` (top-bottom) or `"horizontal_and_vertical"` (default). */
  mode?: FlipMode;
  /** An integer in [0, 2^32): the layer's sequence of flips repeats exactly. */
  seed?: number | null;
}

/**
 * Flips each image of a training batch with probability 1/2 (Keras's
 * `RandomFlip`): in `"horizontal_and_vertical"` mode one draw per image
 * decides both flips, so an image is either unchanged or turned half a
 * turn, as in Keras. Outside training, the input as float32.
 *
 * @example new layers.RandomFlip({ mode: 'horizontal', seed: 1 }).apply(x, { training: true })
 */
export class RandomFlip extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(options: RandomFlipOptions = {}) {
    super('RandomFlip', options, ['mode', 'seed']);
    this.mode = oneOf('RandomFlip', 'mode', options.mode ?? 'horizontal_and_vertical', FLIP_MODES);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    // Keras: flip where uniform <= 0.5, one draw per image.
    const flips = tf.reshape(tf.lessEqual(this.uniform(images.shape[0], 0, 1), 0.5), [images.shape[0], 1, 1, 1]);
    const { height, width } = this.axes;
    let output: tf.Tensor = images;
    if (this.mode !== 'vertical') output = tf.where(flips, reverseAxis(output, width), output);
    if (this.mode !== 'horizontal') output = tf.where(flips, reverseAxis(output, height), output);
    return output;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), seed: this.seed, mode: this.mode };
  }
}

/** `x` reversed along `axis`, by a gather (tfjs's cpu Reverse kernel reads element by element, several times slower). */
function reverseAxis(x: tf.Tensor, axis: number): tf.Tensor {
  const size = x.shape[axis] as number;
  return tf.gather(x, tf.range(size - 1, -1, -1, 'int32'), axis);
}
