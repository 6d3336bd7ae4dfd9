/**
 * Trains two small models with this package's own regularizers (proximal
 * GroupLasso, SparseGroupLasso, L1 and L1L2; an LSTM with gated groups) and
 * saves them as .keras files with their predictions and penalties, for
 * scripts/check_python_regularizers.py to load in real Keras with the
 * Python module in python/.
 *
 *   TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/save-proximal-regularizers-for-keras.ts test/fixtures/proximal-regularizers
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_python_regularizers.py test/fixtures/proximal-regularizers
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L1L2, layers, models, optimizers, regularizers, saving } from 'keras-regularizers';

const folder = resolve(process.argv[2] ?? 'test/fixtures/proximal-regularizers');
mkdirSync(folder, { recursive: true });
const numbers = (n: number, shift: number) => Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + shift));

function mlp(): models.Sequential {
  return new models.Sequential([
    layers.Input({ shape: [6] }),
    new layers.Dense({
      units: 5,
      name: 'hidden',
      activation: 'relu',
      kernelRegularizer: new regularizers.GroupLasso({ factor: 0.05, axis: -1, proximal: true }),
      biasRegularizer: new L1({ l1: 0.01, proximal: true }),
    }),
    new layers.Dense({
      units: 3,
      name: 'out',
      kernelRegularizer: new regularizers.SparseGroupLasso({ factor: 0.05, l1: 0.01, axis: 0, proximal: true }),
      biasRegularizer: new L1L2({ l1: 0.01, l2: 0.02, proximal: true }),
    }),
  ]);
}

function lstm(): models.Sequential {
  return new models.Sequential([
    layers.Input({ shape: [4, 3] }),
    new layers.LSTM({
      units: 4,
      name: 'lstm',
      kernelRegularizer: new regularizers.GroupLasso({ factor: 0.05, ...regularizers.groupAxis('LSTM', 'units') }),
      recurrentRegularizer: new regularizers.GroupLasso({ factor: 0.05, axis: -1, gates: 4, proximal: true }),
    }),
    new layers.Dense({ units: 2, name: 'out', kernelRegularizer: regularizers.groupLasso({ factor: 0.01, axis: 0 }) }),
  ]);
}

const expected: Record<string, unknown> = {};
for (const [name, make, xShape, yShape] of [
  ['mlp', mlp, [8, 6], [8, 3]],
  ['lstm', lstm, [8, 4, 3], [8, 2]],
] as const) {
  const model = make();
  const x = tf.tensor(
    numbers(
      xShape.reduce((a, b) => a * b, 1),
      0.1,
    ),
    [...xShape],
  );
  const y = tf.tensor(
    numbers(
      yShape.reduce((a, b) => a * b, 1),
      1.3,
    ),
    [...yShape],
  );
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.05 }), loss: 'mse' });
  for (let step = 0; step < 20; step++) model.trainOnBatch(x, y);
  await saving.saveModel(model, join(folder, `${name}.keras`));
  const prediction = model.predict(x) as tf.Tensor;
  const losses = model.losses;
  expected[name] = {
    x: { shape: x.shape, values: Array.from(x.dataSync()) },
    prediction: Array.from(prediction.dataSync()),
    losses: losses.map((l) => l.dataSync()[0]),
    zeros: model.weights.map((w) => Array.from(w.dataSync()).filter((v) => v === 0).length),
  };
  tf.dispose([x, y, prediction, ...losses]);
  model.dispose();
}
writeFileSync(join(folder, 'expected.json'), `${JSON.stringify(expected)}\n`);
console.log(`saved ${Object.keys(expected).length} models to ${folder}`);
