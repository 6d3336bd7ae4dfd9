/**
 * The reverse of test/keras-resume.test.ts (issue 21): this library trains
 * each case of test/fixtures/keras-resume/ for 2 epochs (from the family's
 * initial weights that Keras saved, compiled with the case's optimizer from
 * its Keras config, batch 4, no shuffling), saves `<case>.keras` and legacy
 * `<case>.h5` with the optimizer's state, then trains the same 3 steps as
 * Keras did and writes their losses and the weights after them to
 * expected.json, for scripts/check_keras_resumes.py to resume from our
 * files in real Keras and compare.
 *
 *   TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/save-resume-models-for-keras.ts reports/keras-resume-reverse [cpu|wasm]
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_resumes.py reports/keras-resume-reverse
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backend, optimizers, saving } from 'keras-regularizers';

interface Values {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}
interface Family {
  file: string;
  x: Values;
  y: Values[];
  loss: string | string[];
}
interface Case {
  name: string;
  family: string;
  optimizer: string;
  config: Parameters<typeof optimizers.deserialize>[0];
}

const FOLDER = new URL('../test/fixtures/keras-resume/', import.meta.url);
const FIXTURE = JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as {
  batch_size: number;
  epochs: number;
  steps: [number, number][];
  families: Record<string, Family>;
  cases: Case[];
};

const out = resolve(process.argv[2] ?? 'reports/keras-resume-reverse');
await backend.setBackend((process.argv[3] ?? 'cpu') as 'cpu' | 'wasm');
mkdirSync(out, { recursive: true });

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype);
const cases = [];
for (const c of FIXTURE.cases) {
  const family = FIXTURE.families[c.family] as Family;
  const model = await saving.loadModel(new URL(family.file, FOLDER).pathname);
  model.compile({ optimizer: optimizers.deserialize(c.config), loss: family.loss as never });
  const x = tensorOf(family.x);
  const ys = family.y.map(tensorOf);
  const y = ys.length === 1 ? (ys[0] as tf.Tensor) : ys;
  const history = await model.fit(x, y, {
    batchSize: FIXTURE.batch_size,
    epochs: FIXTURE.epochs,
    shuffle: false,
    verbose: 0,
  });
  await model.save(join(out, `${c.name}.keras`));
  await model.save(join(out, `${c.name}.h5`));
  const losses = FIXTURE.steps.map(([start, end]) => {
    const [xb, ...yb] = [x, ...ys].map((t) => t.slice(start, end - start));
    const logs = model.trainOnBatch(xb as tf.Tensor, yb.length === 1 ? (yb[0] as tf.Tensor) : yb);
    tf.dispose([xb as tf.Tensor, ...yb]);
    return logs.loss as number;
  });
  cases.push({
    name: c.name,
    family: c.family,
    optimizer: c.optimizer,
    keras: `${c.name}.keras`,
    h5: `${c.name}.h5`,
    fit_loss: history.history.loss,
    iteration: FIXTURE.epochs * Math.ceil((family.x.shape[0] as number) / FIXTURE.batch_size),
    losses,
    weights: model.weightRecords().map((r) => ({
      path: r.path,
      shape: r.variable.shape,
      values: Array.from(r.variable.dataSync()),
    })),
  });
  console.log(c.name, losses.map((l) => l.toFixed(6)).join(' '));
  tf.dispose([x, ...ys]);
  model.dispose();
}
writeFileSync(
  join(out, 'expected.json'),
  JSON.stringify({ backend: backend.getBackend(), steps: FIXTURE.steps, families: FIXTURE.families, cases }),
);
console.log(`${cases.length} cases saved to ${out}`);
