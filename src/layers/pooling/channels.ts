/**
 * Moves the channels axis of a `(batch, channels, ...spatial)` tensor last
 * and back: tfjs's pooling and resizing kernels take channels-last input
 * only, so channels-first layers run them between two transposes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataFormat } from '../arguments.js';
import type { Shape } from '../layer-types.js';

/** `(batch, channels, ...spatial)` → `(batch, ...spatial, channels)`; channels-last input as is. */
export function toChannelsLast(x: tf.Tensor, dataFormat: DataFormat): tf.Tensor {
  if (dataFormat === 'channelsLast') return x;
  return tf.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
}

/** `(batch, ...spatial, channels)` → `(batch, channels, ...spatial)`; channels-last output as is. */
export function fromChannelsLast(y: tf.Tensor, dataFormat: DataFormat): tf.Tensor {
  if (dataFormat === 'channelsLast') return y;
  return tf.transpose(y, [0, y.rank - 1, ...Array.from({ length: y.rank - 2 }, (_, i) => i + 1)]);
}

/** The spatial axes of a rank-`rank` layout: `1..rank` channels last, `2..rank+1` channels first. */
export function spatialAxesOf(rank: number, dataFormat: DataFormat): number[] {
  const first = dataFormat === 'channelsLast' ? 1 : 2;
  return Array.from({ length: rank }, (_, i) => first + i);
}

/**
 * The output shape of a pooling: `shape`'s batch and channels around the
 * new `spatial` sizes, in `dataFormat`'s order.
 */
export function withSpatial(shape: Shape, spatial: (number | null)[], dataFormat: DataFormat): Shape {
  const batch = shape[0] ?? null;
  return dataFormat === 'channelsLast'
    ? [batch, ...spatial, shape[shape.length - 1] ?? null]
    : [batch, shape[1] ?? null, ...spatial];
}
