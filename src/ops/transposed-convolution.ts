/**
 * Channels-last transposed convolution (1, 2 or 3 spatial axes) with
 * Keras's output-size rule, built from forward convolutions.
 *
 * A transposed convolution is the adjoint of the convolution F that maps its
 * output back to its input: F has the same kernel (Keras stores it as
 * `(...k, filters, in)`, which is F's `(...k, inChannels, outChannels)`), the
 * same strides and dilations, and pads its input by P = reach - 1 - left
 * before. So:
 * - forward: the input spread by the strides, padded by Keras's (left,
 *   right), correlated at stride 1 with the flipped kernel (what `jax.lax.
 *   conv_transpose` does), phase by phase (see spread-correlation.ts);
 * - input gradient: F of the output gradient, a strided forward convolution;
 * - kernel gradient: F's kernel gradient, with the output gradient as F's
 *   input and the input as F's output gradient.
 * Why not tfjs's conv2dTranspose: `wasm` has no Conv2DBackpropFilter (its
 * kernel gradient), its Conv2DBackpropInput is slow, and there is no 1D or
 * `wasm` 3D transposed convolution to train.
 */

import * as tf from '@tensorflow/tfjs-core';
import { FLIP_KERNEL, fusedKernelsActive } from '../backend/fused-kernels.js';
import { convolution, kernelGradient } from './convolution.js';
import { type Correlate, spreadCorrelation } from './spread-correlation.js';

export interface TransposeGeometry {
  /** Padding of the spread input before the stride-1 convolution, per spatial axis (Keras's JAX rule). */
  pads: [number, number][];
  /** Output size per spatial axis. */
  outputSize: number[];
}

/**
 * Keras's rule, per axis, with reach `r = (k - 1) * dilation + 1`:
 * `valid`: `(n - 1) * s + r + outputPadding`, outputPadding defaulting to `max(r, s) - r`;
 * `same`: `n * s`, or `(n - 1) * s + r % 2 + outputPadding` when outputPadding is given.
 */
export function transposeGeometry(
  inputSize: readonly number[],
  kernelSize: readonly number[],
  strides: readonly number[],
  padding: 'valid' | 'same',
  outputPadding: readonly number[] | null,
  dilations: readonly number[],
): TransposeGeometry {
  const pads = inputSize.map((_, i): [number, number] => {
    const s = strides[i] as number;
    const reach = ((kernelSize[i] as number) - 1) * (dilations[i] as number) + 1;
    const extra = outputPadding?.[i];
    if (padding === 'valid') return [reach - 1, reach - 1 + (extra ?? Math.max(reach, s) - reach)];
    const total = extra == null ? s + reach - 2 : reach + (reach % 2) - 2 + extra;
    const before = Math.min(Math.floor(total / 2) + (total % 2), reach - 1);
    return [before, total - before];
  });
  const outputSize = inputSize.map((n, i) => {
    const reach = ((kernelSize[i] as number) - 1) * (dilations[i] as number) + 1;
    const [before, after] = pads[i] as [number, number];
    return (n - 1) * (strides[i] as number) + 1 + before + after - reach + 1;
  });
  return { pads, outputSize };
}

/**
 * The transposed convolution of x `[batch, ...n, in]` with kernel
 * `[...k, filters, in]`: output `[batch, ...outputSize, filters]`. Internal (the
 * transposed convolution layers call it): `convolutionTranspose(x, kernel, [2, 2], 'same', null, [1, 1])`
 * doubles height and width.
 */
export function convolutionTranspose(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: readonly number[],
  padding: 'valid' | 'same',
  outputPadding: readonly number[] | null,
  dilations: readonly number[],
): tf.Tensor {
  return tf.tidy(() => {
    if (kernel.rank === 3) {
      // 1D runs as 2D over a height of 1.
      const y = convolutionTranspose(
        tf.expandDims(x, 1),
        tf.expandDims(kernel, 0),
        [1, strides[0] as number],
        padding,
        outputPadding == null ? null : [0, outputPadding[0] as number],
        [1, dilations[0] as number],
      );
      return tf.squeeze(y, [1]);
    }
    const rank = kernel.rank - 2;
    const kernelSize = kernel.shape.slice(0, rank);
    const { pads } = transposeGeometry(
      x.shape.slice(1, 1 + rank),
      kernelSize,
      strides,
      padding,
      outputPadding,
      dilations,
    );
    const s = [...strides];
    const d = [...dilations];
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, weights, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      save([input, weights]);
      return {
        value: forward(input, weights, s, pads, d),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [savedInput, savedWeights] = saved as [tf.Tensor, tf.Tensor];
          // F's input: the output gradient, padded (or cut) to exactly what F's windows over the input read.
          const fInput = adjointInput(dy, savedInput.shape, kernelSize, s, pads, d);
          return [
            convolution(fInput, savedWeights, s, 'valid', d),
            kernelGradient(fInput, savedInput, savedWeights.shape, s, d),
          ];
        },
      };
    }) as (input: tf.Tensor, weights: tf.Tensor) => tf.Tensor;
    return op(x, kernel);
  });
}

/** The spread, padded input correlated at stride 1 with the flipped kernel `[...k, in, filters]`. */
function forward(x: tf.Tensor, kernel: tf.Tensor, strides: number[], pads: [number, number][], dilations: number[]) {
  const rank = kernel.rank - 2;
  const axes = Array.from({ length: rank }, (_, i) => i);
  const flipped = fusedKernelsActive(kernel)
    ? (tf.engine().runKernel(FLIP_KERNEL, { kernel }) as tf.Tensor)
    : tf.transpose(tf.reverse(kernel, axes), [...axes, rank + 1, rank]);
  return spreadCorrelation(x, flipped, strides, pads, dilations, kernel.shape[rank] as number, correlate);
}

/** A stride-1 correlation after explicit padding: 2D with the padding given to the convolution itself (no padded copy). */
const correlate: Correlate = (x, kernel, pads, dilations) => {
  if (kernel.rank === 4) {
    const explicit = [[0, 0], ...pads, [0, 0]] as Parameters<typeof tf.conv2d>[3];
    return tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, explicit, 'NHWC', dilations as [number, number]);
  }
  const padded = pads.some(([a, b]) => a > 0 || b > 0) ? tf.pad(x, [[0, 0], ...pads, [0, 0]]) : x;
  return convolution(
    padded,
    kernel,
    dilations.map(() => 1),
    'valid',
    dilations,
  );
};

/**
 * The output gradient as the input of F: padded before by `reach - 1 - left`
 * and after (or cut) to `(n - 1) * s + reach` positions, so that F's windows
 * land exactly on the n input positions.
 */
function adjointInput(
  dy: tf.Tensor,
  inputShape: readonly number[],
  kernelSize: readonly number[],
  strides: number[],
  pads: [number, number][],
  dilations: number[],
): tf.Tensor {
  const rank = kernelSize.length;
  const before: number[] = [];
  const after: number[] = [];
  for (let i = 0; i < rank; i++) {
    const reach = ((kernelSize[i] as number) - 1) * (dilations[i] as number) + 1;
    const head = reach - 1 - (pads[i] as [number, number])[0];
    before.push(head);
    after.push(
      ((inputShape[i + 1] as number) - 1) * (strides[i] as number) + reach - head - (dy.shape[i + 1] as number),
    );
  }
  let out = dy;
  if (after.some((a) => a < 0)) {
    // Trailing output positions no window of F reads: they came from padding alone.
    out = tf.slice(out, 0, [
      out.shape[0] as number,
      ...after.map((a, i) => (dy.shape[i + 1] as number) + Math.min(a, 0)),
      out.shape[rank + 1] as number,
    ]);
  }
  const padding = [[0, 0], ...before.map((b, i): [number, number] => [b, Math.max(after[i] as number, 0)]), [0, 0]];
  return padding.some(([a, b]) => (a as number) > 0 || (b as number) > 0)
    ? tf.pad(out, padding as [number, number][])
    : out;
}
