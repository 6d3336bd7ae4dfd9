/**
 * Saves models with Keras's preprocessing layers as .keras files for
 * scripts/check_keras_loads_preprocessing.py to load in real Keras: the two
 * Keras-made files of test/fixtures/keras-preprocessing/ loaded here and
 * trained two steps, and two models built here (a Normalization and a
 * Discretization adapted here), each with this library's predictions and
 * weights.
 *
 *   TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/save-preprocessing-models-for-keras.ts reports/keras-interop-preprocessing
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_preprocessing.py reports/keras-interop-preprocessing
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers, models, optimizers, saving, utils } from 'keras-regularizers';

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-preprocessing');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(7);

function imageModel(): models.Model {
  const norm = new layers.Normalization();
  norm.adapt(tf.randomUniform([8, 9, 10, 3], 0, 1, 'float32', 3));
  return new models.Sequential([
    layers.Input({ shape: [9, 10, 3] }),
    new layers.Rescaling({ scale: 1 / 255 }),
    norm,
    new layers.Resizing({ height: 6, width: 7, interpolation: 'nearest', padToAspectRatio: true, fillValue: 0.5 }),
    new layers.CenterCrop({ height: 8, width: 8 }),
    new layers.Conv2D({ filters: 2, kernelSize: 3, activation: 'relu' }),
    new layers.Flatten(),
    new layers.Dense({ units: 2 }),
  ]);
}

function binnedModel(): models.Model {
  const bins = new layers.Discretization({ numBins: 4, outputMode: 'multi_hot' });
  bins.adapt(tf.randomNormal([40, 2], 0, 1, 'float32', 4));
  const inputs = layers.Input({ shape: [2] });
  const encoded = bins.apply(inputs);
  const scaled = new layers.Normalization({ mean: [0.5, 0.5, 0.5, 0.5], variance: [0.25, 0.25, 0.25, 0.25] }).apply(
    encoded,
  );
  const outputs = new layers.Dense({ units: 3 }).apply(scaled);
  return new models.Functional({ inputs, outputs, name: 'binned_here' });
}

const CASES: Record<string, { model: () => Promise<models.Model>; input: () => tf.Tensor }> = {
  image_cnn_from_keras: {
    model: () => saving.loadModel('test/fixtures/keras-preprocessing/image_cnn.keras'),
    input: () => tf.randomUniform([3, 9, 10, 3], 0, 255, 'float32', 5),
  },
  binned_dense_from_keras: {
    model: () => saving.loadModel('test/fixtures/keras-preprocessing/binned_dense.keras'),
    input: () => tf.randomUniform([5, 1], -2, 2, 'float32', 6),
  },
  image_cnn_here: {
    model: async () => imageModel(),
    input: () => tf.randomUniform([3, 9, 10, 3], 0, 255, 'float32', 7),
  },
  binned_here: { model: async () => binnedModel(), input: () => tf.randomNormal([5, 2], 0, 1, 'float32', 8) },
};

const expected: Record<string, unknown> = {};
for (const [name, { model: make, input }] of Object.entries(CASES)) {
  const model = await make();
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
console.log(`saved ${Object.keys(CASES).length} models to ${folder}`);
