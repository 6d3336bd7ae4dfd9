/**
 * Our CNN training step (no regularizer) in a process that also loaded
 * and used stock @tensorflow/tfjs-layers, which registers tfjs's stock
 * gradients over ours when it loads (src/backend/own-gradients.ts): the
 * step must keep its speed. `before`: tfjs-layers is imported and trains
 * one step before our model is made; `after`: our model trains first;
 * `alone`: no tfjs-layers.
 * Prints one JSON object: a Measurement.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend } from 'keras-regularizers';
import { interleave } from './harness.js';
import { cnn } from './models.js';

// `alone`: the same measurement without tfjs-layers, the baseline of the other two.
const order = process.argv[2] === 'after' ? 'after' : process.argv[2] === 'alone' ? 'alone' : 'before';
await backend.setBackend('wasm');
const x = tf.randomNormal([32, 28, 28, 1], 0, 1, 'float32', 1);
const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10));

async function useTfjsLayers(): Promise<void> {
  const tfl = await import('@tensorflow/tfjs-layers');
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 2 })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await model.trainOnBatch(tf.ones([2, 4]), tf.zeros([2, 2]));
}

if (order === 'before') await useTfjsLayers();
const model = cnn('none');
model.trainOnBatch(x, y);
if (order === 'after') await useTfjsLayers();
const measured = interleave({ none: () => void model.trainOnBatch(x, y) }, { warmup: 3, rounds: 41 });
console.log(JSON.stringify(measured.none));
