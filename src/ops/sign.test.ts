import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '../backend/engine.js';
import { sign } from './sign.js';

describe('sign', () => {
  for (const backendName of ['cpu', 'wasm']) {
    it(`is Math.sign for zeros, subnormals, normals, extremes and infinities [${backendName}]`, async () => {
      await tf.setBackend(backendName);
      const values = [
        0,
        -0,
        1.4e-45,
        -1.4e-45,
        1e-40,
        -1e-40,
        1.2e-38,
        1e-7,
        -3,
        3.4e38,
        -3.4e38,
        Infinity,
        -Infinity,
        0.5,
      ];
      const ours = tf.tidy(() => Array.from(sign(tf.tensor(values)).dataSync()));
      // Against Math.sign of the float32 values, not tf.sign: wasm's Sign gives 0 for |x| up to about 1e-7.
      assert.deepEqual(
        ours.map((v) => v + 0),
        Array.from(Float32Array.from(values), (v) => Math.sign(v) + 0),
      );
    });
  }
});
