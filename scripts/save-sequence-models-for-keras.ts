/**
 * Saves sequence models built here (Embedding with maskZero, Masking, the
 * recurrent layers, Bidirectional, TimeDistributed) as .keras files, with
 * this library's predictions and losses, for
 * scripts/check_keras_loads_sequence.py to load in real Keras.
 *
 *   npx tsx scripts/save-sequence-models-for-keras.ts reports/keras-sequence-interop
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_sequence.py reports/keras-sequence-interop
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L2, layers, models, saving, utils } from 'keras-regularizers';

const ids = () =>
  tf.tensor2d(
    [
      [3, 1, 4, 1, 0, 0],
      [5, 9, 2, 6, 5, 3],
    ],
    [2, 6],
    'int32',
  );
const MODELS: Record<string, { make: () => models.Sequential; input: () => tf.Tensor }> = {
  embedding_lstm: {
    make: () =>
      new models.Sequential([
        layers.Input({ shape: [6], dtype: 'int32' }),
        new layers.Embedding({ inputDim: 10, outputDim: 4, maskZero: true, embeddingsRegularizer: new L2(0.01) }),
        new layers.LSTM({ units: 3, kernelRegularizer: new L2(0.01), recurrentRegularizer: new L1(0.01) }),
        new layers.Dense({ units: 2, activation: 'softmax' }),
      ]),
    input: ids,
  },
  embedding_bidirectional_gru_time_distributed: {
    make: () =>
      new models.Sequential([
        layers.Input({ shape: [6], dtype: 'int32' }),
        new layers.Embedding({ inputDim: 10, outputDim: 3, maskZero: true }),
        new layers.Bidirectional({
          layer: new layers.GRU({ units: 2, returnSequences: true, recurrentRegularizer: new L2(0.1) }),
          mergeMode: 'ave',
        }),
        new layers.TimeDistributed({ layer: new layers.Dense({ units: 2, kernelRegularizer: new L2(0.05) }) }),
      ]),
    input: ids,
  },
  masking_simple_rnn: {
    make: () =>
      new models.Sequential([
        layers.Input({ shape: [4, 3] }),
        new layers.Masking(),
        new layers.SimpleRNN({ units: 3, returnSequences: true, goBackwards: true }),
        new layers.GRU({ units: 2, resetAfter: false, activityRegularizer: new L2(0.1) }),
      ]),
    input: () =>
      tf.tensor3d([
        [
          [1, 2, 3],
          [0, 0, 0],
          [0.5, -1, 2],
          [0, 0, 0],
        ],
        [
          [0, 0, 0],
          [1, 1, 1],
          [2, 0, -1],
          [1, -2, 0],
        ],
      ]),
  },
};

const folder = resolve(process.argv[2] ?? 'reports/keras-sequence-interop');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(7);
const expected: Record<string, unknown> = {};
for (const [name, { make, input }] of Object.entries(MODELS)) {
  const model = make();
  const x = input();
  const y = model.predict(x) as tf.Tensor;
  tf.tidy(() => {
    model.apply(x);
  });
  const losses = tf.tidy(() => model.losses.map((l) => l.dataSync()[0] as number));
  await saving.saveModel(model, join(folder, `${name}.keras`));
  expected[name] = {
    input: { shape: x.shape, dtype: x.dtype, values: Array.from(x.dataSync()) },
    output: Array.from(y.dataSync()),
    losses,
  };
  tf.dispose([x, y]);
  model.dispose();
}
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected, null, 1));
console.log(`Saved ${Object.keys(MODELS).length} models to ${folder}`);
