/**
 * The six adaptive poolings against real Keras 3.15.1
 * (test/fixtures/keras-more-layers.json, scripts/generate_keras_more_layers_fixtures.py):
 * Keras's bins (shrinking and growing, bins that overlap), channels first
 * and last, configs and JSON both ways, outputs and input gradients (rtol
 * 1e-5) on cpu and wasm; a Keras-made CNN with adaptive poolings loads,
 * trains 3 SGD steps to Keras's numbers (an L2 kernel penalty included) and
 * saves back; errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from 'keras-regularizers';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { casesOfKind, checkLayerCase, checkModelEntry, FIXTURE, type ModelEntry } from './helpers/more-layers.js';

describeEachBackend('adaptive poolings: real Keras cases', () => {
  for (const c of casesOfKind('adaptive_pooling')) {
    it(`${c.name}: Keras's config, outputs and input gradients`, () => checkLayerCase(c));
  }

  it('a CNN with adaptive poolings (Keras-made .keras): predictions, 3 SGD steps, saved back', async () => {
    await checkModelEntry(FIXTURE.models.adaptive_cnn as ModelEntry);
  });
});

describe('adaptive poolings: behaviour', () => {
  it("bins follow Keras's floor/ceil arithmetic", () => {
    assert.deepEqual(layers.adaptiveBins(5, 3), [
      [0, 2],
      [1, 4],
      [3, 5],
    ]);
    assert.deepEqual(layers.adaptiveBins(3, 5), [
      [0, 1],
      [0, 2],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
  });

  it('takes one size for every axis, and gives symbolic shapes in both formats', () => {
    const last = new layers.AdaptiveMaxPooling3D({ outputSize: 2 });
    assert.deepEqual(last.outputSize, [2, 2, 2]);
    assert.deepEqual(last.computeOutputShape([null, 5, 6, 7, 3]), [null, 2, 2, 2, 3]);
    const first = new layers.AdaptiveAveragePooling2D({ outputSize: [3, 1], dataFormat: 'channels_first' });
    assert.deepEqual(first.computeOutputShape([null, 4, 9, 9]), [null, 4, 3, 1]);
    assert.deepEqual(first.getConfig().outputSize, [3, 1]);
    const x = layers.Input({ shape: [8, 3] });
    assert.deepEqual(new layers.AdaptiveAveragePooling1D({ outputSize: 5 }).apply(x).shape, [null, 5, 3]);
  });
});

describe('adaptive poolings: errors name the argument, the expected and the received', () => {
  it('refuses a bad outputSize and inputs of the wrong rank', () => {
    expectValueError(
      () => new layers.AdaptiveAveragePooling2D({ outputSize: [2, 2, 2] }),
      'Invalid value for argument outputSize: expected a positive integer or a list of 2 of them. Received: outputSize=[2,2,2]',
    );
    expectValueError(
      () => new layers.AdaptiveMaxPooling1D({ outputSize: 0 }),
      'Invalid value for argument outputSize: expected a positive integer (or a list of one). Received: outputSize=0',
    );
    expectValueError(
      () => new layers.AdaptiveMaxPooling2D({ outputSize: 2, dataFormat: 'nhwc' as never }),
      /^The `dataFormat` argument must be one of "channelsLast", "channelsFirst"/,
    );
    const pool = new layers.AdaptiveMaxPooling2D({ name: 'pool', outputSize: 2 });
    tf.tidy(() => {
      expectValueError(
        () => pool.apply(tf.zeros([2, 4, 3])),
        'Input 0 of layer "pool" is incompatible with the layer: expected ndim=4, found ndim=3. Full shape received: [2, 4, 3]',
      );
    });
  });
});
