/**
 * Groups of a weight for the group regularizers: which slices of a kernel
 * form one group (an output unit, a filter, an input feature, an embedding
 * row, a recurrent unit across its gates), and the group norms. A weight is
 * viewed (reshaped, never copied) so that a sum over `reduceAxes` with
 * `keepDims` gives one norm per group that broadcasts back over the weight.
 */
import * as tf from '@tensorflow/tfjs-core';
import { COLUMN_SUM_SQUARES, fusedKernelsActive, SCALE_COLUMNS } from '../backend/fused-kernels.js';
import { invalidArgument, ValueError } from '../errors.js';
import { formatShape } from '../utils/format.js';

/** Which slices are groups: `axis` indexes the groups (a list: their combinations); `gates` splits that axis into gate blocks. */
export interface GroupSpec {
  /** The axis (or axes) whose index names a group; the group is everything else at that index. */
  axis: number | readonly number[];
  /** The axis holds `gates` blocks of the units side by side (LSTM 4, GRU 3): unit j's group spans all its gates. */
  gates: number;
}

/**
 * How one weight is viewed for its groups. With one group axis the view is
 * `[A, G, B]` (the axes before it, the groups, the axes after it): a
 * group's sum then never reduces over an outer axis of size > 1 together
 * with an inner one (tfjs transposes the tensor first for those), and on
 * wasm the fused column kernels take `[A, G, 1]` in one pass.
 */
export interface GroupLayout {
  /** `[A, G, B]` for one group axis (the gated axis split into `[gates, units]` first); the weight's shape for several. */
  viewShape: number[];
  /** The axes of `viewShape` a group's elements run over. */
  reduceAxes: number[];
  /** Elements per group. */
  groupSize: number;
  /** Number of groups. */
  groupCount: number;
  /** Whether the view is `[A, G, B]` (one group axis). */
  folded: boolean;
}

/** The `[A, G, B]` layout around axis `axis` of `shape`. */
function folded(shape: readonly number[], axis: number): GroupLayout {
  const product = (dims: readonly number[]) => dims.reduce((n, d) => n * d, 1);
  const [a, g, b] = [product(shape.slice(0, axis)), shape[axis] as number, product(shape.slice(axis + 1))];
  return { viewShape: [a, g, b], reduceAxes: [0, 2], groupSize: a * b, groupCount: g, folded: true };
}

/** Checks a constructor's `axis`: an integer or a non-empty list of distinct integers (range is checked against the weight). */
export function checkGroupAxis(value: unknown): number | number[] {
  const ok = (a: unknown) => typeof a === 'number' && Number.isInteger(a);
  if (ok(value)) return value as number;
  if (Array.isArray(value) && value.length > 0 && value.every(ok) && new Set(value).size === value.length) {
    return [...(value as number[])];
  }
  throw invalidArgument('axis', 'an integer or a non-empty list of distinct integers', value);
}

/** Checks `gates`: a positive integer. */
export function checkGates(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw invalidArgument('gates', 'a positive integer', value);
}

/**
 * The view of a weight of `shape` for `spec`; errors name `axis` or `gates` with the weight's rank and shape.
 *
 * @example regularizers.groupLayout([784, 256], { axis: -1, gates: 1 }).groupCount // 256
 */
export function groupLayout(shape: readonly number[], spec: GroupSpec): GroupLayout {
  const rank = shape.length;
  const axes = (typeof spec.axis === 'number' ? [spec.axis] : [...spec.axis]).map((a) => {
    if (rank === 0 || a < -rank || a >= rank) {
      throw invalidArgument(
        'axis',
        rank === 0
          ? 'a weight of rank >= 1 (a scalar has no groups)'
          : `an integer in [${-rank}, ${rank - 1}] for a weight of rank ${rank} (shape ${formatShape([...shape])})`,
        spec.axis,
      );
    }
    return a < 0 ? a + rank : a;
  });
  if (new Set(axes).size !== axes.length) throw invalidArgument('axis', 'distinct axes', spec.axis);
  const gates = spec.gates;
  if (axes.length === 1 && gates === 1) return folded(shape, axes[0] as number);
  if (gates === 1) {
    const groupCount = axes.reduce((n, a) => n * (shape[a] as number), 1);
    const size = shape.reduce((n, d) => n * d, 1);
    return {
      viewShape: [...shape],
      reduceAxes: shape.map((_, i) => i).filter((i) => !axes.includes(i)),
      groupSize: groupCount === 0 ? 0 : size / groupCount,
      groupCount,
      folded: false,
    };
  }
  if (axes.length !== 1) {
    throw new ValueError(
      `Invalid value for argument gates: expected 1 when axis lists several axes. Received: gates=${gates}`,
      { argument: 'gates', expected: '1 with several axes', received: String(gates) },
    );
  }
  const axis = axes[0] as number;
  const length = shape[axis] as number;
  if (length % gates !== 0) {
    throw invalidArgument(
      'gates',
      `a divisor of the size ${length} of axis ${axis} (shape ${formatShape([...shape])})`,
      gates,
    );
  }
  return folded([...shape.slice(0, axis), gates, length / gates, ...shape.slice(axis + 1)], axis + 1);
}

/** `x` viewed for its groups (a reshape, no copy). */
export function groupView(x: tf.Tensor, layout: GroupLayout): tf.Tensor {
  return tf.reshape(x, layout.viewShape);
}

/** Sum over each group of the view (keepDims, so it broadcasts back over the view). */
export function groupSum(view: tf.Tensor, layout: GroupLayout): tf.Tensor {
  if (!layout.folded) return layout.reduceAxes.length === 0 ? view : tf.sum(view, layout.reduceAxes, true);
  // Axes of size 1 are left alone: a reduction over an outer axis transposes the tensor first.
  const [a, , b] = layout.viewShape as [number, number, number];
  const inner = b === 1 ? view : tf.sum(view, 2, true);
  return a === 1 ? inner : tf.sum(inner, 0, true);
}

/** Whether the wasm column kernels take this view: `[A, G, 1]` with G a multiple of 4. */
function byColumns(view: tf.Tensor, layout: GroupLayout): boolean {
  const [, g, b] = layout.viewShape as [number, number, number];
  return layout.folded && b === 1 && g % 4 === 0 && g > 0 && fusedKernelsActive(view);
}

/** `groupSum(square(view))`: on wasm, for groups that are columns, one fused pass (tfjs's Sum would transpose first). */
export function groupSumOfSquares(view: tf.Tensor, layout: GroupLayout): tf.Tensor {
  if (!byColumns(view, layout)) return groupSum(tf.square(view), layout);
  const [a, g] = layout.viewShape as [number, number, number];
  const sums = tf.engine().runKernel(COLUMN_SUM_SQUARES, { x: tf.reshape(view, [a, g]) }) as tf.Tensor;
  return tf.reshape(sums, [1, g, 1]);
}

/** `view * factors` for per-group `factors` (groupSum's shape): on wasm, for columns, the fused column scaling (a broadcast multiply takes tfjs's slow path). */
export function scaleGroups(view: tf.Tensor, factors: tf.Tensor, layout: GroupLayout): tf.Tensor {
  if (!byColumns(view, layout)) return tf.mul(view, factors);
  const [a, g] = layout.viewShape as [number, number, number];
  const scaled = tf.engine().runKernel(SCALE_COLUMNS, { x: tf.reshape(view, [a, g]), f: tf.reshape(factors, [g]) });
  return tf.reshape(scaled as tf.Tensor, layout.viewShape);
}

/**
 * The L2 norm of each group of `x`, as a flat vector of `groupCount`
 * entries in the order of the group axis (axes, row-major): what pruning
 * reads to find empty units.
 *
 * @example regularizers.groupNorms(weights, { axis: -1, gates: 1 }) // one norm per output unit of a Dense kernel
 */
export function groupNorms(x: tf.Tensor, spec: GroupSpec): tf.Tensor1D {
  return tf.tidy(() => {
    const layout = groupLayout(x.shape, spec);
    return tf.reshape(tf.sqrt(groupSumOfSquares(groupView(x, layout), layout)), [layout.groupCount]);
  });
}

/** What a group is for a layer's weight: output `units` (filters, embedding columns) or `inputs` (input features, channels, embedding rows). */
export type GroupTarget = 'units' | 'inputs';

/**
 * The group spec of a Keras layer's weight, so that a group is one output
 * unit / filter (`'units'`) or one input feature / channel / embedding row
 * (`'inputs'`):
 *
 * | layer (weight) | units | inputs |
 * |---|---|---|
 * | Dense, Conv1D/2D/3D, SeparableConv pointwise `kernel` | axis -1 | axis -2 |
 * | Conv1D/2D/3DTranspose `kernel` (…, filters, in) | axis -2 | axis -1 |
 * | DepthwiseConv `depthwise_kernel` (…, in, multiplier) | axis -2 (a channel) | axis -2 |
 * | Embedding `embeddings` (vocabulary, dim) | axis -1 (a dimension) | axis 0 (a token's row) |
 * | LSTM / GRU / SimpleRNN `kernel` (in, gates·units) | axis -1, gates 4 / 3 / 1 | axis 0 |
 * | LSTM / GRU / SimpleRNN `recurrent_kernel` (units, gates·units) | axis -1, gates 4 / 3 / 1 | axis 0 |
 * | EinsumDense | give the kernel's output axes (`axis: [1, 2]`) | its input axes |
 *
 * GRU's `reset_after` layout stacks its 3 gates the same way.
 *
 * @example new regularizers.GroupLasso({ factor: 1e-3, ...regularizers.groupAxis('LSTM', 'units') })
 */
export function groupAxis(layerClass: string, target: GroupTarget): GroupSpec {
  if (target !== 'units' && target !== 'inputs') throw invalidArgument('target', '"units" or "inputs"', target);
  const gatesOf: Record<string, number> = { LSTM: 4, GRU: 3, SimpleRNN: 1, LSTMCell: 4, GRUCell: 3, SimpleRNNCell: 1 };
  const gates = gatesOf[layerClass];
  if (gates !== undefined) return target === 'units' ? { axis: -1, gates } : { axis: 0, gates: 1 };
  if (layerClass === 'Embedding') return { axis: target === 'units' ? -1 : 0, gates: 1 };
  if (/^Conv[123]DTranspose$/.test(layerClass)) return { axis: target === 'units' ? -2 : -1, gates: 1 };
  if (/^DepthwiseConv[12]D$/.test(layerClass)) return { axis: -2, gates: 1 };
  if (layerClass === 'Dense' || /^(Separable)?Conv[123]D$/.test(layerClass)) {
    return { axis: target === 'units' ? -1 : -2, gates: 1 };
  }
  throw new ValueError(
    `groupAxis does not know the kernel layout of ${layerClass}: give the regularizer its axis. Expected one of Dense, Conv1D/2D/3D, SeparableConv1D/2D, Conv1D/2D/3DTranspose, DepthwiseConv1D/2D, Embedding, LSTM, GRU, SimpleRNN. Received: layerClass=${layerClass}`,
    { argument: 'layerClass', expected: 'a layer class with a known kernel layout', received: layerClass },
  );
}
