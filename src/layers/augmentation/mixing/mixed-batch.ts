/**
 * What CutMix and MixUp share: a call on images with their labels (Keras's
 * `{"images": ..., "labels": ...}` input), in which the labels are mixed
 * with the weights the images were mixed with.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../../errors.js';
import { formatShape, formatValue } from '../../../utils/format.js';

/** Images with their labels (one row of labels per image, e.g. one-hot). */
export interface ImagesAndLabels {
  /** A batch of images, rank 4. */
  readonly images: tf.Tensor;
  /** The labels: `[batch, ...]`, e.g. one-hot `[batch, classes]`. */
  readonly labels: tf.Tensor;
}

/** One call's mixing: each image `i` is mixed with image `permutation[i]`, its own share being `weights[i]`. */
export interface Mixing {
  readonly permutation: number[];
  readonly weights: number[];
}

/** Checks a `{ images, labels }` input: rank-4 images and labels with as many rows. */
export function checkImagesAndLabels(className: string, data: unknown): ImagesAndLabels {
  const { images, labels } = (data ?? {}) as Partial<ImagesAndLabels>;
  if (!(images instanceof tf.Tensor) || images.rank !== 4) {
    throw new ValueError(
      `${className}.mixBatch takes a batch of images of rank 4. Received: images=${images instanceof tf.Tensor ? `shape ${formatShape(images.shape)}` : formatValue(images)}`,
      { argument: 'images', expected: 'a tensor of rank 4', received: formatValue(images) },
    );
  }
  if (!(labels instanceof tf.Tensor) || labels.rank < 1 || labels.shape[0] !== images.shape[0]) {
    const received = labels instanceof tf.Tensor ? `shape ${formatShape(labels.shape)}` : formatValue(labels);
    throw new ValueError(
      `${className}.mixBatch takes one row of labels per image (${images.shape[0]}). Received: labels=${received}`,
      { argument: 'labels', expected: `a tensor of shape [${images.shape[0]}, ...]`, received },
    );
  }
  return { images, labels };
}

/** `weights * labels + (1 - weights) * labels[permutation]`, in float32 (Keras's `transform_labels`). */
export function mixLabels(labels: tf.Tensor, mixing: Mixing): tf.Tensor {
  return tf.tidy(() => {
    const y = tf.cast(labels, 'float32');
    const w = tf.tensor(mixing.weights, [labels.shape[0] as number, ...labels.shape.slice(1).map(() => 1)], 'float32');
    const other = tf.gather(y, tf.tensor1d(mixing.permutation, 'int32'));
    return tf.add(tf.mul(w, y), tf.mul(tf.sub(1, w), other));
  });
}
