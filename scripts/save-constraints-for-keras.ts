/**
 * Saves models with weight constraints for scripts/check_keras_loads_constraints.py
 * to load in real Keras: Keras's own constrained.keras (MaxNorm, NonNeg,
 * UnitNorm) after three training steps here, and a model built here with a
 * constraint on every kind of weight (Conv2D, DepthwiseConv2D, LSTM,
 * BatchNormalization, PReLU, Dense). Each with its input, our predictions
 * and our layer configs' constraints.
 *
 *   npx tsx scripts/save-constraints-for-keras.ts reports/keras-constraints-interop
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_constraints.py reports/keras-constraints-interop
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { constraints, layers, models, optimizers, saving } from 'keras-regularizers';

const folder = resolve(process.argv[2] ?? 'reports/keras-constraints-interop');
mkdirSync(folder, { recursive: true });
const fixtures = resolve('test/fixtures/keras-constraints');
const expected: Record<string, unknown> = {};

function constraintConfigs(model: models.Model): Record<string, unknown>[] {
  return model.layers.map((layer) => {
    const config = saving.configToSnake(layer.getConfig() as Record<string, unknown>);
    return Object.fromEntries(Object.entries(config).filter(([key]) => key.endsWith('_constraint')));
  });
}

async function save(name: string, model: models.Model, x: tf.Tensor): Promise<void> {
  writeFileSync(join(folder, `${name}.keras`), await saving.saveModelToBytes(model));
  expected[name] = {
    input: { shape: x.shape, values: Array.from(x.dataSync()) },
    output: Array.from((model.predict(x) as tf.Tensor).dataSync()),
    weights: model.weights.map((w) => Array.from(w.dataSync())),
    constraints: constraintConfigs(model),
  };
}

// Keras's file, trained here three steps (Dropout at rate 0, as the fixture's Keras steps).
const file = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));
const kerasModel = (await saving.loadModelFromBytes(readFileSync(join(fixtures, 'constrained.keras')))) as models.Model;
(kerasModel.layers[1] as unknown as { rate: number }).rate = 0;
const x = tf.tensor(file.x.values, file.x.shape);
const y = tf.tensor(file.y.values, file.y.shape);
for (let i = 0; i < 3; i++) kerasModel.trainOnBatch(x, y);
(kerasModel.layers[1] as unknown as { rate: number }).rate = 0.5;
await save('keras_file_trained_here', kerasModel, x);

// A model of ours with a constraint on every kind of weight.
const ours = new models.Sequential([
  layers.Input({ shape: [6, 6, 2] }),
  new layers.Conv2D({
    filters: 3,
    kernelSize: 3,
    kernelConstraint: new constraints.MaxNorm({ maxValue: 0.5, axis: [0, 1, 2] }),
    biasConstraint: 'non_neg',
  }),
  new layers.DepthwiseConv2D({ kernelSize: 2, depthwiseConstraint: new constraints.UnitNorm([0, 1]) }),
  new layers.BatchNormalization({
    gammaConstraint: new constraints.NonNeg(),
    betaConstraint: constraints.maxNorm(0.2),
  }),
  new layers.PReLU({ alphaConstraint: new constraints.MinMaxNorm({ minValue: 0.1, maxValue: 0.3, axis: null }) }),
  new layers.Reshape({ targetShape: [9, 3] }),
  new layers.LSTM({ units: 4, kernelConstraint: 'max_norm', recurrentConstraint: new constraints.UnitNorm(1) }),
  new layers.Dense({ units: 2, kernelConstraint: new constraints.MinMaxNorm({ minValue: 0.5, maxValue: 0.8 }) }),
]);
ours.compile({ optimizer: new optimizers.Adam({ learningRate: 0.05 }), loss: 'mse' });
const xs = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 3);
const ys = tf.randomNormal([4, 2], 0, 1, 'float32', 4);
for (let i = 0; i < 3; i++) ours.trainOnBatch(xs, ys);
await save('every_weight_kind', ours, xs);

writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected));
console.log(`saved ${Object.keys(expected).length} models to ${folder}`);
