/**
 * models.prune (issue 25 item 3): dead units, filters and input features
 * leave the model, the layers that read them are rewritten, and the new
 * model of standard layers predicts what the old one did (rtol 1e-5), on cpu
 * and wasm. Groups are zeroed by hand here, on models built in the test and
 * on real Keras's whole-model files (test/fixtures/keras-whole-models).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers as L, models, saving } from 'keras-regularizers';
import { assertAllClose, FLOAT32 } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';

const WHOLE = new URL('./fixtures/keras-whole-models/', import.meta.url);

/** Sets entries of a layer's weight (by weight name) through `edit(values, shape)`. */
export function editWeight(model: models.Model, layer: string, weight: string, edit: (v: Float32Array, shape: number[]) => void): void {
  const target = model.layers.find((l) => l.name === layer);
  assert.ok(target, `layer ${layer}`);
  const record = target.weightRecords().find((w) => w.name === weight);
  assert.ok(record, `${layer}/${weight}`);
  const values = Float32Array.from(record.variable.dataSync() as Float32Array);
  edit(values, [...record.variable.shape]);
  record.variable.assign(tf.tensor(values, record.variable.shape));
}

/** Zeroes slice `index` of the last axis (`axis` -1) or the one before (-2) of a weight. */
export function zeroSlice(model: models.Model, layer: string, weight: string, axis: number, index: number, value = 0): void {
  editWeight(model, layer, weight, (v, shape) => {
    const a = axis < 0 ? shape.length + axis : axis;
    const inner = shape.slice(a + 1).reduce((x, y) => x * y, 1);
    const n = shape[a] as number;
    for (let i = 0; i < v.length; i++) if (Math.floor(i / inner) % n === index) v[i] = value;
  });
}

function samePredictions(before: models.Model, after: models.Model, x: tf.Tensor, xAfter: tf.Tensor = x): void {
  const a = before.predict(x) as tf.Tensor;
  const b = after.predict(xAfter) as tf.Tensor;
  assert.deepEqual(b.shape, a.shape);
  assertAllClose(b, a.dataSync() as Float32Array, FLOAT32, 'pruned predictions');
  tf.dispose([a, b]);
}

const rows = (report: models.PruneReport) =>
  Object.fromEntries(report.layers.map((l) => [l.name, [l.unitsBefore, l.unitsAfter]]));

describeEachBackend('prune', () => {
  it('MLP: dead units, a constant unit folded into the next bias, and unused input features', () => {
    tf.util.seedrandom?.(1);
    const model = new models.Sequential([
      L.Input({ shape: [6] }),
      new L.Dense({ units: 8, activation: 'relu', biasInitializer: 'ones', name: 'd1' }),
      new L.Dense({ units: 5, activation: 'tanh', name: 'd2' }),
      new L.Dense({ units: 3, name: 'out' }),
    ]);
    zeroSlice(model, 'd1', 'kernel', -1, 1);
    zeroSlice(model, 'd1', 'bias', -1, 1);
    zeroSlice(model, 'd1', 'kernel', -1, 4);
    zeroSlice(model, 'd1', 'bias', -1, 4, -2); // relu(-2) = 0: dead
    zeroSlice(model, 'd1', 'kernel', -1, 6); // bias 1: relu(1) = 1, a constant
    zeroSlice(model, 'd2', 'kernel', -2, 7); // unit 7 read by nobody
    zeroSlice(model, 'd1', 'kernel', -2, 0); // input feature 0 read by nobody
    zeroSlice(model, 'd1', 'kernel', -2, 3);
    const x = tf.randomNormal([5, 6], 0, 1, 'float32', 3);
    const { model: pruned, report } = models.prune(model);
    assert.deepEqual(rows(report), { d1: [8, 4], d2: [5, 5], out: [3, 3] });
    assert.deepEqual(report.inputs[0]?.after, 6);
    samePredictions(model, pruned, x);
    const selected = models.prune(model, { inputs: true });
    assert.deepEqual(selected.report.inputs[0]?.kept, [1, 2, 4, 5]);
    const xs = tf.gather(x, [1, 2, 4, 5], 1);
    samePredictions(model, selected.model, x, xs);
    console.log(models.formatPruneReport(selected.report));
  });

  it('bn_classifier (Keras file): Conv -> BatchNormalization -> Conv, and -> GlobalAveragePooling -> Dense', async () => {
    const model = await saving.loadModel(new URL('bn_classifier.keras', WHOLE).pathname);
    console.log(model.layers.map((l) => l.name));
    const [conv1, , , conv2] = model.layers.map((l) => l.name) as string[];
    zeroSlice(model, conv1 as string, 'kernel', -1, 0);
    zeroSlice(model, conv1 as string, 'kernel', -1, 3);
    zeroSlice(model, conv2 as string, 'kernel', -1, 5);
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 4);
    const { model: pruned, report } = models.prune(model);
    console.log(models.formatPruneReport(report));
    samePredictions(model, pruned, x);
  });
});
