/**
 * The base of the image augmentation layers, Keras's
 * `BaseImagePreprocessingLayer`: one image (rank 3) or a batch (rank 4) in
 * either data format, float32 out, randomness only in training calls, one
 * seeded sequence of random draws per layer, and `data_format` in the config.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../../errors.js';
import { formatShape, formatValue } from '../../../utils/format.js';
import { Layer } from '../../layer.js';
import {
  type CallOptions,
  type LayerInputs,
  type LayerOptions,
  layerOptionsOf,
  type Shape,
} from '../../layer-types.js';
import { type DataFormat, dataFormatOption } from '../../preprocessing/arguments.js';
import { checkSeed, NoiseSeeds } from '../../regularization/noise-arguments.js';

/** The options every image augmentation layer takes (Keras's base keywords, camelCased). */
export interface ImagePreprocessingOptions extends LayerOptions {
  /** `"channelsLast"` (default, images `[batch, height, width, channels]`) or `"channelsFirst"`; Keras's spelling is accepted too. */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first' | null;
  /** Keras's `bounding_box_format`: bounding boxes are not supported here, so only null. */
  boundingBoxFormat?: null;
}

/** The axes of a rank-4 batch of images in a data format. */
export interface ImageAxes {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Height, width and channel axes of a `[batch, ...]` tensor in `dataFormat`. */
export function imageAxes(dataFormat: DataFormat): ImageAxes {
  return dataFormat === 'channelsLast' ? { height: 1, width: 2, channels: 3 } : { height: 2, width: 3, channels: 1 };
}

/**
 * Keras's `_transform_value_range`: maps values linearly from `from` to `to`
 * (`(x - from[0]) / (from[1] - from[0]) * (to[1] - to[0]) + to[0]`), the
 * identity when the ranges are equal.
 */
export function transformValueRange(images: tf.Tensor, from: readonly number[], to: readonly number[]): tf.Tensor {
  const [a, b] = from as [number, number];
  const [c, d] = to as [number, number];
  if (a === c && b === d) return images;
  const unit = tf.div(tf.sub(images, a), b - a);
  return tf.add(tf.mul(unit, d - c), c);
}

/** `values` (one per image) shaped to broadcast against a rank-4 batch: `[batch, 1, 1, 1]`. */
export function perImage(values: tf.Tensor): tf.Tensor4D {
  return tf.reshape(values, [values.shape[0] as number, 1, 1, 1]);
}

/**
 * The shared base of the image augmentation layers (Keras's
 * `BaseImagePreprocessingLayer`). A subclass implements `transformImages`
 * on a float32 rank-4 batch; the base takes one image or a batch, checks
 * the rank, casts to float32, and draws the layer's seeds.
 *
 * Unlike a direct Keras call, whose `training` defaults to true, a call
 * here is a training call only when `training` is true (given, or inherited
 * from `fit`): otherwise each layer does what Keras does at inference.
 *
 * @example new layers.RandomContrast({ factor: 0.2 }) instanceof layers.Layer // every augmentation layer is one
 */
export abstract class BaseImagePreprocessingLayer extends Layer {
  readonly dataFormat: DataFormat;
  /** The layer's `seed` (null: each call's seed comes from the library's generator). */
  readonly seed: number | null;
  readonly #seeds: NoiseSeeds;
  readonly #className: string;

  /**
   * `ownNames` are the subclass's own option names (with `"seed"` when it
   * takes one); the base adds `dataFormat` and `boundingBoxFormat`.
   */
  protected constructor(className: string, options: unknown, ownNames: readonly string[]) {
    super(layerOptionsOf(className, options, ['dataFormat', 'boundingBoxFormat', ...ownNames]));
    const read = options as ImagePreprocessingOptions & { seed?: unknown };
    this.dataFormat = dataFormatOption(className, read.dataFormat);
    if (read.boundingBoxFormat != null) {
      throw new ValueError(
        `${className} does not support bounding boxes here: only image tensors are augmented, so boundingBoxFormat must be null. Received: boundingBoxFormat=${formatValue(read.boundingBoxFormat)}`,
        { argument: 'boundingBoxFormat', expected: 'null', received: formatValue(read.boundingBoxFormat) },
      );
    }
    this.seed = checkSeed(read.seed);
    this.#seeds = new NoiseSeeds(this.seed);
    this.#className = className;
  }

  /** The seed of the layer's next random op (Keras's `SeedGenerator` draws). */
  protected nextSeed(): number {
    return this.#seeds.next();
  }

  /** `[batch]` uniform draws in `[min, max)` with the layer's next seed. */
  protected uniform(batch: number, min: number, max: number): tf.Tensor1D {
    return tf.randomUniform([batch], min, max, 'float32', this.nextSeed());
  }

  /** The axes of a rank-4 batch in this layer's data format. */
  protected get axes(): ImageAxes {
    return imageAxes(this.dataFormat);
  }

  /**
   * The augmentation (training) or Keras's inference behaviour, on a float32
   * `[batch, ...]` batch; called inside a `tf.tidy`.
   */
  protected abstract transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor;

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): tf.Tensor {
    const x = imageInput(this.#className, inputs);
    const training = options.training === true;
    return tf.tidy(() => {
      const images = tf.cast(x.rank === 3 ? tf.expandDims(x, 0) : x, 'float32') as tf.Tensor4D;
      const output = this.transformImages(images, training);
      return x.rank === 3 ? tf.squeeze(output, [0]) : output;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

/** The one image tensor of a call: rank 3 or 4; dicts (Keras's images/bounding_boxes/labels inputs) are refused. */
function imageInput(className: string, inputs: LayerInputs): tf.Tensor {
  const x = Array.isArray(inputs) && inputs.length === 1 ? inputs[0] : inputs;
  if (!(x instanceof tf.Tensor)) {
    throw new ValueError(
      `${className} takes one image tensor: dict inputs ({images, labels, bounding_boxes, segmentation_masks}) are not supported here. Received: inputs=${formatValue(x)}`,
      { argument: 'inputs', expected: 'one tensor of rank 3 or 4', received: formatValue(x) },
    );
  }
  if (x.rank !== 3 && x.rank !== 4) {
    throw new ValueError(
      `Expected image tensor to have rank 3 (single image) or 4 (batch of images). Received: data.shape=${formatShape(x.shape)}`,
      { argument: 'inputs', expected: 'a tensor of rank 3 or 4', received: `shape ${formatShape(x.shape)}` },
    );
  }
  return x;
}
