import * as tf from '@tensorflow/tfjs-core';
import { layers, models, optimizers, utils, L2 } from 'keras-regularizers';
utils.setRandomSeed(1);
function mlp(reg?: () => any) {
  return new models.Sequential([layers.Input({ shape: [784] }),
    new layers.Dense({ units: 512, activation: 'relu', kernelRegularizer: reg?.() }),
    new layers.Dense({ units: 512, activation: 'relu', kernelRegularizer: reg?.() }),
    new layers.Dense({ units: 10, activation: 'softmax', kernelRegularizer: reg?.() })]);
}
const x = tf.randomNormal([128, 784]); const y = tf.tensor1d(Array.from({length:128}, (_, i) => i % 10));
for (const [name, reg] of [['none', undefined], ['l2', () => new L2(1e-4)]] as const) {
  const m = mlp(reg); m.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  for (let i = 0; i < 5; i++) m.trainOnBatch(x, y);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) { const t = performance.now(); m.trainOnBatch(x, y); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log(name, 'median ms', times[10]!.toFixed(1));
}
