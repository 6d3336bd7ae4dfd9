/**
 * Saves models from this library as legacy `.h5` files, with this library's
 * numbers, for scripts/check_keras_loads_h5.py to load in real Keras
 * (`keras.models.load_model('m.h5')`) and compare: every `.h5` file Keras
 * made for the tests, loaded here and saved again, and models built here
 * with the TypeScript API (Sequential and Functional, with L1, L2, L1L2,
 * OrthogonalRegularizer, activity penalties and my_pkg>MyScaledL1; and
 * nested: a Sequential inside a Functional model inside a Sequential).
 *
 *   npm run build && npx tsx scripts/save-legacy-h5-models-for-keras.ts reports/keras-interop-h5
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_h5.py reports/keras-interop-h5
 *
 * expected.json is in the schema of scripts/check_keras_loads_functional.py:
 * {"models": {name: {inputs, predictions, losses, targets, evaluate, input_names, output_names}}}.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers as L, L1, L1L2, L2, models, OrthogonalRegularizer, saving } from 'keras-regularizers';
// The custom class the Keras fixtures use (my_pkg>MyScaledL1), registered on import.
import { MyScaledL1 } from '../test/helpers/custom-regularizers.js';

interface Values {
  shape: number[];
  values: number[];
}
interface Case {
  input_names: string[];
  output_names: string[];
  inputs: Record<string, Values>;
  targets?: Record<string, Values>;
}

const FIXTURES = new URL('../test/fixtures/keras-legacy-h5/', import.meta.url);
const KERAS_CASES = JSON.parse(readFileSync(new URL('expected.json', FIXTURES), 'utf8')).models as Record<string, Case>;

const values = (t: tf.Tensor): Values => ({ shape: [...t.shape], values: Array.from(t.dataSync()) });
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, 'float32');
const structured = (names: string[], record: Record<string, Values>) =>
  names.length === 1 ? tensorOf(record[names[0] as string] as Values) : names.map((n) => tensorOf(record[n] as Values));

/** Saves `model` as `<name>.h5` and returns its case: this library's predictions, losses and evaluate loss. */
async function save(folder: string, name: string, model: models.Model, data: Case): Promise<Record<string, unknown>> {
  await saving.saveModel(model, join(folder, `${name}.h5`));
  const x = structured(data.input_names, data.inputs);
  const run = (): { predictions: Record<string, Values>; losses: number[] } => {
    const result = model.apply(x as tf.Tensor, { training: false });
    const outputs = Array.isArray(result) ? result : [result];
    const predictions = Object.fromEntries(data.output_names.map((n, i) => [n, values(outputs[i] as tf.Tensor)]));
    const losses = model.losses.map((l) => l.dataSync()[0] as number);
    model.clearLosses();
    return { predictions, losses };
  };
  // Plain numbers out, tensors of the call freed.
  let result: ReturnType<typeof run> | null = null;
  tf.tidy(() => {
    result = run();
  });
  const { predictions, losses } = result as unknown as ReturnType<typeof run>;
  const entry: Record<string, unknown> = { ...data, predictions, losses };
  if (data.targets != null && model.getCompileConfig() != null) {
    const y = structured(data.output_names, data.targets);
    const logs = model.evaluate(x, y, { batchSize: 32 });
    entry.evaluate = Object.fromEntries(Object.entries(logs).filter(([k]) => k === 'loss' || k.endsWith('_loss')));
    tf.dispose(y);
  } else delete entry.targets;
  tf.dispose(x);
  return entry;
}

const random = (shape: number[], seed: number): Values => values(tf.randomNormal(shape, 0, 1, 'float32', seed));

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-h5');
rmSync(folder, { recursive: true, force: true });
mkdirSync(folder, { recursive: true });
const expected: Record<string, unknown> = {};

for (const [name, data] of Object.entries(KERAS_CASES)) {
  const model = await saving.loadModel(new URL(`${name}.h5`, FIXTURES).pathname);
  expected[`keras_${name}`] = await save(folder, `keras_${name}`, model, data);
  model.dispose();
}

{
  // Built here: a Sequential with every built-in regularizer, the custom one and an activity penalty.
  const model = new models.Sequential([
    L.Input({ shape: [4] }),
    new L.Dense({
      units: 6,
      activation: 'relu',
      kernelRegularizer: new L1L2(0.01, 0.02),
      activityRegularizer: new L2(0.03),
    }),
    new L.Dense({
      units: 5,
      kernelRegularizer: new OrthogonalRegularizer(0.1, 'columns'),
      biasRegularizer: new L1(0.05),
    }),
    new L.Dense({ units: 2, kernelRegularizer: new MyScaledL1({ scale: 0.7 }) }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  expected.ts_sequential = await save(folder, 'ts_sequential', model, {
    input_names: ['input'],
    output_names: ['output'],
    inputs: { input: random([5, 4], 1) },
    targets: { output: random([5, 2], 2) },
  });
  model.dispose();
}
{
  // Built here: a Functional model of two inputs and two outputs, compiled with two losses and loss weights.
  const a = L.Input({ shape: [3], name: 'a' });
  const b = L.Input({ shape: [2], name: 'b' });
  const joined = new L.Concatenate({ name: 'concat' }).apply([a, b]) as L.KerasTensor;
  const h = new L.Dense({ units: 4, kernelRegularizer: new OrthogonalRegularizer(0.05), name: 'shared' }).apply(
    joined,
  ) as L.KerasTensor;
  const p = new L.Dense({ units: 2, kernelRegularizer: new L2(0.01), name: 'p' }).apply(h);
  const q = new L.Dense({
    units: 1,
    biasRegularizer: new MyScaledL1({ scale: 2 }),
    activityRegularizer: new L1(0.02),
    name: 'q',
  }).apply(h);
  const model = new models.Model([a, b], [p as L.KerasTensor, q as L.KerasTensor], {
    name: 'ts_functional',
  }) as models.Functional;
  model.compile({ optimizer: 'rmsprop', loss: ['mse', 'mae'], lossWeights: [1, 0.5] });
  expected.ts_functional = await save(folder, 'ts_functional', model, {
    input_names: ['a', 'b'],
    output_names: ['p', 'q'],
    inputs: { a: random([4, 3], 3), b: random([4, 2], 4) },
    targets: { p: random([4, 2], 5), q: random([4, 1], 6) },
  });
  model.dispose();
}

{
  // Built here: a Sequential (with BatchNormalization statistics) called inside a Functional model, and that
  // Functional model inside a Sequential; SGD's momentum 0 must reach Keras as a float.
  const inner = new models.Sequential(
    [
      L.Input({ shape: [4] }),
      new L.Dense({ units: 5, activation: 'relu', kernelRegularizer: new L1L2(0.01, 0.02), name: 'inner_dense' }),
      new L.BatchNormalization({ betaRegularizer: new L1(0.05), name: 'inner_bn' }),
    ],
    { name: 'ts_inner_seq' },
  );
  const x = L.Input({ shape: [4], name: 'x' });
  const h = inner.apply(x) as L.KerasTensor;
  const y = new L.Dense({ units: 2, kernelRegularizer: new MyScaledL1({ scale: 0.5 }), name: 'head' }).apply(h);
  const functional = new models.Model(x, y as L.KerasTensor, { name: 'ts_func_with_sequential' }) as models.Functional;
  functional.compile({ optimizer: 'sgd', loss: 'mae' });
  const data = {
    input_names: ['input'],
    output_names: ['output'],
    inputs: { input: random([5, 4], 7) },
    targets: { output: random([5, 2], 8) },
  };
  expected.ts_func_with_sequential = await save(folder, 'ts_func_with_sequential', functional, {
    ...data,
    input_names: ['x'],
    output_names: ['head'],
    inputs: { x: data.inputs.input },
    targets: { head: data.targets.output },
  });
  const outer = new models.Sequential(
    [L.Input({ shape: [4] }), functional, new L.Dense({ units: 1, biasRegularizer: new L2(0.1), name: 'top' })],
    { name: 'ts_seq_with_functional' },
  );
  outer.compile({ optimizer: 'adam', loss: 'mse' });
  expected.ts_seq_with_functional = await save(folder, 'ts_seq_with_functional', outer, {
    ...data,
    targets: { output: random([5, 1], 9) },
  });
  outer.dispose();
}

writeFileSync(join(folder, 'expected.json'), JSON.stringify({ models: expected }));
console.log(`saved ${Object.keys(expected).length} models as .h5 to ${folder}`);
