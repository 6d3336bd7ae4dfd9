import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '../backend/engine.js';
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
