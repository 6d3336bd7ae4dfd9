/**
 * Losses and metrics under a Keras mask (Embedding maskZero reaching the
 * output through a recurrent layer), against real Keras
 * (scripts/generate_keras_masked_loss_fixtures.py): evaluate() over batches
 * of 2 (one of them all padding, the last not full), and 2 SGD steps.
 * Keras on JAX computes training-step metrics without the mask (the mask
 * does not survive jax.value_and_grad) while its loss, evaluate() and the
 * TensorFlow backend use it; we use it everywhere, so the step logs compare
 * the loss and the weights (COMPATIBILITY.md).
 */
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, losses, models, optimizers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertNoLeak } from './helpers/leaks.js';

interface Values {
  shape: number[];
  dtype: string;
  values: number[];
}
interface Case {
  name: string;
  loss: string | { class_name: string; config: { reduction: string } };
  metrics: string[];
  weights: Values[];
  x: Values;
  y: Values;
  evaluate_batch_size_2: Record<string, number>;
  train_on_batch_logs: Record<string, number>[];
  weights_after_2_steps: Values[];
}

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-masked-loss.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

function model(name: string): models.Sequential {
  const recurrent = name.startsWith('GRU')
    ? [new layers.GRU({ units: 3, returnSequences: true })]
    : [new layers.LSTM({ units: 2, returnSequences: true })];
  const head = name.startsWith('GRU')
    ? new layers.TimeDistributed({ layer: new layers.Dense({ units: 3, activation: 'softmax' }) })
    : new layers.Dense({ units: 2 });
  return new models.Sequential([
    layers.Input({ shape: [4], dtype: 'int32' }),
    new layers.Embedding({ inputDim: 6, outputDim: 3, maskZero: true }),
    ...recurrent,
    head,
  ]);
}

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype === 'int32' ? 'int32' : 'float32');

describeEachBackend('losses and metrics under a Keras mask, as real Keras reduces them', () => {
  for (const c of FIXTURE.cases) {
    it(c.name, async () => {
      await assertNoLeak(async () => {
        const net = model(c.name);
        const initial = c.weights.map(tensorOf);
        net.setWeights(initial);
        const loss = typeof c.loss === 'string' ? c.loss : new losses.MeanSquaredError({ reduction: 'sum' });
        net.compile({ optimizer: new optimizers.SGD({ learningRate: 0.5 }), loss, metrics: c.metrics });
        const [x, y] = [tensorOf(c.x), tensorOf(c.y)];
        const evaluated = (await net.evaluate(x, y, { batchSize: 2 })) as Record<string, number>;
        for (const [key, expected] of Object.entries(c.evaluate_batch_size_2)) {
          assertAllClose([evaluated[key] as number], [expected], TOLERANCE, `evaluate ${key}`);
        }
        const [x4, y4] = [x.slice(0, 4), y.slice(0, 4)];
        for (const expected of c.train_on_batch_logs) {
          const logs = net.trainOnBatch(x4, y4) as Record<string, number>;
          assertAllClose([logs.loss as number], [expected.loss as number], TOLERANCE, 'train_on_batch loss');
        }
        net.weights.forEach((w, i) => {
          const expected = c.weights_after_2_steps[i] as Values;
          assertAllClose(Array.from(w.dataSync()), expected.values, TOLERANCE, `weight ${w.name}`);
        });
        tf.dispose([...initial, x, y, x4, y4]);
        net.dispose();
      });
    });
  }
});
