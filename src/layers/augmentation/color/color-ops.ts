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

/** float32's machine epsilon (`jnp.finfo(float32).eps`), under which Keras's `rgb_to_hsv` reads a value as 0. */
const FLOAT32_EPS = 1.1920928955078125e-7;

/** The three channel planes of a rank-4 batch, each keeping its channel axis (size 1). */
function planes(images: tf.Tensor4D, channelAxis: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.split(images, 3, channelAxis) as [tf.Tensor, tf.Tensor, tf.Tensor];
}

/**
 * Keras's `ops.image.rgb_to_hsv` (dm_pix's formulas): hue, saturation and
 * value in [0, 1] for RGB values in [0, 1], in the same layout.
 */
export function rgbToHsv(images: tf.Tensor4D, channelAxis: number): tf.Tensor4D {
  const cleaned = tf.where(tf.less(tf.abs(images), FLOAT32_EPS), tf.zerosLike(images), images) as tf.Tensor4D;
  const [r, g, b] = planes(cleaned, channelAxis);
  const value = tf.maximum(tf.maximum(r, g), b);
  const minimum = tf.minimum(tf.minimum(r, g), b);
  const range = tf.sub(value, minimum);
  const ones = tf.onesLike(value);
  const zeros = tf.zerosLike(value);
  const safeValue = tf.where(tf.greater(value, 0), value, ones);
  const safeRange = tf.where(tf.greater(range, 0), range, ones);
  const saturation = tf.where(tf.greater(value, 0), tf.div(range, safeValue), zeros);
  const norm = tf.div(1, tf.mul(6, safeRange));
  let hue = tf.where(
    tf.equal(value, g),
    tf.add(tf.mul(norm, tf.sub(b, r)), 2 / 6),
    tf.add(tf.mul(norm, tf.sub(r, g)), 4 / 6),
  );
  hue = tf.where(tf.equal(value, r), tf.mul(norm, tf.sub(g, b)), hue);
  hue = tf.add(tf.where(tf.greater(range, 0), hue, zeros), tf.cast(tf.less(hue, 0), 'float32'));
  return tf.concat([hue, saturation, value], channelAxis) as tf.Tensor4D;
}

/** Keras's `ops.image.hsv_to_rgb` (dm_pix's formulas): the inverse of `rgbToHsv`. */
export function hsvToRgb(images: tf.Tensor4D, channelAxis: number): tf.Tensor4D {
  const [hue, saturation, value] = planes(images, channelAxis);
  const dh = tf.mul(tf.mod(hue, 1), 6);
  const dr = tf.clipByValue(tf.sub(tf.abs(tf.sub(dh, 3)), 1), 0, 1);
  const dg = tf.clipByValue(tf.sub(2, tf.abs(tf.sub(dh, 2))), 0, 1);
  const db = tf.clipByValue(tf.sub(2, tf.abs(tf.sub(dh, 4))), 0, 1);
  const oneMinusS = tf.sub(1, saturation);
  const channel = (d: tf.Tensor) => tf.mul(value, tf.add(oneMinusS, tf.mul(saturation, d)));
  return tf.concat([channel(dr), channel(dg), channel(db)], channelAxis) as tf.Tensor4D;
}

/** One channel plane of a rank-4 batch replaced by `plane` (shaped with the channel axis of size 1). */
export function replaceChannel(images: tf.Tensor4D, channelAxis: number, index: number, plane: tf.Tensor): tf.Tensor4D {
  const parts = planes(images, channelAxis);
  parts[index] = plane;
  return tf.concat(parts, channelAxis) as tf.Tensor4D;
}

/** Plane `index` of a rank-4 batch (the channel axis kept, size 1). */
export function channelPlane(images: tf.Tensor4D, channelAxis: number, index: number): tf.Tensor {
  return planes(images, channelAxis)[index] as tf.Tensor;
}
