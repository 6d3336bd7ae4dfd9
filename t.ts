import * as tf from '@tensorflow/tfjs-core';
import { layers, models, optimizers, utils, OrthogonalRegularizer } from 'keras-regularizers';
utils.setRandomSeed(1);
const m = new models.Sequential([layers.Input({ shape: [28, 28, 1] }),
    new layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
    new layers.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
    new layers.MaxPooling2D({ poolSize: 2 }), new layers.Flatten(),
    new layers.Dense({ units: 10, activation: 'softmax', kernelRegularizer: new OrthogonalRegularizer(0.01) })]);
m.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
const x = tf.randomNormal([32, 28, 28, 1]); const y = tf.tensor1d(Array.from({length:32}, (_, i) => i % 10));
let peak = 0; let peakTf = 0;
const times: number[] = [];
for (let i = 0; i < 4; i++) { const t = performance.now(); m.trainOnBatch(x, y); times.push(performance.now() - t); peak = Math.max(peak, process.memoryUsage().rss); peakTf = Math.max(peakTf, tf.memory().numBytes); }
console.log(times.map(t => t.toFixed(0)), 'rss MB', (peak/1e6).toFixed(0), 'tf MB', (peakTf/1e6).toFixed(0));
