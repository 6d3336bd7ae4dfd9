/**
 * Saves models built here with the normalization and activation layers as
 * .keras files (each trained two steps first, so BatchNormalization's moving
 * statistics are not their initial values), with this library's predictions
 * and losses, for scripts/check_keras_loads.py to load in real Keras.
 *
 *   npx tsx scripts/save-normalization-models-for-keras.ts reports/keras-interop-normalization
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads.py reports/keras-interop-normalization
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initializers, L1, L1L2, L2, layers, models, optimizers, saving, utils } from 'keras-regularizers';

const MODELS: Record<string, () => models.Sequential> = {
  normalization_cnn: () =>
    new models.Sequential([
      layers.Input({ shape: [6, 6, 2] }),
      new layers.Conv2D({ filters: 4, kernelSize: 3, padding: 'same', kernelRegularizer: new L2(0.01) }),
      new layers.BatchNormalization({ momentum: 0.8, gammaRegularizer: new L2(0.05), betaRegularizer: new L1(0.02) }),
      new layers.PReLU({ sharedAxes: [1, 2], alphaRegularizer: new L1L2(0.01, 0.02) }),
      new layers.GroupNormalization({ groups: 2, gammaRegularizer: new L1(0.01) }),
      new layers.ReLU({ maxValue: 6, negativeSlope: 0.1, threshold: 0.05 }),
      new layers.Softmax({ axis: [1, 2] }),
      new layers.GlobalAveragePooling2D(),
      new layers.Dense({ units: 3 }),
      new layers.UnitNormalization(),
    ]),
  normalization_mlp: () =>
    new models.Sequential([
      layers.Input({ shape: [5, 4] }),
      new layers.Dense({ units: 6 }),
      new layers.LayerNormalization({ gammaRegularizer: new L2(0.1), betaRegularizer: new L1(0.05) }),
      new layers.LeakyReLU({ negativeSlope: 0.2 }),
      new layers.LayerNormalization({ axis: [1, 2], epsilon: 0.01, center: false }),
      new layers.BatchNormalization({ axis: 1, center: false, gammaRegularizer: new L2(0.03) }),
      new layers.ELU({ alpha: 0.7 }),
      new layers.LayerNormalization({ rmsScaling: true }),
      new layers.PReLU({ alphaInitializer: new initializers.Constant({ value: 0.25 }), alphaRegularizer: new L2(0.1) }),
      new layers.Softmax({ axis: 1 }),
    ]),
};

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-normalization');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(7);
const expected: Record<string, unknown> = {};
for (const [name, make] of Object.entries(MODELS)) {
  const model = make();
  // Adam: an SGD saved here writes `momentum: 0`, an int in JSON, which Keras's SGD refuses.
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
  const inputShape = [4, ...((model.layers[0] as layers.InputLayer).batchShape.slice(1) as number[])];
  const x = tf.randomNormal(inputShape, 0.5, 1.5, 'float32', 9);
  const target = tf.tidy(() => tf.randomNormal((model.apply(x) as tf.Tensor).shape, 0, 1, 'float32', 10));
  for (let step = 0; step < 2; step++) model.trainOnBatch(x, target);
  const { output, losses } = tf.tidy(() => ({
    output: Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync()),
    losses: model.losses.map((l) => l.dataSync()[0] as number),
  }));
  await saving.saveModel(model, join(folder, `${name}.keras`));
  expected[name] = { input: { shape: inputShape, values: Array.from(x.dataSync()) }, output, losses };
  tf.dispose([x, target]);
  model.dispose();
}
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected));
console.log(`saved ${Object.keys(MODELS).length} models to ${folder}`);
