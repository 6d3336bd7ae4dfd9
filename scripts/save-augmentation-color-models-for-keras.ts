/**
 * Saves models built here with the color augmentation layers as .keras
 * files, each trained two steps first with `fit` (the layers draw in
 * training), with this library's predictions (inference: AutoContrast
 * applies, the random layers are the identity), for
 * scripts/check_keras_loads_augmentation_color.py to load in real Keras.
 * Equalization is left out of the models: Keras cannot build it in a
 * Functional graph (its compute_output_spec returns its input: a cycle).
 *
 *   TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/save-augmentation-color-models-for-keras.ts reports/keras-interop-augmentation-color
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_augmentation_color.py reports/keras-interop-augmentation-color
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers, models, optimizers, saving, utils } from 'keras-regularizers';

const MODELS: Record<string, { shape: number[]; high: number; make: () => models.Sequential }> = {
  color_cnn: {
    shape: [6, 6, 3],
    high: 255,
    make: () =>
      new models.Sequential([
        layers.Input({ shape: [6, 6, 3] }),
        new layers.RandomContrast({ factor: 0.2, seed: 1 }),
        new layers.RandomBrightness({ factor: [-0.1, 0.2], seed: 2 }),
        new layers.RandomGrayscale({ factor: 0.2, seed: 3 }),
        new layers.RandomHue({ factor: 0.1, seed: 4 }),
        new layers.RandomSaturation({ factor: [0.4, 0.6] }),
        new layers.RandomColorJitter({ brightnessFactor: 0.1, contrastFactor: [0.1, 0.2], hueFactor: 0.05, seed: 5 }),
        new layers.RandomColorDegeneration({ factor: 0.2, seed: 6 }),
        new layers.RandomInvert({ factor: 0.1, seed: 7 }),
        new layers.RandomPosterization({ factor: [5, 8], seed: 8 }),
        new layers.Solarization({ additionFactor: 0.1, thresholdFactor: 0.9, seed: 9 }),
        new layers.RandomSharpness({ factor: 0.3, seed: 10 }),
        new layers.AutoContrast(),
        new layers.Rescaling({ scale: 1 / 255 }),
        new layers.Conv2D({ filters: 2, kernelSize: 3, activation: 'relu' }),
        new layers.GlobalAveragePooling2D(),
        new layers.Dense({ units: 2 }),
      ]),
  },
  color_unit_range: {
    shape: [5, 5, 3],
    high: 1,
    make: () =>
      new models.Sequential([
        layers.Input({ shape: [5, 5, 3] }),
        new layers.ContrastLimitedAdaptiveHistogramEqualization({
          valueRange: [0, 1],
          clipLimit: 2,
          tileGridSize: [2, 3],
        }),
        new layers.AutoContrast({ valueRange: [0, 1] }),
        new layers.RandomColorDegeneration({ factor: [0.1, 0.3], valueRange: [0, 1], seed: 11 }),
        new layers.Solarization({ thresholdFactor: [0.5, 0.9], valueRange: [0, 1], dataFormat: 'channelsLast' }),
        new layers.Flatten(),
        new layers.Dense({ units: 1 }),
      ]),
  },
};

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-augmentation-color');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(7);
const expected: Record<string, unknown> = {};
for (const [name, { shape, high, make }] of Object.entries(MODELS)) {
  const model = make();
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
  const x = tf.randomUniform([3, ...shape], 0, high, 'float32', 12);
  const target = tf.tidy(() => tf.randomNormal((model.apply(x) as tf.Tensor).shape, 0, 1, 'float32', 13));
  await model.fit(x, target, { epochs: 2, batchSize: 3, verbose: 0 });
  const output = tf.tidy(() => Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync()));
  await saving.saveModel(model, join(folder, `${name}.keras`));
  expected[name] = {
    input: { shape: x.shape, values: Array.from(x.dataSync()) },
    output,
    layers: model.layers.map((l) => (l.constructor as { className?: string }).className),
  };
  tf.dispose([x, target]);
  model.dispose();
}
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected));
console.log(`saved ${Object.keys(MODELS).length} models to ${folder}`);
