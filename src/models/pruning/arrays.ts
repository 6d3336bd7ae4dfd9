/**
 * Plain host-side arrays for pruning: a weight read once from its variable,
 * sliced along axes by the indices kept, and written into the new layer.
 * Pruning is a one-off rewrite, so row-major loops on the host are simpler
 * and exact (no float32 kernels between the old weights and the new ones).
 */
import * as tf from '@tensorflow/tfjs-core';

/** A row-major array with its shape. */
export interface HostArray {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** The value of a variable or tensor, copied to the host. */
export function hostArray(tensor: tf.Tensor): HostArray {
  return { shape: [...tensor.shape], data: Float32Array.from(tensor.dataSync() as Float32Array) };
}

/** The number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Normalizes a possibly negative axis. */
function axisOf(array: HostArray, axis: number): number {
  return axis < 0 ? array.shape.length + axis : axis;
}

/** `array` restricted to `indices` along `axis` (numpy's `take`). */
export function take(array: HostArray, axis: number, indices: readonly number[]): HostArray {
  const a = axisOf(array, axis);
  const outer = sizeOf(array.shape.slice(0, a));
  const inner = sizeOf(array.shape.slice(a + 1));
  const n = array.shape[a] as number;
  const data = new Float32Array(outer * indices.length * inner);
  let o = 0;
  for (let i = 0; i < outer; i++) {
    for (const k of indices) {
      const start = (i * n + k) * inner;
      data.set(array.data.subarray(start, start + inner), o);
      o += inner;
    }
  }
  const shape = [...array.shape];
  shape[a] = indices.length;
  return { shape, data };
}

/** The L2 norm of each slice `index` of `axis` (the sum of squares over every other axis, in float64). */
export function sliceNorms(array: HostArray, axis: number): Float64Array {
  const a = axisOf(array, axis);
  const outer = sizeOf(array.shape.slice(0, a));
  const inner = sizeOf(array.shape.slice(a + 1));
  const n = array.shape[a] as number;
  const sums = new Float64Array(n);
  for (let i = 0; i < outer; i++) {
    for (let k = 0; k < n; k++) {
      const start = (i * n + k) * inner;
      for (let j = 0; j < inner; j++) {
        const v = array.data[start + j] as number;
        sums[k] = (sums[k] as number) + v * v;
      }
    }
  }
  return sums.map(Math.sqrt);
}

/** Sets slice `index` of `axis` to zero, in place. */
export function zeroSlice(array: HostArray, axis: number, index: number): void {
  const a = axisOf(array, axis);
  const outer = sizeOf(array.shape.slice(0, a));
  const inner = sizeOf(array.shape.slice(a + 1));
  const n = array.shape[a] as number;
  for (let i = 0; i < outer; i++) array.data.fill(0, (i * n + index) * inner, (i * n + index + 1) * inner);
}

/** The indices `0..n-1` where `keep` is true. */
export function kept(keep: readonly boolean[]): number[] {
  const out: number[] = [];
  keep.forEach((k, i) => {
    if (k) out.push(i);
  });
  return out;
}

/** A tfjs tensor of a host array. */
export function toTensor(array: HostArray): tf.Tensor {
  return tf.tensor(array.data, [...array.shape], 'float32');
}

/** Zeroes each slice of `axis` whose L2 norm is at most `threshold` (and not already 0); returns how many. */
export function zeroSmallSlices(array: HostArray, axis: number, threshold: number): number {
  let n = 0;
  sliceNorms(array, axis).forEach((norm, index) => {
    if (norm > 0 && norm <= threshold) {
      zeroSlice(array, axis, index);
      n++;
    }
  });
  return n;
}
