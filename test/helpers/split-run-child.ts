/**
 * One process of test/resume-split-run.test.ts: trains the cases of that
 * test on `cpu` straight through (`straight`), or the first half and saves
 * `.keras` files (`first`), or loads them and trains the second half
 * (`second`), in a process of its own; prints the weights after it as
 * JSON (each float32 as its bit pattern, so that equal means bit-for-bit).
 *
 *   node --import tsx test/helpers/split-run-child.ts straight|first|second <folder>
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backend, type models, optimizers, saving } from 'keras-regularizers';

interface Values {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}
const FOLDER = new URL('../fixtures/keras-resume/', import.meta.url);
const FIXTURE = JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as {
  families: Record<string, { file: string; x: Values; y: Values[]; loss: string | string[] }>;
};

/** Families and optimizers (Keras configs) with state of every kind: moments, amsgrad's maximum, EMA. */
export const SPLIT_CASES: { name: string; family: string; optimizer: Parameters<typeof optimizers.deserialize>[0] }[] =
  [
    {
      name: 'cnn_adam',
      family: 'cnn',
      optimizer: { class_name: 'Adam', config: { learning_rate: 0.01, amsgrad: true } },
    },
    {
      name: 'lstm_rmsprop',
      family: 'embedding_lstm',
      optimizer: {
        class_name: 'RMSprop',
        config: { learning_rate: 0.01, momentum: 0.5, centered: true, clipnorm: 0.5 },
      },
    },
    {
      name: 'transformer_adamw_ema',
      family: 'transformer',
      optimizer: { class_name: 'AdamW', config: { learning_rate: 0.01, use_ema: true, ema_momentum: 0.9 } },
    },
    {
      name: 'two_outputs_nadam',
      family: 'two_outputs',
      optimizer: { class_name: 'Nadam', config: { learning_rate: 0.01 } },
    },
  ];

const [mode, folder] = process.argv.slice(2) as ['straight' | 'first' | 'second', string];
await backend.setBackend('cpu');
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype);
const result: Record<string, { iterations: number; losses: number[]; weights: number[][] }> = {};
for (const c of SPLIT_CASES) {
  const family = FIXTURE.families[c.family] as (typeof FIXTURE.families)[string];
  const x = tensorOf(family.x);
  const ys = family.y.map(tensorOf);
  const y = ys.length === 1 ? (ys[0] as tf.Tensor) : ys;
  const path = join(folder, `${c.name}.keras`);
  let model: models.Model;
  if (mode === 'second') model = await saving.loadModel(path);
  else {
    model = await saving.loadModel(new URL(family.file, FOLDER).pathname);
    model.compile({ optimizer: optimizers.deserialize(c.optimizer), loss: family.loss as never });
  }
  const losses: number[] = [];
  const halves = mode === 'straight' ? 2 : 1;
  for (let half = 0; half < halves; half++) {
    const history = await model.fit(x, y, { batchSize: 3, epochs: 2, shuffle: false, verbose: 0 });
    losses.push(...(history.history.loss as number[]));
  }
  if (mode === 'first') await model.save(path);
  result[c.name] = {
    iterations: model.optimizer?.iterations ?? -1,
    losses,
    weights: model.weights.map((w) => Array.from(new Uint32Array(Float32Array.from(w.dataSync()).buffer))),
  };
  tf.dispose([x, ...ys]);
  model.dispose();
}
console.log(JSON.stringify(result));
