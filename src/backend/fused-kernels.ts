/**
 * Fused kernels for the `wasm` backend (src/backend/kernels/fused.wat),
 * registered with tfjs as kernels of their own so that tidy, dispose and
 * `tf.memory()` see their outputs like any other.
 *
 * Why: a penalty made of tfjs kernels passes over the weights once per
 * kernel (abs, square, sum, sign, scale, and their gradients); these make
 * one pass, with SIMD, directly on the backend's heap. Other backends keep
 * the tfjs formulas (`fusedKernelsActive()` is false there).
 */

import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { FUSED_KERNELS_SHARED_MEMORY_WASM_BASE64, FUSED_KERNELS_WASM_BASE64 } from './generated/fused-kernels-wasm.js';

/** Kernel names, prefixed so they cannot meet a tfjs kernel's name. */
export const L1L2_PENALTY = 'KerasRegularizersL1L2Penalty';
export const GRAM_ABS_SUM_SIGN = 'KerasRegularizersGramAbsSumSign';
export const SGD_L1L2 = 'KerasRegularizersSgdL1L2';
export const MAX_POOL_GRAD = 'KerasRegularizersMaxPoolGrad';
export const COLUMN_SUMS = 'KerasRegularizersColumnSums';
export const CONV_PATCHES_T = 'KerasRegularizersConvPatchesT';
export const RELU_GRAD = 'KerasRegularizersReluGrad';
export const FLIP_KERNEL = 'KerasRegularizersFlipKernel';
export const STRIDED_ROWS = 'KerasRegularizersStridedRows';
export const STRIDED_ROWS_GRAD = 'KerasRegularizersStridedRowsGrad';
export const ACTIVITY_GRAD = 'KerasRegularizersActivityGrad';
export const COLUMN_SUM_SQUARES = 'KerasRegularizersColumnSumSquares';
export const SCALE_COLUMNS = 'KerasRegularizersScaleColumns';

type KernelParams = Parameters<tf.KernelFunc>[0];

interface FusedExports {
  l1l2(x: number, base: number, grad: number, n: number, l1: number, l2: number): [number, number];
  columnSums(x: number, out: number, rows: number, cols: number): void;
  columnSumSquares(x: number, out: number, rows: number, cols: number): void;
  scaleColumns(x: number, f: number, out: number, rows: number, cols: number): void;
  maxPoolGrad(
    x: number,
    y: number,
    dy: number,
    dx: number,
    batch: number,
    inH: number,
    inW: number,
    channels: number,
    poolH: number,
    poolW: number,
    outH: number,
    outW: number,
  ): void;
  sgdL1L2(w: number, g: number, out: number, n: number, lr: number, l1: number, l2: number): [number, number];
  patchesT(x: number, out: number, ...sizes: number[]): void;
  reluGrad(x: number, dy: number, dx: number, n: number): void;
  flipKernel(k: number, out: number, taps: number, inC: number, outC: number): void;
  stridedRowsGrad(
    dy: number,
    out: number,
    outer: number,
    rows: number,
    rowFloats: number,
    first: number,
    step: number,
    count: number,
  ): void;
  transposeLast2(x: number, out: number, batch: number, rows: number, cols: number): void;
  activityGrad(y: number, dy: number, dz: number, n: number, a: number, b: number, relu: number): void;
  stridedRows(
    x: number,
    out: number,
    outer: number,
    rows: number,
    rowFloats: number,
    first: number,
    step: number,
    count: number,
  ): void;
  gramAbsSumSign(
    p: number,
    out: number,
    rows: number,
    cols: number,
    rowStart: number,
    colStart: number,
    lowerToo: number,
  ): number;
}

/** What the fused kernels need of the wasm backend, beyond its public type. */
interface WasmHeap {
  /** The single-threaded build exports its memory; the threaded one creates it in JS, shared. */
  wasm: { asm: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
}

const instances = new WeakMap<BackendWasm, FusedExports>();

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The module instantiated over `backend`'s memory, once per backend instance. */
function exportsFor(backend: BackendWasm): FusedExports {
  let instance = instances.get(backend);
  if (instance == null) {
    const { wasm } = backend as unknown as WasmHeap;
    const memory = wasm.wasmMemory ?? wasm.asm.memory;
    if (memory == null) throw new Error('The wasm backend exposes no memory for the fused kernels.');
    const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(
      decodeBase64(shared ? FUSED_KERNELS_SHARED_MEMORY_WASM_BASE64 : FUSED_KERNELS_WASM_BASE64),
    );
    instance = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as FusedExports;
    instances.set(backend, instance);
  }
  return instance;
}

function offsetOf(backend: BackendWasm, tensor: tf.TensorInfo): number {
  return backend.dataIdMap.get(tensor.dataId)?.memoryOffset as number;
}

/** Writes `value` into a new float32 scalar on `backend`. */
function scalarOutput(backend: BackendWasm, value: number): tf.TensorInfo {
  const output = backend.makeOutput([], 'float32');
  (backend.typedArrayFromHeap(output) as Float32Array)[0] = value;
  return output;
}

export interface L1L2PenaltyAttrs {
  l1: number;
  l2: number;
  /** Also write `l1 * sign(x) + 2 * l2 * x`, the gradient, as a second output (plus input `base` when given). */
  withGradient: boolean;
}

/**
 * Inputs `x` and, optionally, `base` (x's shape). Outputs: the penalty
 * `l1 * sum|x| + l2 * sum x²` (a zero factor skips its term), then, with
 * `withGradient`, `base + l1 * sign(x) + 2 * l2 * x`.
 */
function l1l2PenaltyKernel({ inputs, backend, attrs }: KernelParams): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const x = inputs.x as tf.TensorInfo;
  const base = inputs.base as tf.TensorInfo | undefined;
  const { l1, l2, withGradient } = attrs as unknown as L1L2PenaltyAttrs;
  // Outputs first: allocating may grow the heap, and offsets are read after.
  const gradient = withGradient ? wasm.makeOutput(x.shape, 'float32') : null;
  const size = tf.util.sizeFromShape(x.shape);
  const [absSum, squareSum] = exportsFor(wasm).l1l2(
    offsetOf(wasm, x),
    base == null || gradient == null ? 0 : offsetOf(wasm, base),
    gradient == null ? 0 : offsetOf(wasm, gradient),
    size,
    l1,
    l2,
  );
  const value = scalarOutput(wasm, combinePenalty(l1, absSum, l2, squareSum));
  return gradient == null ? [value] : [value, gradient];
}

/** Keras's `l1 * sum|x| + l2 * sum x²`, where a zero factor skips its term. */
function combinePenalty(l1: number, absSum: number, l2: number, squareSum: number): number {
  let penalty = 0;
  if (l1 !== 0) penalty += l1 * absSum;
  if (l2 !== 0) penalty += l2 * squareSum;
  return penalty;
}

export interface SgdL1L2Attrs {
  learningRate: number;
  l1: number;
  l2: number;
}

/**
 * Inputs `w` and its gradient `g`. Outputs: the penalty of `w` (as the L1L2
 * kernel's), then `w - learningRate * (g + l1 * sign(w) + 2 * l2 * w)`.
 */
function sgdL1L2Kernel({ inputs, backend, attrs }: KernelParams): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const w = inputs.w as tf.TensorInfo;
  const g = inputs.g as tf.TensorInfo;
  const { learningRate, l1, l2 } = attrs as unknown as SgdL1L2Attrs;
  const updated = wasm.makeOutput(w.shape, 'float32');
  const [absSum, squareSum] = exportsFor(wasm).sgdL1L2(
    offsetOf(wasm, w),
    offsetOf(wasm, g),
    offsetOf(wasm, updated),
    tf.util.sizeFromShape(w.shape),
    learningRate,
    l1,
    l2,
  );
  return [scalarOutput(wasm, combinePenalty(l1, absSum, l2, squareSum)), updated];
}

export interface GramAbsSumSignAttrs {
  /** The row and column of the whole matrix where this block starts. */
  rowStart: number;
  colStart: number;
  /** Take every entry off the diagonal; else only those above it. */
  lowerToo: boolean;
  /** Also write the taken entries' signs (0 elsewhere). */
  withSigns: boolean;
}

/** Outputs: sum of |p| over the entries taken (see the attrs), then their signs. */
function gramAbsSumSignKernel({ inputs, backend, attrs }: KernelParams): tf.TensorInfo[] {
  const wasm = backend as BackendWasm;
  const p = inputs.p as tf.TensorInfo;
  const { rowStart, colStart, lowerToo, withSigns } = attrs as unknown as GramAbsSumSignAttrs;
  const [rows, cols] = p.shape as [number, number];
  const signs = withSigns ? wasm.makeOutput(p.shape, 'float32') : null;
  const sum = exportsFor(wasm).gramAbsSumSign(
    offsetOf(wasm, p),
    signs == null ? 0 : offsetOf(wasm, signs),
    rows,
    cols,
    rowStart,
    colStart,
    lowerToo ? 1 : 0,
  );
  const value = scalarOutput(wasm, sum);
  return signs == null ? [value] : [value, signs];
}

export interface MaxPoolGradAttrs {
  poolHeight: number;
  poolWidth: number;
}

/**
 * Inputs `x` (NHWC), the pool's output `y` and its gradient `dy`, for a max
 * pool with strides equal to the pool, 'valid' padding and channels a
 * multiple of 4. Output: the gradient for `x`.
 */
function maxPoolGradKernel({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { x, y, dy } = inputs as Record<'x' | 'y' | 'dy', tf.TensorInfo>;
  const { poolHeight, poolWidth } = attrs as unknown as MaxPoolGradAttrs;
  const [batch, inH, inW, channels] = x.shape as [number, number, number, number];
  const [, outH, outW] = y.shape as [number, number, number, number];
  const dx = wasm.makeOutput(x.shape, 'float32');
  exportsFor(wasm).maxPoolGrad(
    offsetOf(wasm, x),
    offsetOf(wasm, y),
    offsetOf(wasm, dy),
    offsetOf(wasm, dx),
    batch,
    inH,
    inW,
    channels,
    poolHeight,
    poolWidth,
    outH,
    outW,
  );
  return dx;
}

/** Input `x` [..., cols], cols a multiple of 4. Output: its sums over every axis but the last, [cols]. */
function columnSumsKernel({ inputs, backend }: KernelParams): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const x = inputs.x as tf.TensorInfo;
  const cols = x.shape[x.shape.length - 1] as number;
  const out = wasm.makeOutput([cols], 'float32');
  exportsFor(wasm).columnSums(offsetOf(wasm, x), offsetOf(wasm, out), tf.util.sizeFromShape(x.shape) / cols, cols);
  return out;
}

/** Input `x` [..., cols], cols a multiple of 4. Output: the sums of its squares over every axis but the last, [cols]. */
function columnSumSquaresKernel({ inputs, backend }: KernelParams): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const x = inputs.x as tf.TensorInfo;
  const cols = x.shape[x.shape.length - 1] as number;
  const out = wasm.makeOutput([cols], 'float32');
  exportsFor(wasm).columnSumSquares(
    offsetOf(wasm, x),
    offsetOf(wasm, out),
    tf.util.sizeFromShape(x.shape) / cols,
    cols,
  );
  return out;
}

/** Inputs `x` [..., cols], cols a multiple of 4, and `f` [cols]. Output: `x * f`, each column scaled, x's shape. */
function scaleColumnsKernel({ inputs, backend }: KernelParams): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const x = inputs.x as tf.TensorInfo;
  const f = inputs.f as tf.TensorInfo;
  const cols = x.shape[x.shape.length - 1] as number;
  const out = wasm.makeOutput([...x.shape], 'float32');
  exportsFor(wasm).scaleColumns(
    offsetOf(wasm, x),
    offsetOf(wasm, f),
    offsetOf(wasm, out),
    tf.util.sizeFromShape(x.shape) / cols,
    cols,
  );
  return out;
}

export interface ConvPatchesTAttrs {
  /** The kernel's spatial size, [kD, kH, kW]; a 2D convolution has kD = 1. */
  kernelSize: [number, number, number];
  strides: [number, number, number];
  dilations: [number, number, number];
}

/**
 * Input `x` [batch, inD, inH, inW, channels] (a 2D convolution's input with
 * inD = 1), every window inside it. Output: the transposed patches
 * [kD * kH * kW * channels, batch * outD * outH * outW], row (kd, kh, kw, c)
 * holding the input value each output position sees through that tap.
 */
function convPatchesTKernel({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const x = inputs.x as tf.TensorInfo;
  const { kernelSize, strides, dilations } = attrs as unknown as ConvPatchesTAttrs;
  const [batch, ...rest] = x.shape as [number, number, number, number, number];
  const inSize = rest.slice(0, 3);
  const channels = rest[3] as number;
  const outSize = inSize.map(
    (n, i) =>
      Math.floor((n - ((kernelSize[i] as number) - 1) * (dilations[i] as number) - 1) / (strides[i] as number)) + 1,
  );
  const taps = kernelSize[0] * kernelSize[1] * kernelSize[2];
  const out = wasm.makeOutput([taps * channels, batch * tf.util.sizeFromShape(outSize)], 'float32');
  exportsFor(wasm).patchesT(
    offsetOf(wasm, x),
    offsetOf(wasm, out),
    batch,
    ...inSize,
    channels,
    ...kernelSize,
    ...outSize,
    ...strides,
    ...dilations,
  );
  return out;
}

/** Inputs `x` (relu's input) and `dy`, same shape. Output: relu's gradient for `x`. */
function reluGradKernel({ inputs, backend }: KernelParams): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as Record<'x' | 'dy', tf.TensorInfo>;
  const dx = wasm.makeOutput(x.shape, 'float32');
  exportsFor(wasm).reluGrad(offsetOf(wasm, x), offsetOf(wasm, dy), offsetOf(wasm, dx), tf.util.sizeFromShape(x.shape));
  return dx;
}

/**
 * Input `kernel` [...spatial, inC, outC]. Output: the kernel flipped in every
 * spatial axis with its channel axes swapped, [...spatial, outC, inC].
 */
function flipKernelKernel({ inputs, backend }: KernelParams): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const kernel = inputs.kernel as tf.TensorInfo;
  const spatial = kernel.shape.slice(0, -2);
  const [inC, outC] = kernel.shape.slice(-2) as [number, number];
  const out = wasm.makeOutput([...spatial, outC, inC], 'float32');
  exportsFor(wasm).flipKernel(offsetOf(wasm, kernel), offsetOf(wasm, out), tf.util.sizeFromShape(spatial), inC, outC);
  return out;
}

export interface StridedRowsAttrs {
  first: number;
  step: number;
  count: number;
}

/**
 * Input `x` [outer, rows, rowFloats], float32. Output [outer, count,
 * rowFloats]: rows first, first + step, ... of each outer block.
 */
function stridedRowsKernel({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const x = inputs.x as tf.TensorInfo;
  const [outer, rows, rowFloats] = x.shape as [number, number, number];
  const { first, step, count } = attrs as unknown as StridedRowsAttrs;
  const out = wasm.makeOutput([outer, count, rowFloats], 'float32');
  exportsFor(wasm).stridedRows(offsetOf(wasm, x), offsetOf(wasm, out), outer, rows, rowFloats, first, step, count);
  return out;
}

export interface StridedRowsGradAttrs extends StridedRowsAttrs {
  /** The rows of the sliced input. */
  rows: number;
}

/** Input `dy` [outer, count, rowFloats]. Output: stridedRows' gradient, [outer, rows, rowFloats], zeros elsewhere. */
function stridedRowsGradKernel({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const dy = inputs.dy as tf.TensorInfo;
  const [outer, , rowFloats] = dy.shape as [number, number, number];
  const { first, step, count, rows } = attrs as unknown as StridedRowsGradAttrs;
  const out = wasm.makeOutput([outer, rows, rowFloats], 'float32');
  exportsFor(wasm).stridedRowsGrad(offsetOf(wasm, dy), offsetOf(wasm, out), outer, rows, rowFloats, first, step, count);
  return out;
}

/** A float32 tensor's last two axes swapped, as a new tensor on `backend`: for a kernel that delegates here. */
export function transposeLastTwoAxes(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2] as number;
  const cols = x.shape[rank - 1] as number;
  const out = backend.makeOutput([...x.shape.slice(0, -2), cols, rows], 'float32');
  const batch = tf.util.sizeFromShape(x.shape.slice(0, -2));
  exportsFor(backend).transposeLast2(offsetOf(backend, x), offsetOf(backend, out), batch, rows, cols);
  return out;
}

/** `l1 * sum|x| + l2 * sum x²` of a float32 tensor on `backend`, as a new scalar: for kernels that add a penalty output. */
export function penaltyValue(backend: BackendWasm, x: tf.TensorInfo, l1: number, l2: number): tf.TensorInfo {
  const [absSum, squareSum] = exportsFor(backend).l1l2(
    offsetOf(backend, x),
    0,
    0,
    tf.util.sizeFromShape(x.shape),
    l1,
    l2,
  );
  return scalarOutput(backend, combinePenalty(l1, absSum, l2, squareSum));
}

export interface ActivityGradAttrs {
  l1: number;
  l2: number;
  relu: boolean;
}

/**
 * Inputs `y` (a layer's output), `dy` (its gradient) and `dp` (the gradient
 * of the activity penalty `l1 * sum|y| + l2 * sum y²` taken from it, a
 * scalar). Output: the gradient before the activation (linear or relu).
 */
function activityGradKernel({ inputs, backend, attrs }: KernelParams): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { y, dy, dp } = inputs as Record<'y' | 'dy' | 'dp', tf.TensorInfo>;
  const { l1, l2, relu } = attrs as unknown as ActivityGradAttrs;
  const scale = (wasm.typedArrayFromHeap(dp) as Float32Array)[0] as number;
  const dz = wasm.makeOutput(y.shape, 'float32');
  exportsFor(wasm).activityGrad(
    offsetOf(wasm, y),
    offsetOf(wasm, dy),
    offsetOf(wasm, dz),
    tf.util.sizeFromShape(y.shape),
    scale * l1,
    2 * scale * l2,
    relu ? 1 : 0,
  );
  return dz;
}

export function registerFusedKernels(): void {
  for (const [kernelName, kernelFunc] of [
    [L1L2_PENALTY, l1l2PenaltyKernel],
    [GRAM_ABS_SUM_SIGN, gramAbsSumSignKernel],
    [SGD_L1L2, sgdL1L2Kernel],
    [MAX_POOL_GRAD, maxPoolGradKernel],
    [COLUMN_SUMS, columnSumsKernel],
    [CONV_PATCHES_T, convPatchesTKernel],
    [RELU_GRAD, reluGradKernel],
    [FLIP_KERNEL, flipKernelKernel],
    [STRIDED_ROWS, stridedRowsKernel],
    [ACTIVITY_GRAD, activityGradKernel],
    [STRIDED_ROWS_GRAD, stridedRowsGradKernel],
    [COLUMN_SUM_SQUARES, columnSumSquaresKernel],
    [SCALE_COLUMNS, scaleColumnsKernel],
  ] as const) {
    if (tf.getKernel(kernelName, 'wasm') == null) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  if (tf.getGradient(STRIDED_ROWS) == null) {
    tf.registerGradient({
      kernelName: STRIDED_ROWS,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved as [tf.Tensor];
        const gradAttrs = { ...(attrs as unknown as StridedRowsAttrs), rows: x.shape[1] as number };
        return {
          x: () => tf.engine().runKernel(STRIDED_ROWS_GRAD, { dy: dy as tf.Tensor }, gradAttrs as never) as tf.Tensor,
        };
      },
    });
  }
}

/**
 * Whether the running backend has the fused kernels (`wasm` does) and, given
 * a tensor, whether they take it: they are written for float32.
 */
export function fusedKernelsActive(tensor?: { dtype: tf.DataType }): boolean {
  if (tensor != null && tensor.dtype !== 'float32') return false;
  return tf.getBackend() === 'wasm' && tf.getKernel(L1L2_PENALTY, 'wasm') != null;
}

/** Whether a gradient tape is recording: only then is a gradient worth writing in the forward pass. */
export function gradientTapeRecording(): boolean {
  return tf.engine().state.gradientDepth > 0;
}

/** The penalty of `x` and, with `withGradient`, `base + its gradient` (`base` optional): the L1L2 kernel. */
export function fusedL1L2(
  x: tf.Tensor,
  attrs: L1L2PenaltyAttrs,
  base?: tf.Tensor,
): [penalty: tf.Scalar, gradient: tf.Tensor | undefined] {
  const inputs: tf.NamedTensorMap = base == null ? { x } : { x, base };
  const [penalty, gradient] = tf.engine().runKernel(L1L2_PENALTY, inputs, attrs as never) as tf.Tensor[];
  return [penalty as tf.Scalar, gradient];
}

/** One SGD step of `w` with a closed-form penalty folded in: [penalty before the step, updated weights]. */
export function fusedSgdL1L2(
  w: tf.Tensor,
  g: tf.Tensor,
  attrs: SgdL1L2Attrs,
): [penalty: tf.Scalar, updated: tf.Tensor] {
  const [penalty, updated] = tf.engine().runKernel(SGD_L1L2, { w, g }, attrs as never) as tf.Tensor[];
  return [penalty as tf.Scalar, updated as tf.Tensor];
}

/** Sum of |p| over a Gram block's entries off (or above) the diagonal, and their signs when asked. */
export function fusedGramAbsSumSign(
  p: tf.Tensor,
  attrs: GramAbsSumSignAttrs,
): [sum: number, signs: tf.Tensor | undefined] {
  const [sum, signs] = tf.engine().runKernel(GRAM_ABS_SUM_SIGN, { p }, attrs as never) as tf.Tensor[];
  const value = (sum as tf.Tensor).dataSync()[0] as number;
  (sum as tf.Tensor).dispose();
  return [value, signs];
}
