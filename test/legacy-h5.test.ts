/**
 * Legacy whole-model `.h5` files (Keras's `model.save('m.h5')`), both ways:
 * the files real Keras 3 saved (scripts/generate_keras_legacy_h5_fixtures.py)
 * load here with Keras's predictions, `losses` and `evaluate` loss, compiled
 * from their training_config; saved again as `.h5` they load back the same;
 * and broken or hostile `.h5` files are refused with a ValueError naming the
 * place at fault, leaving no tensor behind. Files saved here are checked in
 * real Keras by scripts/check_keras_loads_h5.py.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import h5wasm from 'h5wasm';
import { L2, layers, models, saving, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import './helpers/custom-regularizers.js';
import { assertNoLeak } from './helpers/leaks.js';

interface Values {
  shape: number[];
  values: number[];
}
interface Case {
  input_names: string[];
  output_names: string[];
  inputs: Record<string, Values>;
  predictions: Record<string, Values>;
  losses: number[];
  targets?: Record<string, Values>;
  evaluate?: Record<string, number>;
}

const FOLDER = new URL('./fixtures/keras-legacy-h5/', import.meta.url);
const pathOf = (name: string) => new URL(name, FOLDER).pathname;
const CASES = JSON.parse(readFileSync(pathOf('expected.json'), 'utf8')).models as Record<string, Case>;
const HOSTILE = new URL('./fixtures/hostile/', import.meta.url);

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, 'float32');
function structured(names: string[], values: Record<string, Values>): tf.Tensor | tf.Tensor[] {
  if (names.length === 1) return tensorOf(values[names[0] as string] as Values);
  return names.map((n) => tensorOf(values[n] as Values));
}
const dispose = (value: tf.Tensor | tf.Tensor[]) => tf.dispose(value);

/** Keras's predictions, `losses` and (compiled) evaluate loss, at rtol 1e-5. */
function assertMatches(model: models.Model, fixture: Case, label: string): void {
  const x = structured(fixture.input_names, fixture.inputs);
  try {
    tf.tidy(() => {
      const result = model.apply(x as tf.Tensor, { training: false });
      const outputs = Array.isArray(result) ? result : [result];
      fixture.output_names.forEach((name, i) => {
        const expected = fixture.predictions[name] as Values;
        assertAllClose(outputs[i] as tf.Tensor, expected.values, { rtol: 1e-5 }, `${label} ${name}`);
      });
      const losses = model.losses.map((l) => l.dataSync()[0] as number);
      model.clearLosses();
      assertAllClose(losses, fixture.losses, { rtol: 1e-5 }, `${label} losses`);
    });
    if (fixture.targets != null && fixture.evaluate != null) {
      const y = structured(fixture.output_names, fixture.targets);
      try {
        const logs = model.evaluate(x, y, { batchSize: 32 });
        for (const [key, value] of Object.entries(fixture.evaluate)) {
          assert.ok(key in logs, `${label}: evaluate gives no ${key}: ${Object.keys(logs).join(', ')}`);
          assertAllClose(logs[key] as number, value, { rtol: 1e-5 }, `${label} evaluate ${key}`);
        }
      } finally {
        dispose(y);
      }
    }
  } finally {
    dispose(x);
  }
}

async function rejectsWith(body: () => Promise<unknown>, message: RegExp, argument?: string): Promise<void> {
  await assert.rejects(body, (error: Error) => {
    assert.ok(error instanceof ValueError, `expected ValueError, got ${error.name}: ${error.message}`);
    assert.match(error.message, message);
    if (argument != null) assert.equal(error.argument, argument);
    assert.ok(error.expected != null && error.received != null, `${error.message}: names expected and received`);
    return true;
  });
}

describeEachBackend('legacy .h5 files saved by Keras', () => {
  for (const [name, fixture] of Object.entries(CASES)) {
    it(`${name}.h5 loads with Keras's predictions, losses and evaluate loss, and saves back as .h5`, async () => {
      await assertNoLeak(async () => {
        const model = await saving.loadModel(pathOf(`${name}.h5`));
        const folder = mkdtempSync(join(tmpdir(), 'legacy-h5-'));
        try {
          assert.equal(model.getCompileConfig() != null, fixture.evaluate != null, 'compiled from training_config');
          assertMatches(model, fixture, name);
          const again = join(folder, `${name}.h5`);
          await saving.saveModel(model, again);
          assert.deepEqual(
            readdirSync(folder).filter((f) => f.endsWith('.tmp')),
            [],
            'no temporary file left',
          );
          const reloaded = await saving.loadModel(again);
          try {
            assertMatches(reloaded, fixture, `${name} saved here`);
          } finally {
            reloaded.dispose();
          }
        } finally {
          model.dispose();
        }
      }, name);
    });
  }

  it('loadModelFromBytes tells an .h5 file by its signature; compile: false skips training_config', async () => {
    await assertNoLeak(async () => {
      const bytes = new Uint8Array(readFileSync(pathOf('func_branches.h5')));
      const model = await saving.loadModelFromBytes(bytes, { compile: false });
      try {
        assert.equal(model.getCompileConfig(), null);
        assertMatches(model, { ...(CASES.func_branches as Case), evaluate: undefined }, 'bytes');
      } finally {
        model.dispose();
      }
    });
  });
});

describe('saving .h5 files', () => {
  it('refuses paths and models as for .keras, and keeps .weights.h5 for weights', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'legacy-h5-'));
    const model = new models.Sequential([layers.Input({ shape: [2] }), new layers.Dense({ units: 1 })]);
    try {
      await rejectsWith(() => saving.saveModel(model, join(folder, 'm.weights.h5')), /\.keras.*\.h5/, 'filepath');
      await rejectsWith(() => saving.loadModel(join(folder, 'm.weights.h5')), /weights only/, 'filepath');
      await rejectsWith(() => saving.saveModel(new models.Sequential(), join(folder, 'm.h5')), /not built/, 'model');
      const target = join(folder, 'm.h5');
      await saving.saveModel(model, target);
      await rejectsWith(() => saving.saveModel(model, target, { overwrite: false }), /File exists/, 'filepath');
      await assert.rejects(
        () => saving.saveModel(model, target, { overwrite: 'no' as unknown as boolean }),
        /overwrite/,
      );
    } finally {
      model.dispose();
    }
  });

  it('writes the layout Keras reads: model_config, training_config, layer_names, weight_names', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'legacy-h5-'));
    const model = new models.Sequential([
      layers.Input({ shape: [3] }),
      new layers.Dense({ units: 2, kernelRegularizer: new L2(0.01), name: 'first' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    try {
      await saving.saveModel(model, join(folder, 'm.h5'));
      const runtime = (await h5wasm.ready) as unknown as { FS: { writeFile(p: string, d: Uint8Array): void } };
      runtime.FS.writeFile('/layout-check.h5', new Uint8Array(readFileSync(join(folder, 'm.h5'))));
      const file = new h5wasm.File('/layout-check.h5', 'r');
      try {
        const config = JSON.parse(String(file.attrs.model_config?.value));
        assert.equal(config.class_name, 'Sequential');
        assert.equal(config.config.layers[1].class_name, 'Dense');
        assert.ok(!('module' in config.config.layers[1]), 'layers without module, as Keras writes them');
        const training = JSON.parse(String(file.attrs.training_config?.value));
        assert.equal(training.optimizer_config.class_name, 'Adam');
        // Keras 3.15's legacy loader cannot read its own alias "mse" back: written in full.
        assert.equal(training.loss, 'mean_squared_error');
        const weights = file.get('model_weights') as InstanceType<typeof h5wasm.Group>;
        assert.deepEqual(weights.attrs.layer_names?.value, ['first']);
        const group = weights.get('first') as InstanceType<typeof h5wasm.Group>;
        assert.deepEqual(group.attrs.weight_names?.value, ['first/kernel', 'first/bias']);
        assert.deepEqual((group.get('first/kernel') as InstanceType<typeof h5wasm.Dataset>).shape, [3, 2]);
      } finally {
        file.close();
      }
    } finally {
      model.dispose();
    }
  });
});

let hostileFiles = 0;
/** An .h5 file made with h5wasm: a valid Keras file's attributes, then `edit` breaks it. */
async function craft(edit: (file: InstanceType<typeof h5wasm.File>) => void): Promise<Uint8Array> {
  const runtime = (await h5wasm.ready) as unknown as {
    FS: { readFile(p: string): Uint8Array; unlink(p: string): void };
  };
  const path = `/hostile-legacy-${++hostileFiles}.h5`;
  const file = new h5wasm.File(path, 'w');
  try {
    edit(file);
  } finally {
    file.close();
  }
  const bytes = runtime.FS.readFile(path);
  runtime.FS.unlink(path);
  return bytes;
}

const DENSE_CONFIG = JSON.stringify({
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', name: 'input_1' } },
      {
        class_name: 'Dense',
        config: { name: 'dense', units: 2, kernel_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.5 } } },
      },
    ],
  },
});

/** A Keras 2-style file of Dense(2) on 3 inputs, its kernel `kernel`'s shape and type as given. */
function keras2File(
  kernel: { shape: number[]; dtype?: string; data?: unknown } = { shape: [3, 2] },
  config: string = DENSE_CONFIG,
) {
  return craft((file) => {
    file.create_attribute('model_config', config);
    const weights = file.create_group('model_weights');
    weights.create_attribute('layer_names', ['input_1', 'dense']);
    weights.create_group('input_1');
    const dense = weights.create_group('dense');
    dense.create_attribute('weight_names', ['dense/kernel:0', 'dense/bias:0']);
    const inner = dense.create_group('dense');
    const size = kernel.shape.reduce((a, b) => a * b, 1);
    inner.create_dataset({
      name: 'kernel:0',
      data: (kernel.data ?? new Float32Array(size).fill(1)) as Float32Array,
      shape: kernel.shape,
      dtype: kernel.dtype ?? '<f4',
    });
    inner.create_dataset({ name: 'bias:0', data: new Float32Array([0.5, -0.5]), shape: [2], dtype: '<f4' });
  });
}

describe('Keras 2-style and hostile .h5 files', () => {
  it('a Keras 2-style file (batch_input_shape, L1L2 without module, kernel:0 names) loads', async () => {
    await assertNoLeak(async () => {
      const model = await saving.loadModelFromBytes(await keras2File());
      try {
        tf.tidy(() => {
          const out = Array.from((model.apply(tf.ones([1, 3])) as tf.Tensor).dataSync());
          assertAllClose(out, [3.5, 2.5], {}, 'Dense of ones');
          const losses = model.losses.map((l) => l.dataSync()[0] as number);
          model.clearLosses();
          assertAllClose(losses, [0.5 * 6], {}, 'L1L2 penalty');
        });
      } finally {
        model.dispose();
      }
    });
  });

  const cases: [string, () => Promise<Uint8Array>, RegExp][] = [
    ['a kernel of the wrong shape', () => keras2File({ shape: [4, 2] }), /has shape \[4, 2\].*expects \[3, 2\]/],
    [
      'an int32 kernel',
      () => keras2File({ shape: [3, 2], dtype: '<i4', data: new Int32Array(6) }),
      /int32; expected float32/,
    ],
    [
      'no model_config (a weights-only file)',
      () => craft((file) => file.create_group('model_weights')),
      /No model config/,
    ],
    ['model_config that is not JSON', () => keras2File(undefined, '{"class_name": '), /model_config.*not valid JSON/],
    [
      'model_config of a non-model',
      () => keras2File(undefined, JSON.stringify({ class_name: 'Dense', config: {} })),
      /not a Keras model config/,
    ],
    [
      'a numeric model_config',
      () => craft((file) => file.create_attribute('model_config', new Float32Array([1, 2]), [2], '<f4')),
      /float32 attribute.*Keras writes strings/,
    ],
    [
      'a config asking for a huge kernel',
      () =>
        keras2File(
          undefined,
          DENSE_CONFIG.replace('"units":2', '"units":100000000').replace(
            'batch_input_shape":[null,3]',
            'batch_input_shape":[null,100]',
          ),
        ),
      /over the limit/,
    ],
    [
      'a config asking for far more weights than the file holds',
      () => keras2File(undefined, DENSE_CONFIG.replace('"units":2', '"units":4000').replace('[null,3]', '[null,1000]')),
      /holds 8 elements/,
    ],
    [
      'a soft link where a weight is',
      () =>
        craft((file) => {
          file.create_attribute('model_config', DENSE_CONFIG);
          const weights = file.create_group('model_weights');
          weights.create_attribute('layer_names', ['dense']);
          const dense = weights.create_group('dense');
          dense.create_attribute('weight_names', ['kernel', 'bias']);
          dense.create_soft_link('/model_weights/dense/kernel', 'kernel');
          dense.create_dataset({ name: 'bias', data: new Float32Array(2), shape: [2], dtype: '<f4' });
        }),
      /soft link/,
    ],
    [
      'a layer listed without its group',
      () =>
        craft((file) => {
          file.create_attribute('model_config', DENSE_CONFIG);
          file.create_group('model_weights').create_attribute('layer_names', ['ghost']);
        }),
      /ghost.*no group/,
    ],
    [
      'weights for fewer layers than the model has',
      () =>
        craft((file) => {
          file.create_attribute('model_config', DENSE_CONFIG);
          file.create_group('model_weights').create_attribute('layer_names', []);
        }),
      /Layer count mismatch/,
    ],
  ];
  for (const [label, make, message] of cases) {
    it(`refuses ${label}, leaving no tensor`, async () => {
      const bytes = await make();
      await assertNoLeak(() => rejectsWith(() => saving.loadModelFromBytes(bytes), message));
    });
  }

  it('refuses corrupt and truncated .h5 files, and the hostile HDF5 fixtures', async () => {
    const valid = new Uint8Array(readFileSync(pathOf('seq_l1l2_activity.h5')));
    await assertNoLeak(async () => {
      await rejectsWith(() => saving.loadModelFromBytes(valid.subarray(0, 4096)), /h5 file/);
      const corrupt = valid.slice();
      corrupt.fill(0xff, 64, 4096);
      await rejectsWith(() => saving.loadModelFromBytes(corrupt), /h5 file/);
      // Weights-only HDF5 files (soft links, external storage, virtual datasets): no model_config.
      for (const name of readdirSync(HOSTILE).filter((f) => f.endsWith('.h5'))) {
        const bytes = new Uint8Array(readFileSync(new URL(name, HOSTILE)));
        await rejectsWith(() => saving.loadModelFromBytes(bytes), /model config|h5 file/);
      }
    });
  });

  it('refuses an .h5 path that does not hold HDF5', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'legacy-h5-'));
    const path = join(folder, 'zeros.h5');
    writeFileSync(path, new Uint8Array(64 << 10));
    await rejectsWith(() => saving.loadModel(path), /not an HDF5 file/, 'filepath');
  });
});
