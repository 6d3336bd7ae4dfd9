/** Colour-space helpers of the color augmentation layers, as Keras's `ops.image` computes them. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../../errors.js';
import { formatShape } from '../../../utils/format.js';

/** Keras's (and TensorFlow's) luma weights of `rgb_to_grayscale`. */
const RGB_WEIGHTS = [0.2989, 0.587, 0.114] as const;

/**
 * Keras's `ops.image.rgb_to_grayscale` on a rank-4 batch: the weighted sum of
 * the three channels, kept as one channel; a one-channel batch is returned as
 * is, and any other channel count is refused as Keras refuses it.
 */
export function rgbToGrayscale(images: tf.Tensor4D, channelAxis: number): tf.Tensor4D {
  const channels = images.shape[channelAxis];
  if (channels === 1) return images;
  if (channels !== 3) {
    throw new ValueError(
      `Invalid channel size: expected 3 (RGB) or 1 (Grayscale). Received input with shape: images.shape=${formatShape(images.shape)}`,
      { argument: 'inputs', expected: '3 or 1 channels', received: `shape ${formatShape(images.shape)}` },
    );
  }
  const shape = [1, 1, 1, 1];
  shape[channelAxis] = 3;
  const weights = tf.tensor(RGB_WEIGHTS as unknown as number[], shape, 'float32');
  return tf.sum(tf.mul(images, weights), channelAxis, true);
}

/** Refuses a batch whose channel axis is not 3 (RGB), naming the layer. */
export function checkRgb(className: string, images: tf.Tensor4D, channelAxis: number): void {
  if (images.shape[channelAxis] !== 3) {
    throw new ValueError(
      `${className} expects RGB images (3 channels). Received: images.shape=${formatShape(images.shape)}`,
      { argument: 'inputs', expected: '3 channels', received: `shape ${formatShape(images.shape)}` },
    );
  }
}
