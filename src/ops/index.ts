/**
 * The `ops` namespace, Keras's `keras.ops`: Keras-named ops over tfjs
 * tensors, what the Keras page's examples use and enough to write custom
 * regularizers the Keras way (`ops.sum(ops.square(x))`).
 * Each op is a thin call into tfjs-core except where tfjs's behaviour differs
 * from Keras (the gradient of `absolute` at 0, `sum` over a list of losses).
 * Arrays and numbers are converted to float32 tensors inside a `tidy`, so
 * only the result is left for the caller to dispose.
 *
 * @packageDocumentation
 * @example const penalty = ops.multiply(0.01, ops.sum(ops.square(weights)));
 */
import * as tf from '@tensorflow/tfjs-core';
import { EPSILON } from '../backend/config.js';
import { ValueError } from '../errors.js';
import type { KerasTensor } from '../layers/symbolic/keras-tensor.js';
import { formatValue } from '../utils/format.js';
import { sign } from './sign.js';
import { hasSymbolic, recordOp } from './symbolic/hook.js';

/** tfjs-core's `Tensor`, the type every op returns; the caller disposes it. */
export type Tensor = tf.Tensor;
/** tfjs-core's rank-0 `Tensor`, what losses and penalties return. */
export type Scalar = tf.Scalar;
/** What the ops take: a tensor, or numbers and nested arrays (converted to float32, as Keras does to Python floats). */
export type TensorLike = tf.Tensor | tf.TensorLike;
/** tfjs-core's dtypes: `"float32"`, `"int32"`, `"bool"`, `"complex64"`, `"string"`. */
export type DataType = tf.DataType;
/** What the ops take in a graph too: a tensor, numbers, or a symbolic tensor (`layers.Input()` and what layers make of it). */
export type OpArg = TensorLike | KerasTensor;
/** An op's result: a symbolic tensor (a recorded graph node) when any argument is symbolic, else a tensor (an `any` argument counts as a tensor). */
export type OpResult<T> = 0 extends 1 & T ? Tensor : [Extract<T, KerasTensor>] extends [never] ? Tensor : KerasTensor;

/** `x` as a tensor; a tensor of the requested dtype is returned as is. */
export function convertToTensor(x: TensorLike, dtype?: DataType): Tensor {
  if (x instanceof tf.Tensor) return dtype == null || x.dtype === dtype ? x : tf.cast(x, dtype);
  return tf.tensor(x as tf.TensorLike, undefined, dtype ?? inferDtype(x));
}

function inferDtype(x: unknown): DataType | undefined {
  // Keras converts Python floats and ints in float contexts to floatx.
  if (typeof x === 'number' || (Array.isArray(x) && typeof x.flat(Infinity)[0] === 'number')) return 'float32';
  return undefined;
}

/** A float32 tensor of ones: `ones([5, 5])`. */
export function ones(shape: number[], dtype: DataType = 'float32'): Tensor {
  return tf.ones(shape, dtype);
}

/** A float32 tensor of zeros. */
export function zeros(shape: number[], dtype: DataType = 'float32'): Tensor {
  return tf.zeros(shape, dtype);
}

/** The identity matrix with `n` rows and `m` (default `n`) columns. */
export function eye(n: number, m?: number, dtype: DataType = 'float32'): Tensor {
  return tf.eye(n, m, undefined, dtype as 'float32');
}

/**
 * Keras's `keras.ops.reshape`: the same elements in `shape`; one entry may be
 * -1, inferred from the size.
 *
 * @example ops.reshape([1, 2, 3, 4, 5, 6], [2, -1]) // [[1, 2, 3], [4, 5, 6]]
 */
export function reshape<X extends OpArg>(x: X, shape: number[]): OpResult<X> {
  if (hasSymbolic(x)) return recordOp('Reshape', [x], { newshape: [...shape] }) as OpResult<X>;
  return <OpResult<X>>tf.tidy(() => tf.reshape(convertToTensor(x as TensorLike), shape));
}

/** Permutes axes; reverses them when `axes` is omitted. */
export function transpose<X extends OpArg>(x: X, axes?: number[]): OpResult<X> {
  if (hasSymbolic(x)) return recordOp('Transpose', [x], { axes: axes == null ? null : [...axes] }) as OpResult<X>;
  return <OpResult<X>>tf.tidy(() => tf.transpose(convertToTensor(x as TensorLike), axes));
}

/**
 * Matrix product with NumPy's rules for rank-1 operands. No transpose flags
 * are passed to the kernel: `wasm` leaves its fast path when they are set.
 */
export function matmul<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  if (hasSymbolic(a, b)) return recordOp('Matmul', [a, b]) as OpResult<A | B>;
  return <OpResult<A | B>>tf.tidy(() => {
    const x = convertToTensor(a as TensorLike);
    const y = convertToTensor(b as TensorLike);
    if (x.rank === 1 && y.rank === 1) return tf.sum(tf.mul(x, y));
    if (x.rank === 1) return tf.squeeze(tf.matMul(tf.expandDims(x, 0), y), [-2]);
    if (y.rank === 1) return tf.squeeze(tf.matMul(x, tf.expandDims(y, 1)), [-1]);
    return tf.matMul(x, y);
  });
}

/**
 * Keras's `keras.ops.add`: `a + b`, elementwise with broadcasting.
 *
 * @example ops.add([1, 2], 10) // [11, 12]
 */
export function add<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  if (hasSymbolic(a, b)) return recordOp('Add', [a, b]) as OpResult<A | B>;
  return <OpResult<A | B>>tf.tidy(() => tf.add(convertToTensor(a as TensorLike), convertToTensor(b as TensorLike)));
}

/**
 * Keras's `keras.ops.subtract`: `a - b`, elementwise with broadcasting.
 *
 * @example ops.subtract([3, 4], 1) // [2, 3]
 */
export function subtract<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  if (hasSymbolic(a, b)) return recordOp('Subtract', [a, b]) as OpResult<A | B>;
  return <OpResult<A | B>>tf.tidy(() => tf.sub(convertToTensor(a as TensorLike), convertToTensor(b as TensorLike)));
}

/**
 * Keras's `keras.ops.multiply`: `a * b`, elementwise with broadcasting.
 *
 * @example ops.multiply(0.01, ops.sum(ops.square(x))) // an L2 penalty
 */
export function multiply<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  if (hasSymbolic(a, b)) return recordOp('Multiply', [a, b]) as OpResult<A | B>;
  return <OpResult<A | B>>tf.tidy(() => tf.mul(convertToTensor(a as TensorLike), convertToTensor(b as TensorLike)));
}

/**
 * Keras's `keras.ops.divide`: `a / b`, elementwise with broadcasting (`x / 0`
 * is Infinity or NaN; see `divideNoNan`).
 *
 * @example ops.divide([1, 2], 4) // [0.25, 0.5]
 */
export function divide<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  if (hasSymbolic(a, b)) return recordOp('TrueDivide', [a, b]) as OpResult<A | B>;
  return <OpResult<A | B>>tf.tidy(() => tf.div(convertToTensor(a as TensorLike), convertToTensor(b as TensorLike)));
}

/**
 * `a / b`, and 0 where `b` is 0 (never NaN or Infinity), with TensorFlow's
 * gradient: 0 where `b` is 0 (tfjs's own gives NaN there).
 */
export function divideNoNan(a: TensorLike, b: TensorLike): Tensor {
  return tf.tidy(() => divideNoNanWithGradient(convertToTensor(a), convertToTensor(b)));
}

const divideNoNanWithGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.divNoNan(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [x, y] = saved as [tf.Tensor, tf.Tensor];
      return [
        sumToShape(tf.divNoNan(dy, y), x.shape),
        sumToShape(tf.mul(dy, tf.divNoNan(tf.divNoNan(tf.neg(x), y), y)), y.shape),
      ];
    },
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** Sums a broadcast gradient back to the shape of the input it flows to. */
function sumToShape(grad: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, grad.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(grad, axes) : grad, shape);
}

/**
 * Sum of the elements of `x` over `axis` (all axes by default). Given an
 * array of tensors or numbers, such as `layer.losses`, it sums the sum of
 * each one, the way Keras adds losses: `ops.sum(layer.losses)`.
 */
export function sum<X extends OpArg | readonly (Tensor | number)[]>(
  x: X,
  axis?: number | number[],
  keepdims = false,
): OpResult<X> {
  if (hasSymbolic(x)) return recordOp('Sum', [x], { axis: axis ?? null, keepdims }) as OpResult<X>;
  return <OpResult<X>>sumOf(x as TensorLike | readonly (Tensor | number)[], axis, keepdims);
}

function sumOf(x: TensorLike | readonly (Tensor | number)[], axis?: number | number[], keepdims = false): Tensor {
  if (Array.isArray(x) && x.some((item) => item instanceof tf.Tensor)) {
    return tf.tidy(() => {
      const parts = (x as unknown as readonly (Tensor | number)[]).map((item) =>
        item instanceof tf.Tensor ? tf.sum(tf.cast(item, 'float32')) : tf.scalar(item, 'float32'),
      );
      return parts.length === 1 ? (parts[0] as Tensor) : tf.addN(parts);
    });
  }
  if (Array.isArray(x) && x.length === 0) return tf.scalar(0);
  return tf.tidy(() => tf.sum(convertToTensor(x as TensorLike), axis, keepdims));
}

/**
 * Keras's `keras.ops.mean`: the mean of the elements of `x` over `axis` (all
 * axes by default), keeping the reduced axes as size 1 with `keepdims`.
 *
 * @example ops.mean([[1, 2], [3, 4]], 1) // [1.5, 3.5]
 */
export function mean<X extends OpArg>(x: X, axis?: number | number[], keepdims = false): OpResult<X> {
  if (hasSymbolic(x)) return recordOp('Mean', [x], { axis: axis ?? null, keepdims }) as OpResult<X>;
  return <OpResult<X>>tf.tidy(() => tf.mean(convertToTensor(x as TensorLike), axis, keepdims));
}

/**
 * Absolute value `|x|`, with gradient `sign(x)`: 0 at 0, as in Keras,
 * TensorFlow and PyTorch (tfjs's own `abs` has gradient -1 at 0).
 */
export function absolute<X extends OpArg>(x: X): OpResult<X> {
  if (hasSymbolic(x)) return recordOp('Absolute', [x]) as OpResult<X>;
  return <OpResult<X>>tf.tidy(() => absWithSignGradient(convertToTensor(x as TensorLike)));
}

/** Alias of {@link absolute}. */
export const abs = absolute;

const absWithSignGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return {
    value: tf.abs(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, sign(saved[0] as tf.Tensor)),
  };
}) as (x: tf.Tensor) => tf.Tensor;

/**
 * Keras's `keras.ops.square`: `x * x`, elementwise.
 *
 * @example ops.sum(ops.square(x)) // the squared L2 norm
 */
export function square<X extends OpArg>(x: X): OpResult<X> {
  if (hasSymbolic(x)) return recordOp('Square', [x]) as OpResult<X>;
  return <OpResult<X>>tf.tidy(() => tf.square(convertToTensor(x as TensorLike)));
}

/**
 * Keras's `keras.ops.sqrt`: the elementwise square root (NaN below 0).
 *
 * @example ops.sqrt([4, 9]) // [2, 3]
 */
export function sqrt<X extends OpArg>(x: X): OpResult<X> {
  if (hasSymbolic(x)) return recordOp('Sqrt', [x]) as OpResult<X>;
  return <OpResult<X>>tf.tidy(() => tf.sqrt(convertToTensor(x as TensorLike)));
}

/**
 * Keras's `keras.ops.maximum`: the elementwise larger of `a` and `b`, with broadcasting.
 *
 * @example ops.maximum([-1, 2], 0) // [0, 2]
 */
export function maximum<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  if (hasSymbolic(a, b)) return recordOp('Maximum', [a, b]) as OpResult<A | B>;
  return <OpResult<A | B>>tf.tidy(() => tf.maximum(convertToTensor(a as TensorLike), convertToTensor(b as TensorLike)));
}

/**
 * Scales `x` to unit L2 norm along `axis`: `x / max(||x||, epsilon)` with
 * epsilon 1e-7, computed as `x * rsqrt(max(sum(x²), epsilon²))` so that an
 * all-zero slice stays zero with a finite gradient (Keras 3.16).
 */
export function normalize<X extends OpArg>(x: X, axis = -1, order = 2): OpResult<X> {
  // In a graph: Keras's Normalize node (computed with Keras 3.15.1's formula, `x * min(rsqrt(sum(x²)), 1/epsilon)`).
  if (hasSymbolic(x)) return recordOp('Normalize', [x], { axis, order, epsilon: null }) as OpResult<X>;
  return normalizeTensor(x as TensorLike, axis, order) as OpResult<X>;
}

function normalizeTensor(x: TensorLike, axis: number, order: number): Tensor {
  if (order !== 2) {
    throw new ValueError(
      `Invalid value for argument order: expected 2 (only the L2 norm is supported). Received: order=${formatValue(order)}`,
      { argument: 'order', expected: '2', received: formatValue(order) },
    );
  }
  return tf.tidy(() => {
    const t = convertToTensor(x);
    const squaredNorm = tf.sum(tf.square(t), axis, true);
    return tf.mul(t, tf.rsqrt(tf.maximum(squaredNorm, EPSILON * EPSILON)));
  });
}

/**
 * Keras's `keras.ops.cast`: `x`'s values as `dtype` (floats to ints truncate toward 0).
 *
 * @example ops.cast([1.7, -1.7], 'int32') // [1, -1]
 */
export function cast<X extends OpArg>(x: X, dtype: DataType): OpResult<X> {
  if (hasSymbolic(x)) return recordOp('Cast', [x], { dtype }) as OpResult<X>;
  return <OpResult<X>>tf.tidy(() => tf.cast(convertToTensor(x as TensorLike), dtype));
}

/** The static shape of `x` as an array of numbers. */
export function shape(x: Tensor): number[] {
  return [...x.shape];
}

export * from './graph-ops.js';
