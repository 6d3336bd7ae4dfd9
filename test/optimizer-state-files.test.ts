/**
 * The optimizer's state in files, both ways (issue 21): `.keras` and
 * `.weights.h5` (`optimizer/vars/<i>` in Keras's `optimizer.variables`
 * order, `iteration` as int64) and legacy `.h5` (`optimizer_weights`) are
 * written for a compiled model and read back into an optimizer built on the
 * model's trainable weights; training on from a loaded file equals training
 * on from memory, bit for bit. A state that does not fit is warned about in
 * Keras's words and skipped (the model loads, the optimizer starts fresh);
 * a corrupt optimizer group is a clear error and loads nothing. The bad
 * files are Keras's own, altered (test/fixtures/keras-resume/bad/).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, mock } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync } from 'fflate';
import h5wasm from 'h5wasm';
import { layers, models, optimizers, saving, ValueError } from 'keras-regularizers';
import { describeEachBackend } from './helpers/backends.js';

const BAD = new URL('./fixtures/keras-resume/bad/', import.meta.url);
const folder = mkdtempSync(join(tmpdir(), 'optimizer-state-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const bits = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));
const x = () => tf.tensor2d([0.1, -0.4, 0.7, 0.2, -0.9, 0.5, 0.3, 0.8, -0.2, 0.6, -0.1, 0.4], [4, 3]);
const y = () => tf.tensor2d([0.5, -0.3, 0.2, 0.9], [4, 1]);

function model(optimizer: optimizers.Optimizer = new optimizers.Adam({ learningRate: 0.01, amsgrad: true })) {
  const m = new models.Sequential([
    layers.Input({ shape: [3] }),
    new layers.Dense({ units: 4, activation: 'tanh', kernelInitializer: 'ones' }),
    new layers.BatchNormalization(),
    new layers.Dense({ units: 1, kernelInitializer: 'ones' }),
  ]);
  m.compile({ optimizer, loss: 'mse' });
  return m;
}

async function trained(optimizer?: optimizers.Optimizer) {
  const m = model(optimizer);
  const [xs, ys] = [x(), y()];
  await m.fit(xs, ys, { batchSize: 2, epochs: 2, shuffle: false, verbose: 0 });
  tf.dispose([xs, ys]);
  return m;
}

function step(m: models.Model) {
  const [xs, ys] = [x(), y()];
  m.trainOnBatch(xs, ys);
  tf.dispose([xs, ys]);
}

/** The datasets of `optimizer/vars` in HDF5 bytes: name attribute, and per index its dtype and shape. */
async function optimizerGroup(bytes: Uint8Array) {
  const runtime = (await h5wasm.ready) as unknown as {
    FS: { writeFile(p: string, d: Uint8Array): void; unlink(p: string): void };
  };
  const path = `/inspect-${Math.random().toString(36).slice(2)}.h5`;
  runtime.FS.writeFile(path, bytes);
  const file = new h5wasm.File(path, 'r');
  try {
    const group = file.get('optimizer/vars') as InstanceType<typeof h5wasm.Group>;
    const name = group.attrs.name?.value;
    const entries = group.keys().map((key) => {
      const dataset = group.get(key) as InstanceType<typeof h5wasm.Dataset>;
      return {
        key,
        dtype: dataset.dtype,
        shape: dataset.shape,
        value: dataset.shape?.length === 0 ? dataset.value : null,
      };
    });
    return { name, entries };
  } finally {
    file.close();
    runtime.FS.unlink(path);
  }
}

describeEachBackend('optimizer state in our files, both ways', () => {
  for (const format of ['.keras', '.h5', '.weights.h5'] as const) {
    it(`${format}: the state goes in and comes back; training on from the file equals training on in memory`, async () => {
      const tensors = tf.memory().numTensors;
      const original = await trained();
      const path = join(folder, `round-trip-${tf.getBackend()}${format}`);
      let loaded: models.Model;
      if (format === '.weights.h5') {
        await original.saveWeights(path);
        loaded = model();
        await loaded.loadWeights(path);
      } else {
        await original.save(path);
        loaded = await saving.loadModel(path);
      }
      const [a, b] = [original.optimizer, loaded.optimizer] as optimizers.Optimizer[];
      assert.equal(b?.iterations, 4);
      assert.equal(b?.variables.length, a?.variables.length);
      assert.deepEqual(b?.variables.map(bits), a?.variables.map(bits), 'every variable, bit for bit');
      step(original);
      step(loaded);
      assert.deepEqual(loaded.weights.map(bits), original.weights.map(bits), 'the next step, bit for bit');
      original.dispose();
      loaded.dispose();
      assert.equal(tf.memory().numTensors, tensors, 'no tensor left');
    });
  }

  it('a .keras file holds optimizer/vars as Keras writes it: iteration int64, learning_rate, then the slots', async () => {
    const m = await trained();
    const bytes = await saving.saveModelToBytes(m);
    const group = await optimizerGroup(unzipSync(bytes)['model.weights.h5'] as Uint8Array);
    assert.equal(group.name, m.optimizer?.name);
    const variables = m.optimizer?.variables ?? [];
    assert.equal(group.entries.length, variables.length);
    const byIndex = new Map(group.entries.map((e) => [e.key, e]));
    assert.equal(byIndex.get('0')?.dtype, '<q', 'iteration is int64');
    assert.equal(Number(byIndex.get('0')?.value), 4);
    assert.equal(byIndex.get('1')?.dtype, '<f');
    variables.forEach((v, i) => {
      assert.deepEqual(byIndex.get(String(i))?.shape, v.shape, `optimizer/vars/${i}`);
    });
    m.dispose();
  });

  it('a compiled model that never trained saves iteration and learning_rate, and loads quietly', async () => {
    const warn = mock.method(console, 'warn', () => {});
    try {
      const m = model();
      const bytes = await saving.saveModelToBytes(m);
      const group = await optimizerGroup(unzipSync(bytes)['model.weights.h5'] as Uint8Array);
      assert.equal(group.entries.length, 2, 'as Keras: the two scalars an unbuilt optimizer has');
      const loaded = await saving.loadModelFromBytes(bytes);
      assert.equal(loaded.optimizer?.iterations, 0);
      assert.equal(warn.mock.callCount(), 0);
      m.dispose();
      loaded.dispose();
    } finally {
      warn.mock.restore();
    }
  });
});

describe('optimizer state that does not fit', () => {
  const load = async (name: string) => {
    const warn = mock.method(console, 'warn', () => {});
    try {
      const tensors = tf.memory().numTensors;
      const m = await saving.loadModel(new URL(name, BAD).pathname);
      const messages = warn.mock.calls.map((c) => String(c.arguments[0]));
      const optimizer = m.optimizer as optimizers.Optimizer;
      const fresh = {
        iterations: optimizer.iterations,
        zeros: optimizer.variables.slice(2).every((v) => v.dataSync().every((e) => e === 0)),
      };
      m.dispose();
      assert.equal(tf.memory().numTensors, tensors, 'no tensor left');
      return { messages, fresh };
    } finally {
      warn.mock.restore();
    }
  };
  const FRESH = { iterations: 0, zeros: true };

  it("one variable fewer in .keras: Keras's warning, the optimizer starts fresh", async () => {
    const { messages, fresh } = await load('count.keras');
    assert.deepEqual(messages, [
      "Skipping variable loading for optimizer 'rm_sprop_1', because it has 14 variables whereas the saved optimizer has 13 variables. ",
    ]);
    assert.deepEqual(fresh, FRESH);
  });

  it('one name fewer in the .h5 weight_names: warned and skipped (Keras would load a prefix)', async () => {
    const { messages, fresh } = await load('count.h5');
    assert.deepEqual(messages, [
      "Skipping variable loading for optimizer 'rm_sprop_1', because it has 14 variables whereas the saved optimizer has 13 variables. ",
    ]);
    assert.deepEqual(fresh, FRESH);
  });

  for (const file of ['shape.keras', 'shape.h5']) {
    it(`${file}: a slot of another shape is warned about and nothing is assigned`, async () => {
      const { messages, fresh } = await load(file);
      assert.equal(messages.length, 1);
      assert.match(
        messages[0] as string,
        /^Error in loading the saved optimizer state\. As a result, your model is starting with a freshly initialized optimizer\. \(Optimizer variable \S+ has shape \[4, 6\] not compatible with provided weight shape \[6, 4\]\.\)$/,
      );
      assert.deepEqual(fresh, FRESH);
    });
  }

  const refused = async (file: string, message: RegExp) => {
    const tensors = tf.memory().numTensors;
    await assert.rejects(saving.loadModel(new URL(file, BAD).pathname), (error: Error) => {
      assert.ok(error instanceof ValueError, `${error.name}: ${error.message}`);
      assert.match(error.message, message);
      return true;
    });
    assert.equal(tf.memory().numTensors, tensors, 'the half-loaded model is freed');
  };

  it('a slot stored as text in .keras is a clear error naming it', async () => {
    await refused(
      'text.keras',
      /^Weight \/optimizer\/vars\/3 in model\.weights\.h5 is string; expected a 32- or 64-bit float or integer\.$/,
    );
  });

  it('a slot not named by its index in .keras is a clear error', async () => {
    await refused('stray.keras', /holds optimizer variables named x at optimizer\/vars; Keras numbers them 0 to 13\.$/);
  });

  it('a slot listed in the .h5 weight_names without its dataset is a clear error', async () => {
    await refused('missing.h5', /^The \.h5 file has no optimizer variable at optimizer_weights\/rm_sprop_1\/\S+\.$/);
  });

  it('loadWeights from a file of another optimizer: the weights load, the optimizer is warned about and fresh', async () => {
    const sgd = await trained(new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }));
    const path = join(folder, 'sgd.weights.h5');
    await sgd.saveWeights(path);
    const adam = model();
    const warn = mock.method(console, 'warn', () => {});
    try {
      await adam.loadWeights(path);
      assert.deepEqual(
        warn.mock.calls.map((c) => String(c.arguments[0])),
        [
          `Skipping variable loading for optimizer '${adam.optimizer?.name}', because it has 20 variables whereas the saved optimizer has 8 variables. `,
        ],
      );
      assert.deepEqual(adam.weights.map(bits), sgd.weights.map(bits), 'the weights loaded');
      assert.equal(adam.optimizer?.iterations, 0);
    } finally {
      warn.mock.restore();
      sgd.dispose();
      adam.dispose();
    }
  });

  it('a state saved in another variable order: same count, shapes differ, warned and skipped', async () => {
    const m = model(new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }));
    // Built on the weights in reverse: slot 0 is the last bias's, shaped [1], where the first kernel's is [3, 4].
    m.optimizer?.build([...m.trainableWeights].reverse());
    const bytes = await saving.saveModelToBytes(m);
    const warn = mock.method(console, 'warn', () => {});
    try {
      const loaded = await saving.loadModelFromBytes(bytes);
      assert.equal(warn.mock.callCount(), 1);
      assert.match(
        String(warn.mock.calls[0]?.arguments[0]),
        /has shape \[3, 4\] not compatible with provided weight shape \[1\]/,
      );
      loaded.dispose();
    } finally {
      warn.mock.restore();
      m.dispose();
    }
  });
});

it('the state matters: Keras-made mlp_rmsprop resumed with its state differs from a fresh optimizer', async () => {
  const file = new URL('./fixtures/keras-resume/mlp_rmsprop.keras', import.meta.url).pathname;
  const expected = JSON.parse(readFileSync(new URL('./fixtures/keras-resume/expected.json', import.meta.url), 'utf8'));
  const c = expected.cases.find((k: { name: string }) => k.name === 'mlp_rmsprop');
  const fam = expected.families.mlp;
  const run = async (fresh: boolean) => {
    const m = await saving.loadModel(file);
    if (fresh) m.compile({ optimizer: optimizers.deserialize(c.config), loss: fam.loss });
    const xs = tf.tensor(fam.x.values, fam.x.shape).slice(0, 4);
    const ys = tf.tensor(fam.y[0].values, fam.y[0].shape, 'int32').slice(0, 4);
    m.trainOnBatch(xs, ys);
    const logs = m.trainOnBatch(xs, ys);
    tf.dispose([xs, ys]);
    m.dispose();
    return logs.loss as number;
  };
  const [resumed, fresh] = [await run(false), await run(true)];
  assert.ok(Math.abs(resumed - fresh) > 1e-3, `resumed ${resumed}, fresh ${fresh}`);
});
