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
import { expectValueError } from './helpers/errors.js';

const WHOLE = new URL('./fixtures/keras-whole-models/', import.meta.url);

/** Sets entries of a layer's weight (by weight name) through `edit(values, shape)`. */
export function editWeight(
  model: models.Model,
  layer: string,
  weight: string,
  edit: (v: Float32Array, shape: number[]) => void,
): void {
  const target = model.layers.find((l) => l.name === layer);
  assert.ok(target, `layer ${layer}`);
  const record = target.weightRecords().find((w) => w.name === weight);
  assert.ok(record, `${layer}/${weight}`);
  const values = Float32Array.from(record.variable.dataSync() as Float32Array);
  edit(values, [...record.variable.shape]);
  record.variable.assign(tf.tensor(values, record.variable.shape));
}

/** Zeroes slice `index` of the last axis (`axis` -1) or the one before (-2) of a weight. */
export function zeroSlice(
  model: models.Model,
  layer: string,
  weight: string,
  axis: number,
  index: number,
  value = 0,
): void {
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
  });

  it('bn_classifier (Keras file): Conv -> BatchNormalization -> Conv, and -> GlobalAveragePooling -> Dense', async () => {
    const model = await saving.loadModel(new URL('bn_classifier.keras', WHOLE).pathname);
    // Conv filters 0 and 3 output 0 (no bias): BatchNormalization turns them into constants, which the
    // strided valid Conv folds into a bias of its own (it had none); filter 5 of that Conv is constant
    // through BN, ReLU and the pooling, and the Dense folds it.
    zeroSlice(model, 'conv2d', 'kernel', -1, 0);
    zeroSlice(model, 'conv2d', 'kernel', -1, 3);
    zeroSlice(model, 'conv2d_1', 'kernel', -1, 5);
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 4);
    const { model: pruned, report } = models.prune(model);
    assert.deepEqual(rows(report), {
      conv2d: [6, 4],
      batch_normalization: [6, 4],
      activation: [6, 4],
      conv2d_1: [8, 7],
      batch_normalization_1: [8, 7],
      activation_1: [8, 7],
      global_average_pooling2d: [8, 7],
      dense: [3, 3],
    });
    assert.deepEqual([report.paramsBefore, report.paramsAfter], [677, 435]);
    assert.equal(pruned.layers.find((l) => l.name === 'conv2d_1')?.getConfig().useBias, true);
    samePredictions(model, pruned, x);
    tf.dispose(x);
  });

  it('mobilenet_residual (Keras file): expand -> BN -> DepthwiseConv -> BN -> SeparableConv, and Add with the input', async () => {
    const model = await saving.loadModel(new URL('mobilenet_residual.keras', WHOLE).pathname);
    // Expand filter 2 outputs 0; its BN constant passes the depthwise conv (same padding: not constant
    // at the borders), so the separable conv must ignore channel 2: its depthwise slice is zeroed too.
    zeroSlice(model, 'expand', 'kernel', -1, 2);
    zeroSlice(model, 'project', 'depthwise_kernel', -2, 2);
    // Expand filter 5 alone: the separable conv still reads channel 5, so it stays.
    zeroSlice(model, 'expand', 'kernel', -1, 5);
    // Residual channel 1 goes only where both sides of Add agree: the input's feature 1 (read by nobody
    // else), the projection's filter 1, and the logits' row 1. Channel 3 of the projection is zero but
    // the input's feature 3 is live: Add keeps it.
    zeroSlice(model, 'expand', 'kernel', -2, 1);
    zeroSlice(model, 'project', 'pointwise_kernel', -1, 1);
    zeroSlice(model, 'project', 'bias', -1, 1);
    zeroSlice(model, 'logits', 'kernel', -2, 1);
    zeroSlice(model, 'project', 'pointwise_kernel', -1, 3);
    zeroSlice(model, 'project', 'bias', -1, 3);
    const x = tf.randomNormal([3, 6, 6, 4], 0, 1, 'float32', 5);
    const kept = models.prune(model);
    assert.equal(kept.report.layers.find((l) => l.name === 'residual')?.unitsAfter, 4, 'inputs stay by default');
    samePredictions(model, kept.model, x);
    const { model: pruned, report } = models.prune(model, { inputs: true });
    assert.deepEqual(rows(report), {
      expand: [8, 7],
      expand_bn: [8, 7],
      expand_relu6: [8, 7],
      depthwise: [8, 7],
      depthwise_bn: [8, 7],
      depthwise_relu6: [8, 7],
      project: [4, 3],
      residual: [4, 3],
      pool: [4, 3],
      logits: [3, 3],
    });
    assert.deepEqual(report.inputs, [{ name: 'image', before: 4, after: 3, kept: [0, 2, 3] }]);
    const xs = tf.gather(x, [0, 2, 3], 3);
    samePredictions(model, pruned, x, xs);
    tf.dispose([x, xs]);
  });

  it('embedding_lstm (Keras file): LSTM units across the four gate blocks and the recurrent kernel', async () => {
    const model = await saving.loadModel(new URL('embedding_lstm.keras', WHOLE).pathname);
    const [, lstm, dense] = model.layers.map((l) => l.name) as [string, string, string];
    const units = 6;
    const gateColumns = (j: number) => [0, 1, 2, 3].map((g) => g * units + j);
    // Unit 2: no incoming weights and a zero candidate bias: its cell stays 0, so does its output.
    for (const c of gateColumns(2)) {
      zeroSlice(model, lstm, 'kernel', -1, c);
      zeroSlice(model, lstm, 'recurrent_kernel', -1, c);
    }
    zeroSlice(model, lstm, 'bias', -1, 2 * units + 2);
    // Unit 4 is live but read by nobody: no recurrent row, no Dense row.
    zeroSlice(model, lstm, 'recurrent_kernel', -2, 4);
    zeroSlice(model, dense, 'kernel', -2, 4);
    // Unit 0 has no incoming weights but its candidate bias is not 0: c grows, h moves; it stays.
    for (const c of gateColumns(0)) zeroSlice(model, lstm, 'kernel', -1, c);
    // Embedding dimension 1 is all zeros: the LSTM's input feature 1 goes.
    zeroSlice(model, 'embedding', 'embeddings', -1, 1);
    const x = tf.tensor2d(
      [
        [1, 5, 7, 0, 0, 0, 0],
        [3, 3, 9, 19, 2, 0, 0],
        [4, 8, 15, 16, 2, 3, 1],
      ],
      [3, 7],
      'int32',
    );
    const { model: pruned, report } = models.prune(model);
    assert.deepEqual(rows(report), { embedding: [5, 4], [lstm]: [6, 4], [dense]: [3, 3] });
    samePredictions(model, pruned, x);
    tf.dispose(x);
  });

  it('stacked_gru (Keras file): a dead GRU unit (both bias rows of its candidate 0) leaves both GRUs', async () => {
    const model = await saving.loadModel(new URL('stacked_gru.keras', WHOLE).pathname);
    const [gru1, gru2] = model.layers.map((l) => l.name) as [string, string];
    for (const g of [0, 1, 2]) {
      zeroSlice(model, gru1, 'kernel', -1, g * 6 + 3);
      zeroSlice(model, gru1, 'recurrent_kernel', -1, g * 6 + 3);
    }
    zeroSlice(model, gru1, 'bias', -1, 2 * 6 + 3);
    const x = tf.randomNormal([3, 7, 3], 0, 1, 'float32', 6);
    const { model: pruned, report } = models.prune(model);
    assert.deepEqual(rows(report)[gru1], [6, 5]);
    const second = report.layers.find((l) => l.name === gru2);
    // The second GRU loses its kernel row 3 across the three gates: 3 * 4 weights.
    assert.deepEqual([second?.unitsAfter, (second?.paramsBefore ?? 0) - (second?.paramsAfter ?? 0)], [4, 12]);
    samePredictions(model, pruned, x);
    tf.dispose(x);
  });

  it('Conv -> MaxPooling -> Flatten -> Dense: a filter leaves every position of the flattened vector', () => {
    const model = new models.Sequential([
      L.Input({ shape: [6, 6, 2] }),
      new L.Conv2D({ filters: 4, kernelSize: 3, activation: 'relu', biasInitializer: 'ones', name: 'conv' }),
      new L.MaxPooling2D({ poolSize: 2, name: 'pool' }),
      new L.Flatten({ name: 'flat' }),
      new L.Dense({ units: 3, name: 'out' }),
    ]);
    zeroSlice(model, 'conv', 'kernel', -1, 1);
    zeroSlice(model, 'conv', 'bias', -1, 1); // relu(0) = 0: dead
    zeroSlice(model, 'conv', 'kernel', -1, 2); // relu(1): a constant, folded into the Dense bias
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 7);
    const { model: pruned, report } = models.prune(model);
    assert.deepEqual(rows(report), { conv: [4, 2], pool: [4, 2], flat: [16, 8], out: [3, 3] });
    assert.deepEqual([report.layers[3]?.paramsBefore, report.layers[3]?.paramsAfter], [51, 27]);
    samePredictions(model, pruned, x);
    tf.dispose(x);
  });

  it('a same-padded Conv folds only a constant 0: a constant filter before it stays', () => {
    const model = new models.Sequential([
      L.Input({ shape: [5, 5, 2] }),
      new L.Conv2D({ filters: 3, kernelSize: 1, biasInitializer: 'ones', name: 'a' }),
      new L.Conv2D({ filters: 2, kernelSize: 3, padding: 'same', name: 'b' }),
    ]);
    zeroSlice(model, 'a', 'kernel', -1, 0); // constant 1 at every position: b's borders see less of it
    const { model: pruned, report } = models.prune(model);
    assert.deepEqual(rows(report), { a: [3, 3], b: [2, 2] });
    const x = tf.randomNormal([2, 5, 5, 2], 0, 1, 'float32', 8);
    samePredictions(model, pruned, x);
    tf.dispose(x);
  });

  it('a layer whose every unit is dead keeps one (Keras has no layer of 0 units)', () => {
    const model = new models.Sequential([
      L.Input({ shape: [3] }),
      new L.Dense({ units: 4, activation: 'relu', name: 'h' }),
      new L.Dense({ units: 2, name: 'out' }),
    ]);
    for (let j = 0; j < 4; j++) zeroSlice(model, 'h', 'kernel', -1, j);
    const { model: pruned, report } = models.prune(model);
    assert.deepEqual(rows(report), { h: [4, 1], out: [2, 2] });
    const x = tf.randomNormal([3, 3], 0, 1, 'float32', 9);
    samePredictions(model, pruned, x);
    tf.dispose(x);
  });

  it('threshold: groups with a small norm are zeroed first and removed; the report counts them', () => {
    const model = new models.Sequential([
      L.Input({ shape: [4] }),
      new L.Dense({ units: 5, activation: 'relu', name: 'h' }),
      new L.Dense({ units: 2, name: 'out' }),
    ]);
    editWeight(model, 'h', 'kernel', (v) => {
      for (let f = 0; f < 4; f++) v[f * 5 + 3] = 1e-4; // unit 3: norm 2e-4
    });
    const exact = models.prune(model);
    assert.deepEqual(rows(exact.report).h, [5, 5]);
    const { report } = models.prune(model, { threshold: 1e-3 });
    assert.deepEqual(rows(report).h, [5, 4]);
    assert.equal(report.zeroedGroups, 1);
    assert.equal(report.threshold, 1e-3);
  });

  it('drops the regularizers (a plain Keras model for inference) unless keepRegularizers', () => {
    const model = new models.Sequential([
      L.Input({ shape: [4] }),
      new L.Dense({ units: 5, activation: 'relu', kernelRegularizer: 'l2', activityRegularizer: 'l1', name: 'h' }),
      new L.Dense({ units: 2, biasRegularizer: 'l1', name: 'out' }),
    ]);
    const plain = models.prune(model).model;
    for (const layer of plain.layers) {
      const config = layer.getConfig();
      assert.equal(config.kernelRegularizer, null);
      assert.equal(config.biasRegularizer, null);
      assert.equal(config.activityRegularizer, undefined);
    }
    const kept = models.prune(model, { keepRegularizers: true }).model;
    const config = kept.layers[0]?.getConfig() ?? {};
    assert.equal((config.kernelRegularizer as { class_name: string }).class_name, 'L2');
    assert.equal((config.activityRegularizer as { class_name: string }).class_name, 'L1');
    plain.dispose();
    kept.dispose();
  });

  it("frees every tensor it makes but the new model's weights", () => {
    const model = new models.Sequential([
      L.Input({ shape: [4] }),
      new L.Dense({ units: 5, activation: 'relu', name: 'h' }),
      new L.Dense({ units: 2, name: 'out' }),
    ]);
    zeroSlice(model, 'h', 'kernel', -1, 0);
    const before = tf.memory().numTensors;
    const { model: pruned } = models.prune(model);
    assert.equal(tf.memory().numTensors, before + pruned.weights.length);
    pruned.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

describeEachBackend('prune errors', () => {
  const small = () => {
    const model = new models.Sequential([
      L.Input({ shape: [6, 6, 2] }),
      new L.Conv2D({ filters: 4, kernelSize: 3, name: 'conv' }),
      new L.PReLU({ sharedAxes: [1, 2], name: 'prelu' }),
      new L.Flatten(),
      new L.Dense({ units: 2, name: 'out' }),
    ]);
    zeroSlice(model, 'conv', 'kernel', -1, 1);
    zeroSlice(model, 'conv', 'bias', -1, 1);
    return model;
  };

  it('names a layer whose consumer it cannot rewrite, with the reason, and keep leaves it whole', () => {
    const model = small();
    expectValueError(
      () => models.prune(model),
      'prune: layer "conv" has units that can be removed (their weights are zero), but it feeds layer "prelu" (PReLU), which prune cannot rewrite: prune does not rewrite PReLU layers. Keep "conv" whole with prune(model, { keep: ["conv"] }).',
    );
    const { report } = models.prune(model, { keep: ['conv'] });
    assert.deepEqual(rows(report).conv, [4, 4]);
  });

  it('refuses a negative or non-finite threshold, a non-boolean inputs, unknown keep names and options', () => {
    const model = small();
    expectValueError(
      () => models.prune(model, { threshold: -0.1 }),
      'Invalid value for argument threshold: expected a finite number >= 0. Received: threshold=-0.1',
    );
    expectValueError(
      () => models.prune(model, { threshold: Number.NaN }),
      'Invalid value for argument threshold: expected a finite number >= 0. Received: threshold=NaN',
    );
    expectValueError(
      () => models.prune(model, { inputs: 'yes' as unknown as boolean }),
      'Invalid value for argument inputs: expected a boolean. Received: inputs="yes"',
    );
    expectValueError(
      () => models.prune(model, { keepRegularizers: 1 as unknown as boolean }),
      'Invalid value for argument keepRegularizers: expected a boolean. Received: keepRegularizers=1',
    );
    expectValueError(
      () => models.prune(model, { keep: ['nope'] }),
      /^Invalid value for argument keep: expected names of layers of the model \(conv, prelu, flatten(_\d+)?, out\)\. Received: keep="nope"$/,
    );
    assert.throws(() => models.prune(model, { treshold: 1 } as never), {
      name: 'TypeError',
      message:
        'prune got an unexpected option "treshold". Expected: threshold, inputs, keep, keepRegularizers. Received: {"treshold":1}. Did you mean "threshold"?',
    });
    expectValueError(
      () => models.prune({} as never),
      /^Invalid value for argument model: expected a Sequential or Functional model\./,
    );
  });
});
