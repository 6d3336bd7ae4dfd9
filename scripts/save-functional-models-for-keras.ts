/**
 * Saves Functional models from this library as .keras files, and their
 * weights (changed) as .weights.h5 files, with this library's numbers, for
 * scripts/check_keras_loads_functional.py to load in real Keras and compare:
 * every Functional .keras file Keras made for the tests, loaded here and
 * saved again, and models built here with the TypeScript API (two inputs and
 * two outputs with Concatenate, a shared layer with Dot, nested Functional
 * and Sequential models, ActivityRegularization).
 *
 *   npm run build && npx tsx scripts/save-functional-models-for-keras.ts reports/keras-interop-functional
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_functional.py reports/keras-interop-functional
 *
 * expected.json holds, per model, the schema of
 * scripts/generate_keras_functional_fixtures.py (inputs, targets,
 * predictions, losses, evaluate), and: `weights_file`, with
 * `weights_predictions` and `weights_losses` after loading it;
 * `loss_counts_every_call` where a layer with an activity penalty is called
 * more than once (Keras on JAX's evaluate keeps only the last call's
 * penalty, so the check compares Keras's `compute_loss`, which keeps them
 * all, as we do: COMPATIBILITY.md, 30).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers as L, L1, L1L2, L2, models, OrthogonalRegularizer, saving, utils } from 'keras-regularizers';

// The custom class the Keras fixtures use (my_pkg>MyScaledL1), registered on import.
import '../test/helpers/custom-regularizers.js';

interface Values {
  shape: number[];
  values: number[];
  dtype?: string;
}
interface FixtureCase {
  input_names: string[];
  output_names: string[];
  inputs: Record<string, Values>;
  targets: Record<string, Values>;
}

const FIXTURES = new URL('../test/fixtures/keras-functional/', import.meta.url);
const fixtureJson = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
const KERAS_CASES: Record<string, FixtureCase> = {
  ...fixtureJson('expected.json').models,
  ...fixtureJson('weights-files.json').models,
};
const BATCH = 6;
const t = (x: unknown) => x as L.KerasTensor;

/** Models built here: each returns the model (compiled) and how to make its targets. */
const BUILT: Record<string, () => { model: models.Functional; targets: Record<string, 'float' | number> }> = {
  ts_two_in_two_out: () => {
    const a = L.Input({ shape: [4], name: 'a' });
    const b = L.Input({ shape: [3], name: 'b' });
    const ha = t(
      new L.Dense({ units: 5, activation: 'relu', kernelRegularizer: new L1(0.01), name: 'dense_a' }).apply(a),
    );
    const hb = t(
      new L.Dense({
        units: 5,
        activation: 'tanh',
        kernelRegularizer: new L2(0.02),
        biasRegularizer: new L1(0.05),
        name: 'dense_b',
      }).apply(b),
    );
    const h = t(new L.Concatenate({ name: 'concat' }).apply([ha, hb]));
    const reg = new L.Dense({ units: 2, kernelRegularizer: new L1L2(0.01, 0.02), name: 'out_reg' }).apply(h);
    const cls = new L.Dense({
      units: 3,
      activation: 'softmax',
      activityRegularizer: new L2(0.01),
      name: 'out_cls',
    }).apply(h);
    const model = new models.Model([a, b], [t(reg), t(cls)], { name: 'ts_two_in_two_out' }) as models.Functional;
    model.compile({ optimizer: 'adam', loss: ['mse', 'sparse_categorical_crossentropy'], lossWeights: [1, 0.5] });
    return { model, targets: { out_reg: 'float', out_cls: 3 } };
  },
  ts_shared_dot: () => {
    const left = L.Input({ shape: [4], name: 'left' });
    const right = L.Input({ shape: [4], name: 'right' });
    const shared = new L.Dense({
      units: 3,
      activation: 'tanh',
      kernelRegularizer: new OrthogonalRegularizer(0.05, 'columns'),
      activityRegularizer: new L2(0.02),
      name: 'shared',
    });
    const l = t(shared.apply(left));
    const r = t(shared.apply(right));
    const cosine = t(new L.Dot({ axes: 1, normalize: true, name: 'cosine' }).apply([l, r]));
    const raw = t(new L.Dot({ axes: 1, name: 'raw_dot' }).apply([l, r]));
    const out = new L.Dense({ units: 1, name: 'score' }).apply(
      t(new L.Concatenate({ name: 'concat' }).apply([cosine, raw])),
    );
    const model = new models.Model({
      inputs: [left, right],
      outputs: t(out),
      name: 'ts_shared_dot',
    }) as models.Functional;
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    return { model, targets: { score: 'float' } };
  },
  ts_nested: () => {
    const innerIn = L.Input({ shape: [5], name: 'inner_in' });
    const inner = new models.Model({
      inputs: innerIn,
      outputs: t(
        new L.Dense({
          units: 4,
          activation: 'relu',
          kernelRegularizer: new L1(0.02),
          activityRegularizer: new L1(0.01),
          name: 'inner_dense',
        }).apply(innerIn),
      ),
      name: 'inner',
    });
    const stack = new models.Sequential(
      [
        L.Input({ shape: [4] }),
        new L.Dense({ units: 3, kernelRegularizer: new L2(0.03), name: 'stack_dense' }),
        new L.Dropout({ rate: 0.5, name: 'stack_dropout' }),
        new L.Dense({ units: 2, name: 'stack_out' }),
      ],
      { name: 'stack' },
    );
    const x = L.Input({ shape: [5], name: 'x' });
    const out = t(stack.apply(t(inner.apply(x))));
    const model = new models.Model({ inputs: x, outputs: out, name: 'ts_nested' }) as models.Functional;
    model.compile({ optimizer: 'rmsprop', loss: 'mae' });
    return { model, targets: { stack: 'float' } };
  },
  ts_activity_regularization: () => {
    const x = L.Input({ shape: [6], name: 'x' });
    const h = t(new L.Dense({ units: 4, name: 'dense' }).apply(x));
    const code = t(new L.ActivityRegularization({ l1: 0.01, l2: 0.02, name: 'act_reg' }).apply(h));
    const out = new L.Dense({ units: 6, kernelRegularizer: new L2(0.001), name: 'decoded' }).apply(code);
    const model = new models.Model({
      inputs: x,
      outputs: t(out),
      name: 'ts_activity_regularization',
    }) as models.Functional;
    model.compile({ optimizer: 'adam', loss: 'mse' });
    return { model, targets: { decoded: 'float' } };
  },
  ts_all_in_one: () => {
    const a = L.Input({ shape: [4], name: 'a' });
    const b = L.Input({ shape: [3], name: 'b' });
    const innerIn = L.Input({ shape: [5], name: 'inner_in' });
    const innerDense = new L.Dense({
      units: 5,
      activation: 'relu',
      kernelRegularizer: new L1(0.02),
      name: 'inner_dense',
    });
    const inner = new models.Model({ inputs: innerIn, outputs: t(innerDense.apply(innerIn)), name: 'inner' });
    const stack = new models.Sequential(
      [L.Input({ shape: [5] }), new L.Dense({ units: 5, kernelRegularizer: new L2(0.03), name: 'stack_dense' })],
      { name: 'stack' },
    );
    const shared = new L.Dense({
      units: 5,
      activation: 'tanh',
      kernelRegularizer: new L2(0.05),
      activityRegularizer: new L1(0.01),
      name: 'shared',
    });
    const sa = t(shared.apply(t(new L.Dense({ units: 5, name: 'proj_a' }).apply(a))));
    const sb = t(shared.apply(t(new L.Dense({ units: 5, name: 'proj_b' }).apply(b))));
    const merged = t(new L.Concatenate({ name: 'concat' }).apply([t(inner.apply(sa)), t(stack.apply(sb))]));
    const code = t(new L.ActivityRegularization({ l1: 0.01, l2: 0.02, name: 'act_reg' }).apply(merged));
    const cosine = t(new L.Dot({ axes: 1, normalize: true, name: 'cosine' }).apply([sa, sb]));
    const outReg = new L.Dense({ units: 2, kernelRegularizer: new L1L2(0.01, 0.02), name: 'out_reg' }).apply(code);
    const both = t(new L.Concatenate({ name: 'concat_sim' }).apply([cosine, code]));
    const outSim = new L.Dense({ units: 1, name: 'out_sim' }).apply(both);
    const model = new models.Model({
      inputs: { a, b },
      outputs: { out_reg: t(outReg), out_sim: t(outSim) },
      name: 'ts_all_in_one',
    }) as models.Functional;
    model.compile({
      optimizer: 'adam',
      loss: { out_reg: 'mse', out_sim: 'mae' },
      lossWeights: { out_reg: 1, out_sim: 0.5 },
    });
    return { model, targets: { out_reg: 'float', out_sim: 'float' } };
  },
};

const valuesOf = (x: tf.Tensor): Values => ({
  shape: [...x.shape],
  dtype: x.dtype,
  values: Array.from(x.dataSync()),
});
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype === 'int32' ? 'int32' : 'float32');

/** Inputs or targets as the model takes them: one tensor, or a record by name. */
function structured(names: string[], values: Record<string, tf.Tensor>): tf.Tensor | Record<string, tf.Tensor> {
  return names.length === 1 ? (values[names[0] as string] as tf.Tensor) : values;
}

/** Predictions by output name, and `losses`, after one inference call. */
function run(model: models.Functional, x: tf.Tensor | Record<string, tf.Tensor>, outputNames: string[]) {
  let predictions: Record<string, Values> = {};
  let losses: number[] = [];
  tf.tidy(() => {
    const result = model.apply(x as tf.Tensor, { training: false });
    const list = Array.isArray(result) ? result : [result];
    predictions = Object.fromEntries(outputNames.map((n, i) => [n, valuesOf(list[i] as tf.Tensor)]));
    losses = model.losses.map((l) => l.dataSync()[0] as number);
    model.clearLosses();
  });
  return { predictions, losses };
}

/** Whether a layer with an activity penalty is called more than once, here or in a nested model. */
function callsAPenalizedLayerTwice(model: models.Functional): boolean {
  const calls = new Map<L.Layer, number>();
  for (const node of model.nodes) calls.set(node.layer, (calls.get(node.layer) ?? 0) + 1);
  for (const [layer, count] of calls) {
    const all = [layer, ...layer.nestedLayers()];
    if (count > 1 && all.some((l) => l.activityRegularizer != null)) return true;
    if (layer instanceof models.Functional && callsAPenalizedLayerTwice(layer)) return true;
  }
  return false;
}

/** New weights for the .weights.h5 file, so that loading it is seen in the predictions. */
function changeWeights(model: models.Functional): void {
  const changed = model.weights.map((w, i) => tf.tidy(() => tf.add(tf.mul(w, 0.5), 0.01 * ((i % 5) + 1))));
  model.setWeights(changed);
  tf.dispose(changed);
}

async function save(
  folder: string,
  name: string,
  model: models.Functional,
  data: { inputNames: string[]; outputNames: string[]; xs: Record<string, tf.Tensor>; ys: Record<string, tf.Tensor> },
): Promise<Record<string, unknown>> {
  const { inputNames, outputNames, xs, ys } = data;
  const x = structured(inputNames, xs);
  const y = structured(outputNames, ys);
  await saving.saveModel(model, join(folder, `${name}.keras`));
  const before = run(model, x, outputNames);
  const evaluate = model.evaluate(x, y, { batchSize: BATCH });
  changeWeights(model);
  await model.saveWeights(join(folder, `${name}.weights.h5`));
  const after = run(model, x, outputNames);
  return {
    input_names: inputNames,
    output_names: outputNames,
    inputs: Object.fromEntries(inputNames.map((n) => [n, valuesOf(xs[n] as tf.Tensor)])),
    targets: Object.fromEntries(outputNames.map((n) => [n, valuesOf(ys[n] as tf.Tensor)])),
    predictions: before.predictions,
    losses: before.losses,
    evaluate,
    loss_counts_every_call: callsAPenalizedLayerTwice(model),
    weights_file: `${name}.weights.h5`,
    weights_predictions: after.predictions,
    weights_losses: after.losses,
  };
}

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-functional');
rmSync(folder, { recursive: true, force: true });
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(7);
const expected: Record<string, unknown> = {};

// Keras's own files, loaded here and saved again.
for (const [name, fixture] of Object.entries(KERAS_CASES)) {
  const model = await saving.loadModel(new URL(`${name}.keras`, FIXTURES).pathname);
  if (!(model instanceof models.Functional)) throw new Error(`${name}.keras is not a Functional model`);
  const xs = Object.fromEntries(fixture.input_names.map((n) => [n, tensorOf(fixture.inputs[n] as Values)]));
  const ys = Object.fromEntries(fixture.output_names.map((n) => [n, tensorOf(fixture.targets[n] as Values)]));
  const data = { inputNames: fixture.input_names, outputNames: fixture.output_names, xs, ys };
  expected[`keras_${name}`] = await save(folder, `keras_${name}`, model, data);
  tf.dispose([...Object.values(xs), ...Object.values(ys)]);
  model.dispose();
}

// Models built here.
let seed = 100;
for (const [name, build] of Object.entries(BUILT)) {
  const { model, targets } = build();
  const inputNames = model.inputNames;
  const outputNames = model.outputNames;
  const xs = Object.fromEntries(
    model.inputs.map((input, i) => [
      inputNames[i] as string,
      tf.randomNormal([BATCH, ...(input.shape.slice(1) as number[])], 0, 1, 'float32', seed++),
    ]),
  );
  const ys = Object.fromEntries(
    outputNames.map((n, i) => {
      const kind = targets[n];
      if (kind == null) throw new Error(`${name}: no target for output ${n}`);
      const shape = [BATCH, ...((model.outputs[i] as L.KerasTensor).shape.slice(1) as number[])];
      const target =
        kind === 'float'
          ? tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed++), 0.5)
          : tf.randomUniformInt([BATCH], 0, kind, seed++);
      return [n, target];
    }),
  );
  expected[name] = await save(folder, name, model, { inputNames, outputNames, xs, ys });
  tf.dispose([...Object.values(xs), ...Object.values(ys)]);
  model.dispose();
}

writeFileSync(join(folder, 'expected.json'), JSON.stringify({ models: expected }));
console.log(`saved ${Object.keys(expected).length} Functional models (.keras and .weights.h5) to ${folder}`);
