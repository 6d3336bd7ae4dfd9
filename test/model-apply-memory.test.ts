/**
 * A model applied outside `tf.tidy` leaves only its outputs (and their
 * masks, and the layers' recorded penalties) behind: its layers'
 * intermediate outputs are freed, as tfjs-layers frees them.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L2, layers, models } from 'keras-regularizers';
import { describeEachBackend } from './helpers/backends.js';

describeEachBackend('model.apply outside a tidy', () => {
  it('Sequential: one output tensor and one penalty per activity regularizer remain', () => {
    const model = new models.Sequential([
      layers.Input({ shape: [4] }),
      new layers.Dense({ units: 3, activation: 'relu', activityRegularizer: new L2(0.1) }),
      new layers.Dense({ units: 3 }),
      new layers.Dense({ units: 2 }),
    ]);
    const x = tf.ones([2, 4]);
    model.apply(x); // first call builds and records; the count is taken on the second
    const before = tf.memory().numTensors;
    const y = model.apply(x) as tf.Tensor;
    // The output is new; the penalty of the first call was replaced by this call's one.
    assert.equal(tf.memory().numTensors, before + 1);
    assert.equal(model.losses.length, 1);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('Functional with a mask: the output and its mask remain', () => {
    const ids = layers.Input({ shape: [3], dtype: 'int32' });
    const embedded = new layers.Embedding({ inputDim: 5, outputDim: 2, maskZero: true }).apply(ids);
    const hidden = new layers.Dense({ units: 3 }).apply(embedded);
    const model = new models.Model({ inputs: ids, outputs: new layers.Dense({ units: 2 }).apply(hidden) });
    const x = tf.tensor2d([1, 2, 0], [1, 3], 'int32');
    tf.dispose(model.apply(x) as tf.Tensor);
    const before = tf.memory().numTensors;
    const y = model.apply(x) as tf.Tensor;
    assert.equal(tf.memory().numTensors, before + 2, 'the output and its mask');
    assert.deepEqual(Array.from(y.kerasMask?.dataSync() ?? []), [1, 1, 0]);
    tf.dispose([x, y]);
    assert.equal(tf.memory().numTensors, before - 1, 'disposing the output frees its mask');
    model.dispose();
  });
});
