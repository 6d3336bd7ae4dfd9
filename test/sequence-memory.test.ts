/**
 * Memory over 1000 training steps of a masked text model (Embedding with
 * maskZero -> Bidirectional(LSTM) -> GRU -> Dense), once with plain SGD
 * (the Embedding's row updates) and once with Adam (dense updates), with
 * a penalty on each kind of recurrent weight and an activity penalty.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L2, layers, models, optimizers } from 'keras-regularizers';
import { describeEachBackend } from './helpers/backends.js';

function textModel(optimizer: optimizers.Optimizer): models.Sequential {
  const model = new models.Sequential([
    layers.Input({ shape: [5], dtype: 'int32' }),
    new layers.Embedding({ inputDim: 20, outputDim: 4, maskZero: true }),
    new layers.Bidirectional({
      layer: new layers.LSTM({ units: 3, returnSequences: true, recurrentRegularizer: new L2(0.01) }),
    }),
    new layers.GRU({ units: 3, kernelRegularizer: new L1(0.01), activityRegularizer: new L2(0.01) }),
    new layers.Dense({ units: 2, activation: 'softmax', biasRegularizer: new L2(0.01) }),
  ]);
  model.compile({ optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

describeEachBackend('memory over 1000 training steps of a masked text model', () => {
  for (const [label, make] of [
    ['SGD (row updates of the table)', () => new optimizers.SGD({ learningRate: 0.1 })],
    ['Adam', () => new optimizers.Adam()],
  ] as const) {
    it(`${label}: numTensors after step 10 equals that after step 1000`, () => {
      const model = textModel(make());
      const x = tf.tensor2d([3, 7, 0, 0, 0, 1, 2, 3, 4, 5, 9, 0, 11, 0, 0, 19, 18, 17, 0, 0], [4, 5], 'int32');
      const y = tf.tensor1d([0, 1, 1, 0]);
      let atStep10 = 0;
      for (let step = 1; step <= 1000; step++) {
        model.trainOnBatch(x, y);
        if (step === 10) atStep10 = tf.memory().numTensors;
      }
      assert.equal(tf.memory().numTensors, atStep10);
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});
