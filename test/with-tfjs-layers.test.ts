/**
 * Sharing a process with stock @tensorflow/tfjs-layers: loading it registers
 * tfjs's stock gradients over this library's faster ones (its CommonJS
 * build brings a second tfjs-core); a training step puts ours back, so the
 * order in which the two load does not decide our speed. (The speed itself
 * is `npm run bench`'s "ours with tfjs-layers loaded" rows.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers, models } from 'keras-regularizers';

// Kernels whose gradients this library replaces (src/backend/*-gradient.ts).
const KERNELS = ['BatchMatMul', 'Relu', 'MaxPool'];

describe('a training step after tfjs-layers loaded', () => {
  // Once per process: a second import of tfjs-layers is a no-op. On wasm, where our gradients are the fast ones.
  it('runs with our gradients again, with the same numbers [wasm]', async () => {
    await backend.setBackend('wasm');
    const ours = KERNELS.map((k) => tf.getGradient(k));
    const model = () => {
      const net = new models.Sequential([
        layers.Input({ shape: [6, 6, 1] }),
        new layers.Conv2D({ filters: 2, kernelSize: 3, activation: 'relu', kernelInitializer: 'ones' }),
        new layers.MaxPooling2D({ poolSize: 2 }),
        new layers.Flatten(),
        new layers.Dense({ units: 2, kernelInitializer: 'ones' }),
      ]);
      net.compile({ optimizer: 'sgd', loss: 'mse' });
      return net;
    };
    const x = tf.tensor4d(
      Array.from({ length: 72 }, (_, i) => Math.sin(i)),
      [2, 6, 6, 1],
    );
    const y = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    const before = model();
    before.trainOnBatch(x, y);
    await import('@tensorflow/tfjs-layers');
    const replaced = KERNELS.filter((k, i) => tf.getGradient(k) !== ours[i]);
    assert.ok(
      replaced.length > 0,
      'loading tfjs-layers replaced none of our gradients: this test no longer tests anything',
    );
    const after = model();
    after.trainOnBatch(x, y);
    KERNELS.forEach((k, i) => {
      assert.equal(tf.getGradient(k), ours[i], `${k}: our gradient is back`);
    });
    const values = (m: models.Sequential) => m.weights.flatMap((w) => Array.from(w.dataSync()));
    assert.deepEqual(values(after), values(before));
    tf.dispose([x, y]);
    before.dispose();
    after.dispose();
  });
});
