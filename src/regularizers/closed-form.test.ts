import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '../backend/engine.js';
import { fusedKernelsActive } from '../backend/fused-kernels.js';
import { absolute } from '../ops/index.js';
import { l1l2Penalty } from './closed-form.js';

/** The autodiff formula, as Keras writes it. */
function plain(x: tf.Tensor, l1: number, l2: number): tf.Scalar {
  let value: tf.Tensor = tf.scalar(0);
  if (l1 !== 0) value = tf.add(value, tf.mul(l1, tf.sum(absolute(x))));
  if (l2 !== 0) value = tf.add(value, tf.mul(l2, tf.sum(tf.square(x))));
  return value as tf.Scalar;
}

describe('closed-form L1/L2 gradients', () => {
  for (const backendName of ['cpu', 'wasm']) {
    it(`equal autodiff's value and gradient, zeros included [${backendName}]`, async () => {
      await tf.setBackend(backendName);
      const x = tf.tensor([-1.5, 0, 2, 0.25, -0, -3, 1e-30], [7]);
      for (const [l1, l2] of [
        [0.1, 0],
        [0, 0.3],
        [0.1, 0.2],
        [0, 0],
      ] as const) {
        const [ours, reference] = tf.tidy(() => {
          // A downstream scale, so dy is not 1.
          const a = tf.valueAndGrad((t: tf.Tensor) => tf.mul(l1l2Penalty(t, l1, l2), 3) as tf.Scalar)(x);
          const b = tf.valueAndGrad(
            (t: tf.Tensor) => tf.add(tf.mul(plain(t, l1, l2), 3), tf.mul(tf.sum(t), 0)) as tf.Scalar,
          )(x);
          // `+ 0` turns -0 into 0: the reference adds a zero term, ours does not.
          return [a, b].map((r) => [r.value.dataSync()[0], ...r.grad.dataSync()].map((v) => (v as number) + 0));
        });
        assert.deepEqual(ours, reference, `l1=${l1}, l2=${l2}`);
      }
      x.dispose();
    });
  }
});

describe('the fused L1/L2 kernel on wasm', () => {
  it('matches a float64 reference over many SIMD blocks and a ragged tail, dy of 1 and not', async () => {
    await tf.setBackend('wasm');
    assert.equal(fusedKernelsActive(), true);
    // 3 blocks of 4096 and a tail of 3, with zeros, tiny values and negative zero.
    const size = 3 * 4096 + 7;
    const values = Float32Array.from({ length: size }, (_, i) =>
      i % 11 === 0 ? 0 : i % 13 === 0 ? -1e-30 : i % 17 === 0 ? -0 : Math.sin(i * 0.37) * 3,
    );
    const x = tf.tensor1d(values);
    const before = tf.memory().numTensors;
    for (const [l1, l2] of [
      [0.01, 0],
      [0, 0.02],
      [0.01, 0.02],
    ] as const) {
      let absSum = 0;
      let squareSum = 0;
      for (const v of values) {
        absSum += Math.abs(v);
        squareSum += v * v;
      }
      const expected = (l1 !== 0 ? l1 * absSum : 0) + (l2 !== 0 ? l2 * squareSum : 0);
      for (const upstream of [1, 3]) {
        const [value, grad] = tf.tidy(() => {
          const r = tf.valueAndGrad((t: tf.Tensor) => tf.mul(l1l2Penalty(t, l1, l2), upstream) as tf.Scalar)(x);
          return [r.value.dataSync()[0] as number, r.grad.dataSync()];
        });
        assert.ok(Math.abs(value - upstream * expected) <= 1e-6 * upstream * expected, `${value} vs ${expected}`);
        values.forEach((v, i) => {
          const exact = upstream * (l1 * Math.sign(v) + 2 * l2 * v) + 0;
          const got = (grad[i] as number) + 0;
          assert.ok(Math.abs(got - exact) <= 1e-6 * Math.abs(exact) + 1e-37, `grad[${i}] ${got} vs ${exact}`);
        });
      }
      // Outside a tape only the value is computed.
      const alone = tf.tidy(() => l1l2Penalty(x, l1, l2).dataSync()[0] as number);
      assert.ok(Math.abs(alone - expected) <= 1e-6 * expected);
    }
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});
