/** RandomErasing: random rectangles of each image replaced by a fill value (or noise), in training calls. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../../errors.js';
import { formatValue } from '../../../utils/format.js';
import { type FactorValue, parseFactor, type ValueRange, valueRangeOption } from '../base/factor.js';
import { BaseImagePreprocessingLayer, type ImagePreprocessingOptions } from '../base/image-preprocessing-layer.js';
import { type Box, boxMask, drawBox } from './boxes.js';
import { Draws } from './random.js';

/** The options of `RandomErasing`, Keras's `RandomErasing(factor, scale, fill_value, value_range, seed)` camelCased. */
export interface RandomErasingOptions extends ImagePreprocessingOptions {
  /** The probability of erasing an image: drawn per image in `[lower, upper]` (a number f: `[0, f]`); default 1, so `[0, 1]`. */
  factor?: FactorValue;
  /** The range, in [0, 1], of the box's side as a fraction of the image's, before the square root Keras takes; default `[0.02, 0.33]`. */
  scale?: FactorValue;
  /** The erased pixels' value: a number, one number per channel (3), or null (default) for `N(0, 1) * valueRange[1]` noise; clipped to `valueRange`. */
  fillValue?: number | readonly number[] | null;
  /** The images' `[min, max]`; default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer seed: the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

function fillValueOption(value: unknown): number | number[] | null {
  if (value == null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return [...(value as number[])];
  }
  throw new ValueError(
    `The \`fillValue\` argument should be a number (or a list of three numbers), or null for noise. Received: fillValue=${formatValue(value)}`,
    { argument: 'fillValue', expected: 'a number, a list of three numbers, or null', received: formatValue(value) },
  );
}

/**
 * In training calls, erases one random rectangle of each image with
 * probability drawn in `factor` (Keras's Random Erasing): the box's sides
 * are `sqrt(s) * height` and `sqrt(s) * width` for `s` drawn in `scale`
 * (one per side), at a uniform place; its pixels (every channel) take
 * `fillValue`, clipped to `valueRange`. Inference calls return the images
 * as float32.
 *
 * @example new layers.RandomErasing({ factor: 0.5, scale: [0.02, 0.2], fillValue: 0, seed: 1 }).apply(x, { training: true })
 */
export class RandomErasing extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'RandomErasing';
  readonly factor: [number, number];
  readonly scale: [number, number];
  readonly fillValue: number | number[] | null;
  readonly valueRange: [number, number];

  constructor(options: RandomErasingOptions = {}) {
    super('RandomErasing', options, ['factor', 'scale', 'fillValue', 'valueRange', 'seed']);
    this.factor = parseFactor(options.factor ?? 1, [0, 1]);
    this.scale = parseFactor(options.scale ?? [0.02, 0.33], [0, 1], 'scale');
    this.fillValue = fillValueOption(options.fillValue);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], false);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const axes = this.axes;
    const [batch, height, width, channels] = [0, axes.height, axes.width, axes.channels].map(
      (a) => images.shape[a] as number,
    ) as [number, number, number, number];
    const draws = new Draws(this.nextSeed());
    const boxes: Box[] = [];
    const erase: boolean[] = [];
    for (let i = 0; i < batch; i++) {
      const widthRatio = Math.sqrt(draws.between(this.scale[0], this.scale[1]));
      const heightRatio = Math.sqrt(draws.between(this.scale[0], this.scale[1]));
      boxes.push(drawBox(draws, width, height, widthRatio, heightRatio));
      const probability = draws.between(this.factor[0], this.factor[1]);
      erase.push(draws.uniform() < probability);
    }
    const mask = tf.logicalAnd(boxMask(boxes, height, width, axes), tf.tensor4d(erase, [batch, 1, 1, 1], 'bool'));
    const [low, high] = this.valueRange;
    return tf.where(mask, tf.clipByValue(this.fill(images.shape, channels), low, high), images);
  }

  /** Keras's `_get_fill_value`: noise `N(0, 1) * valueRange[1]`, or the fill value (per channel for three). */
  private fill(shape: number[], channels: number): tf.Tensor {
    const fill = this.fillValue;
    if (fill == null) return tf.mul(tf.randomNormal(shape, 0, 1, 'float32', this.nextSeed()), this.valueRange[1]);
    if (typeof fill === 'number') return tf.scalar(fill, 'float32');
    if (channels !== 3) {
      throw new ValueError(
        `RandomErasing's fillValue has one number per channel (3), but the images have ${channels} channels. Received: fillValue=${formatValue(fill)}`,
        { argument: 'fillValue', expected: `a number or ${channels} numbers`, received: formatValue(fill) },
      );
    }
    const perChannel: [number, number, number, number] = [1, 1, 1, 1];
    perChannel[this.axes.channels] = 3;
    return tf.tensor4d(fill, perChannel, 'float32');
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      factor: [...this.factor],
      scale: [...this.scale],
      fillValue: Array.isArray(this.fillValue) ? [...this.fillValue] : this.fillValue,
      valueRange: [...this.valueRange],
      seed: this.seed,
    };
  }
}
