/**
 * The mixing augmentation layers in models: a Keras-made .keras file
 * (test/fixtures/keras-augmentation-mixing/mixing_cnn.keras, made by
 * scripts/generate_keras_augmentation_mixing_fixtures.py: a Pipeline of
 * RandomErasing and RandomGaussianBlur, MixUp, CutMix and
 * MaxNumBoundingBoxes in front of a small CNN) loads with Keras's layer
 * configs and predictions and saves back to a file with the same configs
 * (scripts/check_keras_loads_augmentation_mixing.py has Keras load ours);
 * policy_cnn.keras (a Pipeline of RandAugment and RandomGaussianBlur, then AugMix) likewise;
 * and `fit` augments in training while `predict` passes the images through.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, unzipSync } from 'fflate';
import { layers, models, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { kerasLayerConfigs } from './helpers/keras-file-configs.js';

const FIXTURE = JSON.parse(
  readFileSync(new URL('./fixtures/keras-augmentation-mixing.json', import.meta.url), 'utf8'),
) as { models: Record<string, FixtureCase> };
const FOLDER = new URL('./fixtures/keras-augmentation-mixing/', import.meta.url);

const PIPELINES: Record<string, string[]> = {
  mixing_cnn: ['RandomErasing', 'RandomGaussianBlur'],
  policy_cnn: ['RandAugment', 'RandomGaussianBlur'],
};

describeEachBackend('Keras-made models with a Pipeline and mixing augmentation layers', () => {
  for (const [name, inside] of Object.entries(PIPELINES)) {
    it(`${name}.keras loads with Keras's configs, weights and predictions, and saves back`, async () => {
      const expected = FIXTURE.models[name] as FixtureCase;
      const path = new URL(`${name}.keras`, FOLDER).pathname;
      const model = await saving.loadModel(path);
      const pipeline = model.layers.find((l) => l instanceof layers.Pipeline) as layers.Pipeline;
      assert.deepEqual(
        pipeline.layers.map((l) => l.constructor.name),
        inside,
      );
      model.weights.forEach((w, i) => {
        assertAllClose(w, expected.weights[i].values, { rtol: 0, atol: 0 }, expected.weight_paths[i]);
      });
      const x = tf.tensor(expected.input.values, expected.input.shape);
      const predict = (m: models.Model) =>
        tf.tidy(() => Array.from((m.apply(x, { training: false }) as tf.Tensor).dataSync()));
      assertAllClose(predict(model), expected.output.values, { rtol: 1e-5, atol: 1e-6 }, 'predictions');

      const bytes = await saving.saveModelToBytes(model);
      assertConfigClose(kerasLayerConfigs(bytes), kerasLayerConfigs(new Uint8Array(readFileSync(path))));
      const again = await saving.loadModelFromBytes(bytes);
      assert.deepEqual(predict(again), predict(model));
      // A training call augments: the outputs move.
      const trained = tf.tidy(() => Array.from((model.apply(x, { training: true }) as tf.Tensor).dataSync()));
      assert.notDeepEqual(trained, predict(model));
      x.dispose();
      model.dispose();
      again.dispose();
    });
  }
});

describeEachBackend('mixing augmentation layers in fit', () => {
  it('fit trains through a Pipeline of RandomErasing, RandomGaussianBlur, MixUp and CutMix; predict is unaugmented', async () => {
    const augment = new layers.Pipeline({
      layers: [
        new layers.RandomErasing({ seed: 1 }),
        new layers.RandomGaussianBlur({ seed: 2 }),
        new layers.MixUp({ seed: 3 }),
        new layers.CutMix({ seed: 4 }),
        new layers.MaxNumBoundingBoxes({ maxNumber: 3 }),
      ],
    });
    const model = new models.Sequential([
      layers.Input({ shape: [6, 6, 3] }),
      augment,
      new layers.Rescaling({ scale: 1 / 255 }),
      new layers.Flatten(),
      new layers.Dense({ units: 2 }),
    ]);
    const plain = new models.Sequential([
      layers.Input({ shape: [6, 6, 3] }),
      new layers.Rescaling({ scale: 1 / 255 }),
      new layers.Flatten(),
      new layers.Dense({ units: 2 }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tidy(() => tf.mul(tf.randomUniform([8, 6, 6, 3], 0, 1, 'float32', 5), 255));
    const y = tf.randomNormal([8, 2], 0, 1, 'float32', 6);
    // A first epoch builds the optimizer's state; the next ones must leave nothing.
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    const losses = history.history.loss as number[];
    assert.equal(losses.length, 2);
    for (const loss of losses) assert.ok(Number.isFinite(loss));
    // The same Dense weights without the augmentation: predict equals it (augmentation is off).
    const weights = model.getWeights();
    plain.setWeights(weights);
    tf.dispose(weights);
    const ours = model.predict(x) as tf.Tensor;
    const reference = plain.predict(x) as tf.Tensor;
    assertAllClose(ours, reference, { rtol: 1e-6, atol: 1e-6 });
    tf.dispose([ours, reference]);
    assert.ok(tf.memory().numTensors - before <= 0, `fit and predict left ${tf.memory().numTensors - before} tensors`);
    tf.dispose([x, y]);
    model.dispose();
    plain.dispose();
  });
});

describeEachBackend('a Pipeline holding trainable layers', () => {
  it('trains their weights in fit and saves them where Keras stores them (layers/pipeline/layers/dense/vars)', async () => {
    const model = new models.Sequential([
      layers.Input({ shape: [4, 4, 3] }),
      new layers.Pipeline({
        layers: [new layers.RandomGaussianBlur({ valueRange: [0, 1], seed: 1 }), new layers.Dense({ units: 3 })],
      }),
      new layers.Flatten(),
      new layers.Dense({ units: 2 }),
    ]);
    assert.equal(model.trainableWeights.length, 4);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.randomUniform([4, 4, 4, 3], 0, 1, 'float32', 1);
    const y = tf.randomNormal([4, 2], 0, 1, 'float32', 2);
    const before = Array.from(model.trainableWeights[0]?.dataSync() ?? []);
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    assert.notDeepEqual(Array.from(model.trainableWeights[0]?.dataSync() ?? []), before, 'the Dense inside trained');
    const bytes = await saving.saveModelToBytes(model);
    const h5 = unzipSync(bytes)['model.weights.h5'] as Uint8Array;
    assert.ok(strFromU8(h5, true).includes('pipeline'), 'the weights file has the pipeline group');
    const again = await saving.loadModelFromBytes(bytes);
    const predict = (m: models.Model) => tf.tidy(() => Array.from((m.predict(x) as tf.Tensor).dataSync()));
    assert.deepEqual(predict(again), predict(model));
    tf.dispose([x, y]);
    model.dispose();
    again.dispose();
  });
});
