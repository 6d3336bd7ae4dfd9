/**
 * Saves a model compiled here with the confusion-matrix metrics of issue 24
 * part 1 (AUC in its forms, Precision/Recall with thresholds, top-k and class
 * ids, the at-constraint metrics, the counts, F-scores; objects and Keras's
 * string names) as a .keras file, with this library's evaluate() logs, for
 * scripts/check_keras_loads_metrics.py to load compiled in real Keras.
 *
 *   npx tsx scripts/save-confusion-metrics-for-keras.ts reports/keras-interop-metrics-confusion
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_metrics.py reports/keras-interop-metrics-confusion
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers, metrics, models, optimizers, saving, utils } from 'keras-regularizers';

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-metrics-confusion');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(24);
const model = new models.Sequential([
  layers.Input({ shape: [4] }),
  new layers.Dense({ units: 3, activation: 'sigmoid' }),
]);
model.compile({
  // Adam: an SGD saved here writes `momentum: 0`, an int in JSON, which Keras's SGD refuses.
  optimizer: new optimizers.Adam({ learningRate: 0.01 }),
  loss: 'binary_crossentropy',
  metrics: [
    new metrics.AUC(),
    new metrics.AUC({ curve: 'PR', name: 'pr_auc' }),
    new metrics.AUC({ multiLabel: true, numLabels: 3, labelWeights: [1, 2, 0.5], name: 'ml_auc' }),
    new metrics.AUC({ thresholds: [0.2, 0.5, 0.7], summationMethod: 'minoring', name: 'thr_auc' }),
    new metrics.AUC({ fromLogits: true, name: 'logit_auc' }),
    new metrics.Precision({ thresholds: 0.4 }),
    new metrics.Recall({ classId: 1 }),
    new metrics.Precision({ topK: 2, name: 'p_top2' }),
    new metrics.PrecisionAtRecall({ recall: 0.5 }),
    new metrics.RecallAtPrecision({ precision: 0.6 }),
    new metrics.SensitivityAtSpecificity({ specificity: 0.5, numThresholds: 50 }),
    new metrics.SpecificityAtSensitivity({ sensitivity: 0.7, classId: 2 }),
    new metrics.TruePositives(),
    new metrics.FalseNegatives({ thresholds: 0.3 }),
    new metrics.F1Score({ average: 'macro', threshold: 0.5 }),
    new metrics.FBetaScore({ beta: 2, average: 'weighted' }),
    'auc',
    'precision',
    'recall',
    'true_negatives',
    'false_positives',
  ],
});
const x = tf.randomNormal([9, 4], 0, 1, 'float32', 3);
const y = tf.tensor2d([1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1], [9, 3]);
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
