/**
 * The tfjs-layers bridge: a model.json whose regularizers Keras wrote loads in
 * tfjs-layers only after registering, and our regularizers work as tfjs-layers'.
 * The fixture has the layout of the TensorFlow.js converter's output for a
 * tf.keras 2.x Sequential (float32-rounded factors, as Keras writes them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { bridges, L1, OrthogonalRegularizer, ops } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';

const MODEL_JSON = JSON.parse(readFileSync(new URL('./fixtures/tfjs-keras-model/model.json', import.meta.url), 'utf8'));
const WEIGHTS = [0.5, -1, 2, 0.25, -0.75, 1.5, 0.3, 0.7, -1.2, 0.4, 0.1];

function load(): Promise<tfl.LayersModel> {
  const { modelTopology, weightsManifest } = MODEL_JSON;
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology,
      weightSpecs: weightsManifest[0].weights,
      weightData: new Float32Array(WEIGHTS).buffer,
    }),
  );
}

/** The penalties written in the file, computed by hand from WEIGHTS. */
function expectedPenalties(): number[] {
  const [k1, b1, k2] = [WEIGHTS.slice(0, 6), WEIGHTS.slice(6, 8), WEIGHTS.slice(8, 10)];
  const sumSq = (v: number[]) => v.reduce((s, x) => s + x * x, 0);
  const sumAbs = (v: number[]) => v.reduce((s, x) => s + Math.abs(x), 0);
  return [Math.fround(0.1) * sumSq(k1), Math.fround(0.01) * sumAbs(b1), Math.fround(0.02) * sumSq(k2)];
}

it('a Keras-written model.json with L1 and L2 regularizers fails in tfjs-layers without the bridge and loads with it', async () => {
  await assert.rejects(load, /Unknown regularizer: L2/);
  bridges.registerTfjsLayersRegularizers(tfl);
  const model = await load();
  const penalties = model.layers.flatMap((l) => l.calculateLosses());
  assertAllClose(
    penalties.map((p) => p.dataSync()[0] as number),
    expectedPenalties(),
  );
  const prediction = tf.tidy(() => Array.from((model.predict(tf.tensor([[1, 2, 3]])) as tf.Tensor).dataSync()));
  // relu([1,2,3] @ k1 + b1) @ k2 + b2, by hand
  const hidden = [0, 1].map((j) =>
    Math.max(
      0,
      [1, 2, 3].reduce((s, x, i) => s + x * (WEIGHTS[i * 2 + j] as number), WEIGHTS[6 + j] as number),
    ),
  );
  assertAllClose(prediction, [(hidden[0] as number) * -1.2 + (hidden[1] as number) * 0.4 + 0.1]);
  tf.dispose(penalties);
  model.dispose();
});

it('our regularizers and functions work as tfjs-layers regularizers', () => {
  const l1 = new L1(0.5);
  const orthogonal = new OrthogonalRegularizer(0.3, 'columns');
  const layer = tfl.layers.dense({
    units: 2,
    inputShape: [3],
    kernelInitializer: 'ones',
    kernelRegularizer: bridges.toTfjsLayersRegularizer(l1, tfl) as never,
    biasRegularizer: bridges.toTfjsLayersRegularizer(
      (b: tf.Tensor) => ops.sum(ops.square(ops.add(b, 1))),
      tfl,
    ) as never,
  });
  const model = tfl.sequential({
    layers: [
      layer,
      tfl.layers.dense({ units: 2, kernelRegularizer: bridges.toTfjsLayersRegularizer(orthogonal, tfl) as never }),
    ],
  });
  // tfjs-layers' Sequential reports no losses of its own: ask each layer.
  const losses = model.layers.flatMap((l) => l.calculateLosses());
  const values = losses.map((l) => l.dataSync()[0] as number);
  const secondKernel = model.layers[1]?.getWeights()[0] as tf.Tensor;
  const expectedOrthogonal = tf.tidy(() => orthogonal.apply(secondKernel).dataSync()[0] as number);
  assertAllClose(values, [0.5 * 6, 2, expectedOrthogonal]);
  tf.dispose(losses);
  model.dispose();
  assert.throws(() => bridges.toTfjsLayersRegularizer(42 as never, tfl), /Invalid value for argument regularizer/);
  assert.throws(
    () => bridges.registerTfjsLayersRegularizers({} as never),
    /expected the @tensorflow\/tfjs-layers module/,
  );
});
