/**
 * Channels-last convolution (1, 2 or 3 spatial axes) whose gradients are
 * built from kernels every backend does well.
 *
 * Why: the `wasm` backend has no `Conv2DBackpropFilter` kernel (training any
 * Conv1D/Conv2D throws there), its `Conv3DBackpropInputV2` returns wrong
 * numbers without an error, and its `Conv2DBackpropInput` is slow. Forward
 * convolutions and matmuls it does well:
 * - input gradient: the output gradient, dilated by the strides and padded
 *   by the kernel's reach, convolved with the flipped kernel;
 * - kernel gradient: on wasm, the input's patches (transposed, written by a
 *   fused kernel) times the output gradient; elsewhere the input convolved
 *   with the output gradient, batch and channels swapped, strides and
 *   dilations swapped.
 * 2D convolutions are a kernel of their own (bias and relu fused in, each
 * input's gradient computed only when asked); 3D convolutions run as 2D
 * convolutions per depth tap, as wasm's Conv3D is slow.
 */

import * as tf from '@tensorflow/tfjs-core';
import {
  CONV_PATCHES_T,
  type ConvPatchesTAttrs,
  FLIP_KERNEL,
  fusedKernelsActive,
  STRIDED_ROWS,
} from '../backend/fused-kernels.js';
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

export type ConvPadding = 'valid' | 'same';

/** What follows the convolution in a layer (see epilogue.ts). */
export type ConvEpilogue = Epilogue;
export type ConvOutput = OutputWithPenalty;

/** `tf.conv{1,2,3}d` with TensorFlow's padding rules and gradients that every backend computes right. */
export function convolution(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: readonly number[],
  padding: ConvPadding,
  dilations: readonly number[],
  epilogue: ConvEpilogue = {},
): tf.Tensor {
  return tf.tidy(() => convolutionWithActivity(x, kernel, strides, padding, dilations, epilogue).y);
}

/** `convolution`, with the activity penalty of `epilogue.activity` when the backend computed it with the result. */
export function convolutionWithActivity(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: readonly number[],
  padding: ConvPadding,
  dilations: readonly number[],
  epilogue: ConvEpilogue,
): ConvOutput {
  return tidyWithPenalty(() => convolve(x, kernel, strides, padding, dilations, epilogue));
}

function convolve(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: readonly number[],
  padding: ConvPadding,
  dilations: readonly number[],
  epilogue: ConvEpilogue,
): ConvOutput {
  if (kernel.rank === 3) {
    // 1D runs as 2D over a height of 1.
    const { y, activityPenalty } = convolve(
      tf.expandDims(x, 1),
      tf.expandDims(kernel, 0),
      [1, strides[0] as number],
      padding,
      [1, dilations[0] as number],
      epilogue,
    );
    return { y: tf.squeeze(y, [1]), activityPenalty };
  }
  const spatialRank = kernel.rank - 2;
  const inputSize = x.shape.slice(1, 1 + spatialRank);
  const kernelSize = kernel.shape.slice(0, spatialRank);
  const pads =
    padding === 'same'
      ? inputSize.map((n, i) => samePadding(n, kernelSize[i] as number, strides[i] as number, dilations[i] as number))
      : inputSize.map((): [number, number] => [0, 0]);
  const padded = pads.some(([a, b]) => a > 0 || b > 0) ? padSpatial(x, pads) : x;
  return validConvolution(padded, kernel, [...strides], [...dilations], epilogue);
}

/**
 * Zero padding of the spatial axes of channels-last `x`. A rank-5 (3D) input
 * is padded as two rank-4 pads (depth, then height and width):
 * tfjs-backend-webgl cannot compile its PadV2 shader for rank 5.
 */
function padSpatial(x: tf.Tensor, pads: [number, number][]): tf.Tensor {
  if (x.rank !== 5) return tf.pad(x, [[0, 0], ...pads, [0, 0]]);
  const [b, d, h, w, c] = x.shape as [number, number, number, number, number];
  const [depth, height, width] = pads as [[number, number], [number, number], [number, number]];
  const byDepth = tf.pad(tf.reshape(x, [b, d, h * w, c]), [[0, 0], depth, [0, 0], [0, 0]]);
  const d2 = d + depth[0] + depth[1];
  const planes = tf.pad(tf.reshape(byDepth, [b * d2, h, w, c]), [[0, 0], height, width, [0, 0]]);
  const [h2, w2] = [h + height[0] + height[1], w + width[0] + width[1]];
  return tf.reshape(planes, [b, d2, h2, w2, c]);
}

/** TensorFlow's "SAME": the output has ceil(n / stride) positions, the extra padding going after. */
export function samePadding(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const reach = (kernel - 1) * dilation + 1;
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + reach - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The forward kernel, without padding: `Conv2D` or `Conv3D`. */
function forward(x: tf.Tensor, kernel: tf.Tensor, strides: number[], dilations: number[]): tf.Tensor {
  if (kernel.rank === 4) {
    return tf.conv2d(
      x as tf.Tensor4D,
      kernel as tf.Tensor4D,
      strides as [number, number],
      'valid',
      'NHWC',
      dilations as [number, number],
    );
  }
  return conv3dByDepthTaps(x, kernel, strides, dilations, plainConv2d);
}

type Conv2dFunction = (x: tf.Tensor, kernel: tf.Tensor, strides: number[], dilations: number[]) => tf.Tensor;

const plainConv2d: Conv2dFunction = (x, kernel, strides, dilations) =>
  tf.conv2d(
    x as tf.Tensor4D,
    kernel as tf.Tensor4D,
    strides as [number, number],
    'valid',
    'NHWC',
    dilations as [number, number],
  );

/** The 2D convolution kernel below: its gradient computes only what the tape asks for. */
const lazyConv2d: Conv2dFunction = (x, kernel, strides, dilations) =>
  runConvolution2D(x, kernel, strides, dilations, {}).y;

/**
 * A valid 3D convolution as one 2D convolution per depth tap, summed: tap t
 * sees the depth positions od * stride + t * dilation, folded into the batch.
 * `wasm`'s own Conv3D is scalar code (0.3 GFLOP/s here); its Conv2D runs
 * through XNNPACK.
 */
function conv3dByDepthTaps(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: number[],
  dilations: number[],
  conv2d: Conv2dFunction,
): tf.Tensor {
  const [batch, depth, height, width, channels] = x.shape as [number, number, number, number, number];
  const [taps, , , , filters] = kernel.shape as [number, number, number, number, number];
  const [depthStride, ...planeStrides] = strides as [number, number, number];
  const [depthDilation, ...planeDilations] = dilations as [number, number, number];
  const outDepth = Math.floor((depth - ((taps - 1) * depthDilation + 1)) / depthStride) + 1;
  const rowFloats = height * width * channels;
  // Through a rank-3 view: wasm slices rank-5 tensors with slow generic code.
  const flat = tf.reshape(x, [batch, depth, rowFloats]);
  const kernelRows = tf.reshape(kernel, [1, taps, -1]);
  let sum: tf.Tensor | null = null;
  for (let t = 0; t < taps; t++) {
    const planes = everyNthRow(flat, t * depthDilation, depthStride, outDepth);
    const tapKernel = tf.reshape(everyNthRow(kernelRows, t, 1, 1), kernel.shape.slice(1));
    const out = conv2d(
      tf.reshape(planes, [batch * outDepth, height, width, channels]),
      tapKernel,
      planeStrides,
      planeDilations,
    );
    sum = sum == null ? out : tf.add(sum, out);
  }
  const result = sum as tf.Tensor;
  return tf.reshape(result, [batch, outDepth, result.shape[1] as number, result.shape[2] as number, filters]);
}

/** `x[:, first + i * step, :]` for i < count, of a rank-3 `x`, differentiable: a fused block copy on wasm. */
function everyNthRow(x: tf.Tensor, first: number, step: number, count: number): tf.Tensor {
  if (fusedKernelsActive(x)) {
    return tf.engine().runKernel(STRIDED_ROWS, { x }, { first, step, count }) as tf.Tensor;
  }
  const [outer, , rowFloats] = x.shape as [number, number, number];
  if (step === 1) return tf.slice(x, [0, first, 0], [outer, count, rowFloats]);
  // A gather, not a strided slice: tfjs has no gradient for StridedSlice.
  const rows = tf.tensor1d(
    Array.from({ length: count }, (_, i) => first + i * step),
    'int32',
  );
  return tf.gather(x, rows, 1);
}

function validConvolution(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: number[],
  dilations: number[],
  { bias = null, relu = false, activity = null }: ConvEpilogue,
): ConvOutput {
  const fused = bias != null || relu;
  if (kernel.rank === 4 && convolution2DKernelReady(tf.getBackend(), fused)) {
    // The penalty comes out of the kernel as a second output on wasm, its gradient folded into the kernel's.
    return runConvolution2D(x, kernel, strides, dilations, { bias, relu, activity });
  }
  // Differentiated through its parts where the 2D kernel exists, each 2D
  // convolution's gradient computing only what is asked.
  const y =
    kernel.rank === 5 && convolution2DKernelReady(tf.getBackend(), false)
      ? conv3dByDepthTaps(x, kernel, strides, dilations, lazyConv2d)
      : unfusedConvolution(x, kernel, strides, dilations);
  const biased = bias == null ? y : tf.add(y, bias);
  return { y: relu ? tf.relu(biased) : biased, activityPenalty: null };
}

/** The 2D convolution kernel below, once `convolution2DKernelReady` said it exists. */
function runConvolution2D(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: number[],
  dilations: number[],
  epilogue: ConvEpilogue,
): ConvOutput {
  const { bias = null } = epilogue;
  const inputs: tf.NamedTensorMap = bias == null ? { x, filter: kernel } : { x, filter: kernel, bias };
  const attrs: Convolution2DAttrs = { strides, dilations, ...epilogueAttrs(epilogue, x, kernel) };
  return withPenalty(tf.engine().runKernel(CONVOLUTION_2D, inputs, attrs as unknown as tf.NamedAttrMap), attrs);
}

function unfusedConvolution(x: tf.Tensor, kernel: tf.Tensor, strides: number[], dilations: number[]): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, weights, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([input, weights]);
    return {
      value: forward(input, weights, strides, dilations),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedInput, savedWeights] = saved as [tf.Tensor, tf.Tensor];
        return [
          inputGradient(dy, savedWeights, savedInput.shape, strides, dilations),
          kernelGradient(savedInput, dy, savedWeights.shape, strides, dilations),
        ];
      },
    };
  }) as (input: tf.Tensor, weights: tf.Tensor) => tf.Tensor;
  return op(x, kernel);
}

/**
 * A 'valid' 2D convolution as a kernel of its own, with the layer's bias
 * and relu fused in: the backend's Conv2D (or FusedConv2D) forward, and a
 * gradient that computes only what the tape asks for. `customGrad`
 * computes every input's gradient, so a first layer would pay for an input
 * gradient nobody reads; a separate bias add and relu cost two more passes.
 */
const CONVOLUTION_2D = 'KerasRegularizersConvolution2D';

interface Convolution2DAttrs extends EpilogueAttrs {
  strides: number[];
  dilations: number[];
}

/**
 * Registers the kernel for `backendName`, delegating to its Conv2D and
 * FusedConv2D; false when it lacks the one a `fused` call needs.
 */
function convolution2DKernelReady(backendName: string, fused: boolean): boolean {
  const conv2d = tf.getKernel('Conv2D', backendName);
  const fusedConv2d = tf.getKernel('FusedConv2D', backendName);
  if (conv2d == null || (fused && fusedConv2d == null)) return false;
  if (tf.getKernel(CONVOLUTION_2D, backendName) != null) return true;
  tf.registerKernel({
    kernelName: CONVOLUTION_2D,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const convAttrs = attrs as unknown as Convolution2DAttrs;
      const { strides, dilations, activation } = convAttrs;
      const common = { strides, pad: 'valid', dataFormat: 'NHWC', dilations, dimRoundingMode: null };
      // Linear here, relu after: the backend's fused relu may turn NaN into 0 (see reluInKernel).
      const fusedAttrs = { ...common, activation: 'linear', leakyreluAlpha: 0 };
      const linear = (
        inputs.bias == null
          ? conv2d.kernelFunc({ inputs, backend, attrs: common as unknown as tf.NamedAttrMap })
          : // Checked above: a fused call reaches here only where FusedConv2D exists.
            (fusedConv2d as tf.KernelConfig).kernelFunc({
              inputs,
              backend,
              attrs: fusedAttrs as unknown as tf.NamedAttrMap,
            })
      ) as tf.TensorInfo;
      const y = activation === 'relu' ? reluInKernel(backend, linear) : linear;
      return epilogueOutputs(backend, y, convAttrs);
    },
  });
  registerEpilogueGradient<Convolution2DAttrs>(CONVOLUTION_2D, 'filter', (grad, x, filter, { strides, dilations }) => ({
    x: () => inputGradient(grad, filter, x.shape, strides, dilations),
    weight: () => kernelGradient(x, grad, filter.shape, strides, dilations),
  }));
  return true;
}

/** Inserts `stride - 1` zeros between the elements of `t` along `axis`. */
function dilate(t: tf.Tensor, axis: number, stride: number): tf.Tensor {
  if (stride === 1) return t;
  const length = t.shape[axis] as number;
  const withAxis = (size: number) => t.shape.map((d, i) => (i === axis ? size : d));
  // [..., n, ...] -> [..., n, 1, ...] -> zeros after each element -> [..., n * stride, ...]
  const pads = [...t.shape.map((): [number, number] => [0, 0]), [0, 0] as [number, number]];
  pads[axis + 1] = [0, stride - 1];
  const spread = tf.pad(tf.expandDims(t, axis + 1), pads);
  const flat = tf.reshape(spread, withAxis(length * stride));
  return tf.slice(flat, 0, withAxis((length - 1) * stride + 1));
}

function inputGradient(
  dy: tf.Tensor,
  kernel: tf.Tensor,
  inputShape: readonly number[],
  strides: number[],
  dilations: number[],
): tf.Tensor {
  const spatialRank = kernel.rank - 2;
  const axes = Array.from({ length: spatialRank }, (_, i) => i);
  let spread = dy;
  for (const i of axes) spread = dilate(spread, i + 1, strides[i] as number);
  const pads = axes.map((i): [number, number] => {
    const reach = ((kernel.shape[i] as number) - 1) * (dilations[i] as number);
    // Trailing inputs no window reached get a zero gradient.
    const uncovered = (inputShape[i + 1] as number) - ((spread.shape[i + 1] as number) + reach);
    return [reach, reach + uncovered];
  });
  const flipped = fusedKernelsActive(kernel)
    ? (tf.engine().runKernel(FLIP_KERNEL, { kernel }) as tf.Tensor)
    : tf.transpose(tf.reverse(kernel, axes), [...axes, spatialRank + 1, spatialRank]);
  const ones = axes.map(() => 1);
  if (spatialRank === 2) {
    // Padding given to the convolution itself: no padded copy of dy.
    const explicit = [[0, 0], ...pads, [0, 0]] as Parameters<typeof tf.conv2d>[3];
    return tf.conv2d(spread as tf.Tensor4D, flipped as tf.Tensor4D, 1, explicit, 'NHWC', dilations as [number, number]);
  }
  return forward(tf.pad(spread, [[0, 0], ...pads, [0, 0]]), flipped, ones, dilations);
}

/** The kernel gradient of a valid convolution of `x` whose output gradient is `dy`; every backend (also the transposed convolutions). */
export function kernelGradient(
  x: tf.Tensor,
  dy: tf.Tensor,
  kernelShape: readonly number[],
  strides: number[],
  dilations: number[],
): tf.Tensor {
  const spatialRank = kernelShape.length - 2;
  if (fusedKernelsActive(x) && fusedKernelsActive(dy))
    return kernelGradientByPatches(x, dy, kernelShape, strides, dilations);
  const axes = Array.from({ length: spatialRank }, (_, i) => i + 1);
  // Input channels become the batch, the batch becomes the channels.
  const inputs = tf.transpose(x, [spatialRank + 1, ...axes, 0]);
  const outputGrads = tf.transpose(dy, [...axes, 0, spatialRank + 1]);
  const full = forward(inputs, outputGrads, dilations, strides);
  const exact = tf.slice(full, 0, [
    full.shape[0] as number,
    ...kernelShape.slice(0, spatialRank),
    full.shape[spatialRank + 1] as number,
  ]);
  return tf.transpose(exact, [...axes, 0, spatialRank + 1]);
}

/**
 * The kernel gradient as one matmul on `wasm`: the input's patches,
 * transposed (a fused kernel writes them), times the output gradient.
 * Faster there than the convolution above, whose 24 x 24 "kernel" made of
 * the output gradient XNNPACK must repack at every step, and which needs
 * two transposes.
 */
function kernelGradientByPatches(
  x: tf.Tensor,
  dy: tf.Tensor,
  kernelShape: readonly number[],
  strides: number[],
  dilations: number[],
): tf.Tensor {
  const spatialRank = kernelShape.length - 2;
  // 2D as 3D with one depth position.
  const depthOne = (values: readonly number[]) =>
    (spatialRank === 2 ? [1, ...values.slice(0, 2)] : values.slice(0, 3)) as [number, number, number];
  const input = spatialRank === 2 ? tf.expandDims(x, 1) : x;
  const attrs: ConvPatchesTAttrs = {
    kernelSize: depthOne(kernelShape),
    strides: depthOne(strides),
    dilations: depthOne(dilations),
  };
  const patchesT = tf
    .engine()
    .runKernel(CONV_PATCHES_T, { x: input }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const filters = kernelShape[kernelShape.length - 1] as number;
  const grad = tf.matMul(patchesT, tf.reshape(dy, [-1, filters]));
  return tf.reshape(grad, [...kernelShape]);
}
