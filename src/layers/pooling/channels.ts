/**
 * Moves the channels axis of a `(batch, channels, ...spatial)` tensor last
 * and back: tfjs's pooling and resizing kernels take channels-last input
 * only, so channels-first layers run them between two transposes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataFormat } from '../arguments.js';

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
