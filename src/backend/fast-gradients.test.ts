/** The wasm gradients built on fused kernels equal tfjs's own gradients on cpu. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import './engine.js';
import { COLUMN_SUMS, MAX_POOL_GRAD } from './fused-kernels.js';

async function onBoth(body: () => Float32Array[], kernel: string): Promise<[Float32Array[], Float32Array[]]> {
  await tf.setBackend('cpu');
  const cpu = body();
  await tf.setBackend('wasm');
  const profile = await tf.profile(() => void body());
  assert.ok(
    profile.kernels.some((k) => k.name === kernel),
    `${kernel} did not run: ${profile.kernels.map((k) => k.name)}`,
  );
  return [cpu, body()];
}

describe('fast gradients on wasm', () => {
  it('max pool 2x2 and 3x2 (strides = pool, valid): the same gradient as tfjs on cpu, ties to the first max', async () => {
    await tf.setBackend('wasm');
    for (const [pool, shape] of [
      [
        [2, 2],
        [2, 7, 6, 8],
      ],
      [
        [3, 2],
        [1, 9, 5, 4],
      ],
    ] as [[number, number], number[]][]) {
      // Rounded values: many ties inside windows.
      const values = Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.round(Math.sin(i * 0.9) * 2));
      const body = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(values, shape as [number, number, number, number]);
          const g = tf.grad((t: tf.Tensor) => {
            const y = tf.maxPool(t as tf.Tensor4D, pool, pool, 'valid');
            return tf.sum(tf.mul(y, tf.range(1, y.size + 1).reshape(y.shape)));
          })(x);
          return [g.dataSync() as Float32Array];
        });
      const before = tf.memory().numTensors;
      const [cpu, wasm] = await onBoth(body, MAX_POOL_GRAD);
      assert.deepEqual(Array.from(wasm[0] as Float32Array), Array.from(cpu[0] as Float32Array), `pool ${pool}`);
      assert.equal(tf.memory().numTensors, before);
    }
  });

  it('a bias added along the last axis: the same gradients for both operands, either order', async () => {
    await tf.setBackend('wasm');
    const body = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(
          Array.from({ length: 3 * 5 * 4 * 8 }, (_, i) => Math.cos(i)),
          [3, 5, 4, 8],
        );
        const bias = tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8]);
        const weights = tf.tensor4d(
          Array.from({ length: 3 * 5 * 4 * 8 }, (_, i) => Math.sin(i * 0.3)),
          [3, 5, 4, 8],
        );
        const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.square(tf.add(a, b)), weights));
        const [gx, gb] = tf.grads(loss)([x, bias]);
        const [gb2, gx2] = tf.grads((b: tf.Tensor, a: tf.Tensor) => loss(b, a))([bias, x]);
        return [gx, gb, gx2, gb2].map((t) => (t as tf.Tensor).dataSync() as Float32Array);
      });
    const [cpu, wasm] = await onBoth(body, COLUMN_SUMS);
    wasm.forEach((values, k) => {
      values.forEach((v, i) => {
        const expected = (cpu[k] as Float32Array)[i] as number;
        assert.ok(Math.abs(v - expected) <= 1e-5 * Math.abs(expected) + 1e-5, `output ${k}[${i}]: ${v} vs ${expected}`);
      });
    });
  });
});
