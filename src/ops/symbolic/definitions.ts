/**
 * The Keras ops that can be graph nodes here: for each, Keras's class name,
 * module and config keys (with Keras 3.15.1's defaults), its output shape
 * and dtype on symbolic tensors, and its tfjs computation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type { Shape } from '../../layers/layer-types.js';
import { KerasTensor } from '../../layers/symbolic/keras-tensor.js';
import { formatValue } from '../../utils/format.js';
import { sign } from '../sign.js';
import { getItem, getItemShape, parseIndex } from './get-item.js';
import { Constant, type OpDefinition, type OutputSpec } from './op-definition.js';
import { broadcastShapes, normalizeAxis, reducedShape, reshapedShape, shapeText } from './shapes.js';

const NUMPY = 'keras.src.ops.numpy';
const NN = 'keras.src.ops.nn';
const CORE = 'keras.src.ops.core';
const MATH = 'keras.src.ops.math';

type Config = Readonly<Record<string, unknown>>;

/** Shape and dtype of an argument: a symbolic tensor, a constant, or a Python-like scalar. */
function specOf(value: unknown): { shape: Shape; dtype: tf.DataType | 'int' | 'float' } {
  if (value instanceof KerasTensor || value instanceof Constant) return { shape: value.shape, dtype: value.dtype };
  if (typeof value === 'number') return { shape: [], dtype: Number.isInteger(value) ? 'int' : 'float' };
  if (typeof value === 'boolean') return { shape: [], dtype: 'bool' };
  throw new ValueError(`Expected a tensor or a number. Received: ${formatValue(value)}`, {
    argument: 'x',
    expected: 'a tensor or a number',
    received: formatValue(value),
  });
}

/** Keras's result dtype of an arithmetic op: float32 when any operand is a float (a Python float included), else int32. */
function resultDtype(values: readonly unknown[], alwaysFloat = false): tf.DataType {
  const dtypes = values.map((v) => specOf(v).dtype);
  if (alwaysFloat || dtypes.some((d) => d === 'float32' || d === 'float')) return 'float32';
  if (dtypes.every((d) => d === 'bool')) return 'bool';
  return 'int32';
}

/** A number as a scalar tensor of the dtype it joins (an int tensor keeps ints). */
function asTensor(value: unknown, like: tf.DataType = 'float32'): tf.Tensor {
  if (value instanceof tf.Tensor) return value;
  if (typeof value === 'boolean') return tf.scalar(value, 'bool');
  const n = value as number;
  return tf.scalar(n, Number.isInteger(n) && like === 'int32' ? 'int32' : 'float32');
}

function tensorDtypes(args: readonly unknown[]): tf.DataType {
  const tensors = args.filter((a): a is tf.Tensor => a instanceof tf.Tensor);
  return tensors.some((t) => t.dtype === 'float32') ? 'float32' : (tensors[0]?.dtype ?? 'float32');
}

function binary(
  className: string,
  fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
  kind: 'arithmetic' | 'float' | 'compare' | 'logical' = 'arithmetic',
): OpDefinition {
  return {
    className,
    module: NUMPY,
    spec: ([a, b]) => ({
      shape: broadcastShapes(specOf(a).shape, specOf(b).shape, className),
      dtype: kind === 'compare' || kind === 'logical' ? 'bool' : resultDtype([a, b], kind === 'float'),
    }),
    compute: ([a, b]) => {
      const like = tensorDtypes([a, b]);
      let x = asTensor(a, like);
      let y = asTensor(b, like);
      if (kind === 'float' || (kind === 'arithmetic' && x.dtype !== y.dtype)) {
        x = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
        y = y.dtype === 'float32' ? y : tf.cast(y, 'float32');
      }
      if (kind === 'logical') {
        x = x.dtype === 'bool' ? x : tf.notEqual(x, 0);
        y = y.dtype === 'bool' ? y : tf.notEqual(y, 0);
      }
      return fn(x, y);
    },
  };
}

function unary(
  className: string,
  fn: (x: tf.Tensor, config: Config) => tf.Tensor,
  options: { module?: string; float?: boolean; config?: Config; dtype?: tf.DataType } = {},
): OpDefinition {
  return {
    className,
    module: options.module ?? NUMPY,
    ...(options.config != null ? { config: options.config } : {}),
    spec: ([x]) => ({
      shape: specOf(x).shape,
      dtype: options.dtype ?? resultDtype([x], options.float ?? true),
    }),
    compute: ([x], config) => {
      const t = asTensor(x);
      const wantsFloat = options.float ?? true;
      return fn(wantsFloat && t.dtype !== 'float32' ? tf.cast(t, 'float32') : t, config);
    },
  };
}

function axisList(axis: unknown): number[] | undefined {
  if (axis == null) return undefined;
  return Array.isArray(axis) ? (axis as number[]) : [axis as number];
}

function reduction(
  className: string,
  fn: (x: tf.Tensor, axis: number[] | undefined, keepdims: boolean) => tf.Tensor,
  config: Config,
  options: { module?: string; dtype?: (input: tf.DataType | 'int' | 'float') => tf.DataType } = {},
): OpDefinition {
  return {
    className,
    module: options.module ?? NUMPY,
    config,
    spec: ([x], c) => {
      const s = specOf(x);
      return {
        shape: reducedShape(s.shape, c.axis, c.keepdims === true, className),
        dtype: options.dtype?.(s.dtype) ?? (s.dtype === 'bool' ? 'int32' : (s.dtype as tf.DataType)),
      };
    },
    compute: ([x], c) => fn(asTensor(x), axisList(c.axis), c.keepdims === true),
  };
}

const GELU_SCALE = Math.sqrt(2 / Math.PI);

function gelu(x: tf.Tensor, approximate: boolean): tf.Tensor {
  if (approximate) {
    const inner = tf.mul(GELU_SCALE, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  }
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
}

function checkSameRankExceptAxis(shapes: Shape[], axis: number, what: string): void {
  const first = shapes[0] as Shape;
  for (const s of shapes.slice(1)) {
    const same =
      s.length === first.length && s.every((d, i) => i === axis || d == null || first[i] == null || d === first[i]);
    if (!same) {
      throw new ValueError(
        `Every value in \`xs\` must have the same shape except on the \`axis\` dim. But found element of shape ${shapeText(s)}, which is different from the first element's shape ${shapeText(first)}. (${what})`,
        {
          argument: 'xs',
          expected: `shapes equal to ${shapeText(first)} except on axis ${axis}`,
          received: shapeText(s),
        },
      );
    }
  }
}

function matmulShape(a: Shape, b: Shape): Shape {
  const x = a.length === 1 ? [1, ...a] : a;
  const y = b.length === 1 ? [...b, 1] : b;
  const inner1 = x[x.length - 1];
  const inner2 = y[y.length - 2];
  if (inner1 != null && inner2 != null && inner1 !== inner2) {
    throw new ValueError(
      `Inner dimensions (\`x1.shape[-1]\` and \`x2.shape[-2]\`) must be equal, but received \`x1.shape=${shapeText(a)}\` and \`x2.shape=${shapeText(b)}\`.`,
      { argument: 'x2', expected: `shape[-2] equal to ${inner1}`, received: shapeText(b) },
    );
  }
  const batch = broadcastShapes(x.slice(0, -2), y.slice(0, -2), 'Matmul');
  const out = [
    ...batch,
    ...(a.length === 1 ? [] : [x[x.length - 2] ?? null]),
    ...(b.length === 1 ? [] : [y[y.length - 1] ?? null]),
  ];
  return out;
}

function matmul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.rank === 1 && b.rank === 1) return tf.sum(tf.mul(a, b));
  if (a.rank === 1) return tf.squeeze(tf.matMul(tf.expandDims(a, 0), b), [-2]);
  if (b.rank === 1) return tf.squeeze(tf.matMul(a, tf.expandDims(b, 1)), [-1]);
  return tf.matMul(a, b);
}

function splitSizes(dim: number | null, sections: unknown): (number | null)[] {
  if (Array.isArray(sections)) {
    const cuts = sections as number[];
    const bounds = [0, ...cuts, dim ?? Number.NaN];
    return bounds.slice(1).map((end, i) => (Number.isNaN(end) ? null : end - (bounds[i] as number)));
  }
  const n = sections as number;
  if (dim != null && dim % n !== 0) {
    throw new ValueError(`Split: axis of size ${dim} cannot be split into ${n} equal sections.`, {
      argument: 'indices_or_sections',
      expected: `a divisor of ${dim}`,
      received: formatValue(n),
    });
  }
  return Array.from({ length: n }, () => (dim == null ? null : dim / n));
}

function squeezedShape(shape: Shape, axis: unknown): Shape {
  if (axis == null) return shape.filter((d) => d !== 1);
  const axes = axisList(axis)?.map((a) => normalizeAxis(a, shape.length, 'Squeeze')) ?? [];
  for (const a of axes) {
    if (shape[a] != null && shape[a] !== 1) {
      throw new ValueError(`Cannot squeeze axis ${a}, because its size is ${shape[a]}, not 1.`, {
        argument: 'axis',
        expected: 'axes of size 1',
        received: formatValue(axis),
      });
    }
  }
  return shape.filter((_, i) => !axes.includes(i));
}

function whereDtype(x: unknown, y: unknown): tf.DataType {
  return resultDtype([x, y]);
}

function moved(shape: Shape, source: number, destination: number, opName: string): number[] {
  const rank = shape.length;
  const from = normalizeAxis(source, rank, opName);
  const to = normalizeAxis(destination, rank, opName);
  const order = shape.map((_, i) => i).filter((i) => i !== from);
  order.splice(to, 0, from);
  return order;
}

function swapped(rank: number, axis1: number, axis2: number): number[] {
  const a = normalizeAxis(axis1, rank, 'Swapaxes');
  const b = normalizeAxis(axis2, rank, 'Swapaxes');
  const order = Array.from({ length: rank }, (_, i) => i);
  order[a] = b;
  order[b] = a;
  return order;
}

/** Population variance (NumPy's ddof=0), as Keras's `var`. */
function variance(x: tf.Tensor, axis: number[] | undefined, keepdims: boolean): tf.Tensor {
  const xf = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
  const mean = tf.mean(xf, axis, true);
  return tf.mean(tf.square(tf.sub(xf, mean)), axis, keepdims);
}

const toBool = (x: tf.Tensor) => (x.dtype === 'bool' ? x : tf.notEqual(x, 0));

const DEFINITIONS: OpDefinition[] = [
  binary('Add', tf.add),
  binary('Subtract', tf.sub),
  binary('Multiply', tf.mul),
  binary('TrueDivide', tf.div, 'float'),
  binary('Power', tf.pow),
  binary('Maximum', tf.maximum),
  binary('Minimum', tf.minimum),
  binary('Equal', tf.equal, 'compare'),
  binary('NotEqual', tf.notEqual, 'compare'),
  binary('Greater', tf.greater, 'compare'),
  binary('GreaterEqual', tf.greaterEqual, 'compare'),
  binary('Less', tf.less, 'compare'),
  binary('LessEqual', tf.lessEqual, 'compare'),
  binary('LogicalAnd', tf.logicalAnd, 'logical'),
  binary('LogicalOr', tf.logicalOr, 'logical'),
  unary('LogicalNot', (x) => tf.logicalNot(x.dtype === 'bool' ? x : tf.notEqual(x, 0)), {
    float: false,
    dtype: 'bool',
  }),
  unary('Negative', (x) => tf.neg(x), { float: false }),
  unary('Square', (x) => tf.square(x), { float: false }),
  unary('Sqrt', (x) => tf.sqrt(x)),
  unary('Absolute', (x) => absolute(x), { float: false }),
  unary('Exp', (x) => tf.exp(x)),
  unary('Log', (x) => tf.log(x)),
  unary('Sign', (x) => sign(x), { float: false }),
  unary('Floor', (x) => tf.floor(x)),
  // NumPy rounds half to even, as tf.round does.
  unary('Round', (x, c) => roundTo(x, c.decimals as number), { float: false, config: { decimals: 0 } }),
  unary('Tanh', (x) => tf.tanh(x)),
  unary('Sin', (x) => tf.sin(x)),
  unary('Cos', (x) => tf.cos(x)),
  unary('Rsqrt', (x) => tf.rsqrt(x), { module: MATH }),
  unary('Erf', (x) => tf.erf(x), { module: MATH }),
  unary('Relu', (x) => tf.relu(x), { module: NN }),
  unary('Sigmoid', (x) => tf.sigmoid(x), { module: NN }),
  unary('Silu', (x) => tf.mul(x, tf.sigmoid(x)), { module: NN }),
  unary('Softplus', (x) => tf.softplus(x), { module: NN }),
  unary('Gelu', (x, c) => gelu(x, c.approximate !== false), { module: NN, config: { approximate: true } }),
  unary('Elu', (x, c) => eluWithAlpha(x, c.alpha as number), { module: NN, config: { alpha: 1.0 } }),
  unary('LeakyRelu', (x, c) => tf.leakyRelu(x, c.negative_slope as number), {
    module: NN,
    config: { negative_slope: 0.2 },
  }),
  unary('Softmax', (x, c) => softmax(x, c.axis as number), { module: NN, config: { axis: -1 } }),
  unary('LogSoftmax', (x, c) => tf.sub(x, tf.logSumExp(x, c.axis as number, true)), {
    module: NN,
    config: { axis: -1 },
  }),
  {
    className: 'Cast',
    module: CORE,
    config: { dtype: 'float32' },
    spec: ([x], c) => ({ shape: specOf(x).shape, dtype: castDtype(c.dtype) }),
    compute: ([x], c) => tf.cast(asTensor(x), castDtype(c.dtype)),
  },
  {
    className: 'Concatenate',
    module: NUMPY,
    config: { axis: 0 },
    spec: ([xs], c) => {
      const shapes = (xs as unknown[]).map((x) => specOf(x).shape);
      const first = shapes[0] as Shape;
      const axis = normalizeAxis(c.axis as number, first.length, 'Concatenate');
      checkSameRankExceptAxis(shapes, axis, 'Concatenate');
      const total = shapes.reduce<number | null>(
        (sum, s) => (sum == null || s[axis] == null ? null : sum + (s[axis] as number)),
        0,
      );
      return {
        shape: first.map((d, i) => (i === axis ? total : (d ?? shapes.find((s) => s[i] != null)?.[i] ?? null))),
        dtype: resultDtype(xs as unknown[]),
      };
    },
    compute: ([xs], c) => {
      const list = (xs as unknown[]).map((x) => asTensor(x));
      const dtype = tensorDtypes(list);
      return tf.concat(
        list.map((t) => (t.dtype === dtype ? t : tf.cast(t, dtype))),
        c.axis as number,
      );
    },
  },
  {
    className: 'Stack',
    module: NUMPY,
    config: { axis: 0 },
    spec: ([xs], c) => {
      const shapes = (xs as unknown[]).map((x) => specOf(x).shape);
      const first = shapes[0] as Shape;
      checkSameRankExceptAxis(shapes, -1, 'Stack');
      const axis = normalizeAxis(c.axis as number, first.length + 1, 'Stack');
      return {
        shape: [...first.slice(0, axis), shapes.length, ...first.slice(axis)],
        dtype: resultDtype(xs as unknown[]),
      };
    },
    compute: ([xs], c) =>
      tf.stack(
        (xs as unknown[]).map((x) => asTensor(x)),
        c.axis as number,
      ),
  },
  {
    className: 'Split',
    module: NUMPY,
    config: { indices_or_sections: 2, axis: 0 },
    spec: ([x], c) => {
      const s = specOf(x);
      const axis = normalizeAxis(c.axis as number, s.shape.length, 'Split');
      return splitSizes(s.shape[axis] ?? null, c.indices_or_sections).map((size) => ({
        shape: s.shape.map((d, i) => (i === axis ? size : d)),
        dtype: s.dtype as tf.DataType,
      }));
    },
    compute: ([x], c) => {
      const t = asTensor(x);
      const axis = normalizeAxis(c.axis as number, t.rank, 'Split');
      return tf.split(t, splitSizes(t.shape[axis] ?? 0, c.indices_or_sections) as number[], axis);
    },
  },
  {
    className: 'Reshape',
    module: NUMPY,
    config: { newshape: [-1] },
    spec: ([x], c) => ({
      shape: reshapedShape(specOf(x).shape, c.newshape as number[]),
      dtype: specOf(x).dtype as tf.DataType,
    }),
    compute: ([x], c) => tf.reshape(asTensor(x), c.newshape as number[]),
  },
  {
    className: 'Transpose',
    module: NUMPY,
    config: { axes: null },
    spec: ([x], c) => {
      const s = specOf(x);
      const axes = (c.axes as number[] | null) ?? s.shape.map((_, i) => s.shape.length - 1 - i);
      if (axes.length !== s.shape.length) {
        throw new ValueError(`Transpose: axes ${formatValue(axes)} do not match a tensor of rank ${s.shape.length}.`, {
          argument: 'axes',
          expected: `a permutation of ${s.shape.length} axes`,
          received: formatValue(axes),
        });
      }
      return {
        shape: axes.map((a) => s.shape[normalizeAxis(a, s.shape.length, 'Transpose')] ?? null),
        dtype: s.dtype as tf.DataType,
      };
    },
    compute: ([x], c) => tf.transpose(asTensor(x), (c.axes as number[] | null) ?? undefined),
  },
  {
    className: 'ExpandDims',
    module: NUMPY,
    config: { axis: 0 },
    spec: ([x], c) => {
      const s = specOf(x);
      const axis = normalizeAxis(c.axis as number, s.shape.length + 1, 'ExpandDims');
      return { shape: [...s.shape.slice(0, axis), 1, ...s.shape.slice(axis)], dtype: s.dtype as tf.DataType };
    },
    compute: ([x], c) => tf.expandDims(asTensor(x), c.axis as number),
  },
  {
    className: 'Squeeze',
    module: NUMPY,
    config: { axis: null },
    spec: ([x], c) => ({ shape: squeezedShape(specOf(x).shape, c.axis), dtype: specOf(x).dtype as tf.DataType }),
    compute: ([x], c) => tf.squeeze(asTensor(x), axisList(c.axis)),
  },
  reduction('Sum', (x, axis, keep) => tf.sum(x, axis, keep), { axis: null, keepdims: false }),
  reduction('Var', variance, { axis: null, keepdims: false }, { dtype: () => 'float32' }),
  reduction(
    'Std',
    (x, axis, keep) => tf.sqrt(variance(x, axis, keep)),
    { axis: null, keepdims: false },
    { dtype: () => 'float32' },
  ),
  reduction(
    'Any',
    (x, axis, keep) => tf.any(toBool(x), axis, keep),
    { axis: null, keepdims: false },
    { dtype: () => 'bool' },
  ),
  reduction(
    'All',
    (x, axis, keep) => tf.all(toBool(x), axis, keep),
    { axis: null, keepdims: false },
    { dtype: () => 'bool' },
  ),
  reduction(
    'Logsumexp',
    (x, axis, keep) => tf.logSumExp(x.dtype === 'float32' ? x : tf.cast(x, 'float32'), axis, keep),
    { axis: null, keepdims: false },
    { module: MATH, dtype: () => 'float32' },
  ),
  {
    className: 'Moveaxis',
    module: NUMPY,
    config: { source: 0, destination: 0 },
    spec: ([x], c) => {
      const s = specOf(x);
      const order = moved(s.shape, c.source as number, c.destination as number, 'Moveaxis');
      return { shape: order.map((i) => s.shape[i] ?? null), dtype: s.dtype as tf.DataType };
    },
    compute: ([x], c) => {
      const t = asTensor(x);
      return tf.transpose(t, moved([...t.shape], c.source as number, c.destination as number, 'Moveaxis'));
    },
  },
  {
    className: 'Swapaxes',
    module: NUMPY,
    config: { axis1: 0, axis2: 1 },
    spec: ([x], c) => {
      const s = specOf(x);
      const order = swapped(s.shape.length, c.axis1 as number, c.axis2 as number);
      return { shape: order.map((i) => s.shape[i] ?? null), dtype: s.dtype as tf.DataType };
    },
    compute: ([x], c) => {
      const t = asTensor(x);
      return tf.transpose(t, swapped(t.rank, c.axis1 as number, c.axis2 as number));
    },
  },
  {
    className: 'Flip',
    module: NUMPY,
    config: { axis: null },
    spec: ([x]) => ({ shape: specOf(x).shape, dtype: specOf(x).dtype as tf.DataType }),
    compute: ([x], c) => {
      const t = asTensor(x);
      const axes = axisList(c.axis) ?? t.shape.map((_, i) => i);
      return tf.reverse(t, axes);
    },
  },
  {
    className: 'Cumsum',
    module: NUMPY,
    config: { axis: null, dtype: null },
    spec: ([x], c) => {
      const s = specOf(x);
      const size = s.shape.reduce<number | null>((p, d) => (p == null || d == null ? null : p * d), 1);
      return {
        shape: c.axis == null ? [size] : s.shape,
        dtype: c.dtype == null ? (s.dtype as tf.DataType) : castDtype(c.dtype),
      };
    },
    compute: ([x], c) => {
      let t = asTensor(x);
      if (c.dtype != null) t = tf.cast(t, castDtype(c.dtype));
      return c.axis == null ? tf.cumsum(tf.reshape(t, [-1]), 0) : tf.cumsum(t, c.axis as number);
    },
  },
  {
    className: 'ZerosLike',
    module: NUMPY,
    config: { dtype: null },
    spec: ([x], c) => ({
      shape: specOf(x).shape,
      dtype: c.dtype == null ? (specOf(x).dtype as tf.DataType) : castDtype(c.dtype),
    }),
    compute: ([x], c) => {
      const t = asTensor(x);
      return tf.zeros(t.shape, c.dtype == null ? t.dtype : castDtype(c.dtype));
    },
  },
  {
    // Keras's `ops.convert_to_tensor`: Attention's compute_mask records one on the query's mask.
    className: 'ConvertToTensor',
    module: CORE,
    config: { dtype: null, sparse: null, ragged: null },
    spec: ([x], c) => ({
      shape: specOf(x).shape,
      dtype: c.dtype == null ? (specOf(x).dtype as tf.DataType) : castDtype(c.dtype),
    }),
    compute: ([x], c) => {
      const t = asTensor(x);
      return c.dtype == null ? tf.clone(t) : tf.cast(t, castDtype(c.dtype));
    },
  },
  {
    className: 'OnesLike',
    module: NUMPY,
    config: { dtype: null },
    spec: ([x], c) => ({
      shape: specOf(x).shape,
      dtype: c.dtype == null ? (specOf(x).dtype as tf.DataType) : castDtype(c.dtype),
    }),
    compute: ([x], c) => {
      const t = asTensor(x);
      return tf.ones(t.shape, c.dtype == null ? t.dtype : castDtype(c.dtype));
    },
  },
  unary('HardSigmoid', (x) => tf.div(tf.relu6(tf.add(x, 3)), 6), { module: NN }),
  unary('Normalize', (x, c) => l2Normalize(x, c), { module: NN, config: { axis: -1, order: 2, epsilon: null } }),
  reduction(
    'Mean',
    (x, axis, keep) => tf.mean(x.dtype === 'float32' ? x : tf.cast(x, 'float32'), axis, keep),
    { axis: null, keepdims: false },
    { dtype: () => 'float32' },
  ),
  reduction(
    'Max',
    (x, axis, keep) => tf.max(x, axis, keep),
    { axis: null, keepdims: false, initial: null },
    { dtype: (d) => (d === 'float' ? 'float32' : d === 'int' ? 'int32' : d) },
  ),
  reduction(
    'Min',
    (x, axis, keep) => tf.min(x, axis, keep),
    { axis: null, keepdims: false, initial: null },
    { dtype: (d) => (d === 'float' ? 'float32' : d === 'int' ? 'int32' : d) },
  ),
  reduction('Prod', (x, axis, keep) => tf.prod(x, axis, keep), { axis: null, keepdims: false, dtype: null }),
  {
    className: 'Argmax',
    module: NUMPY,
    config: { axis: null, keepdims: false },
    spec: ([x], c) => ({ shape: reducedShape(specOf(x).shape, c.axis, c.keepdims === true, 'Argmax'), dtype: 'int32' }),
    compute: ([x], c) => {
      const t = asTensor(x);
      const flat = c.axis == null ? tf.reshape(t, [-1]) : t;
      const y = tf.argMax(flat, (c.axis as number | null) ?? 0);
      return c.keepdims === true && c.axis != null ? tf.expandDims(y, c.axis as number) : y;
    },
  },
  {
    className: 'Matmul',
    module: NUMPY,
    spec: ([a, b]) => ({ shape: matmulShape(specOf(a).shape, specOf(b).shape), dtype: resultDtype([a, b]) }),
    compute: ([a, b]) => matmul(asTensor(a), asTensor(b)),
  },
  {
    className: 'Clip',
    module: NUMPY,
    config: { x_min: null, x_max: null },
    spec: ([x]) => ({ shape: specOf(x).shape, dtype: specOf(x).dtype as tf.DataType }),
    compute: ([x], c) => {
      // jnp.clip: maximum then minimum, so the gradient at a bound is 1 as JAX's is.
      let y = asTensor(x);
      if (c.x_min != null) y = tf.maximum(y, c.x_min as number);
      if (c.x_max != null) y = tf.minimum(y, c.x_max as number);
      return y;
    },
  },
  {
    className: 'Where',
    module: NUMPY,
    spec: ([condition, x, y]) => ({
      shape: broadcastShapes(
        broadcastShapes(specOf(condition).shape, specOf(x).shape, 'Where'),
        specOf(y).shape,
        'Where',
      ),
      dtype: whereDtype(x, y),
    }),
    compute: ([condition, x, y]) => {
      const dtype = tensorDtypes([x, y]);
      const c = asTensor(condition);
      const cond = c.dtype === 'bool' ? c : tf.notEqual(c, 0);
      let a = asTensor(x, dtype);
      let b = asTensor(y, dtype);
      if (a.dtype !== b.dtype) {
        a = tf.cast(a, 'float32');
        b = tf.cast(b, 'float32');
      }
      const broadcast = tf.broadcast_util.assertAndGetBroadcastShape;
      const shape = broadcast(broadcast(cond.shape, a.shape), b.shape);
      return tf.where(tf.broadcastTo(cond, shape), tf.broadcastTo(a, shape), tf.broadcastTo(b, shape));
    },
  },
  {
    className: 'GetItem',
    module: NUMPY,
    // The index checked again here: a file's __slice__ entries reach the op as plain objects.
    spec: ([x, index]) => ({
      shape: getItemShape(specOf(x).shape, parseIndex(index)),
      dtype: specOf(x).dtype as tf.DataType,
    }),
    compute: ([x, index]) => getItem(asTensor(x), parseIndex(index)),
  },
  {
    className: 'Tile',
    module: NUMPY,
    config: { repeats: [1] },
    spec: ([x], c) => {
      const s = specOf(x).shape;
      const reps = c.repeats as number[];
      const shape = [...Array(Math.max(0, reps.length - s.length)).fill(1), ...s] as Shape;
      const r = [...Array(Math.max(0, shape.length - reps.length)).fill(1), ...reps] as number[];
      return {
        shape: shape.map((d, i) => (d == null ? null : d * (r[i] as number))),
        dtype: specOf(x).dtype as tf.DataType,
      };
    },
    compute: ([x], c) => {
      let t = asTensor(x);
      const reps = c.repeats as number[];
      while (t.rank < reps.length) t = tf.expandDims(t, 0);
      return tf.tile(t, [...Array(t.rank - reps.length).fill(1), ...reps]);
    },
  },
  {
    className: 'OneHot',
    module: NN,
    config: { num_classes: 2, axis: -1, dtype: 'float32', sparse: false },
    spec: ([x], c) => ({ shape: [...specOf(x).shape, c.num_classes as number], dtype: castDtype(c.dtype) }),
    compute: ([x], c) => {
      if (c.axis !== -1)
        throw new ValueError('OneHot: only axis=-1 is supported.', {
          argument: 'axis',
          expected: '-1',
          received: formatValue(c.axis),
        });
      const t = asTensor(x);
      return tf.cast(
        tf.oneHot(t.dtype === 'int32' ? t : tf.cast(t, 'int32'), c.num_classes as number),
        castDtype(c.dtype),
      );
    },
  },
];

function castDtype(dtype: unknown): tf.DataType {
  const map: Record<string, tf.DataType> = {
    float32: 'float32',
    float16: 'float32',
    float64: 'float32',
    bfloat16: 'float32',
    int32: 'int32',
    int64: 'int32',
    int16: 'int32',
    int8: 'int32',
    uint8: 'int32',
    bool: 'bool',
  };
  const found = typeof dtype === 'string' ? map[dtype] : undefined;
  if (found == null) {
    throw new ValueError(`Unsupported dtype ${formatValue(dtype)} for an op in a graph.`, {
      argument: 'dtype',
      expected: Object.keys(map).join(', '),
      received: formatValue(dtype),
    });
  }
  return found;
}

const absolute = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return { value: tf.abs(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, sign(saved[0] as tf.Tensor)) };
}) as (x: tf.Tensor) => tf.Tensor;

/** Keras 3.15.1's L2 `normalize`: `x * min(rsqrt(sum(x²)), 1 / epsilon)`; other orders are refused. */
function l2Normalize(x: tf.Tensor, c: Config): tf.Tensor {
  if (c.order !== 2) {
    throw new ValueError(`Normalize: only order=2 is supported in graphs. Received: order=${formatValue(c.order)}`, {
      argument: 'order',
      expected: '2',
      received: formatValue(c.order),
    });
  }
  const epsilon = (c.epsilon as number | null) ?? 1e-7;
  const inverse = tf.rsqrt(tf.sum(tf.square(x), c.axis as number, true));
  return tf.mul(x, tf.minimum(inverse, 1 / epsilon));
}

function roundTo(x: tf.Tensor, decimals: number): tf.Tensor {
  if (decimals === 0 || x.dtype !== 'float32') return x.dtype === 'float32' ? tf.round(x) : x;
  const scale = 10 ** decimals;
  return tf.div(tf.round(tf.mul(x, scale)), scale);
}

function eluWithAlpha(x: tf.Tensor, alpha: number): tf.Tensor {
  return alpha === 1 ? tf.elu(x) : tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.sub(tf.exp(x), 1)));
}

function softmax(x: tf.Tensor, axis: number): tf.Tensor {
  const a = normalizeAxis(axis, x.rank, 'Softmax');
  if (a === x.rank - 1) return tf.softmax(x);
  return tf.exp(tf.sub(x, tf.logSumExp(x, a, true)));
}

const BY_NAME = new Map(DEFINITIONS.map((d) => [d.className, d]));

/** The definition of Keras's op class `className`, or undefined. */
export function opDefinition(className: string): OpDefinition | undefined {
  return BY_NAME.get(className);
}

/** Every op class that can be a graph node here, sorted. */
export function supportedOpClasses(): string[] {
  return [...BY_NAME.keys()].sort();
}

/** The output spec type, for callers that build their own definitions. */
export type { OutputSpec };
