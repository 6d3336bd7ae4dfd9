/**
 * Functional models in files, both ways: the .keras files real Keras saved
 * (scripts/generate_keras_functional_fixtures.py) and its .weights.h5 files
 * (scripts/generate_keras_weights_files.py) load here with Keras's weights,
 * predictions, `losses` and `evaluate` loss; what we save has Keras's HDF5
 * layout exactly and loads back the same; and files built to hurt (groups
 * nested without end, thousands of layers, weights of another model) are
 * refused with a ValueError, leaving no tensor behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import h5wasm from 'h5wasm';
import { L1, L1L2, L2, layers, models, optimizers, saving, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import './helpers/custom-regularizers.js';
import { assertNoLeak } from './helpers/leaks.js';

interface Values {
  shape: number[];
  values: number[];
  dtype?: string;
}
type Weight = Values & { path: string };
interface ModelCase {
  input_names: string[];
  output_names: string[];
  inputs: Record<string, Values>;
  targets: Record<string, Values>;
  predictions: Record<string, Values>;
  losses: number[];
  evaluate: Record<string, number>;
  /** evaluate's loss with every call's activity penalty, where a layer that has one is called twice. */
  evaluate_every_call?: Record<string, number>;
  initial_weights: Weight[];
  compile?: { optimizer: { class_name: string } };
}
interface WeightsCase {
  model: string | null;
  file: string;
  input_names: string[];
  output_names: string[];
  inputs: Record<string, Values>;
  predictions: Record<string, Values>;
  losses: number[];
  weights: Weight[];
}

const FOLDER = new URL('./fixtures/keras-functional/', import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, FOLDER), 'utf8'));
const pathOf = (name: string) => new URL(name, FOLDER).pathname;
const EXPECTED = read('expected.json').models as Record<string, ModelCase>;
const WEIGHTS_FILES = read('weights-files.json') as {
  files: Record<string, WeightsCase>;
  models: Record<string, ModelCase>;
};
/** Every Functional .keras file Keras saved: the ten of expected.json and nested_sequential. */
const KERAS_MODELS: Record<string, ModelCase> = { ...EXPECTED, ...WEIGHTS_FILES.models };

async function rejectsWith(body: () => Promise<unknown>, message: RegExp): Promise<ValueError> {
  let caught: ValueError | null = null;
  await assert.rejects(body, (error: Error) => {
    assert.ok(error instanceof ValueError, `expected ValueError, got ${error.name}: ${error.message}`);
    assert.match(error.message, message);
    caught = error;
    return true;
  });
  return caught as unknown as ValueError;
}

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype === 'int32' ? 'int32' : 'float32');

/** Inputs (or targets) as a model takes them: one tensor, or a record by name. */
function structured(names: string[], values: Record<string, Values>): tf.Tensor | Record<string, tf.Tensor> {
  if (names.length === 1) return tensorOf(values[names[0] as string] as Values);
  return Object.fromEntries(names.map((n) => [n, tensorOf(values[n] as Values)]));
}
const tensorsIn = (value: tf.Tensor | Record<string, tf.Tensor>) =>
  value instanceof tf.Tensor ? [value] : Object.values(value);

/** Predictions (by output position) and `losses` after one inference call. */
function run(model: models.Model, x: tf.Tensor | Record<string, tf.Tensor>): { outputs: number[][]; losses: number[] } {
  return tf.tidy(() => {
    const result = model.apply(x as tf.Tensor, { training: false });
    const outputs = (Array.isArray(result) ? result : [result]).map((t) => Array.from(t.dataSync()));
    const losses = model.losses.map((l) => l.dataSync()[0] as number);
    model.clearLosses();
    return { outputs, losses };
  });
}

function assertRun(
  model: models.Model,
  x: tf.Tensor | Record<string, tf.Tensor>,
  expected: { output_names: string[]; predictions: Record<string, Values>; losses: number[] },
  label: string,
  { sortLosses = false } = {},
): void {
  const { outputs, losses } = run(model, x);
  expected.output_names.forEach((name, i) => {
    assertAllClose(outputs[i] as number[], (expected.predictions[name] as Values).values, {}, `${label} ${name}`);
  });
  const order = (v: number[]) => (sortLosses ? [...v].sort((a, b) => a - b) : v);
  assertAllClose(order(losses), order(expected.losses), {}, `${label} losses`);
}

/**
 * The model's weights against Keras's `model.weights`, in order: the same
 * shapes and values, and the same `layer/weight` names (Keras prefixes a
 * nested Sequential's, and names a subclassed model's layers by its own count).
 */
function assertWeights(model: models.Model, expected: Weight[], label: string, { names = true } = {}): void {
  const records = model.weightRecords();
  assert.equal(records.length, expected.length, `${label}: ${records.length} weights, Keras has ${expected.length}`);
  records.forEach((record, i) => {
    const keras = expected[i] as Weight;
    const tail = names ? keras.path.split('/').slice(-2).join('/') : (keras.path.split('/').pop() as string);
    assert.ok(record.path.endsWith(tail), `${label}: weight ${i} is ${record.path}, Keras's is ${keras.path}`);
    assert.deepEqual(record.variable.shape, keras.shape, `${label}: shape of ${record.path}`);
    assertAllClose(record.variable, keras.values, { rtol: 0, atol: 0 }, `${label}: ${record.path}`);
  });
}

let layoutFiles = 0;
/**
 * What an HDF5 weights file holds, as sorted lines: each group (with its
 * `name` attribute) and dataset (with its shape), the optimizer's state left
 * out (we do not save it). Read with h5wasm directly, not with the loader.
 */
async function h5Layout(bytes: Uint8Array, { names = true } = {}): Promise<string[]> {
  const runtime = (await h5wasm.ready) as unknown as {
    FS: { writeFile(path: string, data: Uint8Array): void; unlink(path: string): void };
  };
  const path = `/layout-${++layoutFiles}.h5`;
  runtime.FS.writeFile(path, bytes);
  const file = new h5wasm.File(path, 'r');
  try {
    const lines: string[] = [];
    const walk = (group: InstanceType<typeof h5wasm.Group>, prefix: string) => {
      for (const key of group.keys()) {
        const at = prefix === '' ? key : `${prefix}/${key}`;
        if (at === 'optimizer') continue;
        const child = group.get(key);
        if (child instanceof h5wasm.Dataset) lines.push(`${at} ${JSON.stringify(child.shape)}`);
        else if (child instanceof h5wasm.Group) {
          const name = names ? child.attrs.name?.value : undefined;
          lines.push(name == null ? `${at}/` : `${at}/ name=${String(name)}`);
          walk(child, at);
        } else lines.push(`${at} (${String(child)})`);
      }
    };
    walk(file, '');
    return lines.sort();
  } finally {
    file.close();
    runtime.FS.unlink(path);
  }
}

const entriesOf = (bytes: Uint8Array) => unzipSync(bytes);

/**
 * Keras's evaluate logs, with every call's activity penalty: Keras on JAX
 * keeps only the last call's of a layer called twice (COMPATIBILITY.md, 30),
 * where we count each, as `model.losses` lists them. shared_layer's Dense is
 * called twice and its first call's penalty is `losses[0]`; the weights
 * script records nested_sequential's loss with both.
 */
function expectedEvaluate(name: string, fixture: ModelCase): Record<string, number> {
  if (fixture.evaluate_every_call != null) return fixture.evaluate_every_call;
  if (name === 'shared_layer') return { loss: (fixture.evaluate.loss as number) + (fixture.losses[0] as number) };
  return fixture.evaluate;
}

describeEachBackend('Functional .keras files saved by Keras', () => {
  for (const [name, fixture] of Object.entries(KERAS_MODELS)) {
    it(`${name}.keras loads with Keras's weights, predictions, losses and evaluate loss, and saves back in Keras's layout`, async () => {
      await assertNoLeak(async () => {
        const bytes = new Uint8Array(readFileSync(pathOf(`${name}.keras`)));
        const model = await saving.loadModel(pathOf(`${name}.keras`));
        assert.ok(model instanceof models.Functional, 'a Functional model');
        assertWeights(model, fixture.initial_weights, name);
        if (fixture.compile != null) {
          const compiled = model.getCompileConfig() as { optimizer: { class_name: string } } | null;
          assert.equal(compiled?.optimizer.class_name, fixture.compile.optimizer.class_name, 'compiled from the file');
        }
        const x = structured(fixture.input_names, fixture.inputs);
        const y = structured(fixture.output_names, fixture.targets);
        assertRun(model, x, fixture, name);
        const logs = model.evaluate(x, y, { batchSize: 32 });
        // The loss, and each output's loss where there are several (metrics are not this file's subject).
        for (const [key, value] of Object.entries(expectedEvaluate(name, fixture))) {
          if (key !== 'loss' && !key.endsWith('_loss')) continue;
          assert.ok(key in logs, `${name}: evaluate gives no ${key}: ${Object.keys(logs).join(', ')}`);
          assertAllClose(logs[key] as number, value, { rtol: 1e-5 }, `${name} evaluate ${key}`);
        }

        // Saved here: the weights file has exactly the groups, names and datasets of Keras's.
        const saved = await saving.saveModelToBytes(model);
        assert.deepEqual(
          await h5Layout(entriesOf(saved)['model.weights.h5'] as Uint8Array),
          await h5Layout(entriesOf(bytes)['model.weights.h5'] as Uint8Array),
          `${name}: model.weights.h5 layout`,
        );
        const again = await saving.loadModelFromBytes(saved);
        assert.deepEqual(run(again, x), run(model, x), `${name}: loaded back`);
        assert.deepEqual(models.modelToJSON(again).config, models.modelToJSON(model).config);
        assert.deepEqual(again.getCompileConfig(), model.getCompileConfig());
        tf.dispose([...tensorsIn(x), ...tensorsIn(y)]);
        model.dispose();
        again.dispose();
      }, name);
    });
  }
});

/** The subclassed model of the weights script: layers in fields, stored by field name. */
class Subclassed extends models.Model {
  zeta = new layers.Dense({ units: 2, kernelRegularizer: new L2(0.1) });
  blocks = [
    new layers.Dense({ units: 3, activation: 'relu' }),
    new layers.Dense({ units: 3, activityRegularizer: new L1(0.05) }),
  ];
  alpha = new layers.Dense({ units: 4 });

  override call(inputs: layers.LayerInputs): layers.LayerOutputs {
    let h = inputs;
    for (const block of this.blocks) h = block.apply(h);
    return this.zeta.apply(this.alpha.apply(h));
  }
}

function subclassed(): Subclassed {
  const model = new Subclassed();
  tf.tidy(() => {
    model.apply(tf.zeros([1, 5]));
    model.clearLosses();
  });
  return model;
}

describeEachBackend('.weights.h5 files saved by Keras', () => {
  for (const [name, fixture] of Object.entries(WEIGHTS_FILES.files)) {
    it(`${fixture.file} loads into ${fixture.model ?? 'the same subclassed model'} with Keras's weights and numbers, and saves back in Keras's layout`, async () => {
      await assertNoLeak(async () => {
        const model = fixture.model == null ? subclassed() : await saving.loadModel(pathOf(fixture.model));
        const file = pathOf(fixture.file);
        await model.loadWeights(file);
        const isSubclassed = fixture.model == null;
        assertWeights(model, fixture.weights, name, { names: !isSubclassed });
        const x = structured(fixture.input_names, fixture.inputs);
        // Keras orders a subclassed model's losses its own way; the values are what is checked.
        assertRun(model, x, fixture, name, { sortLosses: isSubclassed });
        const bytes = await saving.saveWeightsToBytes(model);
        assert.deepEqual(
          await h5Layout(bytes, { names: !isSubclassed }),
          await h5Layout(new Uint8Array(readFileSync(file)), { names: !isSubclassed }),
          `${name}: layout`,
        );
        tf.dispose(tensorsIn(x));
        model.dispose();
      }, name);
    });
  }
});

/**
 * Built with the TypeScript API: two inputs (a record), two outputs, a shared
 * layer, a nested Functional model and a nested Sequential, Concatenate,
 * ActivityRegularization and Dot.
 */
function builtHere(): models.Functional {
  const t = (x: unknown) => x as layers.KerasTensor;
  const a = layers.Input({ shape: [4], name: 'a' });
  const b = layers.Input({ shape: [3], name: 'b' });
  const innerIn = layers.Input({ shape: [5], name: 'inner_in' });
  const innerDense = new layers.Dense({
    units: 5,
    activation: 'relu',
    kernelRegularizer: new L1(0.02),
    activityRegularizer: new L2(0.01),
    name: 'inner_dense',
  });
  const inner = new models.Model({ inputs: innerIn, outputs: innerDense.apply(innerIn), name: 'inner' });
  const stack = new models.Sequential(
    [
      layers.Input({ shape: [5] }),
      new layers.Dense({ units: 5, kernelRegularizer: new L2(0.03), name: 'stack_dense' }),
      new layers.Dropout({ rate: 0.2, name: 'stack_dropout' }),
    ],
    { name: 'stack' },
  );
  const shared = new layers.Dense({
    units: 5,
    activation: 'tanh',
    kernelRegularizer: new L2(0.05),
    activityRegularizer: new L1(0.01),
    name: 'shared',
  });
  const sa = t(shared.apply(t(new layers.Dense({ units: 5, name: 'proj_a' }).apply(a))));
  const sb = t(shared.apply(t(new layers.Dense({ units: 5, name: 'proj_b' }).apply(b))));
  const merged = t(new layers.Concatenate({ name: 'concat' }).apply([t(inner.apply(sa)), t(stack.apply(sb))]));
  const code = t(new layers.ActivityRegularization({ l1: 0.01, l2: 0.02, name: 'act_reg' }).apply(merged));
  const cosine = t(new layers.Dot({ axes: 1, normalize: true, name: 'cosine' }).apply([sa, sb]));
  const outReg = new layers.Dense({ units: 2, kernelRegularizer: new L1L2(0.01, 0.02), name: 'out_reg' }).apply(code);
  const both = t(new layers.Concatenate({ name: 'concat_sim' }).apply([cosine, code]));
  const outSim = new layers.Dense({ units: 1, name: 'out_sim' }).apply(both);
  return new models.Model({
    inputs: { a, b },
    outputs: { out_reg: t(outReg), out_sim: t(outSim) },
    name: 'built_here',
  }) as models.Functional;
}

describeEachBackend('Functional models built here, to files and back', () => {
  it("save to .keras in Keras's layout and load back with the same numbers", async () => {
    await assertNoLeak(async () => {
      const model = builtHere();
      model.compile({ optimizer: 'adam', loss: { out_reg: 'mse', out_sim: 'mse' }, lossWeights: { out_sim: 0.5 } });
      const layout = await h5Layout(entriesOf(await saving.saveModelToBytes(model))['model.weights.h5'] as Uint8Array);
      for (const line of [
        'layers/input_layer/vars/ name=a',
        'layers/input_layer_1/vars/ name=b',
        'layers/dense/vars/0 [4,5]',
        'layers/dense_1/vars/0 [3,5]',
        'layers/dense_2/vars/0 [5,5]',
        'layers/functional/vars/ name=inner',
        'layers/functional/layers/input_layer/vars/ name=inner_in',
        'layers/functional/layers/dense/vars/0 [5,5]',
        'layers/sequential/vars/ name=stack',
        'layers/sequential/layers/dense/vars/1 [5]',
        'layers/sequential/layers/dropout/vars/ name=stack_dropout',
        'layers/activity_regularization/vars/ name=act_reg',
        'layers/dot/vars/ name=cosine',
        'layers/concatenate_1/vars/ name=concat_sim',
        'vars/ name=built_here',
      ]) {
        assert.ok(layout.includes(line), `no ${line} in\n${layout.join('\n')}`);
      }
      // Keras's Sequential does not store its InputLayer.
      assert.ok(!layout.some((line) => line.startsWith('layers/sequential/layers/input_layer')));

      const folder = mkdtempSync(join(tmpdir(), 'keras-regularizers-'));
      await saving.saveModel(model, join(folder, 'built.keras'));
      const loaded = await saving.loadModel(join(folder, 'built.keras'));
      assert.ok(loaded instanceof models.Functional);
      const x = { a: tf.randomNormal([3, 4], 0, 1, 'float32', 1), b: tf.randomNormal([3, 3], 0, 1, 'float32', 2) };
      const y = { out_reg: tf.randomNormal([3, 2], 0, 1, 'float32', 3), out_sim: tf.ones([3, 1]) };
      assert.deepEqual(run(loaded, x), run(model, x));
      assert.equal(run(model, x).losses.length, 8, 'kernel and activity penalties of every call');
      assert.deepEqual(loaded.evaluate(x, y), model.evaluate(x, y));
      tf.dispose([...Object.values(x), ...Object.values(y)]);
      model.dispose();
      loaded.dispose();
    });
  });

  it('model.saveWeights / model.loadWeights: Keras .weights.h5 files between two copies of a model', async () => {
    await assertNoLeak(async () => {
      const model = builtHere();
      const copy = models.modelFromJSON(models.modelToJSON(model));
      const x = { a: tf.randomNormal([2, 4], 0, 1, 'float32', 4), b: tf.randomNormal([2, 3], 0, 1, 'float32', 5) };
      assert.notDeepEqual(run(copy, x).outputs, run(model, x).outputs, 'new weights before loading');
      const folder = mkdtempSync(join(tmpdir(), 'keras-regularizers-'));
      const path = join(folder, 'built.weights.h5');
      await model.saveWeights(path);
      assert.deepEqual(readdirSync(folder), ['built.weights.h5'], 'no temporary file left behind');
      await copy.loadWeights(path);
      assert.deepEqual(run(copy, x), run(model, x));
      // The bytes variants and the file are the same format.
      const fresh = models.modelFromJSON(models.modelToJSON(model));
      await saving.loadWeightsFromBytes(fresh, await saving.saveWeightsToBytes(model));
      assert.deepEqual(run(fresh, x), run(model, x));
      assert.deepEqual(
        await h5Layout(new Uint8Array(readFileSync(path))),
        await h5Layout(await saving.saveWeightsToBytes(copy)),
      );
      tf.dispose(Object.values(x));
      for (const m of [model, copy, fresh]) m.dispose();
    });
  });
});

describe('config.json as Python reads it', () => {
  it('the floats Keras type-checks are written with a decimal point: SGD momentum 0, learning rate 1', async () => {
    await assertNoLeak(async () => {
      const model = smallModel();
      model.compile({ optimizer: new optimizers.SGD({ learningRate: 1 }), loss: 'mse' });
      const bytes = await saving.saveModelToBytes(model);
      // Python reads `0` as an int, and SGD(momentum=0) refuses it: "`momentum` must be a float between [0, 1]".
      const text = strFromU8(entriesOf(bytes)['config.json'] as Uint8Array);
      assert.match(text, /"learning_rate":1\.0,/);
      assert.match(text, /"momentum":0\.0,/);
      const loaded = await saving.loadModelFromBytes(bytes);
      assert.deepEqual(loaded.getCompileConfig(), model.getCompileConfig());
      model.dispose();
      loaded.dispose();
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Refusals.

/** A small model whose .weights.h5 the refusals below are variations of: Input(3) -> Dense(2) -> Dense(1). */
function smallModel(units = [2, 1]): models.Functional {
  const x = layers.Input({ shape: [3], name: 'x' });
  let h = x;
  units.forEach((n, i) => {
    h = new layers.Dense({ units: n, name: `d${i}` }).apply(h) as layers.KerasTensor;
  });
  return new models.Model({ inputs: x, outputs: h, name: 'small' }) as models.Functional;
}

let h5Files = 0;
/** An HDF5 file made by `build` on h5wasm's File (for structures no honest writer makes). */
async function h5File(build: (file: InstanceType<typeof h5wasm.File>) => void): Promise<Uint8Array> {
  const runtime = (await h5wasm.ready) as unknown as {
    FS: { readFile(path: string): Uint8Array; unlink(path: string): void };
  };
  const path = `/hostile-${++h5Files}.h5`;
  const file = new h5wasm.File(path, 'w');
  try {
    build(file);
  } finally {
    file.close();
  }
  const bytes = runtime.FS.readFile(path);
  runtime.FS.unlink(path);
  return bytes;
}

/**
 * The small model's weights file, as Keras writes it (but for the layers in
 * `omit`), with `change` applied to the h5wasm file before it is closed.
 */
async function smallWeightsWith(
  change: (file: InstanceType<typeof h5wasm.File>) => void,
  omit: string[] = [],
): Promise<Uint8Array> {
  return h5File((file) => {
    const kernel = (name: string, shape: number[]) => ({
      name,
      data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
      shape,
      dtype: '<f4',
    });
    const group = (path: string) => {
      let at = file as unknown as InstanceType<typeof h5wasm.Group>;
      for (const part of path.split('/')) {
        at = (at.keys().includes(part) ? at.get(part) : at.create_group(part)) as InstanceType<typeof h5wasm.Group>;
      }
      return at;
    };
    group('vars');
    group('layers/input_layer/vars');
    for (const [name, inputs, units] of [
      ['dense', 3, 2],
      ['dense_1', 2, 1],
    ] as const) {
      if (omit.includes(name)) continue;
      const vars = group(`layers/${name}/vars`);
      vars.create_dataset(kernel('0', [inputs, units]));
      vars.create_dataset(kernel('1', [units]));
    }
    change(file);
  });
}

describe('hostile files on the Functional and .weights.h5 paths', () => {
  it('groups nested deeper than the config could need, or a group linked into itself, are refused at once', async () => {
    const model = smallModel();
    const entries = entriesOf(await saving.saveModelToBytes(model));
    model.dispose();
    const archive = (weights: Uint8Array) => zipSync({ ...entries, 'model.weights.h5': weights }, { level: 0 });
    const deep = await smallWeightsWith((file) => {
      let group = file.get('layers/dense') as InstanceType<typeof h5wasm.Group>;
      for (let i = 0; i < 20; i++) group = group.create_group('sub') as InstanceType<typeof h5wasm.Group>;
    });
    // 500 bytes of hard links: layers/dense holds itself twice, 2^n paths n levels down.
    const cycle = await smallWeightsWith((file) => {
      const group = file.get('layers/dense') as InstanceType<typeof h5wasm.Group>;
      group.create_hard_link('/layers/dense', 'x');
      group.create_hard_link('/layers/dense', 'y');
    });
    const cases: [Uint8Array, RegExp][] = [
      [
        deep,
        /^model\.weights\.h5 nests groups deeper than its config could need: over 8 levels \(config\.json declares 3 layers, models nested 1 deep\), at layers\/dense\/sub\/sub\/sub\/sub\/\.\.\. \(9 levels\)\.$/,
      ],
      [
        cycle,
        /^model\.weights\.h5 has more groups where layers are stored than its config could need: over 88 \(config\.json declares 3 layers, models nested 1 deep\); refused at layers\/dense\/[xy]\//,
      ],
    ];
    for (const [weights, message] of cases) {
      const started = performance.now();
      await assertNoLeak(async () => {
        const error = await rejectsWith(() => saving.loadModelFromBytes(archive(weights)), message);
        assert.equal(error.argument, 'model.weights.h5');
        assert.ok(error.expected != null && error.received != null);
      });
      assert.ok(performance.now() - started < 5000, 'refused without walking the file');
    }
    // The honest file of the same model still loads.
    const honest = await saving.loadModelFromBytes(archive(await smallWeightsWith(() => {})));
    honest.dispose();
  });

  it('a config of over 10,000 layers is refused before a layer is made; 10,000 in the worst order load', async () => {
    /** Input -> `n` Identity layers in a chain, listed last first (each pass of the rebuild then makes one call). */
    const chain = async (n: number): Promise<Uint8Array> => {
      const x = layers.Input({ shape: [2], name: 'x' });
      const small = new models.Model({ inputs: x, outputs: new layers.Identity({ name: 'id_0' }).apply(x), name: 'm' });
      const entries = entriesOf(await saving.saveModelToBytes(small));
      const json = models.modelToJSON(small) as unknown as {
        config: { layers: Record<string, unknown>[]; output_layers: unknown };
      };
      small.dispose();
      const [input, template] = json.config.layers as [Record<string, unknown>, Record<string, unknown>];
      const list = Array.from({ length: n }, (_, i) => {
        const layer = structuredClone(template) as {
          name: string;
          config: { name: string };
          inbound_nodes: [{ args: [{ config: { keras_history: unknown[] } }] }];
        };
        layer.name = `id_${i}`;
        layer.config.name = `id_${i}`;
        layer.inbound_nodes[0].args[0].config.keras_history = [i === 0 ? 'x' : `id_${i - 1}`, 0, 0];
        return layer;
      });
      json.config.layers = [...list.reverse(), input];
      json.config.output_layers = [[`id_${n - 1}`, 0, 0]];
      return zipSync({ ...entries, 'config.json': strToU8(JSON.stringify(json)) });
    };
    await assertNoLeak(async () => {
      const started = performance.now();
      const error = await rejectsWith(
        async () => saving.loadModelFromBytes(await chain(10_000)),
        /^config\.json declares over 10000 layers \(nested models' included\); a load builds at most 10000\.$/,
      );
      assert.equal(error.argument, 'config.json');
      assert.ok(performance.now() - started < 5000);
    });
    await assertNoLeak(async () => {
      const model = await saving.loadModelFromBytes(await chain(9_999));
      assert.equal((model as models.Functional).layers.length, 10_000);
      const x = tf.tensor([[1, -2]]);
      assert.deepEqual(run(model, x).outputs, [[1, -2]]);
      x.dispose();
      model.dispose();
    });
  });

  it('.weights.h5 files of another model, or with wrong counts or shapes, are refused and change nothing', async () => {
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = model.getWeights();
    const snapshot = before.map((t) => Array.from(t.dataSync()));
    tf.dispose(before);
    const three = smallModel([2, 1, 1]);
    const one = smallModel([2]);
    const wide = smallModel([4, 1]);
    const cases: [string, Uint8Array, RegExp, string][] = [
      [
        'a file of a model with fewer layers',
        await saving.saveWeightsToBytes(one),
        /^Layer "d1" expected 2 variables, but received 0 variables during loading \(the \.weights\.h5 file, layers\/dense_1\/vars\)\. Expected: \[kernel, bias\]$/,
        'layers/dense_1/vars',
      ],
      [
        'a file of a model with more layers',
        await saving.saveWeightsToBytes(three),
        /^The \.weights\.h5 file holds 2 weights at layers\/dense_2, a layer that model "small" has not got \(its layers are stored as input_layer, dense, dense_1\): it was saved from another model\.$/,
        'layers/dense_2',
      ],
      [
        'a file of a model with other shapes',
        await saving.saveWeightsToBytes(wide),
        /^Weight layers\/dense\/vars\/0 of layer "d0" has shape \[3, 4\]; the layer expects \[3, 2\]\.$/,
        'layers/dense/vars/0',
      ],
      [
        'a third weight in a Dense layer',
        await smallWeightsWith((file) => {
          (file.get('layers/dense_1/vars') as InstanceType<typeof h5wasm.Group>).create_dataset({
            name: '2',
            data: new Float32Array(1),
            shape: [1],
            dtype: '<f4',
          });
        }),
        /^Layer "d1" expected 2 variables, but received 3 variables during loading \(the \.weights\.h5 file, layers\/dense_1\/vars\)\. Expected: \[kernel, bias\]$/,
        'layers/dense_1/vars',
      ],
      [
        'a weight in an InputLayer',
        await smallWeightsWith((file) => {
          (file.get('layers/input_layer/vars') as InstanceType<typeof h5wasm.Group>).create_dataset({
            name: '0',
            data: new Float32Array(1),
            shape: [1],
            dtype: '<f4',
          });
        }),
        /^Layer "x" expected 0 variables, but received 1 variables during loading/,
        'layers/input_layer/vars',
      ],
      [
        'a soft link in place of a layer',
        await smallWeightsWith(
          (file) => {
            (file.get('layers') as InstanceType<typeof h5wasm.Group>).create_soft_link('/layers/dense', 'dense_1');
          },
          ['dense_1'],
        ),
        /^The \.weights\.h5 file has a soft link at \/layers\/dense_1 \(to "\/layers\/dense"\); Keras writes weights behind hard links only\.$/,
        '/layers/dense_1',
      ],
      [
        'a thousand layers more than the model',
        await smallWeightsWith((file) => {
          const list = file.get('layers') as InstanceType<typeof h5wasm.Group>;
          for (let i = 0; i < 1100; i++) list.create_group(`junk_${i}`);
        }),
        /^The \.weights\.h5 file lists 1103 entries at layers, where "small" has 3 layers: it was saved from another model\.$/,
        'layers',
      ],
      [
        'not HDF5',
        new Uint8Array(4096).fill(7),
        /^The \.weights\.h5 file is not a readable HDF5 file: /,
        'the .weights.h5 file',
      ],
    ];
    for (const [label, bytes, message, argument] of cases) {
      await assertNoLeak(async () => {
        const error = await rejectsWith(() => saving.loadWeightsFromBytes(model, bytes), message);
        assert.equal(error.argument, argument, label);
        assert.ok(error.expected != null && error.received != null, `${label}: expected and received`);
      }, label);
      const after = model.getWeights();
      assert.deepEqual(
        after.map((t) => Array.from(t.dataSync())),
        snapshot,
        `${label}: the model is unchanged`,
      );
      tf.dispose(after);
    }
    // The honest file loads.
    await saving.loadWeightsFromBytes(model, await smallWeightsWith(() => {}));
    for (const m of [three, one, wide]) m.dispose();

    // Paths: Keras's rule and its message; the path is checked before the model or the file.
    const folder = mkdtempSync(join(tmpdir(), 'keras-regularizers-'));
    await rejectsWith(
      () => model.saveWeights(join(folder, 'model.h5')),
      /^The filename must end in `\.weights\.h5`\. Received: filepath=".*model\.h5"$/,
    );
    await rejectsWith(
      () => saving.loadWeights(model, join(folder, 'model.keras')),
      /^The filename must end in `\.weights\.h5`\. Received: filepath=".*model\.keras"$/,
    );
    await rejectsWith(() => model.loadWeights(join(folder, 'absent.weights.h5')), /^File not found: filepath=/);
    writeFileSync(join(folder, 'keep.weights.h5'), 'old');
    await rejectsWith(
      () => model.saveWeights(join(folder, 'keep.weights.h5'), { overwrite: false }),
      /^File exists: filepath=".*keep\.weights\.h5", and overwrite is false\.$/,
    );
    assert.equal(readFileSync(join(folder, 'keep.weights.h5'), 'utf8'), 'old');
    await rejectsWith(() => model.loadWeights(join(folder, 'keep.weights.h5')), /is not a readable HDF5 file/);

    // Keras's checks on the model: built, and not disposed.
    const unbuilt = new models.Sequential([new layers.Dense({ units: 2 })]);
    await rejectsWith(
      () => saving.saveWeightsToBytes(unbuilt),
      /^You are saving a model that has not yet been built\. Try building the model first/,
    );
    await rejectsWith(
      () => saving.loadWeightsFromBytes(unbuilt, new Uint8Array(8)),
      /^You are loading weights into a model that has not yet been built\./,
    );
    model.dispose();
    await rejectsWith(
      () => model.saveWeights(join(folder, 'gone.weights.h5')),
      /^Model "small" was disposed; saveWeights\(\)/,
    );
    await rejectsWith(
      () => saving.saveModelToBytes(new Subclassed()),
      /^Only Sequential and Functional models can be saved as \.keras files/,
    );
  });
});
