/**
 * The gradients of the depthwise convolution kernel (depthwise-convolution.ts),
 * from forward kernels every backend has: wasm has neither
 * DepthwiseConv2dNativeBackpropInput nor ...BackpropFilter, and cpu's
 * BackpropFilter ignores dilations.
 */
import * as tf from '@tensorflow/tfjs-core';
import { COLUMN_SUMS, fusedKernelsActive, STRIDED_ROWS } from '../backend/fused-kernels.js';
import { type Correlate, spreadCorrelation } from './spread-correlation.js';

export type Pads = [[number, number], [number, number]];

/** A 2D depthwise convolution's window: strides, dilations, and the explicit padding of its input. */
export interface DepthwiseGeometry {
  strides: number[];
  dilations: number[];
  pads: Pads;
}

/** The full correlation of the spread output gradient with the flipped kernel, per (channel, multiplier), summed over the multiplier. */
export function depthwiseInputGradient(
  dy: tf.Tensor,
  kernel: tf.Tensor,
  inputShape: readonly number[],
  { strides, dilations, pads }: DepthwiseGeometry,
): tf.Tensor {
  const [batch, height, width, channels] = inputShape as [number, number, number, number];
  const [kh, kw, , multiplier] = kernel.shape as [number, number, number, number];
  const explicit = [0, 1].map((i): [number, number] => {
    const reach = ((kernel.shape[i] as number) - 1) * (dilations[i] as number) + 1;
    const before = reach - 1 - (pads[i] as [number, number])[0];
    const spreadSize = ((dy.shape[i + 1] as number) - 1) * (strides[i] as number) + 1;
    return [before, (inputShape[i + 1] as number) + reach - 1 - before - spreadSize];
  });
  const flipped = tf.reshape(tf.reverse(kernel, [0, 1]), [kh, kw, channels * multiplier, 1]);
  const full = spreadCorrelation(dy, flipped, strides, explicit, dilations, channels * multiplier, correlateDepthwise);
  if (multiplier === 1) return full;
  return tf.sum(tf.reshape(full, [batch, height, width, channels, multiplier]), 4);
}

/** A stride-1 depthwise correlation (multiplier 1) after explicit padding. */
const correlateDepthwise: Correlate = (x, kernel, pads, dilations) =>
  tf.depthwiseConv2d(
    x as tf.Tensor4D,
    kernel as tf.Tensor4D,
    1,
    [[0, 0], ...pads, [0, 0]] as Parameters<typeof tf.depthwiseConv2d>[3],
    'NHWC',
    dilations as [number, number],
  );

/**
 * The kernel's gradient: on wasm tap by tap (fused block copies and column
 * sums); elsewhere as one depthwise correlation with the roles swapped.
 */
export function depthwiseKernelGradient(
  x: tf.Tensor,
  dy: tf.Tensor,
  kernelShape: readonly number[],
  attrs: DepthwiseGeometry,
): tf.Tensor {
  if (fusedKernelsActive(x) && fusedKernelsActive(dy)) return kernelGradientByTaps(x, dy, kernelShape, attrs);
  return kernelGradientBySwappedRoles(x, dy, kernelShape, attrs);
}

/** For each tap: the input window it sees times the output gradient, summed over batch and positions. */
function kernelGradientByTaps(
  x: tf.Tensor,
  dy: tf.Tensor,
  kernelShape: readonly number[],
  { strides, dilations, pads }: DepthwiseGeometry,
): tf.Tensor {
  const [kh, kw, channels, multiplier] = kernelShape as [number, number, number, number];
  const [batch, outHeight, outWidth] = dy.shape as [number, number, number, number];
  const padded = pads.some(([a, b]) => a > 0 || b > 0) ? tf.pad(x, [[0, 0], ...pads, [0, 0]]) : x;
  const grad = multiplier === 1 ? dy : tf.reshape(dy, [batch, outHeight, outWidth, channels, multiplier]);
  const taps: tf.Tensor[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const first: [number, number] = [i * (dilations[0] as number), j * (dilations[1] as number)];
      const seen = window(padded, first, strides, [outHeight, outWidth]);
      const product = multiplier === 1 ? tf.mul(seen, grad) : tf.mul(tf.expandDims(seen, 4), grad);
      const rows = tf.reshape(product, [-1, channels * multiplier]);
      taps.push(
        (channels * multiplier) % 4 === 0
          ? (tf.engine().runKernel(COLUMN_SUMS, { x: rows }) as tf.Tensor)
          : tf.sum(rows, 0),
      );
    }
  }
  return tf.reshape(tf.stack(taps), [...kernelShape]);
}

/** `x[:, first[0] + o * strides[0], first[1] + q * strides[1], :]` for o, q below `count`, through wasm's block copies of rank-3 views. */
function window(x: tf.Tensor, first: [number, number], strides: number[], count: [number, number]): tf.Tensor {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const [rows, cols] = count;
  const [rowStep, colStep] = strides as [number, number];
  const byRow = tf
    .engine()
    .runKernel(
      STRIDED_ROWS,
      { x: tf.reshape(x, [batch, height, width * channels]) },
      { first: first[0], step: rowStep, count: rows },
    ) as tf.Tensor;
  const byCol = tf
    .engine()
    .runKernel(
      STRIDED_ROWS,
      { x: tf.reshape(byRow, [batch * rows, width, channels]) },
      { first: first[1], step: colStep, count: cols },
    ) as tf.Tensor;
  return tf.reshape(byCol, [batch, rows, cols, channels]);
}

/**
 * `dK[t, c, j] = sum_b sum_o x[b, o * s + t * d - pad, c] * dy[b, o, c * m + j]`
 * as one depthwise correlation whose input is x with (channel, batch) as its
 * channels and whose kernel is the output gradient: strides and dilations
 * swap, and a sum over the batch follows. (cpu's generic slices would make
 * the tap-by-tap form slow; its own BackpropFilter kernel ignores dilations.)
 */
function kernelGradientBySwappedRoles(
  x: tf.Tensor,
  dy: tf.Tensor,
  kernelShape: readonly number[],
  { strides, dilations, pads }: DepthwiseGeometry,
): tf.Tensor {
  const [kh, kw, channels, multiplier] = kernelShape as [number, number, number, number];
  const [batch, height, width] = x.shape as [number, number, number, number];
  const [, outHeight, outWidth] = dy.shape as [number, number, number, number];
  // Padding after so that the windows end exactly at the last tap: kh x kw outputs.
  const needed = [0, 1].map(
    (i) =>
      ((dy.shape[i + 1] as number) - 1) * (strides[i] as number) +
      ((kernelShape[i] as number) - 1) * (dilations[i] as number) +
      1,
  );
  const after = [0, 1].map(
    (i) => (needed[i] as number) - (x.shape[i + 1] as number) - (pads[i] as [number, number])[0],
  );
  const cropped = after.some((a) => a < 0)
    ? tf.slice(x, 0, [
        batch,
        height + Math.min(after[0] as number, 0),
        width + Math.min(after[1] as number, 0),
        channels,
      ])
    : x;
  const input = tf.reshape(tf.transpose(cropped, [1, 2, 3, 0]), [1, ...cropped.shape.slice(1, 3), channels * batch]);
  const kernel = tf.reshape(
    tf.transpose(tf.reshape(dy, [batch, outHeight, outWidth, channels, multiplier]), [1, 2, 3, 0, 4]),
    [outHeight, outWidth, channels * batch, multiplier],
  );
  const explicit = [0, 1].map((i): [number, number] => [
    (pads[i] as [number, number])[0],
    Math.max(after[i] as number, 0),
  ]);
  const out = tf.depthwiseConv2d(
    input as tf.Tensor4D,
    kernel as tf.Tensor4D,
    dilations as [number, number],
    [[0, 0], ...explicit, [0, 0]] as Parameters<typeof tf.depthwiseConv2d>[3],
    'NHWC',
    strides as [number, number],
  );
  return tf.sum(tf.reshape(out, [kh, kw, channels, batch, multiplier]), 3);
}
