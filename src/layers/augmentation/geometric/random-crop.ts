/** RandomCrop: a random `height x width` window of the images in training, the central one otherwise. */
import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../../errors.js';
import { formatShape } from '../../../utils/format.js';
import { randomUniform } from '../../../utils/random.js';
import type { Shape } from '../../layer-types.js';
import { positiveInteger } from '../../preprocessing/arguments.js';
import { aspectCrop, cropSpatial, resample } from '../../preprocessing/image-resize.js';
import { BaseImagePreprocessingLayer, type ImagePreprocessingOptions } from '../base/image-preprocessing-layer.js';

/** The options of `RandomCrop`, Keras's `RandomCrop(height, width, seed, data_format)`. */
export interface RandomCropOptions extends ImagePreprocessingOptions {
  /** The output's height. */
  height: number;
  /** The output's width. */
  width: number;
  /** An integer in [0, 2^32); null draws one now, as Keras does (it is written to the config). */
  seed?: number | null;
}

/**
 * Crops a `height x width` window of a batch of images (Keras's
 * `RandomCrop`). In training, when the images are larger than the window
 * along both axes, one random window (the same for the whole batch, as in
 * Keras); otherwise, and outside training, the largest central window of
 * the target's aspect ratio, resized bilinearly to `height x width` (so an
 * image smaller than the window is enlarged, as Keras does, not refused).
 *
 * Keras 3.15 documents that inference crops and its `compute_output_shape`
 * says so, but its code returns the input unchanged outside training; this
 * layer does what Keras documents (see COMPATIBILITY.md).
 *
 * @example new layers.RandomCrop({ height: 24, width: 24, seed: 1 }).apply(x, { training: true })
 */
export class RandomCrop extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomCrop';
  readonly height: number;
  readonly width: number;

  constructor(options: RandomCropOptions) {
    // Keras's make_default_seed: an unseeded layer gets a seed in [1, 1e9] now.
    const seed = options?.seed ?? 1 + Math.floor(randomUniform() * 1e9);
    super('RandomCrop', { ...options, seed }, ['height', 'width', 'seed']);
    this.height = positiveInteger('height', options.height);
    this.width = positiveInteger('width', options.width);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const shape = [...inputShape];
    const rank = shape.length;
    const [h, w] = this.dataFormat === 'channelsLast' ? [rank - 3, rank - 2] : [rank - 2, rank - 1];
    shape[h] = this.height;
    shape[w] = this.width;
    return shape;
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    const axes: [number, number] = [this.axes.height, this.axes.width];
    const [height, width] = [images.shape[axes[0]] as number, images.shape[axes[1]] as number];
    if (height === 0 || width === 0) {
      throw new ValueError(
        `RandomCrop needs images of at least one pixel. Received: images.shape=${formatShape(images.shape)}`,
        {
          argument: 'inputs',
          expected: 'images with a positive height and width',
          received: formatShape(images.shape),
        },
      );
    }
    if (training && height > this.height && width > this.width) {
      // Keras: int32(uniform(0, n - size + 1)), one window for the whole batch.
      // float32 rounding may reach the upper bound: keep the window inside.
      const top = Math.min(
        Math.trunc(this.uniform(1, 0, height - this.height + 1).dataSync()[0] as number),
        height - this.height,
      );
      const left = Math.min(
        Math.trunc(this.uniform(1, 0, width - this.width + 1).dataSync()[0] as number),
        width - this.width,
      );
      return cropSpatial(images, axes, top, left, this.height, this.width);
    }
    // Keras: the window starts where the largest central crop of the target's
    // aspect ratio starts, spans the target's size (clipped to the image), and
    // is resized to the target when clipped.
    const crop = aspectCrop(height, width, this.height, this.width);
    const h = Math.min(this.height, height - crop.top);
    const w = Math.min(this.width, width - crop.left);
    const window = cropSpatial(images, axes, crop.top, crop.left, h, w);
    if (h === this.height && w === this.width) return window;
    return resample(window, axes, [this.height, this.width], 'bilinear');
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, seed: this.seed };
  }
}
