/** MaxNumBoundingBoxes: pads or truncates bounding boxes to a fixed number per image; images pass unchanged. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../../errors.js';
import { formatShape, formatValue } from '../../../utils/format.js';
import { BaseImagePreprocessingLayer, type ImagePreprocessingOptions } from '../base/image-preprocessing-layer.js';

/** The options of `MaxNumBoundingBoxes`, Keras's `MaxNumBoundingBoxes(max_number, fill_value=-1)` camelCased. */
export interface MaxNumBoundingBoxesOptions extends Omit<ImagePreprocessingOptions, 'boundingBoxFormat'> {
  /** The number of boxes per image after the layer: a positive integer. */
  maxNumber: number;
  /** The value of the padding boxes and labels; default -1 (Keras does not save it: a loaded layer has -1). */
  fillValue?: number;
  /** Keras's `bounding_box_format` (e.g. `"xyxy"`), kept for the config: padding does not depend on it. */
  boundingBoxFormat?: string | null;
}

/** Bounding boxes as Keras passes them: `boxes` `[batch, n, 4]` and `labels` `[batch, n]`. */
export interface BoundingBoxes {
  readonly boxes: tf.Tensor;
  readonly labels: tf.Tensor;
}

function integerOption(argument: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalidArgument(argument, min === 1 ? 'a positive integer' : 'an integer', value);
  }
  return value;
}

/**
 * Keras's MaxNumBoundingBoxes: `transformBoundingBoxes` keeps the first
 * `maxNumber` boxes and labels of each image and pads with `fillValue` up
 * to `maxNumber`. The layer's call takes image tensors only (we take no
 * bounding-box dicts), which it returns unchanged as float32.
 *
 * @example new layers.MaxNumBoundingBoxes({ maxNumber: 10 }).transformBoundingBoxes({ boxes: a, labels: b })
 */
export class MaxNumBoundingBoxes extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'MaxNumBoundingBoxes';
  readonly maxNumber: number;
  readonly fillValue: number;
  readonly boundingBoxFormat: string | null;

  constructor(options: MaxNumBoundingBoxesOptions) {
    const { boundingBoxFormat, ...rest } = (options ?? {}) as MaxNumBoundingBoxesOptions;
    super('MaxNumBoundingBoxes', rest, ['maxNumber', 'fillValue']);
    this.maxNumber = integerOption('maxNumber', rest.maxNumber, 1);
    this.fillValue = integerOption('fillValue', rest.fillValue ?? -1, Number.NEGATIVE_INFINITY);
    if (boundingBoxFormat != null && typeof boundingBoxFormat !== 'string') {
      throw invalidArgument('boundingBoxFormat', 'a string such as "xyxy", or null', boundingBoxFormat);
    }
    this.boundingBoxFormat = boundingBoxFormat ?? null;
  }

  protected override transformImages(images: tf.Tensor4D): tf.Tensor {
    return images;
  }

  /** The boxes and labels cut or padded (with `fillValue`) to `maxNumber` per image, in their dtypes. */
  transformBoundingBoxes(boxes: BoundingBoxes): { boxes: tf.Tensor; labels: tf.Tensor } {
    const b = boxes?.boxes;
    const l = boxes?.labels;
    if (!(b instanceof tf.Tensor) || b.rank !== 3 || b.shape[2] !== 4) {
      const received = b instanceof tf.Tensor ? `shape ${formatShape(b.shape)}` : formatValue(b);
      throw new ValueError(`MaxNumBoundingBoxes takes boxes of shape [batch, n, 4]. Received: boxes=${received}`, {
        argument: 'boxes',
        expected: 'a tensor of shape [batch, n, 4]',
        received,
      });
    }
    if (!(l instanceof tf.Tensor) || l.rank !== 2 || l.shape[0] !== b.shape[0] || l.shape[1] !== b.shape[1]) {
      const received = l instanceof tf.Tensor ? `shape ${formatShape(l.shape)}` : formatValue(l);
      throw new ValueError(
        `MaxNumBoundingBoxes takes labels of shape [${b.shape[0]}, ${b.shape[1]}], one per box. Received: labels=${received}`,
        { argument: 'labels', expected: `a tensor of shape [${b.shape[0]}, ${b.shape[1]}]`, received },
      );
    }
    return tf.tidy(() => {
      const keep = Math.min(b.shape[1] as number, this.maxNumber);
      const pad = this.maxNumber - keep;
      const cutBoxes = tf.slice(b, [0, 0, 0], [-1, keep, -1]);
      const cutLabels = tf.slice(l, [0, 0], [-1, keep]);
      return {
        boxes: tf.pad(
          cutBoxes,
          [
            [0, 0],
            [0, pad],
            [0, 0],
          ],
          this.fillValue,
        ),
        labels: tf.pad(
          cutLabels,
          [
            [0, 0],
            [0, pad],
          ],
          this.fillValue,
        ),
      };
    });
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig() };
    if (this.boundingBoxFormat != null) config.boundingBoxFormat = this.boundingBoxFormat;
    // Keras writes max_number only: fill_value is lost on a round trip there too.
    config.maxNumber = this.maxNumber;
    return config;
  }
}
