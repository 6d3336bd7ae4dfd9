/** CutMix: a random box of each image replaced by the same box of another image of the batch, in training calls. */
import * as tf from '@tensorflow/tfjs-core';
import type { CallOptions } from '../../layer-types.js';
import { type FactorValue, parseFactor } from '../base/factor.js';
import { BaseImagePreprocessingLayer, type ImagePreprocessingOptions } from '../base/image-preprocessing-layer.js';
import { type Box, boxMask, drawBox } from './boxes.js';
import { checkImagesAndLabels, type ImagesAndLabels, type Mixing, mixLabels } from './mixed-batch.js';
import { Draws } from './random.js';

/** The options of `CutMix`, Keras's `CutMix(factor=1.0, seed=None)` camelCased. */
export interface CutMixOptions extends ImagePreprocessingOptions {
  /** The range of Beta's `alpha`, drawn once per call in `[lower, upper]` (a number f: `[0, f]`); default 1. */
  factor?: FactorValue;
  /** An integer seed: the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

/**
 * In training calls on a batch, pastes into each image `i` a box of image
 * `permutation[i]` (Keras's CutMix): `alpha` is drawn in `factor` (plus
 * 1e-6), `lambda ~ Beta(alpha, alpha)` per image, the box's sides are
 * `sqrt(1 - lambda)` times the image's, at a uniform place. `mixBatch`
 * mixes the labels too, by the box's area. One image, and inference calls,
 * return the images as float32.
 *
 * @example new layers.CutMix({ seed: 1 }).mixBatch({ images: x, labels: y }, { training: true })
 */
export class CutMix extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'CutMix';
  readonly factor: [number, number];

  constructor(options: CutMixOptions = {}) {
    super('CutMix', options, ['factor', 'seed']);
    this.factor = parseFactor(options.factor ?? 1, [0, 1]);
  }

  /** One call's boxes and mixing: `weights[i]` is the share of image `i` left outside its box. */
  private draw(batch: number, height: number, width: number): { boxes: Box[]; mixing: Mixing } {
    const draws = new Draws(this.nextSeed());
    const alpha = draws.between(this.factor[0], this.factor[1]) + 1e-6;
    const boxes = Array.from({ length: batch }, () => {
      const ratio = Math.sqrt(1 - draws.beta(alpha, alpha));
      return drawBox(draws, width, height, ratio, ratio);
    });
    const weights = boxes.map((b) => 1 - ((b.x1 - b.x0) * (b.y1 - b.y0)) / (width * height));
    return { boxes, mixing: { permutation: draws.permutation(batch), weights } };
  }

  private paste(images: tf.Tensor4D, boxes: Box[], mixing: Mixing): tf.Tensor {
    const { height, width } = this.axes;
    const mask = boxMask(boxes, images.shape[height] as number, images.shape[width] as number, this.axes);
    return tf.where(mask, tf.gather(images, tf.tensor1d(mixing.permutation, 'int32')), images);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const { height, width } = this.axes;
    const { boxes, mixing } = this.draw(images.shape[0], images.shape[height] as number, images.shape[width] as number);
    return this.paste(images, boxes, mixing);
  }

  /**
   * Keras's `{"images", "labels"}` call: in training, the images as `apply`
   * makes them and the labels mixed by area, `w * labels + (1 - w) *
   * labels[permutation]` with `w` the share of the image outside its box;
   * otherwise both unchanged (as float32).
   */
  mixBatch(
    data: ImagesAndLabels,
    options: Pick<CallOptions, 'training'> = {},
  ): { images: tf.Tensor; labels: tf.Tensor } {
    const { images, labels } = checkImagesAndLabels('CutMix', data);
    return tf.tidy(() => {
      const x = tf.cast(images, 'float32') as tf.Tensor4D;
      if (options.training !== true) return { images: tf.clone(x), labels: tf.cast(labels, 'float32') };
      const { height, width } = this.axes;
      const { boxes, mixing } = this.draw(x.shape[0], x.shape[height] as number, x.shape[width] as number);
      return { images: this.paste(x, boxes, mixing), labels: mixLabels(labels, mixing) };
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], seed: this.seed };
  }
}
