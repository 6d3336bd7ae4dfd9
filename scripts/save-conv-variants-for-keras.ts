/**
 * Saves models of the convolution variants built here (DepthwiseConv1D/2D,
 * SeparableConv1D/2D, Conv1D/2D/3DTranspose, channels-last and -first) as
 * .keras files, with this library's predictions and losses, for
 * scripts/check_keras_loads.py to load in real Keras.
 *
 *   npx tsx scripts/save-conv-variants-for-keras.ts reports/keras-interop-conv-variants
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads.py reports/keras-interop-conv-variants
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L1L2, L2, layers, models, optimizers, saving } from 'keras-regularizers';

const MODELS: Record<string, [number[], () => layers.Layer[]]> = {
  block_and_decoder: [
    [8, 8, 3],
    () => [
      new layers.DepthwiseConv2D({
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        depthMultiplier: 2,
        depthwiseRegularizer: new L2(0.01),
        activityRegularizer: new L1(0.001),
      }),
      new layers.SeparableConv2D({
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        depthwiseRegularizer: new L1(0.01),
        pointwiseRegularizer: new L1(0.03),
        biasRegularizer: new L2(0.05),
      }),
      new layers.Conv2DTranspose({
        filters: 2,
        kernelSize: 3,
        strides: 2,
        outputPadding: 1,
        kernelRegularizer: new L1L2(0.01, 0.02),
        activityRegularizer: new L2(0.01),
      }),
    ],
  ],
  channels_first: [
    [3, 6, 5],
    () => [
      new layers.DepthwiseConv2D({ kernelSize: 2, dataFormat: 'channelsFirst', depthwiseRegularizer: new L2(0.1) }),
      new layers.SeparableConv2D({ filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', dilationRate: 2 }),
      new layers.Conv2DTranspose({
        filters: 3,
        kernelSize: 2,
        strides: 2,
        padding: 'same',
        dataFormat: 'channelsFirst',
        kernelRegularizer: new L2(0.1),
      }),
    ],
  ],
  sequence_1d: [
    [10, 2],
    () => [
      new layers.DepthwiseConv1D({
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        depthMultiplier: 3,
        depthwiseRegularizer: new L1(0.05),
      }),
      new layers.SeparableConv1D({
        filters: 3,
        kernelSize: 2,
        activation: 'tanh',
        pointwiseRegularizer: new L2(0.02),
        activityRegularizer: new L1(0.01),
      }),
      new layers.Conv1DTranspose({
        filters: 2,
        kernelSize: 3,
        strides: 3,
        padding: 'same',
        outputPadding: 2,
        kernelRegularizer: new L2(0.03),
      }),
    ],
  ],
  volume_3d: [
    [2, 3, 2, 2],
    () => [
      new layers.Conv3DTranspose({
        filters: 2,
        kernelSize: [2, 3, 2],
        strides: [2, 1, 2],
        padding: 'same',
        kernelRegularizer: new L1L2(0.02, 0.02),
        biasRegularizer: new L1(0.1),
        activityRegularizer: new L2(0.01),
      }),
    ],
  ],
};

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-conv-variants');
mkdirSync(folder, { recursive: true });
const expected: Record<string, unknown> = {};
for (const [name, [shape, make]] of Object.entries(MODELS)) {
  const model = new models.Sequential([layers.Input({ shape }), ...make()]);
  tf.tidy(() => model.setWeights(model.weights.map((w, i) => tf.randomNormal(w.shape, 0, 0.4, 'float32', i + 1))));
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
  const x = tf.randomNormal([3, ...shape], 0, 1, 'float32', 7);
  const { output, losses } = tf.tidy(() => ({
    output: Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync()),
    losses: model.losses.map((l) => l.dataSync()[0] as number),
  }));
  await saving.saveModel(model, join(folder, `${name}.keras`));
  expected[name] = { input: { shape: x.shape, values: Array.from(x.dataSync()) }, output, losses };
  x.dispose();
  model.dispose();
}
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected));
console.log(`saved ${Object.keys(MODELS).length} models to ${folder}`);
