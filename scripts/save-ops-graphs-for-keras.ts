/**
 * Saves graphs with Keras ops nodes as .keras files for
 * scripts/check_keras_loads_ops_graphs.py to load in real Keras: each
 * Keras-made file of test/fixtures/keras-ops-graphs/ loaded here and
 * trained 3 SGD steps (the dict-output model included), and each graph
 * built here with `ops` (test/helpers/ops-graph-builders.ts), each with
 * this library's predictions on the fixture's input.
 *
 *   TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/save-ops-graphs-for-keras.ts reports/keras-interop-ops-graphs
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_ops_graphs.py reports/keras-interop-ops-graphs
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type models, saving } from 'keras-regularizers';
import { BUILDERS, dictOutputs } from '../test/helpers/ops-graph-builders.js';

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-ops-graphs');
mkdirSync(folder, { recursive: true });
type Values = { shape: number[]; dtype: string; values: number[] };
const FIXTURE = JSON.parse(readFileSync('test/fixtures/keras-ops-graphs.json', 'utf8')).models as Record<
  string,
  { inputs: Values[]; target?: Values; targets?: Record<string, Values> }
>;
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype === 'int32' ? 'int32' : 'float32');

/** Predictions by output name (one output: "output"). */
function predictions(model: models.Model, x: tf.Tensor | tf.Tensor[]): Record<string, number[]> {
  return tf.tidy(() => {
    const y = model.predict(x) as tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;
    if (y instanceof tf.Tensor) return { output: Array.from(y.dataSync()) };
    const entries = Array.isArray(y)
      ? model.outputNames.map((n, i) => [n, y[i] as tf.Tensor] as const)
      : Object.entries(y);
    return Object.fromEntries(entries.map(([k, t]) => [k, Array.from(t.dataSync())]));
  });
}

const expected: Record<string, unknown> = {};
for (const [name, c] of Object.entries(FIXTURE)) {
  const xs = c.inputs.map(tensorOf);
  const x = xs.length === 1 ? (xs[0] as tf.Tensor) : xs;
  const trained = await saving.loadModel(`test/fixtures/keras-ops-graphs/${name}.keras`);
  const y =
    c.target != null
      ? tensorOf(c.target)
      : Object.fromEntries(Object.entries(c.targets ?? {}).map(([k, v]) => [k, tensorOf(v)]));
  for (let step = 0; step < 3; step++) trained.trainOnBatch(x, y);
  await saving.saveModel(trained, join(folder, `${name}_trained.keras`));
  expected[`${name}_trained`] = { inputs: c.inputs, predictions: predictions(trained, x) };
  const builder = name === 'dict_outputs' ? dictOutputs : BUILDERS[name];
  if (builder != null) {
    const built = builder();
    await saving.saveModel(built, join(folder, `${name}_built_here.keras`));
    expected[`${name}_built_here`] = { inputs: c.inputs, predictions: predictions(built, x) };
  }
}
writeFileSync(join(folder, 'expected.json'), `${JSON.stringify(expected)}\n`);
console.log(`saved ${Object.keys(expected).length} models to ${folder}`);
