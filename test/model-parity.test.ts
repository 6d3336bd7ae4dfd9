/**
 * Small things a Keras user types: `model.layers` of a Sequential without
 * its InputLayer (Keras 3), `getLayer` by name or index over those,
 * `countParams()` (with the count worked out here), and `model.save(path)`
 * as the Keras spelling of `saving.saveModel`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L2, layers, models, saving } from 'keras-regularizers';
import { expectValueError } from './helpers/errors.js';

function classifier(): models.Sequential {
  return new models.Sequential(
    [
      layers.Input({ shape: [784] }),
      new layers.Dense({ units: 512, activation: 'relu', kernelRegularizer: new L2(1e-4), name: 'hidden' }),
      new layers.Dense({ units: 10, activation: 'softmax', name: 'out' }),
    ],
    { name: 'mnist' },
  );
}

describe('Keras parity of small things', () => {
  it('a Sequential lists its layers without the InputLayer, and getLayer indexes that list', () => {
    const model = classifier();
    assert.deepEqual(
      model.layers.map((l) => l.name),
      ['hidden', 'out'],
    );
    assert.equal(model.getLayer(0).name, 'hidden');
    assert.equal(model.getLayer('out').name, 'out');
    expectValueError(() => model.getLayer(2), 'Was asked to retrieve layer at index 2 but model only has 2 layers.');
    model.dispose();
  });

  it('countParams counts every weight value: 784*512 + 512 + 512*10 + 10', () => {
    const model = classifier();
    assert.equal(model.countParams(), 784 * 512 + 512 + 512 * 10 + 10);
    assert.equal(model.getLayer('out').countParams(), 512 * 10 + 10);
    const unbuilt = new layers.Dense({ units: 3, name: 'later' });
    expectValueError(
      () => unbuilt.countParams(),
      'You tried to call `countParams` on layer "later", but the layer isn\'t built. You can build it manually via: `layer.build(inputShape)`.',
    );
    model.dispose();
  });

  it('model.save(path) writes what saving.loadModel reads back, with the same predictions', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'model-save-'));
    try {
      const model = classifier();
      const x = tf.randomNormal([3, 784], 0, 1, 'float32', 4);
      const path = join(folder, 'mnist.keras');
      await model.save(path);
      const loaded = await saving.loadModel(path);
      const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
      assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()));
      tf.dispose([x, a, b]);
      model.dispose();
      loaded.dispose();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
