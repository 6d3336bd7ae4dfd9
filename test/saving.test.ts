/** .keras files: Keras's own load here, ours round-trip, and broken files fail cleanly. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { L1, L2, layers, models, optimizers, saving, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import './helpers/custom-regularizers.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

const FOLDER = new URL('./fixtures/keras-models/', import.meta.url);
const EXPECTED = JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as {
  models: Record<
    string,
    { input: { shape: number[]; values: number[] }; output: { values: number[] }; losses: number[] }
  >;
};
const fileOf = (name: string) => new URL(`${name}.keras`, FOLDER).pathname;

/** Predictions and `losses` after one inference call. */
function run(model: models.Model, x: tf.Tensor): { output: number[]; losses: number[] } {
  return tf.tidy(() => {
    const output = Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync());
    const losses = model.losses.map((l) => l.dataSync()[0] as number);
    return { output, losses };
  });
}

async function expectRejectsValueError(body: () => Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(body, (error: Error) => {
    assert.ok(error instanceof ValueError, `expected ValueError, got ${error.name}: ${error.message}`);
    assert.match(error.message, message);
    return true;
  });
}

describeEachBackend('.keras files', () => {
  for (const [name, expected] of Object.entries(EXPECTED.models)) {
    it(`${name}.keras saved by Keras loads with the same predictions and losses`, async () => {
      const model = await saving.loadModel(fileOf(name));
      const x = tf.tensor(expected.input.values, expected.input.shape);
      const result = run(model, x);
      assertAllClose(result.output, expected.output.values, { atol: 1e-5 }, 'predictions');
      assertAllClose(result.losses, expected.losses, {}, 'losses');
      assert.ok(model.optimizer instanceof optimizers.Adam, 'compiled from compile_config');
      assertAllClose(model.optimizer.learningRate, 0.01);

      // And what we save from it loads here again the same.
      const again = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
      const second = run(again, x);
      assert.deepEqual(second.output, result.output);
      assert.deepEqual(second.losses, result.losses);
      assert.deepEqual(models.modelToJSON(again).config, models.modelToJSON(model).config);
      tf.dispose(x);
      model.dispose();
      again.dispose();
    });
  }

  it('a model built here saves to a file atomically and loads back, config in snake_case', async () => {
    const model = new models.Sequential([
      layers.Input({ shape: [3] }),
      new layers.Dense({
        units: 4,
        activation: 'tanh',
        kernelRegularizer: new L1(0.01),
        activityRegularizer: new L2(0.02),
      }),
      new layers.Dense({ units: 2 }),
    ]);
    model.compile({
      optimizer: new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }),
      loss: 'mse',
      metrics: ['accuracy'],
    });
    const folder = mkdtempSync(join(tmpdir(), 'keras-regularizers-'));
    const path = join(folder, 'model.keras');
    await saving.saveModel(model, path);
    assert.deepEqual(readdirSync(folder), ['model.keras'], 'no temporary file left behind');
    const entries = unzipSync(new Uint8Array(readFileSync(path)));
    assert.deepEqual(Object.keys(entries).sort(), ['config.json', 'metadata.json', 'model.weights.h5']);
    const config = JSON.parse(strFromU8(entries['config.json'] as Uint8Array));
    assert.equal(config.class_name, 'Sequential');
    assert.equal(config.config.layers[1].config.kernel_regularizer.class_name, 'L1');
    assert.equal(config.compile_config.optimizer.config.momentum, 0.9);
    const loaded = await saving.loadModel(path);
    const x = tf.tensor([[1, -2, 0.5]]);
    assert.deepEqual(run(loaded, x), run(model, x));
    assert.deepEqual(loaded.getCompileConfig(), model.getCompileConfig());
    tf.dispose(x);
    model.dispose();
    loaded.dispose();
  });
});

it('broken files give clear errors and leave no model or tensor behind', async () => {
  const good = new Uint8Array(readFileSync(fileOf('dense_l1_l2_activity')));
  const entries = unzipSync(good);
  const withEntries = (changes: Record<string, Uint8Array | null>) => {
    const files: Record<string, Uint8Array> = {};
    for (const [name, bytes] of Object.entries({ ...entries, ...changes })) if (bytes != null) files[name] = bytes;
    return zipSync(files);
  };
  const config = JSON.parse(strFromU8(entries['config.json'] as Uint8Array));
  config.config.layers[2].config.units = 4;
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array([1, 2, 3, 4]), /^Not a readable \.keras file \(a zip archive\)/],
    [good.slice(0, good.length / 2), /^Not a readable \.keras file \(a zip archive\)/],
    [withEntries({ 'model.weights.h5': null }), /^The \.keras file has no model\.weights\.h5\.$/],
    [withEntries({ 'config.json': strToU8('{"class_name": "Sequential",') }), /^config\.json is not valid JSON/],
    [withEntries({ 'model.weights.h5': new Uint8Array(100) }), /^model\.weights\.h5 is not a readable HDF5 file/],
    [
      withEntries({ 'config.json': strToU8(JSON.stringify(config)) }),
      /^Weight layers\/dense_1\/vars\/0 of layer "dense_1" has shape \[5, 3\]; the layer expects \[5, 4\]\.$/,
    ],
  ];
  for (const [bytes, message] of cases) {
    await assertNoLeak(async () => {
      await expectRejectsValueError(() => saving.loadModelFromBytes(bytes), message);
    });
  }
  await expectRejectsValueError(
    () => saving.loadModel('/tmp/model.json'),
    /^Invalid filepath: the filename must end in \.keras \(or \.h5 .*\)\. Received: filepath="\/tmp\/model\.json"$/,
  );
  const folder = mkdtempSync(join(tmpdir(), 'keras-regularizers-'));
  writeFileSync(join(folder, 'keep.keras'), 'old');
  await assert.rejects(
    () => saving.saveModel(new models.Sequential([]), join(folder, 'keep.keras')),
    /Model "sequential(_\d+)?" is not built/,
  );
  assert.equal(readFileSync(join(folder, 'keep.keras'), 'utf8'), 'old', 'a failed save leaves the old file');
});

it('a model and its JSON round-trip through modelToJSON / modelFromJSON, text or object', () => {
  const model = new models.Sequential([
    layers.Input({ shape: [5, 5, 1] }),
    new layers.Conv2D({ filters: 2, kernelSize: 3, kernelRegularizer: 'l2' }),
    new layers.GlobalAveragePooling2D(),
    new layers.Activation({ activation: 'softmax' }),
  ]);
  const json = model.toJSON();
  assert.deepEqual(json.build_config, { input_shape: [null, 5, 5, 1] });
  assert.equal(json.compile_config, undefined);
  const fromText = models.modelFromJSON(JSON.stringify(json));
  assert.deepEqual(models.modelToJSON(fromText), json);
  expectValueError(() => models.modelFromJSON('{"class_name":'), /^Invalid model JSON: /);
  expectValueError(
    () => models.modelFromJSON({ class_name: 'Functional', config: {} }),
    'Invalid Functional config: expected layers to be an array of layer configs. Received: layers=undefined',
  );
  model.dispose();
  fromText.dispose();
});

it('compile_config is written only when the loss and every metric are Keras names', () => {
  const model = new models.Sequential([layers.Input({ shape: [3] }), new layers.Dense({ units: 2 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracy'] });
  const named = model.toJSON().compile_config;
  assert.equal(named?.loss, 'mse');
  assert.deepEqual(named?.metrics, ['accuracy']);
  // Keras JSON cannot name a function: a compile_config naming it would not load back.
  function meanPrediction(_yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
    return tf.mean(yPred) as tf.Scalar;
  }
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracy', meanPrediction] });
  assert.equal(model.getCompileConfig(), null);
  assert.equal(model.toJSON().compile_config, undefined);
  model.compile({ optimizer: 'sgd', loss: (yTrue, yPred) => tf.mean(tf.square(tf.sub(yTrue, yPred))) as tf.Scalar });
  assert.equal(model.getCompileConfig(), null);
  model.dispose();
});
