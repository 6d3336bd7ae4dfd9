/**
 * The rectangles of RandomErasing and CutMix: Keras's `_compute_crop_bounds`
 * (a box of `ratio * length` pixels starting at a uniform place) and
 * `_generate_batch_mask` (the pixels whose row and column lie in
 * `[start, end)`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ImageAxes } from '../base/image-preprocessing-layer.js';
import type { Draws } from './random.js';

/** One box per image, in pixels, half-open: `[x0, x1) x [y0, y1)`. */
export interface Box {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/**
 * A box of `widthRatio * width` by `heightRatio * height` pixels at a
 * uniform place (Keras draws the x start first, then the y start).
 */
export function drawBox(draws: Draws, width: number, height: number, widthRatio: number, heightRatio: number): Box {
  const w = Math.fround(widthRatio * width);
  const x0 = Math.fround(draws.uniform() * (width - w));
  const h = Math.fround(heightRatio * height);
  const y0 = Math.fround(draws.uniform() * (height - h));
  return { x0, x1: x0 + w, y0, y1: y0 + h };
}

/**
 * A bool mask of the boxes, `[batch, height, width, 1]` (channels last) or
 * `[batch, 1, height, width]`: true where a pixel's column and row lie in
 * its image's box. It broadcasts over the channels.
 */
export function boxMask(boxes: readonly Box[], height: number, width: number, axes: ImageAxes): tf.Tensor4D {
  const batch = boxes.length;
  const column = (values: number[]) => tf.tensor4d(values, [batch, 1, 1, 1], 'float32');
  const shape = (length: number, axis: number): [number, number, number, number] => {
    const s: [number, number, number, number] = [1, 1, 1, 1];
    s[axis] = length;
    return s;
  };
  const gx = tf.reshape(tf.range(0, width, 1, 'float32'), shape(width, axes.width));
  const gy = tf.reshape(tf.range(0, height, 1, 'float32'), shape(height, axes.height));
  const inX = tf.logicalAnd(
    tf.greaterEqual(gx, column(boxes.map((b) => b.x0))),
    tf.less(gx, column(boxes.map((b) => b.x1))),
  );
  const inY = tf.logicalAnd(
    tf.greaterEqual(gy, column(boxes.map((b) => b.y0))),
    tf.less(gy, column(boxes.map((b) => b.y1))),
  );
  return tf.logicalAnd(inX, inY) as tf.Tensor4D;
}
