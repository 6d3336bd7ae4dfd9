/**
 * This library's half of scripts/data_parallel_resume.py (issue 21): the
 * CNN-with-BatchNormalization family of test/fixtures/keras-resume/ with
 * Adam (amsgrad), 2 epochs (4 steps) at a time on its 8 samples, batch 4,
 * no shuffling, on cpu.
 *
 *   start <folder>     from the family's initial weights: 2 epochs, saves start.keras
 *   finish <folder>    loads keras.keras (Keras's continuation), 2 more epochs, writes finish.json
 *   straight <folder>  from the initial weights: 6 epochs in one run, writes straight.json
 *
 * The JSON files hold the iteration count, each epoch's loss and every weight.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backend, type models, optimizers, saving } from 'keras-regularizers';

interface Values {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}
const FOLDER = new URL('../test/fixtures/keras-resume/', import.meta.url);
const family = (
  JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as {
    families: Record<string, { file: string; x: Values; y: Values[]; loss: string }>;
  }
).families.cnn as { file: string; x: Values; y: Values[]; loss: string };

const [mode, folder] = process.argv.slice(2) as ['start' | 'finish' | 'straight', string];
await backend.setBackend('cpu');
const x = tf.tensor(family.x.values, family.x.shape, family.x.dtype);
const yv = family.y[0] as Values;
const y = tf.tensor(yv.values, yv.shape, yv.dtype);

let model: models.Model;
if (mode === 'finish') model = await saving.loadModel(join(folder, 'keras.keras'));
else {
  model = await saving.loadModel(new URL(family.file, FOLDER).pathname);
  model.compile({
    optimizer: optimizers.deserialize({ class_name: 'Adam', config: { learning_rate: 0.01, amsgrad: true } }),
    loss: family.loss as never,
  });
}
const epochs = mode === 'straight' ? 6 : 2;
const history = await model.fit(x, y, { batchSize: 4, epochs, shuffle: false, verbose: 0 });
if (mode === 'start') await model.save(join(folder, 'start.keras'));
else {
  const report = {
    iterations: model.optimizer?.iterations,
    losses: history.history.loss,
    weights: model.weightRecords().map((r) => ({ path: r.path, values: Array.from(r.variable.dataSync()) })),
  };
  writeFileSync(join(folder, `${mode}.json`), JSON.stringify(report));
}
console.log(mode, 'iterations', model.optimizer?.iterations, 'losses', history.history.loss);
