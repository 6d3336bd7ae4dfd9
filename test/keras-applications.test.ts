/**
 * keras.applications (issue 23): Keras's MobileNet(alpha=0.25, 32x32,
 * weights=None, classes=5) as Keras saved it
 * (test/fixtures/keras-applications/, scripts/generate_keras_applications_fixtures.py tiny):
 * predictions and evaluate() logs equal Keras's; frozen, with a new Dense
 * head (kernel_regularizer L2) from Keras's initial head weights, 3 SGD
 * steps give Keras's logs and head weights, no BatchNormalization moving
 * statistic moves, and the saved fine-tuned model loads back with the same
 * predictions (scripts/check_keras_applications.py has Keras load it). The
 * 15 families run in test/keras-applications-families.test.ts (skipped
 * without .keras-venv); ConvNeXt's LayerScale and InceptionResNetV2's
 * CustomScaleLayer are checked here on their own.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertFinetune, type FinetuneCase, replayFinetune } from './helpers/keras-applications.js';

const FOLDER = new URL('./fixtures/keras-applications/', import.meta.url);
const CASES = ['MobileNet-a025-top'];

describeEachBackend('keras.applications saved by Keras (issue 23)', () => {
  for (const label of CASES) {
    it(`${label}: Keras's predictions and evaluate logs; a frozen base with an L2 head fine-tunes 3 steps to Keras's numbers`, async () => {
      const expected = JSON.parse(readFileSync(new URL(`${label}.json`, FOLDER), 'utf8')) as FinetuneCase;
      const tensors = tf.memory().numTensors;
      const result = await replayFinetune(new URL(`${label}.keras`, FOLDER).pathname, expected);
      assertFinetune(result, expected);
      assert.equal(tf.memory().numTensors, tensors, 'the models, the optimizer and the steps leave no tensor');
    });
  }

  it('a model over the weight budget is refused before allocating, and the engine works afterwards', async () => {
    // ConvNeXtXLarge (about 350 million weights) is over the default budget of 2^28 (a 1 GiB
    // float32 heap, a quarter of wasm's 4 GiB); the same check, scaled down, on MobileNet.
    const file = new URL('MobileNet-a025-top.keras', FOLDER).pathname;
    const tensors = tf.memory().numTensors;
    await assert.rejects(saving.loadModel(file, { maxWeights: 100_000 }), (error: Error) => {
      assert.match(
        error.message,
        /^The model's weights are over the budget of 100000 elements \(maxWeights\): .* Refused before allocating\.$/,
      );
      return true;
    });
    assert.equal(tf.memory().numTensors, tensors, 'nothing left allocated');
    const model = await saving.loadModel(file);
    const x = tf.zeros([1, 32, 32, 3]);
    const y = model.predict(x) as tf.Tensor;
    assert.deepEqual(y.shape, [1, 5]);
    tf.dispose([x, y]);
    model.dispose();
    assert.equal(tf.memory().numTensors, tensors);
  });

  it("LayerScale: x * gamma, gamma started at initValues; Keras's module and registered name", () => {
    const layer = new layers.LayerScale({ initValues: 0.5, projectionDim: 3, name: 'scale' });
    const x = tf.tensor([
      [1, 2, 3],
      [-4, 5, -6],
    ]);
    const y = layer.apply(x) as tf.Tensor;
    assertAllClose(y, [0.5, 1, 1.5, -2, 2.5, -3]);
    assert.deepEqual(
      layer.weightRecords().map((w) => [w.path, w.variable.shape]),
      [['scale/variable', [3]]],
    );
    const json = layers.serialize(layer);
    assert.equal(json.module, 'keras.src.applications.convnext');
    assert.equal(json.registered_name, 'LayerScale');
    assert.deepEqual([json.config.init_values, json.config.projection_dim], [0.5, 3]);
    const back = layers.deserialize(json) as layers.LayerScale;
    assert.deepEqual([back.initValues, back.projectionDim], [0.5, 3]);
    tf.dispose([x, y]);
    layer.dispose();
    back.dispose();
  });

  it("CustomScaleLayer: inputs[0] + inputs[1] * scale; Keras's module and registered name", () => {
    const layer = new layers.CustomScaleLayer({ scale: 0.17 });
    const a = tf.tensor([1, 2]);
    const b = tf.tensor([10, -20]);
    const y = layer.apply([a, b]) as tf.Tensor;
    assertAllClose(y, [1 + 10 * 0.17, 2 - 20 * 0.17]);
    const json = layers.serialize(layer);
    assert.equal(json.module, 'keras.src.applications.inception_resnet_v2');
    assert.equal(json.registered_name, 'CustomScaleLayer');
    assert.equal(json.config.scale, 0.17);
    assert.throws(() => layer.apply(a), {
      message: 'CustomScaleLayer takes a list of two tensors [shortcut, residual]. Received: one tensor',
    });
    tf.dispose([a, b, y]);
  });

  it('bad options name the argument', () => {
    assert.throws(() => new layers.LayerScale({ initValues: 1e-6, projectionDim: 0 }), {
      message: 'Invalid value for argument projectionDim: expected a positive integer. Received: projectionDim=0',
    });
    assert.throws(() => new layers.LayerScale({ initValues: Number.NaN, projectionDim: 2 }), {
      message: 'Invalid value for argument initValues: expected a finite number. Received: initValues=NaN',
    });
    assert.throws(() => new layers.CustomScaleLayer({ scale: '0.1' as unknown as number }), {
      message: 'Invalid value for argument scale: expected a finite number. Received: scale="0.1"',
    });
  });
});
