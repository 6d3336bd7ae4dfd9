/**
 * Channels-last depthwise convolution (1 or 2 spatial axes) whose gradients
 * are built from forward kernels every backend has.
 *
 * Why: `wasm` has the depthwise forward kernels (DepthwiseConv2dNative,
 * FusedDepthwiseConv2D) but neither gradient kernel, so training a depthwise
 * layer throws there; and tfjs refuses strides and dilations above 1
 * together, which Keras accepts. So the convolution is a kernel of its own:
 * - forward: the backend's depthwise kernel with explicit padding, bias and
 *   relu fused in (and on wasm the activity penalty, see epilogue.ts);
 * - input gradient: the output gradient, spread by the strides, correlated
 *   depthwise with the flipped kernel (one channel per (channel, multiplier)
 *   pair; phase by phase, see spread-correlation.ts), then summed over the
 *   multiplier;
 * - kernel gradient: on wasm, for each tap of the kernel, the input window
 *   that tap sees times the output gradient, summed over batch and
 *   positions; elsewhere one depthwise correlation with input and output
 *   gradient in swapped roles (depthwise-gradients.ts).
 * Each gradient is computed only when the tape asks for it. Strides and
 * dilations both above 1 run at stride 1, then keep every stride-th output.
 */

import * as tf from '@tensorflow/tfjs-core';
import { samePadding } from './convolution.js';
import {
  type DepthwiseGeometry,
  depthwiseInputGradient,
  depthwiseKernelGradient,
  type Pads,
} from './depthwise-gradients.js';
import {
  type Epilogue,
  type EpilogueAttrs,
  epilogueAttrs,
  epilogueOutputs,
  type OutputWithPenalty,
  registerEpilogueGradient,
  reluInKernel,
  tidyWithPenalty,
  withPenalty,
} from './epilogue.js';

/**
 * `y[b, ...o, c * m + j] = sum_t x[b, ...o * strides + t * dilations, c] * kernel[...t, c, j]`
 * for x `[batch, ...spatial, channels]` and kernel `[...kernelSize, channels, m]`,
 * TensorFlow's padding rules, then `relu?(y + bias?)`. Internal (the depthwise
 * and separable layers call it): `depthwiseConvolution(x, kernel, [1, 1], 'same', [1, 1])`
 * gives `[b, h, w, c * m]`.
 */
export function depthwiseConvolution(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: readonly number[],
  padding: 'valid' | 'same',
  dilations: readonly number[],
  epilogue: Epilogue = {},
): OutputWithPenalty {
  return tidyWithPenalty(() => {
    if (kernel.rank === 3) {
      // 1D runs as 2D over a height of 1.
      const out = depthwiseConvolution(
        tf.expandDims(x, 1),
        tf.expandDims(kernel, 0),
        [1, strides[0] as number],
        padding,
        [1, dilations[0] as number],
        epilogue,
      );
      return { y: tf.squeeze(out.y, [1]), activityPenalty: out.activityPenalty };
    }
    const [, height, width] = x.shape as [number, number, number, number];
    const [kh, kw] = kernel.shape as [number, number, number, number];
    const pads: Pads =
      padding === 'same'
        ? [
            samePadding(height, kh, strides[0] as number, dilations[0] as number),
            samePadding(width, kw, strides[1] as number, dilations[1] as number),
          ]
        : [
            [0, 0],
            [0, 0],
          ];
    if (strides.some((s) => s > 1) && dilations.some((d) => d > 1)) {
      // tfjs's kernels refuse both; Keras (JAX, TensorFlow) computes it.
      const { bias = null, relu = false } = epilogue;
      const full = runDepthwise(x, kernel, [1, 1], pads, [...dilations], {}).y;
      const kept = everyNth(everyNth(full, 1, strides[0] as number), 2, strides[1] as number);
      const biased = bias == null ? kept : tf.add(kept, bias);
      return { y: relu ? tf.relu(biased) : biased, activityPenalty: null };
    }
    return runDepthwise(x, kernel, [...strides], pads, [...dilations], epilogue);
  });
}

/** Positions 0, step, 2 * step, ... of `axis`, differentiable everywhere (pad, reshape, slice). */
function everyNth(t: tf.Tensor, axis: number, step: number): tf.Tensor {
  if (step === 1) return t;
  const length = t.shape[axis] as number;
  const count = Math.ceil(length / step);
  const pads = t.shape.map((): [number, number] => [0, 0]);
  pads[axis] = [0, count * step - length];
  const grouped = tf.reshape(tf.pad(t, pads), [...t.shape.slice(0, axis), count, step, ...t.shape.slice(axis + 1)]);
  const begin = grouped.shape.map(() => 0);
  const size = grouped.shape.map((d, i) => (i === axis + 1 ? 1 : d));
  return tf.reshape(
    tf.slice(grouped, begin, size),
    t.shape.map((d, i) => (i === axis ? count : d)),
  );
}

const DEPTHWISE_2D = 'KerasRegularizersDepthwiseConvolution2D';

interface Depthwise2DAttrs extends EpilogueAttrs, DepthwiseGeometry {}

function runDepthwise(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: number[],
  pads: Pads,
  dilations: number[],
  epilogue: Epilogue,
): OutputWithPenalty {
  const { bias = null } = epilogue;
  registerDepthwiseKernel(tf.getBackend());
  const inputs: tf.NamedTensorMap = bias == null ? { x, filter: kernel } : { x, filter: kernel, bias };
  const attrs: Depthwise2DAttrs = { strides, dilations, pads, ...epilogueAttrs(epilogue, x, kernel) };
  return withPenalty(tf.engine().runKernel(DEPTHWISE_2D, inputs, attrs as unknown as tf.NamedAttrMap), attrs);
}

/** Registers the kernel for `backendName`, delegating to its DepthwiseConv2dNative and FusedDepthwiseConv2D. */
function registerDepthwiseKernel(backendName: string): void {
  if (tf.getKernel(DEPTHWISE_2D, backendName) != null) return;
  const plain = tf.getKernel('DepthwiseConv2dNative', backendName);
  const fused = tf.getKernel('FusedDepthwiseConv2D', backendName);
  if (plain == null) throw new Error(`The ${backendName} backend has no DepthwiseConv2dNative kernel.`);
  tf.registerKernel({
    kernelName: DEPTHWISE_2D,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const depthwiseAttrs = attrs as unknown as Depthwise2DAttrs;
      const { strides, dilations, pads, activation } = depthwiseAttrs;
      const common = { strides, pad: [[0, 0], ...pads, [0, 0]], dataFormat: 'NHWC', dilations, dimRoundingMode: null };
      let linear: tf.TensorInfo;
      if (inputs.bias == null || fused == null) {
        linear = plain.kernelFunc({ inputs, backend, attrs: common as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
        if (inputs.bias != null) {
          // A backend without the fused kernel: the bias through its own Add.
          const add = tf.getKernel('Add', backendName) as tf.KernelConfig;
          const sum = add.kernelFunc({ inputs: { a: linear, b: inputs.bias }, backend, attrs: {} }) as tf.TensorInfo;
          (backend as tf.KernelBackend).disposeData(linear.dataId);
          linear = sum;
        }
      } else {
        // Linear here, relu after: the backend's fused relu may turn NaN into 0 (see reluInKernel).
        const fusedAttrs = { ...common, activation: 'linear', leakyreluAlpha: 0 };
        linear = fused.kernelFunc({
          inputs,
          backend,
          attrs: fusedAttrs as unknown as tf.NamedAttrMap,
        }) as tf.TensorInfo;
      }
      const y = activation === 'relu' ? reluInKernel(backend, linear) : linear;
      return epilogueOutputs(backend, y, depthwiseAttrs);
    },
  });
  registerEpilogueGradient<Depthwise2DAttrs>(DEPTHWISE_2D, 'filter', (grad, x, filter, attrs) => ({
    x: () => depthwiseInputGradient(grad, filter, x.shape, attrs),
    weight: () => depthwiseKernelGradient(x, grad, filter.shape, attrs),
  }));
}
