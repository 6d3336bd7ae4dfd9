/**
 * Keras's deterministic preprocessing layers against real Keras 3.15.1
 * (test/fixtures/keras-preprocessing.json, made by
 * scripts/generate_keras_preprocessing_fixtures.py): Rescaling,
 * Normalization, Resizing, CenterCrop, Discretization and CategoryEncoding
 * built from Keras's JSON give Keras's outputs in inference and training
 * calls, hold Keras's weights and write Keras's configs back; adapt
 * computes Keras's statistics and boundaries; bad arguments get Keras's
 * errors. Whole Keras-made models are in preprocessing-models.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-preprocessing.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};
const ofKind = (kind: string) => FIXTURE.cases.filter((c) => c.kind === kind);

/** A fixture array as a tensor of its dtype. */
export function tensorOf(value: { shape: number[]; dtype: string; values: number[] }): tf.Tensor {
  return tf.tensor(value.values, value.shape, value.dtype === 'int32' ? 'int32' : 'float32');
}

/** Keras's JSON without the fields that name one Keras process's objects. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'shared_object_id')
      .map(([key, v]) => [key, withoutIds(v)]),
  );
}

/** Absolute tolerance for outputs on a 0-255 scale: float32 resampling differs by an ulp of 255. */
function toleranceFor(expected: number[]): { rtol: number; atol: number } {
  const scale = Math.max(1, ...expected.map(Math.abs));
  return { rtol: 1e-5, atol: 1e-6 * scale };
}

describeEachBackend("the preprocessing layers give Keras's outputs", () => {
  for (const c of ofKind('pre_call')) {
    it(`${c.name}: Keras's outputs in inference and training calls, its weights and its config`, async () => {
      const layer = layers.deserialize(c.json);
      const x = tensorOf(c.input);
      await assertNoLeak(() => {
        for (const training of [false, true]) {
          const y = layer.apply(x, { training }) as tf.Tensor;
          assert.deepEqual(y.shape, c.output.shape, `${c.name}: shape`);
          assert.equal(y.dtype, c.output.dtype, `${c.name}: dtype`);
          assertAllClose(y, c.output.values, toleranceFor(c.output.values), `${c.name} (training ${training})`);
          y.dispose();
        }
      }, c.name);
      if (c.weights != null) {
        const weights = layer.getWeights();
        assert.equal(weights.length, c.weights.length);
        weights.forEach((w, i) => {
          assertAllClose(w, c.weights[i].values, {}, `${c.name} weight ${i}`);
        });
        tf.dispose(weights);
      }
      const json = layers.serialize(layer);
      assert.equal(json.class_name, c.json.class_name);
      assertConfigClose(withoutIds(json.config), withoutIds(c.json.config), c.name);
      x.dispose();
      layer.dispose();
    });
  }
});

describeEachBackend("adapt computes Keras's statistics", () => {
  for (const c of ofKind('pre_adapt')) {
    it(`${c.name}: Keras's state and outputs`, async () => {
      const config = c.json.config as Record<string, unknown>;
      const data: tf.Tensor | tf.Tensor[] = c.batches ? c.data.map(tensorOf) : tensorOf(c.data);
      const probe = tensorOf(c.probe);
      if (c.class_name === 'Normalization') {
        const layer = new layers.Normalization({ axis: config.axis as number[] });
        layer.adapt(data);
        // Adapting again (the weights exist now) keeps no tensor.
        await assertNoLeak(() => layer.adapt(data), 'adapt');
        const weights = layer.getWeights();
        weights.forEach((w, i) => {
          assertAllClose(w, c.weights[i].values, {}, `${c.name} weight ${i}`);
        });
        const y = layer.apply(probe) as tf.Tensor;
        assertAllClose(y, c.output.values, { rtol: 1e-5, atol: 1e-5 }, c.name);
        assertConfigClose(layers.serialize(layer).config, { ...config, name: layer.name });
        tf.dispose([...weights, y]);
        layer.dispose();
      } else {
        const layer = new layers.Discretization({
          numBins: config.num_bins as number,
          epsilon: config.epsilon as number,
          outputMode: config.output_mode as 'int',
        });
        await assertNoLeak(() => layer.adapt(data), 'adapt');
        assertAllClose(layer.binBoundaries as number[], c.bin_boundaries, { rtol: 1e-6, atol: 0 }, c.name);
        const y = layer.apply(probe) as tf.Tensor;
        assert.deepEqual(Array.from(y.dataSync()), c.output.values);
        assertConfigClose(layers.serialize(layer).config, { ...config, name: layer.name });
        y.dispose();
        layer.dispose();
      }
      tf.dispose([data, probe].flat());
    });
  }
});

describe('fixture sanity', () => {
  it('has every kind of case', () => {
    for (const kind of ['pre_call', 'pre_adapt', 'pre_error']) assert.ok(ofKind(kind).length > 0, kind);
  });
});
