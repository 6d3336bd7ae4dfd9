import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';

export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** float32 tolerance used against real Keras: rtol 1e-5, plus a small atol for values near 0. */
export const FLOAT32: Required<Tolerance> = { rtol: 1e-5, atol: 1e-6 };

type Numbers = tf.Tensor | number | ArrayLike<number>;

function toArray(value: Numbers): number[] {
  if (value instanceof tf.Tensor) return Array.from(value.dataSync());
  if (typeof value === 'number') return [value];
  return Array.from(value);
}

/**
 * Asserts |actual - expected| <= atol + rtol * |expected| elementwise (NumPy's
 * `allclose`); NaN equals NaN, infinities must match exactly.
 */
export function assertAllClose(actual: Numbers, expected: Numbers, tolerance: Tolerance = {}, label = ''): void {
  const { rtol, atol } = { ...FLOAT32, ...tolerance };
  const a = toArray(actual);
  const e = toArray(expected);
  assert.equal(a.length, e.length, `${label} length: got ${a.length}, expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = e[i] as number;
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    if (!Number.isFinite(y) || !Number.isFinite(x)) {
      assert.equal(x, y, `${label}[${i}]: got ${x}, expected ${y}`);
      continue;
    }
    const bound = atol + rtol * Math.abs(y);
    if (Math.abs(x - y) > bound) {
      assert.fail(`${label}[${i}]: got ${x}, expected ${y} (|diff| ${Math.abs(x - y)} > ${bound})`);
    }
  }
}
