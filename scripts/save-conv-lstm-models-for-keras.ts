/**
 * Saves ConvLSTM models built here (ConvLSTM1D, ConvLSTM2D, ConvLSTM3D with
 * every regularizer argument) as .keras files, with this library's
 * predictions and losses, for scripts/check_keras_loads_conv_lstm.py to
 * load in real Keras.
 *
 *   npx tsx scripts/save-conv-lstm-models-for-keras.ts reports/keras-conv-lstm-interop
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_conv_lstm.py reports/keras-conv-lstm-interop
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L1L2, L2, layers, models, saving, utils } from 'keras-regularizers';

const MODELS: Record<string, { make: () => models.Sequential; shape: number[] }> = {
  conv_lstm2d_stack: {
    shape: [4, 5, 5, 1],
    make: () =>
      new models.Sequential([
        layers.Input({ shape: [4, 5, 5, 1] }),
        new layers.ConvLSTM2D({
          filters: 3,
          kernelSize: 3,
          padding: 'same',
          returnSequences: true,
          kernelRegularizer: new L2(0.01),
          recurrentRegularizer: new L1(0.01),
        }),
        new layers.ConvLSTM2D({
          filters: 2,
          kernelSize: 3,
          biasRegularizer: new L2(0.05),
          activityRegularizer: new L2(0.01),
        }),
        new layers.Flatten(),
        new layers.Dense({ units: 2 }),
      ]),
  },
  conv_lstm1d_classifier: {
    shape: [5, 8, 2],
    make: () =>
      new models.Sequential([
        layers.Input({ shape: [5, 8, 2] }),
        new layers.ConvLSTM1D({
          filters: 3,
          kernelSize: 3,
          padding: 'same',
          returnSequences: true,
          biasRegularizer: new L1(0.01),
          activityRegularizer: new L1(0.01),
        }),
        new layers.ConvLSTM1D({
          filters: 2,
          kernelSize: 2,
          strides: 2,
          goBackwards: true,
          kernelRegularizer: new L1L2(0.01, 0.02),
        }),
        new layers.Flatten(),
        new layers.Dense({ units: 3, activation: 'softmax' }),
      ]),
  },
  conv_lstm3d_channels_first: {
    shape: [3, 2, 3, 3, 2],
    make: () =>
      new models.Sequential([
        layers.Input({ shape: [3, 2, 3, 3, 2] }),
        new layers.ConvLSTM3D({
          filters: 2,
          kernelSize: 2,
          padding: 'same',
          dataFormat: 'channelsFirst',
          recurrentRegularizer: new L2(0.02),
          kernelRegularizer: new L1(0.01),
        }),
        new layers.Flatten(),
        new layers.Dense({ units: 1 }),
      ]),
  },
};

const folder = resolve(process.argv[2] ?? 'reports/keras-conv-lstm-interop');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(13);
const expected: Record<string, unknown> = {};
for (const [name, { make, shape }] of Object.entries(MODELS)) {
  const model = make();
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = tf.randomNormal([2, ...shape], 0, 1, 'float32', 5);
  const result = tf.tidy(() => {
    const y = model.apply(x, { training: false }) as tf.Tensor;
    return { output: Array.from(y.dataSync()), losses: model.losses.map((l) => l.dataSync()[0] as number) };
  });
  model.clearLosses();
  await saving.saveModel(model, join(folder, `${name}.keras`));
  expected[name] = {
    input: { shape: x.shape, dtype: x.dtype, values: Array.from(x.dataSync()) },
    output: result.output,
    losses: result.losses,
  };
  x.dispose();
  model.dispose();
}
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected, null, 1));
console.log(`Saved ${Object.keys(MODELS).length} models to ${folder}`);
