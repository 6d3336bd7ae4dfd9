/**
 * The color augmentation layers against real Keras 3.15.1
 * (test/fixtures/keras-augmentation-color.json and color_cnn.keras, made by
 * scripts/generate_keras_augmentation_color_fixtures.py): each layer rebuilt
 * from Keras's JSON writes Keras's config back; Keras's inference outputs and
 * its training outputs with degenerate factor ranges (one image and batches,
 * both data formats) at rtol 1e-5 on cpu and wasm; a Keras-saved CNN with
 * twelve of these layers loads with Keras's predictions and saves back the
 * same layers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import type { FixtureCase } from './helpers/fixtures.js';

interface Values {
  shape: number[];
  values: number[];
}

const CASES = (
  JSON.parse(readFileSync(new URL('./fixtures/keras-augmentation-color.json', import.meta.url), 'utf8')) as {
    cases: FixtureCase[];
  }
).cases;
const FOLDER = new URL('./fixtures/keras-augmentation-color/', import.meta.url);
const MODELS = JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as Record<
  string,
  { input: Values; output: Values }
>;
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, 'float32');
const fromKeras = (json: unknown) => layers.deserialize(json as never) as layers.Layer;

describeEachBackend('color augmentation configs as Keras writes them', () => {
  for (const c of CASES.filter((k) => k.kind === 'config')) {
    it(`${c.name}: rebuilt from Keras's JSON, writes Keras's config`, () => {
      const layer = fromKeras(c.json);
      assertConfigClose(layers.serialize(layer).config, c.json.config);
      // And again from our own JSON.
      assertConfigClose(layers.serialize(fromKeras(layers.serialize(layer))).config, c.json.config);
    });
  }
});

describeEachBackend("color augmentation calls equal Keras's", () => {
  for (const c of CASES.filter((k) => k.kind === 'call')) {
    it(`${c.name} (training=${c.training})`, () => {
      const layer = fromKeras(c.json);
      const before = tf.memory().numTensors;
      const x = tensorOf(c.input);
      const y = layer.apply(x, { training: c.training }) as tf.Tensor;
      assert.deepEqual(y.shape, c.output.shape);
      assert.equal(y.dtype, 'float32');
      // atol 1e-4 on values up to 255: the HSV round trips lose ~1.5e-5 near 0 (float32 at the images' scale).
      assertAllClose(y, c.output.values, { rtol: 1e-5, atol: 1e-4 }, c.name);
      tf.dispose([x, y]);
      assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    });
  }
});

/** The layers of a .keras archive's config, as [class_name, config] (InputLayer left out). */
async function archiveLayers(bytes: Uint8Array): Promise<unknown> {
  const model = await saving.loadModelFromBytes(bytes);
  const config = model.getConfig() as { layers?: { className?: string }[] };
  model.dispose();
  return config;
}

describeEachBackend('a .keras file with color augmentation layers, both ways', () => {
  for (const [name, expected] of Object.entries(MODELS)) {
    it(`${name}.keras saved by Keras loads with Keras's predictions and saves back the same layers`, async () => {
      const path = new URL(`${name}.keras`, FOLDER).pathname;
      const model = await saving.loadModel(path);
      const x = tensorOf(expected.input);
      const predict = (m: typeof model) =>
        tf.tidy(() => Array.from((m.apply(x, { training: false }) as tf.Tensor).dataSync()));
      const output = predict(model);
      assertAllClose(output, expected.output.values, { rtol: 1e-5, atol: 1e-5 }, 'predictions');
      const bytes = await saving.saveModelToBytes(model);
      const again = await saving.loadModelFromBytes(bytes);
      assert.deepEqual(predict(again), output);
      const classes = (m: typeof model) => m.layers.map((l) => (l.constructor as { className?: string }).className);
      assert.deepEqual(classes(again), classes(model));
      assertConfigClose(await archiveLayers(bytes), model.getConfig());
      tf.dispose(x);
      model.dispose();
      again.dispose();
    });
  }
});
