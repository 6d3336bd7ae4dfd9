/**
 * The layers whose weights pruning slices: Dense, Conv1D/2D/3D,
 * SeparableConv1D/2D, Embedding and the recurrent layers (SimpleRNN, LSTM,
 * GRU). Each rule reads the weights to the host once, zeroes the groups at
 * or under the threshold, answers the analysis (which inputs it ignores,
 * which outputs depend on no live input, what a constant input adds), and
 * writes the smaller layer.
 */
import type { Layer } from '../../layers/layer.js';
import { type HostArray, hostArray, sizeOf, take, zeroSmallSlices } from './arrays.js';

/** What the analysis asks of a layer that owns weights. */
export interface WeightRule {
  readonly kind: 'weights';
  /** Output features (units, filters). */
  readonly outputs: number;
  /** Zeroes the output groups and input rows whose L2 norm is at most `threshold`; returns how many. */
  zeroGroups(threshold: number): number;
  /** Whether input feature `f` reaches no output: its every weight is zero. */
  ignores(f: number): boolean;
  /** Whether a constant `c` on an input feature adds the same amount at every position (so it folds into the bias). */
  folds(c: number): boolean;
  /** The outputs that read no live input (`live[f]`); their value is then found by running the layer. */
  independent(live: readonly boolean[]): boolean[];
  /** For recurrent layers: whether unit `j` feeds the other units (its recurrent row is not zero). */
  feedsRecurrence(j: number): boolean;
  /** What constants `c[f]` (NaN: none) on the dropped inputs add to each output's pre-activation. */
  fold(constants: Float64Array): Float64Array;
  /** The layer's config and weights (in `layer.weights` order) for the kept inputs and outputs, `extra` added to the bias. */
  rewrite(keepIn: readonly number[], keepOut: readonly number[], extra: Float64Array): RewrittenLayer;
  /** The weights now (thresholded), in `layer.weights` order, to run the layer on. */
  current(): { config: Record<string, unknown>; weights: HostArray[] };
  /** Whether a run on a one-step sequence decides the value (recurrent layers). */
  readonly recurrent: boolean;
}

/** A new layer's config and weights. */
export interface RewrittenLayer {
  config: Record<string, unknown>;
  weights: HostArray[];
}

const allZero = (a: HostArray, start: number, count: number, stride: number, repeat: number): boolean => {
  for (let r = 0; r < repeat; r++) {
    for (let k = 0; k < count; k++) if (a.data[r * stride + start + k] !== 0) return false;
  }
  return true;
};

/** Whether slice `index` of `axis` is all zeros. */
function sliceZero(a: HostArray, axis: number, index: number): boolean {
  const ax = axis < 0 ? a.shape.length + axis : axis;
  const inner = sizeOf(a.shape.slice(ax + 1));
  const n = a.shape[ax] as number;
  return allZero(a, index * inner, inner, n * inner, sizeOf(a.shape.slice(0, ax)));
}

function weightsByName(layer: Layer): Map<string, HostArray> {
  return new Map(layer.weightRecords().map((w) => [w.name, hostArray(w.variable)]));
}

function addBias(bias: HostArray | undefined, extra: Float64Array, keepOut: readonly number[]): HostArray {
  const data = new Float32Array(keepOut.length);
  keepOut.forEach((o, i) => {
    data[i] = Math.fround((bias == null ? 0 : (bias.data[o] as number)) + (extra[o] as number));
  });
  return { shape: [keepOut.length], data };
}

const anyNonZero = (extra: Float64Array, keepOut: readonly number[]) => keepOut.some((o) => extra[o] !== 0);

/** The weights in `layer.weights` order: `weights`, then the bias when the layer has one. */
const withBias = (weights: HostArray[], bias: HostArray | undefined): HostArray[] =>
  bias == null ? weights : [...weights, bias];

/** Zeroes the small output slices (last axis) of `outputs`, then the small input rows (axis -2) of `inputs`; returns how many. */
const zeroOutputsThenInputs = (outputs: HostArray, inputs: HostArray, threshold: number): number =>
  zeroSmallSlices(outputs, -1, threshold) + zeroSmallSlices(inputs, -2, threshold);

/**
 * What the constants on the dropped inputs add to `width` pre-activations:
 * `add(out, f, c)` adds input `f`'s share for each of the first `nIn`
 * inputs with a constant (`c` neither NaN, meaning none, nor 0).
 */
function foldConstants(
  constants: Float64Array,
  nIn: number,
  width: number,
  add: (out: Float64Array, f: number, c: number) => void,
): Float64Array {
  const out = new Float64Array(width);
  for (let f = 0; f < nIn; f++) {
    const c = constants[f] as number;
    if (!Number.isNaN(c) && c !== 0) add(out, f, c);
  }
  return out;
}

/** Dense, Conv1D/2D/3D: one kernel `[..., in, out]` and an optional bias. */
function kernelRule(layer: Layer, unitsKey: 'units' | 'filters', spatial: boolean): WeightRule {
  const w = weightsByName(layer);
  const kernel = w.get('kernel') as HostArray;
  const bias = w.get('bias');
  const config = layer.getConfig();
  const nIn = kernel.shape[kernel.shape.length - 2] as number;
  const nOut = kernel.shape[kernel.shape.length - 1] as number;
  const positions = sizeOf(kernel.shape.slice(0, -2));
  const valid = !spatial || config.padding === 'valid';
  const at = (p: number, f: number, o: number) => kernel.data[(p * nIn + f) * nOut + o] as number;
  return {
    kind: 'weights',
    outputs: nOut,
    recurrent: false,
    zeroGroups: (threshold) => zeroOutputsThenInputs(kernel, kernel, threshold),
    ignores: (f) => sliceZero(kernel, -2, f),
    folds: (c) => c === 0 || valid,
    independent(live) {
      return Array.from({ length: nOut }, (_, o) => {
        for (let p = 0; p < positions; p++)
          for (let f = 0; f < nIn; f++) if (live[f] && at(p, f, o) !== 0) return false;
        return true;
      });
    },
    feedsRecurrence: () => false,
    fold: (constants) =>
      foldConstants(constants, nIn, nOut, (out, f, c) => {
        for (let p = 0; p < positions; p++)
          for (let o = 0; o < nOut; o++) out[o] = (out[o] as number) + c * at(p, f, o);
      }),
    rewrite(keepIn, keepOut, extra) {
      const k = take(take(kernel, -2, keepIn), -1, keepOut);
      const useBias = bias != null || anyNonZero(extra, keepOut);
      return {
        config: { ...config, [unitsKey]: keepOut.length, useBias },
        weights: useBias ? [k, addBias(bias, extra, keepOut)] : [k],
      };
    },
    current: () => ({ config, weights: withBias([kernel], bias) }),
  };
}

/** SeparableConv1D/2D: depthwise `[..., in, m]`, pointwise `[..., in*m, out]`, optional bias. */
function separableRule(layer: Layer): WeightRule {
  const w = weightsByName(layer);
  const depth = w.get('depthwise_kernel') as HostArray;
  const point = w.get('pointwise_kernel') as HostArray;
  const bias = w.get('bias');
  const config = layer.getConfig();
  const m = depth.shape[depth.shape.length - 1] as number;
  const nIn = depth.shape[depth.shape.length - 2] as number;
  const nOut = point.shape[point.shape.length - 1] as number;
  const positions = sizeOf(depth.shape.slice(0, -2));
  const d = (p: number, f: number, k: number) => depth.data[(p * nIn + f) * m + k] as number;
  const pw = (row: number, o: number) => point.data[row * nOut + o] as number;
  const channelOff = (f: number, k: number) =>
    sliceZero(depth, -2, f) || (k >= 0 && allZero(depth, f * m + k, 1, nIn * m, positions));
  return {
    kind: 'weights',
    outputs: nOut,
    recurrent: false,
    zeroGroups: (threshold) => zeroOutputsThenInputs(point, depth, threshold),
    ignores: (f) =>
      sliceZero(depth, -2, f) || Array.from({ length: m }, (_, k) => sliceZero(point, -2, f * m + k)).every(Boolean),
    folds: (c) => c === 0 || config.padding === 'valid',
    independent(live) {
      return Array.from({ length: nOut }, (_, o) => {
        for (let f = 0; f < nIn; f++) {
          if (!live[f]) continue;
          for (let k = 0; k < m; k++) if (!channelOff(f, k) && pw(f * m + k, o) !== 0) return false;
        }
        return true;
      });
    },
    feedsRecurrence: () => false,
    fold: (constants) =>
      foldConstants(constants, nIn, nOut, (out, f, c) => {
        for (let k = 0; k < m; k++) {
          let s = 0;
          for (let p = 0; p < positions; p++) s += d(p, f, k);
          for (let o = 0; o < nOut; o++) out[o] = (out[o] as number) + c * s * pw(f * m + k, o);
        }
      }),
    rewrite(keepIn, keepOut, extra) {
      const rows = keepIn.flatMap((f) => Array.from({ length: m }, (_, k) => f * m + k));
      const useBias = bias != null || anyNonZero(extra, keepOut);
      const weights = [take(depth, -2, keepIn), take(take(point, -2, rows), -1, keepOut)];
      if (useBias) weights.push(addBias(bias, extra, keepOut));
      return { config: { ...config, filters: keepOut.length, useBias }, weights };
    },
    current: () => ({ config, weights: withBias([depth, point], bias) }),
  };
}

/** Embedding: output features are the columns of `[vocabulary, dims]`; its input (ids) is never pruned. */
function embeddingRule(layer: Layer): WeightRule {
  const table = weightsByName(layer).get('embeddings') as HostArray;
  const config = layer.getConfig();
  const nOut = table.shape[1] as number;
  return {
    kind: 'weights',
    outputs: nOut,
    recurrent: false,
    zeroGroups: (threshold) => zeroSmallSlices(table, -1, threshold),
    ignores: () => false,
    folds: () => false,
    independent: () => Array.from({ length: nOut }, (_, o) => sliceZero(table, -1, o)),
    feedsRecurrence: () => false,
    fold: () => new Float64Array(nOut),
    rewrite: (_keepIn, keepOut) => ({
      config: { ...config, outputDim: keepOut.length },
      weights: [take(table, -1, keepOut)],
    }),
    current: () => ({ config, weights: [table] }),
  };
}

const GATES: Record<string, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

/**
 * SimpleRNN, LSTM, GRU: a unit is the same column in every gate block of
 * the kernel `[in, G*u]`, the recurrent kernel `[u, G*u]` and the bias
 * (`[G*u]`, or GRU's `[2, G*u]` with `resetAfter`), and the row of the
 * recurrent kernel through which its state feeds the others.
 */
function recurrentRule(layer: Layer, className: string): WeightRule {
  const w = weightsByName(layer);
  const kernel = w.get('kernel') as HostArray;
  const rec = w.get('recurrent_kernel') as HostArray;
  const bias = w.get('bias');
  const config = layer.getConfig();
  const gates = GATES[className] as number;
  const u = rec.shape[0] as number;
  const nIn = kernel.shape[0] as number;
  const width = gates * u;
  const cols = (j: number) => Array.from({ length: gates }, (_, g) => g * u + j);
  const unitNorm = (j: number) => {
    let s = 0;
    for (const c of cols(j)) {
      for (let f = 0; f < nIn; f++) s += (kernel.data[f * width + c] as number) ** 2;
      for (let r = 0; r < u; r++) s += (rec.data[r * width + c] as number) ** 2;
    }
    return Math.sqrt(s);
  };
  const zeroUnit = (j: number) => {
    for (const c of cols(j)) {
      for (let f = 0; f < nIn; f++) kernel.data[f * width + c] = 0;
      for (let r = 0; r < u; r++) rec.data[r * width + c] = 0;
    }
  };
  return {
    kind: 'weights',
    outputs: u,
    recurrent: true,
    zeroGroups(threshold) {
      let n = 0;
      for (let j = 0; j < u; j++) {
        const norm = unitNorm(j);
        if (norm <= threshold && norm > 0) {
          zeroUnit(j);
          n++;
        }
      }
      n += zeroSmallSlices(kernel, 0, threshold);
      return n;
    },
    ignores: (f) => sliceZero(kernel, 0, f),
    folds: () => true,
    independent(live) {
      return Array.from({ length: u }, (_, j) =>
        cols(j).every((c) => {
          for (let f = 0; f < nIn; f++) if (live[f] && kernel.data[f * width + c] !== 0) return false;
          for (let r = 0; r < u; r++) if (rec.data[r * width + c] !== 0) return false;
          return true;
        }),
      );
    },
    feedsRecurrence: (j) => !sliceZero(rec, 0, j),
    fold: (constants) =>
      foldConstants(constants, nIn, width, (out, f, c) => {
        for (let k = 0; k < width; k++) out[k] = (out[k] as number) + c * (kernel.data[f * width + k] as number);
      }),
    rewrite(keepIn, keepOut, extra) {
      const columns = Array.from({ length: gates }, (_, g) => keepOut.map((j) => g * u + j)).flat();
      const weights = [take(take(kernel, 0, keepIn), 1, columns), take(take(rec, 0, keepOut), 1, columns)];
      const useBias = bias != null || columns.some((c) => extra[c] !== 0);
      if (useBias) {
        // The constant inputs add to the input projection: GRU's resetAfter bias keeps it in row 0.
        const rows = bias != null && bias.shape.length === 2 ? 2 : config.resetAfter === true ? 2 : 1;
        const data = new Float32Array(rows * columns.length);
        columns.forEach((c, i) => {
          for (let r = 0; r < rows; r++) {
            const old = bias == null ? 0 : (bias.data[r * width + c] as number);
            data[r * columns.length + i] = Math.fround(old + (r === 0 ? (extra[c] as number) : 0));
          }
        });
        weights.push({ shape: rows === 2 ? [2, columns.length] : [columns.length], data });
      }
      return { config: { ...config, units: keepOut.length, useBias }, weights };
    },
    current: () => ({ config, weights: withBias([kernel, rec], bias) }),
  };
}

/** The weight rule of `layer`, or null when pruning does not slice its weights. */
export function weightRule(layer: Layer, className: string): WeightRule | null {
  const config = layer.getConfig();
  if (className === 'Dense') return kernelRule(layer, 'units', false);
  if (/^Conv[123]D$/.test(className)) {
    if (config.groups !== 1 || config.dataFormat !== 'channelsLast') return null;
    return kernelRule(layer, 'filters', true);
  }
  if (/^SeparableConv[12]D$/.test(className)) {
    return config.dataFormat === 'channelsLast' ? separableRule(layer) : null;
  }
  if (className === 'Embedding') return embeddingRule(layer);
  if (className in GATES) {
    if (config.returnState === true || config.stateful === true) return null;
    return recurrentRule(layer, className);
  }
  return null;
}
