/**
 * Saves a model compiled here with the metrics of issue 24 part 2 (top-k,
 * IoU, R², RMSE, losses as metrics, correlations; objects and Keras's
 * string names) as a .keras file, with this library's evaluate() logs, for
 * scripts/check_keras_loads_metrics.py to load compiled in real Keras.
 *
 *   npx tsx scripts/save-metrics-models-for-keras.ts reports/keras-interop-metrics
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_metrics.py reports/keras-interop-metrics
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers, metrics, models, optimizers, saving, utils } from 'keras-regularizers';

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-metrics');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(24);
const model = new models.Sequential([
  layers.Input({ shape: [4] }),
  new layers.Dense({ units: 5, activation: 'softmax' }),
]);
model.compile({
  // Adam: an SGD saved here writes `momentum: 0`, an int in JSON, which Keras's SGD refuses.
  optimizer: new optimizers.Adam({ learningRate: 0.01 }),
  loss: 'categorical_crossentropy',
  metrics: [
    new metrics.TopKCategoricalAccuracy({ k: 2 }),
    new metrics.MeanIoU({ numClasses: 5, sparseYTrue: false, sparseYPred: false }),
    new metrics.OneHotIoU({ numClasses: 5, targetClassIds: [0, 3], dtype: 'float32' }),
    new metrics.OneHotMeanIoU({ numClasses: 5, ignoreClass: 4 }),
    new metrics.R2Score({ classAggregation: 'variance_weighted_average' }),
    new metrics.RootMeanSquaredError(),
    new metrics.CategoricalCrossentropy({ labelSmoothing: 0.1 }),
    new metrics.KLDivergence(),
    new metrics.Poisson(),
    new metrics.CategoricalHinge(),
    new metrics.CosineSimilarity(),
    new metrics.LogCoshError(),
    new metrics.PearsonCorrelation(),
    new metrics.ConcordanceCorrelation(),
    'top_k_categorical_accuracy',
    'mape',
    'msle',
    'squared_hinge',
  ],
});
const x = tf.randomNormal([7, 4], 0, 1, 'float32', 3);
const labels = tf.tensor1d([0, 1, 2, 2, 1, 4, 3], 'int32');
const y = tf.oneHot(labels, 5).toFloat();
const logs = model.evaluate(x, y, { batchSize: 3 });
await saving.saveModel(model, join(folder, 'metrics.keras'));
const expected = {
  x: { shape: x.shape, values: Array.from(x.dataSync()) },
  y: { shape: y.shape, values: Array.from(y.dataSync()) },
  evaluate_batch_size_3: logs,
  compile_config: model.getCompileConfig(),
};
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected, null, 1));
console.log(`saved ${join(folder, 'metrics.keras')} with logs`, logs);
