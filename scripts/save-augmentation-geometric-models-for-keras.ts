/**
 * Saves models built here with the geometric augmentation layers as .keras
 * files, each trained two epochs with `fit` first (augmented batches), with
 * this library's predictions, for
 * scripts/check_keras_loads_augmentation_geometric.py to load in real Keras:
 * keras.io's "image classification from scratch" block (RandomFlip,
 * RandomRotation, Rescaling, a small conv net) as a Functional model, and
 * Sequential models with the other six layers; and Keras's own files of
 * test/fixtures/keras-augmentation-geometric/, loaded here and saved back.
 *
 *   TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/save-augmentation-geometric-models-for-keras.ts reports/keras-interop-augmentation-geometric
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_augmentation_geometric.py reports/keras-interop-augmentation-geometric
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers as L, models, optimizers, saving, utils } from 'keras-regularizers';

type Make = () => models.Model;
const head = (channels: number) => [
  new L.Conv2D({ filters: channels, kernelSize: 3, activation: 'relu' }),
  new L.GlobalAveragePooling2D(),
  new L.Dense({ units: 2, activation: 'softmax' }),
];

const MODELS: Record<string, { make: Make; shape: number[] }> = {
  ts_augment_cnn: {
    shape: [8, 8, 3],
    make: () => {
      const inputs = L.Input({ shape: [8, 8, 3] });
      let h = new L.RandomFlip({ mode: 'horizontal' }).apply(inputs);
      h = new L.RandomRotation({ factor: 0.1 }).apply(h);
      h = new L.Rescaling({ scale: 1 / 255 }).apply(h);
      h = new L.Conv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(h);
      h = new L.GlobalAveragePooling2D().apply(h);
      const outputs = new L.Dense({ units: 2, activation: 'softmax' }).apply(h);
      return new models.Model({ inputs, outputs, name: 'ts_augment_cnn' });
    },
  },
  ts_augment_affine: {
    shape: [8, 8, 1],
    make: () =>
      new models.Sequential([
        L.Input({ shape: [8, 8, 1] }),
        new L.RandomZoom({ heightFactor: [-0.2, 0.3], widthFactor: 0.1, fillMode: 'wrap', seed: 1 }),
        new L.RandomTranslation({ heightFactor: 0.1, widthFactor: [-0.2, 0.1], fillMode: 'constant', fillValue: 0.5 }),
        new L.RandomShear({ xFactor: [0, 0.2], interpolation: 'nearest', seed: 2 }),
        new L.RandomRotation({ factor: [-0.05, 0.1], fillMode: 'nearest', seed: 3 }),
        ...head(3),
      ]),
  },
  ts_augment_warp: {
    shape: [8, 8, 2],
    make: () =>
      new models.Sequential([
        L.Input({ shape: [8, 8, 2] }),
        new L.RandomPerspective({ factor: 0.5, scale: 0.2, seed: 4 }),
        new L.RandomElasticTransform({
          factor: [0.2, 0.8],
          scale: 0.5,
          fillMode: 'mirror',
          valueRange: [0, 1],
          seed: 5,
        }),
        new L.RandomFlip({ mode: 'vertical', seed: 6 }),
        ...head(3),
      ]),
  },
  ts_augment_crop: {
    shape: [8, 10, 1],
    make: () =>
      new models.Sequential([
        L.Input({ shape: [8, 10, 1] }),
        new L.RandomCrop({ height: 6, width: 6, seed: 7 }),
        ...head(2),
      ]),
  },
};

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-augmentation-geometric');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(8);
const expected: Record<string, unknown> = {};
for (const [name, { make, shape }] of Object.entries(MODELS)) {
  const model = make();
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  const x = tf.randomUniform([4, ...shape], 0, 1, 'float32', 9);
  const y = tf.tensor1d([0, 1, 1, 0]);
  await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
  const predictions = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
  await saving.saveModel(model, join(folder, `${name}.keras`));
  expected[name] = { input: { shape: x.shape, values: Array.from(x.dataSync()) }, predictions };
  tf.dispose([x, y]);
  model.dispose();
}
// Keras's own files (test/fixtures/keras-augmentation-geometric/), loaded here and saved back.
for (const [name, shape] of [
  ['augment_cnn', [8, 8, 3]],
  ['augment_more', [8, 8, 1]],
] as const) {
  const model = await saving.loadModel(resolve(`test/fixtures/keras-augmentation-geometric/${name}.keras`));
  const x = tf.randomUniform([4, ...shape], 0, 1, 'float32', 10);
  const predictions = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
  await saving.saveModel(model, join(folder, `keras_${name}_resaved.keras`));
  expected[`keras_${name}_resaved`] = { input: { shape: x.shape, values: Array.from(x.dataSync()) }, predictions };
  x.dispose();
  model.dispose();
}
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected));
console.log(`saved ${Object.keys(expected).length} models to ${folder}`);
