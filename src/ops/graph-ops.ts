/**
 * Keras ops beyond the arithmetic of `ops/index.ts`, each usable on tensors
 * (computed at once) and on symbolic tensors (recorded as a graph node with
 * Keras's class name and config, so a Functional model saves and loads it
 * as Keras does): joining and splitting, shapes, comparisons, reductions,
 * `where`/`clip`, activations, and slicing with `getItem`.
 *
 * @example const joined = ops.concatenate([x, ops.square(x)], -1); // on a symbolic x, a Concatenate node
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KerasTensor } from '../layers/symbolic/keras-tensor.js';
import { opDefinition } from './symbolic/definitions.js';
import { type IndexEntry, parseIndex } from './symbolic/get-item.js';
import { hasSymbolic, recordOp, recordOpOutputs } from './symbolic/hook.js';

type Tensor = tf.Tensor;
type TensorLike = tf.Tensor | tf.TensorLike;
type OpArg = TensorLike | KerasTensor;
// As ops/index.ts's: an `any` argument is taken for a tensor (eager code), not a symbolic one.
type OpResult<T> = 0 extends 1 & T ? Tensor : [Extract<T, KerasTensor>] extends [never] ? Tensor : KerasTensor;

/** Runs (on tensors) or records (on symbolic tensors) Keras's op `className`, with its Keras config. */
function run<T>(className: string, args: readonly unknown[], config: Record<string, unknown> = {}): OpResult<T> {
  if (hasSymbolic(...args)) return recordOp(className, args, config) as OpResult<T>;
  const definition = opDefinition(className);
  if (definition == null) throw new Error(`internal: no op ${className}`);
  const full = { ...(definition.config ?? {}), ...config };
  return tf.tidy(() => {
    const tensors = args.map((a) => toTensorArg(a));
    const out = definition.compute(tensors, full);
    return out as Tensor;
  }) as OpResult<T>;
}

/** Arrays of numbers become float32 tensors (as Keras converts Python floats); tensors, numbers and lists of tensors stay. */
function toTensorArg(a: unknown): unknown {
  if (a instanceof tf.Tensor || typeof a === 'number' || typeof a === 'boolean' || a == null) return a;
  if (Array.isArray(a) && a.some((x) => x instanceof tf.Tensor)) return a;
  if (Array.isArray(a) || ArrayBuffer.isView(a)) return tf.tensor(a as tf.TensorLike, undefined, 'float32');
  return a;
}

/** Keras's `keras.ops.concatenate`: joins tensors along `axis` (default 0). @example ops.concatenate([x, y], -1) */
export function concatenate<X extends OpArg>(xs: readonly X[], axis = 0): OpResult<X> {
  return run<X>('Concatenate', [[...xs]], { axis });
}

/** Keras's `keras.ops.stack`: stacks tensors of one shape on a new `axis` (default 0). @example ops.stack([x, y], 1) */
export function stack<X extends OpArg>(xs: readonly X[], axis = 0): OpResult<X> {
  return run<X>('Stack', [[...xs]], { axis });
}

/**
 * Keras's `keras.ops.split`: `x` cut along `axis` into `indicesOrSections`
 * equal parts (a number) or at the given indices (an array).
 *
 * @example const [left, right] = ops.split(x, 2, -1);
 */
export function split<X extends OpArg>(x: X, indicesOrSections: number | number[], axis = 0): OpResult<X>[] {
  const config = { indices_or_sections: indicesOrSections, axis };
  if (hasSymbolic(x)) return recordOpOutputs('Split', [x], config) as OpResult<X>[];
  const definition = opDefinition('Split');
  return tf.tidy(() => definition?.compute([toTensorArg(x)], config) as Tensor[]) as OpResult<X>[];
}

/** Keras's `keras.ops.expand_dims`: a new axis of size 1 at `axis`. @example ops.expandDims(x, 1) */
export function expandDims<X extends OpArg>(x: X, axis: number): OpResult<X> {
  return run<X>('ExpandDims', [x], { axis });
}

/** Keras's `keras.ops.squeeze`: removes axes of size 1 (`axis`, or all). @example ops.squeeze(x, -1) */
export function squeeze<X extends OpArg>(x: X, axis: number | number[] | null = null): OpResult<X> {
  return run<X>('Squeeze', [x], { axis });
}

/**
 * Keras's `x[index]` (its `GetItem` op): NumPy basic indexing, given as
 * NumPy's text (`":, :3"`, `"..., 0"`, `":, None, 1:3"`) or as a list of
 * integers, slices `{ start, stop, step }`, `null` (a new axis) and `"..."`.
 *
 * @example ops.getItem(x, ':, :3') // Keras's x[:, :3]
 */
export function getItem<X extends OpArg>(x: X, index: string | IndexEntry | readonly IndexEntry[]): OpResult<X> {
  const entries = parseIndex(index);
  // Keras writes an index as a list of __slice__ / __ellipsis__ / ints / None: the op's node JSON does that.
  if (hasSymbolic(x)) return recordOp('GetItem', [x, entries]) as OpResult<X>;
  const definition = opDefinition('GetItem');
  return tf.tidy(() => definition?.compute([toTensorArg(x), entries], {}) as Tensor) as OpResult<X>;
}

/** Keras's `keras.ops.exp`. @example ops.exp(x) */
export function exp<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Exp', [x]);
}

/** Keras's `keras.ops.log`: the natural logarithm. @example ops.log(x) */
export function log<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Log', [x]);
}

/** Keras's `keras.ops.negative`: `-x`. @example ops.negative(x) */
export function negative<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Negative', [x]);
}

/** Keras's `keras.ops.rsqrt`: `1 / sqrt(x)`. @example ops.rsqrt(x) */
export function rsqrt<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Rsqrt', [x]);
}

/** Keras's `keras.ops.tanh`. @example ops.tanh(x) */
export function tanh<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Tanh', [x]);
}

/** Keras's `keras.ops.floor`. @example ops.floor(x) */
export function floor<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Floor', [x]);
}

/** Keras's `keras.ops.round`: to `decimals` places, halves to even (as NumPy). @example ops.round(x) */
export function round<X extends OpArg>(x: X, decimals = 0): OpResult<X> {
  return run<X>('Round', [x], { decimals });
}

/** Keras's `keras.ops.power`: `a ** b`. @example ops.power(x, 2) */
export function power<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  return run<A | B>('Power', [a, b]);
}

/** Keras's `keras.ops.minimum`, elementwise with broadcasting. @example ops.minimum(x, 1) */
export function minimum<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  return run<A | B>('Minimum', [a, b]);
}

/** Keras's `keras.ops.equal`: `a == b` as bools. @example ops.equal(x, 0) */
export function equal<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  return run<A | B>('Equal', [a, b]);
}

/** Keras's `keras.ops.not_equal`: `a != b` as bools (what `Embedding(mask_zero)` records for its mask). @example ops.notEqual(x, 0) */
export function notEqual<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  return run<A | B>('NotEqual', [a, b]);
}

/** Keras's `keras.ops.greater`: `a > b`. @example ops.greater(x, 0.5) */
export function greater<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  return run<A | B>('Greater', [a, b]);
}

/** Keras's `keras.ops.greater_equal`: `a >= b`. @example ops.greaterEqual(x, 0) */
export function greaterEqual<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  return run<A | B>('GreaterEqual', [a, b]);
}

/** Keras's `keras.ops.less`: `a < b`. @example ops.less(x, 0) */
export function less<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  return run<A | B>('Less', [a, b]);
}

/** Keras's `keras.ops.less_equal`: `a <= b`. @example ops.lessEqual(x, 0) */
export function lessEqual<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  return run<A | B>('LessEqual', [a, b]);
}

/** Keras's `keras.ops.logical_and`. @example ops.logicalAnd(a, b) */
export function logicalAnd<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  return run<A | B>('LogicalAnd', [a, b]);
}

/** Keras's `keras.ops.logical_or`. @example ops.logicalOr(a, b) */
export function logicalOr<A extends OpArg, B extends OpArg>(a: A, b: B): OpResult<A | B> {
  return run<A | B>('LogicalOr', [a, b]);
}

/** Keras's `keras.ops.logical_not`. @example ops.logicalNot(ops.greater(x, 0)) */
export function logicalNot<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('LogicalNot', [x]);
}

/** Keras's `keras.ops.max` over `axis` (all axes by default). @example ops.max(x, 1) */
export function max<X extends OpArg>(x: X, axis: number | number[] | null = null, keepdims = false): OpResult<X> {
  return run<X>('Max', [x], { axis, keepdims, initial: null });
}

/** Keras's `keras.ops.min` over `axis` (all axes by default). @example ops.min(x, 1) */
export function min<X extends OpArg>(x: X, axis: number | number[] | null = null, keepdims = false): OpResult<X> {
  return run<X>('Min', [x], { axis, keepdims, initial: null });
}

/** Keras's `keras.ops.prod` over `axis` (all axes by default). @example ops.prod(x, 1) */
export function prod<X extends OpArg>(x: X, axis: number | number[] | null = null, keepdims = false): OpResult<X> {
  return run<X>('Prod', [x], { axis, keepdims, dtype: null });
}

/** Keras's `keras.ops.argmax` over `axis` (the flattened tensor by default), as int32. @example ops.argmax(x, -1) */
export function argmax<X extends OpArg>(x: X, axis: number | null = null, keepdims = false): OpResult<X> {
  return run<X>('Argmax', [x], { axis, keepdims });
}

/** Keras's `keras.ops.clip`: `x` limited to `[xMin, xMax]`. @example ops.clip(x, -1, 1) */
export function clip<X extends OpArg>(x: X, xMin: number, xMax: number): OpResult<X> {
  return run<X>('Clip', [x], { x_min: xMin, x_max: xMax });
}

/** Keras's `keras.ops.where`: `x` where `condition` holds, else `y`, with broadcasting. @example ops.where(ops.greater(x, 0), x, y) */
export function where<C extends OpArg, A extends OpArg, B extends OpArg>(
  condition: C,
  x: A,
  y: B,
): OpResult<C | A | B> {
  return run<C | A | B>('Where', [condition, x, y]);
}

/** Keras's `keras.ops.tile`: `x` repeated `repeats` times along each axis. @example ops.tile(x, [1, 2]) */
export function tile<X extends OpArg>(x: X, repeats: number[]): OpResult<X> {
  return run<X>('Tile', [x], { repeats: [...repeats] });
}

/** Keras's `keras.ops.one_hot`: integer classes as one-hot float32 vectors on a new last axis. @example ops.oneHot(ops.cast(x, "int32"), 5) */
export function oneHot<X extends OpArg>(x: X, numClasses: number): OpResult<X> {
  return run<X>('OneHot', [x], { num_classes: numClasses, axis: -1, dtype: 'float32', sparse: false });
}

/** Keras's `keras.ops.softmax` along `axis` (default -1). @example ops.softmax(x) */
export function softmax<X extends OpArg>(x: X, axis = -1): OpResult<X> {
  return run<X>('Softmax', [x], { axis });
}

/** Keras's `keras.ops.log_softmax` along `axis` (default -1). @example ops.logSoftmax(x) */
export function logSoftmax<X extends OpArg>(x: X, axis = -1): OpResult<X> {
  return run<X>('LogSoftmax', [x], { axis });
}

/** Keras's `keras.ops.relu`. @example ops.relu(x) */
export function relu<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Relu', [x]);
}

/** Keras's `keras.ops.sigmoid`. @example ops.sigmoid(x) */
export function sigmoid<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Sigmoid', [x]);
}

/** Keras's `keras.ops.silu` (swish): `x * sigmoid(x)`. @example ops.silu(x) */
export function silu<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Silu', [x]);
}

/** Keras's `keras.ops.softplus`. @example ops.softplus(x) */
export function softplus<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Softplus', [x]);
}

/** Keras's `keras.ops.gelu` (tanh approximation by default, as Keras). @example ops.gelu(x) */
export function gelu<X extends OpArg>(x: X, approximate = true): OpResult<X> {
  return run<X>('Gelu', [x], { approximate });
}

/** Keras's `keras.ops.elu` with `alpha` (default 1). @example ops.elu(x) */
export function elu<X extends OpArg>(x: X, alpha = 1.0): OpResult<X> {
  return run<X>('Elu', [x], { alpha });
}

/** Keras's `keras.ops.leaky_relu` with `negativeSlope` (default 0.2). @example ops.leakyRelu(x, 0.1) */
export function leakyRelu<X extends OpArg>(x: X, negativeSlope = 0.2): OpResult<X> {
  return run<X>('LeakyRelu', [x], { negative_slope: negativeSlope });
}

/** Keras's `keras.ops.sin`. @example ops.sin(x) */
export function sin<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Sin', [x]);
}

/** Keras's `keras.ops.cos`. @example ops.cos(x) */
export function cos<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Cos', [x]);
}

/** Keras's `keras.ops.erf`, the error function. @example ops.erf(x) */
export function erf<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Erf', [x]);
}

/** Keras's `keras.ops.sign`: -1, 0 or 1. @example ops.sign(x) */
export function sign<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('Sign', [x]);
}

/** Keras's `keras.ops.var`: the population variance over `axis` (all axes by default). @example ops.variance(x, 1) */
export function variance<X extends OpArg>(x: X, axis: number | number[] | null = null, keepdims = false): OpResult<X> {
  return run<X>('Var', [x], { axis, keepdims });
}

/** Keras's `keras.ops.std`: the population standard deviation over `axis`. @example ops.std(x, -1) */
export function std<X extends OpArg>(x: X, axis: number | number[] | null = null, keepdims = false): OpResult<X> {
  return run<X>('Std', [x], { axis, keepdims });
}

/** Keras's `keras.ops.any`: whether any element is true (non-zero) over `axis`. @example ops.any(ops.greater(x, 0), -1) */
export function any<X extends OpArg>(x: X, axis: number | number[] | null = null, keepdims = false): OpResult<X> {
  return run<X>('Any', [x], { axis, keepdims });
}

/** Keras's `keras.ops.all`: whether every element is true (non-zero) over `axis`. @example ops.all(ops.greater(x, 0), -1) */
export function all<X extends OpArg>(x: X, axis: number | number[] | null = null, keepdims = false): OpResult<X> {
  return run<X>('All', [x], { axis, keepdims });
}

/** Keras's `keras.ops.logsumexp` over `axis` (all axes by default). @example ops.logsumexp(x, 1) */
export function logsumexp<X extends OpArg>(x: X, axis: number | number[] | null = null, keepdims = false): OpResult<X> {
  return run<X>('Logsumexp', [x], { axis, keepdims });
}

/** Keras's `keras.ops.moveaxis`: axis `source` moved to `destination`. @example ops.moveaxis(x, 1, 2) */
export function moveaxis<X extends OpArg>(x: X, source: number, destination: number): OpResult<X> {
  return run<X>('Moveaxis', [x], { source, destination });
}

/** Keras's `keras.ops.swapaxes`: axes `axis1` and `axis2` exchanged. @example ops.swapaxes(x, 1, 2) */
export function swapaxes<X extends OpArg>(x: X, axis1: number, axis2: number): OpResult<X> {
  return run<X>('Swapaxes', [x], { axis1, axis2 });
}

/** Keras's `keras.ops.flip`: the order of elements reversed along `axis` (all axes by default). @example ops.flip(x, 1) */
export function flip<X extends OpArg>(x: X, axis: number | number[] | null = null): OpResult<X> {
  return run<X>('Flip', [x], { axis });
}

/** Keras's `keras.ops.cumsum` along `axis` (the flattened tensor by default). @example ops.cumsum(x, 1) */
export function cumsum<X extends OpArg>(x: X, axis: number | null = null): OpResult<X> {
  return run<X>('Cumsum', [x], { axis, dtype: null });
}

/** Keras's `keras.ops.zeros_like`. @example ops.zerosLike(x) */
export function zerosLike<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('ZerosLike', [x], { dtype: null });
}

/** Keras's `keras.ops.ones_like`. @example ops.onesLike(x) */
export function onesLike<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('OnesLike', [x], { dtype: null });
}

/** Keras's `keras.ops.hard_sigmoid`: `relu6(x + 3) / 6`. @example ops.hardSigmoid(x) */
export function hardSigmoid<X extends OpArg>(x: X): OpResult<X> {
  return run<X>('HardSigmoid', [x]);
}
