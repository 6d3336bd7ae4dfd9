/**
 * Max and average pooling over 1, 2 or 3 spatial axes of channels-last
 * input, on tfjs's 2D pooling kernels only.
 *
 * Why not tfjs's own ops everywhere:
 * - `wasm`'s MaxPool3D starts each window from the smallest positive float,
 *   so a window of negative values gives 1.2e-38 instead of its maximum;
 *   3D pooling therefore runs as a 2D pool over (rows, cols) and then one
 *   over depth. Max and mean are separable: the maximum (mean) over a box is
 *   the maximum (mean) over depth of the maxima (means) over its planes,
 *   and 'same' padding is per axis, so the results are the same numbers.
 * - tfjs's AvgPool gradient divides every window by its full area, also
 *   where 'same' padding leaves fewer inputs in it (Keras divides by the
 *   inputs present): 'same' average pooling is computed as a 'valid' pool of
 *   the zero-padded input, scaled by area / count, whose gradient is right.
 * 1D pooling is 2D pooling over a height of 1.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface PoolSpec {
  mode: 'max' | 'average';
  poolSize: readonly number[];
  strides: readonly number[];
  padding: 'valid' | 'same';
}

/** Pools channels-last `x` of rank `poolSize.length + 2`. */
export function pool(x: tf.Tensor, spec: PoolSpec): tf.Tensor {
  const { poolSize, strides } = spec;
  if (poolSize.length === 1) {
    const [batch, steps, channels] = x.shape as [number, number, number];
    const y = pool2d(
      tf.reshape(x, [batch, 1, steps, channels]),
      [1, poolSize[0] as number],
      [1, strides[0] as number],
      spec,
    );
    return tf.reshape(y, [batch, y.shape[2], channels]);
  }
  if (poolSize.length === 2) {
    return pool2d(x as tf.Tensor4D, poolSize as [number, number], strides as [number, number], spec);
  }
  const [batch, depth, rows, cols, channels] = x.shape as [number, number, number, number, number];
  // Planes first: (batch * depth) images of (rows, cols).
  const planes = pool2d(
    tf.reshape(x, [batch * depth, rows, cols, channels]),
    [poolSize[1] as number, poolSize[2] as number],
    [strides[1] as number, strides[2] as number],
    spec,
  );
  const [, outRows, outCols] = planes.shape;
  // Then depth: each (row, col, channel) a channel of a (depth x 1) image.
  const volume = pool2d(
    tf.reshape(planes, [batch, depth, 1, outRows * outCols * channels]),
    [poolSize[0] as number, 1],
    [strides[0] as number, 1],
    spec,
  );
  return tf.reshape(volume, [batch, volume.shape[1], outRows, outCols, channels]);
}

function pool2d(x: tf.Tensor4D, poolSize: [number, number], strides: [number, number], spec: PoolSpec): tf.Tensor4D {
  if (spec.mode === 'max') return tf.maxPool(x, poolSize, strides, spec.padding);
  if (spec.padding === 'valid') return tf.avgPool(x, poolSize, strides, 'valid');
  const rowPad = samePadding(x.shape[1], poolSize[0], strides[0]);
  const colPad = samePadding(x.shape[2], poolSize[1], strides[1]);
  if (rowPad.total === 0 && colPad.total === 0) return tf.avgPool(x, poolSize, strides, 'valid');
  const padded = tf.pad(x, [[0, 0], rowPad.pair, colPad.pair, [0, 0]]);
  const mean = tf.avgPool(padded, poolSize, strides, 'valid');
  // area / (inputs present) per output position: the outer product of the per-axis counts.
  const area = poolSize[0] * poolSize[1];
  const scale = new Float32Array(rowPad.counts.length * colPad.counts.length);
  rowPad.counts.forEach((r, i) => {
    colPad.counts.forEach((c, j) => {
      scale[i * colPad.counts.length + j] = area / (r * c);
    });
  });
  return tf.mul(mean, tf.tensor4d(scale, [1, rowPad.counts.length, colPad.counts.length, 1]));
}

/**
 * TensorFlow's (and Keras's) 'same' padding of one axis: `total` positions,
 * the smaller half before, and how many real inputs each window covers.
 */
function samePadding(
  size: number,
  window: number,
  stride: number,
): { total: number; pair: [number, number]; counts: number[] } {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + window - size, 0);
  const before = Math.floor(total / 2);
  const counts = Array.from({ length: out }, (_, o) => {
    const start = o * stride - before;
    return Math.min(start + window, size) - Math.max(start, 0);
  });
  return { total, pair: [before, total - before], counts };
}
