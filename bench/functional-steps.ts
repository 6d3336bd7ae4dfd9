/**
 * The MLP of the training bench (784-512-512-10, L2 kernels, batch 128) as a
 * Sequential and as a Functional model, interleaved in one fresh process:
 * the graph's bookkeeping must cost next to nothing. Prints one JSON object.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend, L2, layers, models, optimizers } from 'keras-regularizers';
import { interleave } from './harness.js';
import { mlp } from './models.js';

await backend.setBackend('wasm');
const batch = 128;
const x = tf.randomNormal([batch, 784], 0, 1, 'float32', 1);
const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10));

function functionalMlp(): models.Model {
  const inputs = layers.Input({ shape: [784] });
  let h: layers.KerasTensor = inputs;
  for (const units of [512, 512]) {
    h = new layers.Dense({ units, activation: 'relu', kernelRegularizer: new L2(1e-4) }).apply(h) as layers.KerasTensor;
  }
  const outputs = new layers.Dense({ units: 10, activation: 'softmax', kernelRegularizer: new L2(1e-4) }).apply(h);
  const model = new models.Model({ inputs, outputs });
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  return model;
}

const sequential = mlp('L2 kernel');
const functional = functionalMlp();
const measured = interleave(
  {
    sequential: () => void sequential.trainOnBatch(x, y),
    functional: () => void functional.trainOnBatch(x, y),
  },
  { warmup: 3, rounds: 41 },
);
console.log(JSON.stringify(measured));
