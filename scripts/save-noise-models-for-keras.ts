/**
 * Saves models built here with GaussianNoise, GaussianDropout, AlphaDropout
 * and SpectralNormalization (over Dense, Conv2D and Embedding) as .keras
 * files, each trained two steps first (vector_u and the weights move), with
 * this library's predictions and weights, for
 * scripts/check_keras_loads_noise.py to load in real Keras.
 *
 *   TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/save-noise-models-for-keras.ts reports/keras-interop-noise
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_noise.py reports/keras-interop-noise
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { L2, layers, models, optimizers, saving, utils } from 'keras-regularizers';

const MODELS: Record<string, { make: () => models.Sequential; input: () => tf.Tensor }> = {
  noise_mlp: {
    make: () =>
      new models.Sequential([
        layers.Input({ shape: [6] }),
        new layers.GaussianNoise({ stddev: 0.2, seed: 3 }),
        new layers.SpectralNormalization({
          layer: new layers.Dense({ units: 8, activation: 'relu', kernelRegularizer: new L2(0.01) }),
        }),
        new layers.GaussianDropout({ rate: 0.3 }),
        new layers.AlphaDropout({ rate: 0.1, seed: 5 }),
        new layers.SpectralNormalization({ layer: new layers.Dense({ units: 3 }), powerIterations: 2 }),
      ]),
    input: () => tf.randomNormal([4, 6], 0, 1, 'float32', 9),
  },
  spectral_cnn: {
    make: () =>
      new models.Sequential([
        layers.Input({ shape: [6, 6, 2] }),
        new layers.SpectralNormalization({
          layer: new layers.Conv2D({ filters: 4, kernelSize: 3 }),
          powerIterations: 3,
        }),
        new layers.AlphaDropout({ rate: 0.2, noiseShape: [null, 1, 1, 4] }),
        new layers.GlobalAveragePooling2D(),
        new layers.SpectralNormalization({ layer: new layers.Dense({ units: 2 }) }),
      ]),
    input: () => tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 10),
  },
  spectral_embedding: {
    make: () =>
      new models.Sequential([
        layers.Input({ shape: [5], dtype: 'int32' }),
        new layers.SpectralNormalization({ layer: new layers.Embedding({ inputDim: 7, outputDim: 3 }) }),
        new layers.GlobalAveragePooling1D(),
        new layers.Dense({ units: 2 }),
      ]),
    input: () => tf.tensor2d([0, 1, 2, 3, 4, 6, 5, 4, 3, 2], [2, 5], 'int32'),
  },
};

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-noise');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(7);
const expected: Record<string, unknown> = {};
for (const [name, { make, input }] of Object.entries(MODELS)) {
  const model = make();
  // Adam: an SGD saved here writes `momentum: 0`, an int in JSON, which Keras's SGD refuses.
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
  const x = input();
  const target = tf.tidy(() => tf.randomNormal((model.apply(x) as tf.Tensor).shape, 0, 1, 'float32', 11));
  for (let step = 0; step < 2; step++) model.trainOnBatch(x, target);
  const output = tf.tidy(() => Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync()));
  await saving.saveModel(model, join(folder, `${name}.keras`));
  expected[name] = {
    input: { shape: x.shape, dtype: x.dtype, values: Array.from(x.dataSync()) },
    output,
    weight_paths: model.weightRecords().map((r) => r.path),
    weights: model.weights.map((w) => Array.from(w.dataSync())),
  };
  tf.dispose([x, target]);
  model.dispose();
}
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected));
console.log(`saved ${Object.keys(MODELS).length} models to ${folder}`);
