/**
 * Float64 reference forward passes of the pooling, upsampling, padding and
 * cropping layers, written from Keras's definitions by index arithmetic (no
 * tfjs), for finite-difference gradient checks. Arrays are row-major.
 */

export interface Arr {
  shape: number[];
  values: Float64Array;
}

type DataFormat = 'channelsLast' | 'channelsFirst';

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = (strides[i + 1] as number) * (shape[i + 1] as number);
  return strides;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Calls `body` with every index of `shape`, in row-major order. */
function forEachIndex(shape: readonly number[], body: (index: number[], flat: number) => void): void {
  const index = new Array<number>(shape.length).fill(0);
  const total = sizeOf(shape);
  for (let flat = 0; flat < total; flat++) {
    body(index, flat);
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (shape[axis] as number)) break;
      index[axis] = 0;
    }
  }
}

/** `out[i] = a[source(i)]` for an output of `shape`, where `source` maps an output index to an input index or null (a zero). */
function gather(a: Arr, shape: number[], source: (index: number[]) => number[] | null): Arr {
  const strides = stridesOf(a.shape);
  const values = new Float64Array(sizeOf(shape));
  forEachIndex(shape, (index, flat) => {
    const from = source(index);
    if (from != null)
      values[flat] = a.values[from.reduce((sum, d, i) => sum + d * (strides[i] as number), 0)] as number;
  });
  return { shape, values };
}

export function transpose(a: Arr, perm: number[]): Arr {
  const shape = perm.map((p) => a.shape[p] as number);
  return gather(a, shape, (index) => {
    const from = new Array<number>(index.length);
    perm.forEach((p, i) => {
      from[p] = index[i] as number;
    });
    return from;
  });
}

function toLast(a: Arr, format: DataFormat): Arr {
  if (format === 'channelsLast') return a;
  const rank = a.shape.length;
  return transpose(a, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1]);
}

function fromLast(a: Arr, format: DataFormat): Arr {
  if (format === 'channelsLast') return a;
  const rank = a.shape.length;
  return transpose(a, [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)]);
}

/**
 * Max or average pooling over the spatial axes. 'same' pads
 * `max((out - 1) * stride + pool - n, 0)` positions, the smaller half
 * before; padded positions take no part (the mean divides by the count of
 * real ones).
 */
export function pool(
  input: Arr,
  spec: {
    poolSize: number[];
    strides: number[];
    padding: 'valid' | 'same';
    mode: 'max' | 'average';
    dataFormat: DataFormat;
  },
): Arr {
  const a = toLast(input, spec.dataFormat);
  const rank = spec.poolSize.length;
  const spatial = a.shape.slice(1, 1 + rank);
  const outSpatial = spatial.map((n, i) => {
    const p = spec.poolSize[i] as number;
    const s = spec.strides[i] as number;
    return spec.padding === 'valid' ? Math.floor((n - p) / s) + 1 : Math.ceil(n / s);
  });
  const before = spatial.map((n, i) => {
    const p = spec.poolSize[i] as number;
    const s = spec.strides[i] as number;
    const total = Math.max(((outSpatial[i] as number) - 1) * s + p - n, 0);
    return spec.padding === 'valid' ? 0 : Math.floor(total / 2);
  });
  const shape = [a.shape[0] as number, ...outSpatial, a.shape[rank + 1] as number];
  const strides = stridesOf(a.shape);
  const values = new Float64Array(sizeOf(shape));
  forEachIndex(shape, (index, flat) => {
    let best = Number.NEGATIVE_INFINITY;
    let sum = 0;
    let count = 0;
    forEachIndex(spec.poolSize, (offset) => {
      let at = (index[0] as number) * (strides[0] as number) + (index[rank + 1] as number);
      for (let i = 0; i < rank; i++) {
        const position =
          (index[i + 1] as number) * (spec.strides[i] as number) - (before[i] as number) + (offset[i] as number);
        if (position < 0 || position >= (spatial[i] as number)) return;
        at += position * (strides[i + 1] as number);
      }
      const v = a.values[at] as number;
      best = Math.max(best, v);
      sum += v;
      count++;
    });
    values[flat] = spec.mode === 'max' ? best : sum / count;
  });
  return fromLast({ shape, values }, spec.dataFormat);
}

/** Max or mean over the spatial axes, keeping them as size 1 with `keepdims`. */
export function globalPool(
  input: Arr,
  spec: { mode: 'max' | 'average'; dataFormat: DataFormat; keepdims: boolean },
): Arr {
  const rank = input.shape.length - 2;
  const a = toLast(input, spec.dataFormat);
  const [batch, channels] = [a.shape[0] as number, a.shape[rank + 1] as number];
  const positions = sizeOf(a.shape.slice(1, rank + 1));
  const values = new Float64Array(batch * channels);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      let best = Number.NEGATIVE_INFINITY;
      let sum = 0;
      for (let p = 0; p < positions; p++) {
        const v = a.values[(b * positions + p) * channels + c] as number;
        best = Math.max(best, v);
        sum += v;
      }
      values[b * channels + c] = spec.mode === 'max' ? best : sum / positions;
    }
  }
  const ones = new Array<number>(rank).fill(1);
  const shape = !spec.keepdims
    ? [batch, channels]
    : spec.dataFormat === 'channelsLast'
      ? [batch, ...ones, channels]
      : [batch, channels, ...ones];
  return { shape, values };
}

function spatialAxes(rank: number, format: DataFormat): number[] {
  const first = format === 'channelsLast' ? 1 : 2;
  return Array.from({ length: rank }, (_, i) => first + i);
}

/** Each position of spatial axis i repeated `factors[i]` times. */
export function upsampleNearest(a: Arr, factors: number[], format: DataFormat): Arr {
  const axes = spatialAxes(factors.length, format);
  const shape = a.shape.map((n, axis) => (axes.includes(axis) ? n * (factors[axes.indexOf(axis)] as number) : n));
  return gather(a, shape, (index) =>
    index.map((d, axis) => (axes.includes(axis) ? Math.floor(d / (factors[axes.indexOf(axis)] as number)) : d)),
  );
}

/**
 * Bilinear upsampling of rows and columns, as JAX's `scale_and_translate`
 * computes it: the output position o samples the input at
 * `(o + 0.5) / factor - 0.5` with a triangle kernel, weights of positions
 * outside the input dropped and the rest renormalised.
 */
export function upsampleBilinear(input: Arr, factors: [number, number], format: DataFormat): Arr {
  const a = toLast(input, format);
  const [batch, rows, cols, channels] = a.shape as [number, number, number, number];
  const [outRows, outCols] = [rows * factors[0], cols * factors[1]];
  const weights = (o: number, n: number, factor: number): [number, number][] => {
    const at = (o + 0.5) / factor - 0.5;
    const taps: [number, number][] = [];
    for (let k = Math.floor(at); k <= Math.floor(at) + 1; k++) {
      const w = Math.max(0, 1 - Math.abs(at - k));
      if (k >= 0 && k < n && w > 0) taps.push([k, w]);
    }
    const total = taps.reduce((s, [, w]) => s + w, 0);
    return taps.map(([k, w]) => [k, w / total]);
  };
  const values = new Float64Array(batch * outRows * outCols * channels);
  let flat = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < outRows; i++) {
      const rowTaps = weights(i, rows, factors[0]);
      for (let j = 0; j < outCols; j++) {
        const colTaps = weights(j, cols, factors[1]);
        for (let c = 0; c < channels; c++) {
          let v = 0;
          for (const [r, wr] of rowTaps) {
            for (const [k, wk] of colTaps)
              v += wr * wk * (a.values[((b * rows + r) * cols + k) * channels + c] as number);
          }
          values[flat++] = v;
        }
      }
    }
  }
  return fromLast({ shape: [batch, outRows, outCols, channels], values }, format);
}

/** Zeros before and after each spatial axis: `pairs[i] = [before, after]`. */
export function zeroPad(a: Arr, pairs: number[][], format: DataFormat): Arr {
  const axes = spatialAxes(pairs.length, format);
  const shape = a.shape.map((n, axis) => {
    const i = axes.indexOf(axis);
    return i < 0 ? n : n + (pairs[i]?.[0] as number) + (pairs[i]?.[1] as number);
  });
  return gather(a, shape, (index) => {
    const from = index.map((d, axis) => {
      const i = axes.indexOf(axis);
      return i < 0 ? d : d - (pairs[i]?.[0] as number);
    });
    return from.every((d, axis) => d >= 0 && d < (a.shape[axis] as number)) ? from : null;
  });
}

/** Removes `pairs[i] = [start, end]` positions from each spatial axis. */
export function crop(a: Arr, pairs: number[][], format: DataFormat): Arr {
  const axes = spatialAxes(pairs.length, format);
  const shape = a.shape.map((n, axis) => {
    const i = axes.indexOf(axis);
    return i < 0 ? n : n - (pairs[i]?.[0] as number) - (pairs[i]?.[1] as number);
  });
  return gather(a, shape, (index) =>
    index.map((d, axis) => {
      const i = axes.indexOf(axis);
      return i < 0 ? d : d + (pairs[i]?.[0] as number);
    }),
  );
}

/** GlobalAveragePooling1D with a `(batch, steps)` mask: the mean over the steps the mask keeps. */
export function maskedMean(
  input: Arr,
  mask: readonly boolean[],
  spec: { dataFormat: DataFormat; keepdims: boolean },
): Arr {
  const a = toLast(input, spec.dataFormat);
  const [batch, steps, features] = a.shape as [number, number, number];
  const values = new Float64Array(batch * features);
  for (let b = 0; b < batch; b++) {
    const kept = Array.from({ length: steps }, (_, t) => t).filter((t) => mask[b * steps + t]);
    for (let f = 0; f < features; f++) {
      const sum = kept.reduce((s, t) => s + (a.values[(b * steps + t) * features + f] as number), 0);
      values[b * features + f] = sum / kept.length;
    }
  }
  const shape = !spec.keepdims
    ? [batch, features]
    : spec.dataFormat === 'channelsLast'
      ? [batch, 1, features]
      : [batch, features, 1];
  return { shape, values };
}
