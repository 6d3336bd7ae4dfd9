/**
 * Keras-made .keras files with preprocessing layers in front of trainable
 * ones (test/fixtures/keras-preprocessing/, made by
 * scripts/generate_keras_preprocessing_fixtures.py): image_cnn (Rescaling,
 * an adapted Normalization, Resizing, CenterCrop, Conv2D, Dense) and
 * binned_dense (Discretization, CategoryEncoding, Dense). Each loads with
 * Keras's weights and predictions, trains two SGD steps to Keras's losses
 * and weights, and saves back to a file that loads with the same numbers
 * (scripts/check_keras_loads_preprocessing.py has Keras load ours).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, type models, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { kerasLayerConfigs } from './helpers/keras-file-configs.js';

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-preprocessing.json', import.meta.url), 'utf8')) as {
  models: Record<string, FixtureCase>;
};
const FOLDER = new URL('./fixtures/keras-preprocessing/', import.meta.url);

function tensorOf(value: { shape: number[]; dtype: string; values: number[] }): tf.Tensor {
  return tf.tensor(value.values, value.shape, value.dtype === 'int32' ? 'int32' : 'float32');
}

/** A model's weight path without the model's own name, as Keras's variable paths are written. */
const withoutModel = (path: string) => path.split('/').slice(-2).join('/');

describeEachBackend('Keras-made models with preprocessing layers', () => {
  for (const name of ['image_cnn', 'binned_dense']) {
    const expected = FIXTURE.models[name] as FixtureCase;
    it(`${name}.keras loads with Keras's weights and predictions, trains 2 SGD steps to Keras's numbers, and saves back`, async () => {
      const path = new URL(`${name}.keras`, FOLDER).pathname;
      const model = await saving.loadModel(path);
      assert.deepEqual(
        model.weightRecords().map((r) => withoutModel(r.path)),
        expected.weight_paths.map(withoutModel),
      );
      model.weights.forEach((w, i) => {
        assertAllClose(w, expected.weights[i].values, { rtol: 0, atol: 0 }, expected.weight_paths[i]);
      });
      const x = tensorOf(expected.input);
      const y = tensorOf(expected.target);
      const predict = (m: models.Model) =>
        tf.tidy(() => Array.from((m.apply(x, { training: false }) as tf.Tensor).dataSync()));
      assertAllClose(predict(model), expected.output.values, { rtol: 1e-5, atol: 1e-5 }, 'predictions');

      // Saved here before training: Keras's layer configs, and the same predictions when read back.
      const bytes = await saving.saveModelToBytes(model);
      assertConfigClose(kerasLayerConfigs(bytes), kerasLayerConfigs(new Uint8Array(readFileSync(path))));
      const again = await saving.loadModelFromBytes(bytes);
      assert.deepEqual(predict(again), predict(model));

      // Two steps with the optimizer of the file's compile_config (SGD 0.05): Keras's losses and weights.
      expected.steps.forEach((step: { loss: number; weights: { values: number[] }[] }, s: number) => {
        const logs = model.trainOnBatch(x, y);
        assertAllClose(logs.loss as number, step.loss, { rtol: 1e-5, atol: 1e-6 }, `loss at step ${s + 1}`);
        model.weights.forEach((w, i) => {
          assertAllClose(
            w,
            step.weights[i]?.values as number[],
            { rtol: 1e-4, atol: 1e-5 },
            `step ${s + 1} ${expected.weight_paths[i]}`,
          );
        });
      });
      assertAllClose(
        predict(model),
        expected.output_after.values,
        { rtol: 1e-4, atol: 1e-5 },
        'predictions after training',
      );
      const trained = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
      assert.deepEqual(predict(trained), predict(model));
      tf.dispose([x, y]);
      for (const m of [model, again, trained]) m.dispose();
    });
  }
});

describeEachBackend('a Normalization in a loaded model', () => {
  it('keeps its adapted statistics as non-trainable weights that training leaves alone', async () => {
    const model = await saving.loadModel(new URL('image_cnn.keras', FOLDER).pathname);
    const norm = model.layers.find((l) => l instanceof layers.Normalization) as layers.Normalization;
    assert.deepEqual(
      norm.nonTrainableWeights.map((w) => w.shape),
      [[3], [3], []],
    );
    assert.equal(norm.trainableWeights.length, 0);
    model.dispose();
  });
});

describeEachBackend('a Keras-made legacy .h5 file with an adapted Normalization', () => {
  it("loads (the int count included) with Keras's predictions and saves back", async () => {
    const expected = (FIXTURE as unknown as { legacy: Record<string, FixtureCase> }).legacy.norm_dense as FixtureCase;
    const model = await saving.loadModel(new URL('norm_dense.h5', FOLDER).pathname);
    model.weights.forEach((w, i) => {
      assertAllClose(w, expected.weights[i].values, { rtol: 0, atol: 0 }, `weight ${i}`);
    });
    const x = tensorOf(expected.input);
    const predict = (m: models.Model) =>
      tf.tidy(() => Array.from((m.apply(x, { training: false }) as tf.Tensor).dataSync()));
    assertAllClose(predict(model), expected.output.values, { rtol: 1e-5, atol: 1e-5 }, 'predictions');
    const again = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
    assert.deepEqual(predict(again), predict(model));
    x.dispose();
    model.dispose();
    again.dispose();
  });
});
