/**
 * Functional models whose outputs are a record (issue 23 item 3). Keras
 * flattens a dict by sorted keys (`tree.flatten`), so `model.outputs`, the
 * layers' order and the weight names in its files follow the sorted keys,
 * not the order the dict was written in: `{score, cls, aux}` has layers
 * `x, hidden, aux, cls, score`. test/fixtures/keras-ops-graphs/dict_outputs.keras
 * (scripts/generate_keras_ops_graphs_fixtures.py) loads here with each
 * weight in its own layer, Keras's predictions by name, 3 SGD steps to
 * Keras's weights, and saves back in Keras's order.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, unzipSync } from 'fflate';
import { type models, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { dictOutputs } from './helpers/ops-graph-builders.js';

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-ops-graphs.json', import.meta.url), 'utf8')) as {
  models: Record<string, FixtureCase>;
};
const expected = FIXTURE.models.dict_outputs as FixtureCase;
const bytes = () =>
  new Uint8Array(readFileSync(new URL('./fixtures/keras-ops-graphs/dict_outputs.keras', import.meta.url)));

type Values = { shape: number[]; values: number[] };
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape);
const targetsOf = () =>
  Object.fromEntries(Object.entries(expected.targets as Record<string, Values>).map(([k, v]) => [k, tensorOf(v)]));

/** Predictions by output name, whether the model returns a record or a list in `outputNames` order. */
function byName(model: models.Model, x: tf.Tensor): Record<string, number[]> {
  return tf.tidy(() => {
    const y = model.predict(x) as tf.Tensor[] | Record<string, tf.Tensor>;
    const entries = Array.isArray(y)
      ? model.outputNames.map((n, i) => [n, y[i] as tf.Tensor] as const)
      : Object.entries(y);
    return Object.fromEntries(entries.map(([k, t]) => [k, Array.from(t.dataSync())]));
  });
}

describeEachBackend('a Keras-made model with a dict of outputs', () => {
  it("loads each weight into its own layer, predicts by name, trains 3 SGD steps to Keras's weights, saves in Keras's order", async () => {
    const model = await saving.loadModelFromBytes(bytes());
    assert.deepEqual(
      model.layers.map((l) => l.name),
      expected.layer_names,
    );
    assert.deepEqual(model.outputNames, ['aux', 'cls', 'score']);
    const paths = model.weightRecords().map((r) => r.path.split('/').slice(-2).join('/'));
    assert.deepEqual(
      paths,
      (expected.weight_paths as string[]).map((p) => p.split('/').slice(-2).join('/')),
    );
    const x = tensorOf(expected.inputs[0]);
    const before = tf.memory().numTensors;
    const predicted = byName(model, x);
    assert.equal(tf.memory().numTensors, before);
    for (const [name, values] of Object.entries(expected.outputs as Record<string, Values>)) {
      assertAllClose(predicted[name] ?? [], values.values, { rtol: 1e-5, atol: 1e-6 }, name);
    }

    // Saved before training: the file's output_layers and weights read back the same.
    const saved = await saving.saveModelToBytes(model);
    const config = JSON.parse(strFromU8(unzipSync(saved)['config.json'] as Uint8Array)).config;
    assert.deepEqual(config.output_layers, { aux: ['aux', 0, 0], cls: ['cls', 0, 0], score: ['score', 0, 0] });
    const again = await saving.loadModelFromBytes(saved);
    assert.deepEqual(byName(again, x), predicted);
    again.dispose();

    const y = targetsOf();
    (expected.steps as { loss: number; weights: Values[] }[]).forEach((step, s) => {
      const logs = model.trainOnBatch(x, y);
      assertAllClose(logs.loss as number, step.loss, { rtol: 1e-5, atol: 1e-6 }, `loss at step ${s + 1}`);
      model.weights.forEach((w, i) => {
        assertAllClose(w, step.weights[i]?.values ?? [], { rtol: 1e-5, atol: 1e-6 }, `weight ${i} after step ${s + 1}`);
      });
    });
    tf.dispose([x, ...Object.values(y)]);
    model.dispose();
  });
});

describe('dict outputs built here', () => {
  it("order layers, outputs and weights by sorted key, as Keras's tree.flatten; Keras's config", () => {
    const model = dictOutputs();
    const keras = JSON.parse(strFromU8(unzipSync(bytes())['config.json'] as Uint8Array)).config;
    const ours = model.getConfig() as {
      layers: { name: string; class_name: string; inbound_nodes: unknown }[];
      outputLayers: unknown;
    };
    assert.deepEqual(
      ours.layers.map((l) => [l.name, l.class_name, l.inbound_nodes]),
      (keras.layers as { name: string; class_name: string; inbound_nodes: unknown }[]).map((l) => [
        l.name,
        l.class_name,
        l.inbound_nodes,
      ]),
    );
    assert.deepEqual(ours.outputLayers, keras.output_layers);
    assert.deepEqual(
      model.layers.map((l) => l.name),
      ['x', 'hidden', 'aux', 'cls', 'score'],
    );
    assert.deepEqual(model.outputNames, ['aux', 'cls', 'score']);
    const input = tf.ones([2, 4]);
    const y = model.predict(input) as Record<string, tf.Tensor> | tf.Tensor[];
    const shapes = Array.isArray(y)
      ? y.map((t) => t.shape)
      : Object.fromEntries(Object.entries(y).map(([k, t]) => [k, t.shape]));
    assert.deepEqual(
      shapes,
      Array.isArray(y)
        ? [
            [2, 2],
            [2, 3],
            [2, 1],
          ]
        : { aux: [2, 2], cls: [2, 3], score: [2, 1] },
    );
    tf.dispose([input, ...(Array.isArray(y) ? y : Object.values(y))]);
    model.dispose();
  });
});
