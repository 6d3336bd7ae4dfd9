/**
 * Saves models with the mixing augmentation layers for
 * scripts/check_keras_loads_augmentation_mixing.py to load in real Keras:
 * Keras's own mixing_cnn.keras (a Pipeline of RandomErasing and
 * RandomGaussianBlur, MixUp, CutMix, MaxNumBoundingBoxes, a small CNN)
 * loaded here, trained two steps and saved again; and a model built here
 * with every mixing layer, with options set, in and out of a Pipeline;
 * Keras's policy_cnn.keras (RandAugment in a Pipeline, AugMix) likewise, and
 * one with RandAugment, CutMix and AugMix built here.
 * Each with this library's predictions.
 *
 *   TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/save-augmentation-mixing-for-keras.ts reports/keras-interop-augmentation-mixing
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_augmentation_mixing.py reports/keras-interop-augmentation-mixing
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers, models, optimizers, saving, utils } from 'keras-regularizers';

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-augmentation-mixing');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(7);

const built = new models.Sequential([
  layers.Input({ shape: [8, 8, 3] }),
  new layers.Pipeline({
    layers: [
      new layers.RandomErasing({ factor: [0.2, 0.6], scale: [0.05, 0.2], fillValue: 0.5, valueRange: [0, 1], seed: 3 }),
      new layers.RandomGaussianBlur({
        factor: 0.5,
        kernelSize: [3, 5],
        sigma: [0.2, 0.8],
        valueRange: [0, 1],
        seed: 4,
      }),
      new layers.MaxNumBoundingBoxes({ maxNumber: 4, boundingBoxFormat: 'xyxy' }),
    ],
    name: 'augment',
  }),
  new layers.MixUp({ alpha: 0.4, seed: 5 }),
  new layers.CutMix({ factor: [0.2, 0.9], seed: 6 }),
  new layers.RandomErasing({ fillValue: 0.2, valueRange: [0, 1], dataFormat: 'channelsLast' }),
  new layers.Conv2D({ filters: 2, kernelSize: 3, activation: 'tanh' }),
  new layers.Flatten(),
  new layers.Dense({ units: 2 }),
]);

const cases: Record<string, { model: models.Model; x: tf.Tensor }> = {
  mixing_cnn: {
    model: await saving.loadModel(resolve('test/fixtures/keras-augmentation-mixing/mixing_cnn.keras')),
    x: tf.mul(tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 1), 255),
  },
  mixing_built_here: { model: built, x: tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 2) },
  policy_cnn: {
    model: await saving.loadModel(resolve('test/fixtures/keras-augmentation-mixing/policy_cnn.keras')),
    x: tf.mul(tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 3), 255),
  },
  policy_built_here: {
    model: new models.Sequential([
      layers.Input({ shape: [8, 8, 3] }),
      new layers.Pipeline({
        layers: [
          new layers.RandAugment({
            valueRange: [0, 1],
            numOps: 3,
            factor: [0.1, 0.6],
            interpolation: 'nearest',
            seed: 8,
          }),
          new layers.CutMix({ seed: 9 }),
        ],
      }),
      new layers.AugMix({ valueRange: [0, 1], numChains: 2, chainDepth: 2, factor: 0.5, alpha: 0.5, seed: 10 }),
      new layers.Conv2D({ filters: 2, kernelSize: 3 }),
      new layers.GlobalAveragePooling2D(),
      new layers.Dense({ units: 2 }),
    ]),
    x: tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 4),
  },
  // A Pipeline holding trainable layers: their weights are stored under the Pipeline, as Keras stores them.
  pipeline_dense: {
    model: new models.Sequential([
      layers.Input({ shape: [4, 4, 3] }),
      new layers.Pipeline({
        layers: [
          new layers.RandomGaussianBlur({ valueRange: [0, 1], seed: 12 }),
          new layers.Dense({ units: 3, activation: 'tanh' }),
          new layers.Dense({ units: 3 }),
        ],
      }),
      new layers.Flatten(),
      new layers.Dense({ units: 2 }),
    ]),
    x: tf.randomUniform([3, 4, 4, 3], 0, 1, 'float32', 5),
  },
};

const expected: Record<string, unknown> = {};
for (const [name, { model, x }] of Object.entries(cases)) {
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
  const target = tf.tidy(() => tf.randomNormal((model.apply(x) as tf.Tensor).shape, 0, 1, 'float32', 11));
  for (let step = 0; step < 2; step++) model.trainOnBatch(x, target);
  const output = tf.tidy(() => Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync()));
  await saving.saveModel(model, join(folder, `${name}.keras`));
  expected[name] = { input: { shape: x.shape, values: Array.from(x.dataSync()) }, output };
  tf.dispose([x, target]);
  model.dispose();
}
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected));
console.log(`saved ${Object.keys(cases).length} models to ${folder}`);
