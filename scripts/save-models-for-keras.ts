/**
 * Saves models built here as .keras files, with this library's predictions
 * and losses, for scripts/check_keras_loads.py to load in real Keras.
 *
 *   npx tsx scripts/save-models-for-keras.ts reports/keras-interop
 *   KERAS_BACKEND=jax python scripts/check_keras_loads.py reports/keras-interop
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L1L2, L2, layers, models, OrthogonalRegularizer, optimizers, saving, utils } from 'keras-regularizers';

// The same custom class as the Keras scripts register (my_pkg>MyScaledL1), registered on import.
import { MyScaledL1 } from '../test/helpers/custom-regularizers.js';

const MODELS: Record<string, () => models.Sequential> = {
  dense_all_kinds: () =>
    new models.Sequential([
      layers.Input({ shape: [4] }),
      new layers.Dense({
        units: 5,
        activation: 'relu',
        kernelRegularizer: new L1(0.01),
        biasRegularizer: new L2(0.1),
        activityRegularizer: new L2(0.01),
      }),
      new layers.Dense({ units: 4, kernelRegularizer: new OrthogonalRegularizer(0.2, 'columns') }),
      new layers.Dense({
        units: 3,
        kernelRegularizer: new L1L2(0.02, 0.03),
        activityRegularizer: new MyScaledL1({ scale: 2 }),
      }),
    ]),
  conv1d_causal: () =>
    new models.Sequential([
      layers.Input({ shape: [8, 2] }),
      new layers.Conv1D({
        filters: 3,
        kernelSize: 3,
        padding: 'causal',
        dilationRate: 2,
        kernelRegularizer: new L2(0.05),
        activityRegularizer: new L1(0.01),
      }),
      new layers.Flatten(),
      new layers.Dense({ units: 2, kernelRegularizer: new L1(0.01) }),
    ]),
  conv2d_pool: () =>
    new models.Sequential([
      layers.Input({ shape: [6, 6, 2] }),
      new layers.Conv2D({
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelRegularizer: new L1L2(0.01, 0.01),
      }),
      new layers.MaxPooling2D(),
      new layers.Flatten(),
      new layers.Dropout({ rate: 0.3 }),
      new layers.Dense({ units: 4, activation: 'softmax', biasRegularizer: new L2(0.2) }),
    ]),
  conv3d_channels_first: () =>
    new models.Sequential([
      layers.Input({ shape: [1, 4, 4, 4] }),
      new layers.Conv3D({
        filters: 2,
        kernelSize: 2,
        strides: 2,
        dataFormat: 'channelsFirst',
        kernelRegularizer: new L2(0.1),
        activityRegularizer: new L2(0.01),
      }),
      new layers.Flatten(),
      new layers.Dense({ units: 1, kernelRegularizer: new MyScaledL1({ scale: 3 }) }),
    ]),
};

const folder = resolve(process.argv[2] ?? 'reports/keras-interop');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(5);
const expected: Record<string, unknown> = {};
for (const [name, make] of Object.entries(MODELS)) {
  const model = make();
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
  const inputShape = [3, ...((model.stackedLayers[0] as layers.InputLayer).batchShape.slice(1) as number[])];
  const x = tf.randomNormal(inputShape, 0, 1, 'float32', 9);
  const { output, losses } = tf.tidy(() => ({
    output: Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync()),
    losses: model.losses.map((l) => l.dataSync()[0] as number),
  }));
  await saving.saveModel(model, join(folder, `${name}.keras`));
  expected[name] = { input: { shape: inputShape, values: Array.from(x.dataSync()) }, output, losses };
  x.dispose();
  model.dispose();
}
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected));
console.log(`saved ${Object.keys(MODELS).length} models to ${folder}`);
