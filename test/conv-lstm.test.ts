/**
 * ConvLSTM1D/2D/3D against real Keras (test/fixtures/keras-conv-lstm.json and
 * the .keras files of test/fixtures/keras-conv-lstm/,
 * scripts/generate_keras_conv_lstm_fixtures.py): outputs, losses, gradients
 * of the penalties and of a loss through the layer, weight paths, configs
 * and JSON both ways, output shapes, Keras's files with evaluate() and three
 * SGD steps; then gradients against float64 finite differences of a
 * reference written from Keras's formulas, OrthogonalRegularizer on both
 * kernels, dropout, error texts, and leaks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  KerasTypeError,
  L1,
  L1L2,
  L2,
  layers,
  models,
  OrthogonalRegularizer,
  optimizers,
  saving,
} from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import { expectValueError } from './helpers/errors.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';
import { matrix, numericGradient, orthogonal, randomValues } from './helpers/reference.js';
import * as reference from './helpers/reference-layers.js';

type Tensorish = { shape: number[]; values: number[] };
const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-conv-lstm.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};
const LAYER_CASES = FIXTURE.cases.filter((c) => c.kind === 'layer');
const MODELS = new URL('./fixtures/keras-conv-lstm/', import.meta.url);
const EXPECTED_MODELS = JSON.parse(readFileSync(new URL('expected.json', MODELS), 'utf8')) as {
  models: Record<
    string,
    {
      input: Tensorish;
      targets: Tensorish;
      prediction: Tensorish;
      losses: number[];
      evaluate: Record<string, number>;
      train_on_batch: { loss: number; weights: number[][] }[];
    }
  >;
};
const OUTPUT = { rtol: 1e-5, atol: 2e-6 };
const GRADIENT = { rtol: 1e-4, atol: 1e-5 };

const tensorOf = (t: Tensorish) => tf.tensor(t.values, t.shape);

/** Values of `losses`, freeing the tensors. */
function lossValues(layer: layers.Layer): number[] {
  return tf.tidy(() => layer.losses.map((l) => l.dataSync()[0] as number));
}

/** The case's layer from Keras's JSON, built, with the case's weights. */
function kerasLayer(fixture: FixtureCase): layers.Layer {
  const layer = layers.deserialize(fixture.json);
  layer.ensureBuilt(fixture.input.shape);
  tf.tidy(() => layer.setWeights(fixture.weights.map(tensorOf)));
  return layer;
}

/** The case's call: its input, with initial states and a mask where it has them. */
interface CaseCall {
  x: tf.Tensor;
  states: tf.Tensor[];
  mask: tf.Tensor | null;
}

function callOf(fixture: FixtureCase): CaseCall {
  return {
    x: tensorOf(fixture.input),
    states: (fixture.initial_state ?? []).map(tensorOf),
    mask: fixture.mask == null ? null : tf.tensor(fixture.mask.values.map(Number), fixture.mask.shape, 'bool'),
  };
}

function applyCase(layer: layers.Layer, input: tf.Tensor, call: CaseCall): tf.Tensor[] {
  const result = layer.apply(
    call.states.length > 0 ? [input, ...call.states] : input,
    call.mask == null ? {} : { mask: call.mask },
  );
  return Array.isArray(result) ? result : [result];
}

/** Gradients of `loss(outputs) + sum(layer.losses)` for x and each trainable weight, as arrays. */
function gradientsOf(layer: layers.Layer, call: CaseCall, loss: (ys: tf.Tensor[]) => tf.Tensor): number[][] {
  return tf.tidy(() => {
    const weights = layer.trainableWeights;
    const f = (input: tf.Tensor) => {
      const ys = applyCase(layer, input, call);
      const penalties = layer.losses;
      return tf.add(loss(ys), penalties.length > 0 ? tf.addN(penalties) : 0) as tf.Scalar;
    };
    const gx = tf.grad(f)(call.x);
    const { grads } = tf.variableGrads(() => f(call.x), weights);
    return [gx, ...weights.map((w) => grads[w.name] as tf.Tensor)].map((g) => Array.from(g.dataSync()));
  });
}

describeEachBackend('ConvLSTM against Keras: outputs, losses and gradients', () => {
  for (const fixture of LAYER_CASES) {
    it(fixture.name, async () => {
      await assertNoLeak(() => {
        const layer = kerasLayer(fixture);
        assert.deepEqual(
          layer.weightRecords().map((w) => [w.path, [...w.variable.shape]]),
          fixture.weights.map((w: { path: string; shape: number[] }) => [w.path, w.shape]),
          "Keras's weight names, order and shapes",
        );
        const call = callOf(fixture);
        tf.tidy(() => {
          const ys = applyCase(layer, call.x, call);
          assert.equal(ys.length, fixture.outputs.length, 'number of outputs');
          ys.forEach((y, i) => {
            assert.deepEqual(y.shape, fixture.outputs[i].shape, `output ${i} shape`);
            assertAllClose(y, fixture.outputs[i].values, OUTPUT, `output ${i}`);
          });
        });
        assertAllClose(lossValues(layer), fixture.losses, { rtol: 1e-5, atol: 1e-7 }, 'losses');
        const { penalty, total } = fixture.gradients;
        // 0 * sum(y) keeps x on the tape when there is no penalty (then every gradient is 0).
        const expectedPenalty = [penalty.input, ...penalty.weights];
        gradientsOf(layer, call, (ys) => tf.mul(tf.addN(ys.map((y) => tf.sum(y))), 0)).forEach((g, i) => {
          assertAllClose(g, expectedPenalty[i], GRADIENT, `penalty gradient ${i}`);
        });
        const expectedTotal = [total.input, ...total.weights];
        const weighted = (ys: tf.Tensor[]) =>
          tf.addN(ys.map((y, i) => tf.sum(tf.mul(y, tf.tensor(fixture.r[i], y.shape)))));
        gradientsOf(layer, call, weighted).forEach((g, i) => {
          assertAllClose(g, expectedTotal[i], GRADIENT, `total gradient ${i}`);
        });
        layer.dispose();
        tf.dispose([call.x, ...call.states, ...(call.mask == null ? [] : [call.mask])]);
      });
    });
  }
});

/** Our layers built with the TypeScript API: each must serialize to the JSON Keras wrote for the case. */
const OURS: Record<string, () => layers.Layer> = {
  'ConvLSTM1D kernel L2': () =>
    new layers.ConvLSTM1D({ name: 'c1_kernel', filters: 2, kernelSize: 3, kernelRegularizer: new L2(0.05) }),
  'ConvLSTM1D recurrent L1, return_sequences': () =>
    new layers.ConvLSTM1D({
      name: 'c1_recurrent',
      filters: 2,
      kernelSize: 2,
      recurrentRegularizer: new L1(0.02),
      returnSequences: true,
    }),
  'ConvLSTM1D bias L1L2, strides 2': () =>
    new layers.ConvLSTM1D({
      name: 'c1_bias',
      filters: 3,
      kernelSize: 3,
      strides: 2,
      biasRegularizer: new L1L2(0.01, 0.02),
    }),
  'ConvLSTM1D activity L2, return_sequences and return_state, go_backwards': () =>
    new layers.ConvLSTM1D({
      name: 'c1_activity',
      filters: 2,
      kernelSize: 3,
      activityRegularizer: new L2(0.1),
      returnSequences: true,
      returnState: true,
      goBackwards: true,
    }),
  'ConvLSTM1D every regularizer, same, mask': () =>
    new layers.ConvLSTM1D({
      name: 'c1_mask',
      filters: 2,
      kernelSize: 3,
      padding: 'same',
      returnSequences: true,
      kernelRegularizer: new L2(0.01),
      recurrentRegularizer: new L2(0.02),
      biasRegularizer: new L1(0.05),
      activityRegularizer: new L1(0.01),
      unroll: true,
    }),
  'ConvLSTM2D kernel L1, same': () =>
    new layers.ConvLSTM2D({
      name: 'c2_kernel',
      filters: 2,
      kernelSize: 3,
      padding: 'same',
      kernelRegularizer: new L1(0.02),
    }),
  'ConvLSTM2D recurrent L2, (2, 3) kernel, return_sequences': () =>
    new layers.ConvLSTM2D({
      name: 'c2_recurrent',
      filters: 2,
      kernelSize: [2, 3],
      recurrentRegularizer: new L2(0.05),
      returnSequences: true,
    }),
  'ConvLSTM2D bias L2, return_state, initial state': () =>
    new layers.ConvLSTM2D({
      name: 'c2_bias',
      filters: 2,
      kernelSize: 2,
      biasRegularizer: new L2(0.1),
      returnState: true,
    }),
  'ConvLSTM2D activity L1, go_backwards, return_sequences, same, mask': () =>
    new layers.ConvLSTM2D({
      name: 'c2_activity',
      filters: 2,
      kernelSize: 3,
      padding: 'same',
      goBackwards: true,
      returnSequences: true,
      activityRegularizer: new L1(0.05),
      unroll: true,
    }),
  'ConvLSTM2D channels_first, dilation 2, kernel L1L2': () =>
    new layers.ConvLSTM2D({
      name: 'c2_first',
      filters: 2,
      kernelSize: 2,
      dilationRate: 2,
      dataFormat: 'channelsFirst',
      kernelRegularizer: new L1L2(0.01, 0.01),
      returnSequences: true,
    }),
  'ConvLSTM2D relu, hard_sigmoid, no bias, no unit_forget_bias': () =>
    new layers.ConvLSTM2D({
      name: 'c2_relu',
      filters: 2,
      kernelSize: 2,
      activation: 'relu',
      recurrentActivation: 'hard_sigmoid',
      useBias: false,
      unitForgetBias: false,
      recurrentRegularizer: new L1(0.01),
    }),
  'ConvLSTM3D kernel L2, recurrent L1': () =>
    new layers.ConvLSTM3D({
      name: 'c3_kernel',
      filters: 2,
      kernelSize: 2,
      kernelRegularizer: new L2(0.02),
      recurrentRegularizer: new L1(0.01),
    }),
  'ConvLSTM3D bias L1, activity L2, same, return_sequences and return_state': () =>
    new layers.ConvLSTM3D({
      name: 'c3_bias',
      filters: 1,
      kernelSize: 2,
      padding: 'same',
      biasRegularizer: new L1(0.1),
      activityRegularizer: new L2(0.05),
      returnSequences: true,
      returnState: true,
    }),
  'ConvLSTM3D strides (1, 2, 1), go_backwards, mask': () =>
    new layers.ConvLSTM3D({
      name: 'c3_mask',
      filters: 2,
      kernelSize: [2, 2, 1],
      strides: [1, 2, 1],
      goBackwards: true,
      unroll: true,
    }),
};

describe('ConvLSTM: configs, JSON and output shapes', () => {
  for (const fixture of LAYER_CASES) {
    it(`${fixture.name}: ours serializes to Keras's JSON; Keras's JSON round-trips`, () => {
      const make = OURS[fixture.name];
      assert.ok(make != null, `no TypeScript construction for ${fixture.name}`);
      const ours = make();
      const json = layers.serialize(ours);
      // Keras writes L1 factors float32-rounded; we write the exact number (COMPATIBILITY.md).
      assertConfigClose(json, fixture.json);
      assert.deepEqual(Object.keys(json.config), Object.keys(fixture.json.config), "Keras's key order");
      const theirs = layers.deserialize(fixture.json);
      assert.deepEqual(layers.serialize(theirs), fixture.json);
      assert.deepEqual(ours.computeOutputShape(fixture.symbolic_input_shape), fixture.symbolic_output_shape);
      const before = tf.memory().numTensors;
      const concrete = theirs.computeOutputShape(fixture.input.shape);
      assert.deepEqual(
        concrete,
        fixture.outputs.length === 1 ? fixture.outputs[0].shape : fixture.outputs.map((o: Tensorish) => o.shape),
      );
      assert.equal(tf.memory().numTensors, before, 'computeOutputShape creates no tensor');
      ours.dispose();
      theirs.dispose();
    });
  }

  it("weights are Keras's: kernel (...k, in, 4f), recurrent_kernel (...k, f, 4f), bias (4f) with the forget gate at 1", () => {
    const cases: [layers.Layer, number[], number[][]][] = [
      [new layers.ConvLSTM1D({ filters: 3, kernelSize: 2 }), [1, 2, 5, 4], [[2, 4, 12], [2, 3, 12], [12]]],
      [new layers.ConvLSTM2D({ filters: 2, kernelSize: [3, 2] }), [1, 2, 5, 5, 3], [[3, 2, 3, 8], [3, 2, 2, 8], [8]]],
      [
        new layers.ConvLSTM2D({ filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', useBias: false }),
        [1, 2, 3, 4, 4],
        [
          [2, 2, 3, 8],
          [2, 2, 2, 8],
        ],
      ],
      [
        new layers.ConvLSTM3D({ filters: 1, kernelSize: 2 }),
        [1, 2, 3, 3, 3, 2],
        [[2, 2, 2, 2, 4], [2, 2, 2, 1, 4], [4]],
      ],
    ];
    for (const [layer, inputShape, shapes] of cases) {
      layer.ensureBuilt(inputShape);
      assert.deepEqual(
        layer.weights.map((w) => w.shape),
        shapes,
      );
      const record = layer.weightRecords().find((r) => r.name === 'bias');
      if (record != null) {
        // Gates i, f, c, o of `filters` each: ones for the second quarter.
        const width = shapes[2]?.[0] as number;
        const expected = Array.from({ length: width }, (_, i) => (i >= width / 4 && i < width / 2 ? 1 : 0));
        assert.deepEqual(Array.from(record.variable.dataSync()), expected, 'unitForgetBias: ones for the forget gate');
      }
      layer.dispose();
    }
  });
});

describeEachBackend('ConvLSTM: .keras files saved by Keras', () => {
  for (const [name, expected] of Object.entries(EXPECTED_MODELS.models)) {
    it(`${name}.keras: Keras's predictions, losses, evaluate() and three SGD steps; saved again, the same`, async () => {
      const model = await saving.loadModel(new URL(`${name}.keras`, MODELS).pathname);
      const x = tensorOf(expected.input);
      const y = tensorOf(expected.targets);
      await assertNoLeak(async () => {
        const prediction = tf.tidy(() => {
          const out = model.apply(x, { training: false }) as tf.Tensor;
          return { values: Array.from(out.dataSync()), losses: model.losses.map((l) => l.dataSync()[0] as number) };
        });
        assertAllClose(prediction.values, expected.prediction.values, OUTPUT, 'prediction');
        assertAllClose(prediction.losses, expected.losses, { rtol: 1e-5, atol: 1e-7 }, 'losses');
        const evaluated = model.evaluate(x, y);
        assertAllClose(evaluated.loss as number, expected.evaluate.loss as number, { rtol: 1e-5 }, 'evaluate loss');
        const copy = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
        const again = tf.tidy(() => Array.from((copy.apply(x, { training: false }) as tf.Tensor).dataSync()));
        assert.deepEqual(again, prediction.values, 'saved and loaded again: the same predictions');
        assert.deepEqual(models.modelToJSON(copy).config, models.modelToJSON(model).config);
        // The activity penalties of the last call are held until the next one.
        model.clearLosses();
        copy.dispose();
      });
      // The first step creates the optimizer's state; later steps leave no tensor behind.
      const step = (index: number) => {
        const logs = model.trainOnBatch(x, y);
        const want = expected.train_on_batch[index] as { loss: number; weights: number[][] };
        assertAllClose(logs.loss as number, want.loss, { rtol: 1e-4 }, `loss at step ${index}`);
        model.weights.forEach((w, i) => {
          assertAllClose(w, want.weights[i] as number[], { rtol: 1e-4, atol: 1e-5 }, `weight ${i} after step ${index}`);
        });
      };
      step(0);
      await assertNoLeak(() => {
        for (let index = 1; index < expected.train_on_batch.length; index++) step(index);
      });
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});

/** A ConvLSTM's options for the float64 reference, channels-last. */
interface ConvLstmSpec {
  filters: number;
  kernelSize: number[];
  strides: number[];
  dilations: number[];
  padding: 'valid' | 'same';
  goBackwards: boolean;
  zeroOutputForMask: boolean;
}

const sigmoid = (a: number) => 1 / (1 + Math.exp(-a));
const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);

/**
 * Keras's ConvLSTM over x `(batch, steps, ...spatial, channels)` in float64:
 * per step `z = conv(x_t, kernel) + bias + conv_same(h, recurrent)`, gates
 * i f c o; a masked step keeps h and c and outputs the previous h (zeros
 * with `zeroOutputForMask`). Returns
 * the outputs `(batch, steps, ...out, filters)` in the order the steps were
 * taken, then h, then c.
 */
function convLstmForward(
  spec: ConvLstmSpec,
  x: ArrayLike<number>,
  xShape: number[],
  [kernel, recurrent, bias]: ArrayLike<number>[],
  mask: boolean[] | null,
  initial: ArrayLike<number>[] | null,
): number[] {
  const [batch, steps, ...step] = xShape as [number, number, ...number[]];
  const rank = step.length - 1;
  const f = spec.filters;
  const kernelShape = [...spec.kernelSize, step[rank] as number, 4 * f];
  const recurrentShape = [...spec.kernelSize, f, 4 * f];
  const stepSize = product(step);
  const ones = spec.kernelSize.map(() => 1);
  const convSpec = { strides: spec.strides, dilations: spec.dilations, padding: spec.padding, groups: 1 };
  const sameSpec = { strides: ones, dilations: ones, padding: 'same' as const, groups: 1 };
  let outShape: number[] | null = null;
  let h: Float64Array | null = initial == null ? null : Float64Array.from(initial[0] as ArrayLike<number>);
  let c: Float64Array | null = initial == null ? null : Float64Array.from(initial[1] as ArrayLike<number>);
  const outputs: number[][] = [];
  for (let s = 0; s < steps; s++) {
    const t = spec.goBackwards ? steps - 1 - s : s;
    const xt = new Float64Array(batch * stepSize);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < stepSize; i++) xt[b * stepSize + i] = x[(b * steps + t) * stepSize + i] as number;
    }
    const zx = reference.conv(
      xt,
      [batch, ...step],
      Float64Array.from(kernel as ArrayLike<number>),
      kernelShape,
      bias == null ? null : Float64Array.from(bias),
      convSpec,
    );
    outShape ??= [batch, ...zx.shape.slice(1, -1), f];
    const stateSize = product(outShape);
    h ??= new Float64Array(stateSize);
    c ??= new Float64Array(stateSize);
    const zh = reference.conv(
      h,
      outShape,
      Float64Array.from(recurrent as ArrayLike<number>),
      recurrentShape,
      null,
      sameSpec,
    );
    const positions = stateSize / batch / f;
    const hNext = Float64Array.from(h);
    const cNext = Float64Array.from(c);
    for (let b = 0; b < batch; b++) {
      if (mask != null && !mask[b * steps + t]) continue;
      for (let p = 0; p < positions; p++) {
        const row = (b * positions + p) * 4 * f;
        for (let j = 0; j < f; j++) {
          const z = (g: number) => (zx.values[row + g * f + j] as number) + (zh.values[row + g * f + j] as number);
          const k = (b * positions + p) * f + j;
          cNext[k] = sigmoid(z(1)) * (c[k] as number) + sigmoid(z(0)) * Math.tanh(z(2));
          hNext[k] = sigmoid(z(3)) * Math.tanh(cNext[k] as number);
        }
      }
    }
    // A masked sample's h is unchanged: its output is the previous h, or zeros.
    h = hNext;
    c = cNext;
    const perSample = h.length / batch;
    outputs.push(
      Array.from(h, (v, k) =>
        spec.zeroOutputForMask && mask != null && !mask[Math.floor(k / perSample) * steps + t] ? 0 : v,
      ),
    );
  }
  // (steps, batch, ...) to (batch, steps, ...).
  const perSample = (h as Float64Array).length / batch;
  const sequence: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < steps; s++)
      sequence.push(...(outputs[s] as number[]).slice(b * perSample, (b + 1) * perSample));
  }
  return [...sequence, ...(h as Float64Array), ...(c as Float64Array)];
}

interface DifferenceCase {
  label: string;
  make: () => layers.ConvLSTM;
  spec: ConvLstmSpec;
  inputShape: number[];
  mask: boolean[] | null;
  initialStates: boolean;
}

const conv = (filters: number, kernelSize: number[], extra: Partial<ConvLstmSpec> = {}): ConvLstmSpec => ({
  filters,
  kernelSize,
  strides: extra.strides ?? kernelSize.map(() => 1),
  dilations: extra.dilations ?? kernelSize.map(() => 1),
  padding: extra.padding ?? 'valid',
  goBackwards: extra.goBackwards ?? false,
  zeroOutputForMask: extra.zeroOutputForMask ?? false,
});

function differenceCase(
  label: string,
  rank: 1 | 2 | 3,
  spec: ConvLstmSpec,
  inputShape: number[],
  mask: boolean[] | null,
  initialStates: boolean,
): DifferenceCase {
  const Layer = [layers.ConvLSTM1D, layers.ConvLSTM2D, layers.ConvLSTM3D][rank - 1] as typeof layers.ConvLSTM2D;
  return {
    label,
    spec,
    inputShape,
    mask,
    initialStates,
    make: () =>
      new Layer({
        filters: spec.filters,
        kernelSize: spec.kernelSize,
        strides: spec.strides,
        dilationRate: spec.dilations,
        padding: spec.padding,
        goBackwards: spec.goBackwards,
        zeroOutputForMask: spec.zeroOutputForMask,
        returnSequences: true,
        returnState: true,
      }),
  };
}

const DIFFERENCE_CASES: DifferenceCase[] = [
  differenceCase(
    'ConvLSTM1D valid, mask, initial states',
    1,
    conv(2, [2]),
    [2, 3, 4, 2],
    [true, false, true, true, true, false],
    true,
  ),
  differenceCase(
    'ConvLSTM1D same, strides 2, goBackwards',
    1,
    conv(2, [3], { padding: 'same', strides: [2] }),
    [2, 3, 5, 1],
    null,
    false,
  ),
  differenceCase(
    'ConvLSTM2D same, goBackwards, mask',
    2,
    conv(2, [2, 2], { padding: 'same', goBackwards: true }),
    [2, 3, 3, 3, 1],
    [true, true, false, false, true, true],
    false,
  ),
  differenceCase(
    'ConvLSTM2D valid, dilation 2, initial states',
    2,
    conv(1, [2, 2], { dilations: [2, 2] }),
    [1, 2, 4, 3, 2],
    null,
    true,
  ),
  differenceCase('ConvLSTM3D valid', 3, conv(2, [2, 2, 2]), [1, 2, 3, 2, 3, 1], null, false),
  differenceCase(
    'ConvLSTM1D zeroOutputForMask, goBackwards, initial states',
    1,
    conv(1, [2], { padding: 'same', goBackwards: true, zeroOutputForMask: true }),
    [2, 3, 3, 2],
    [false, true, true, true, false, true],
    true,
  ),
];

describeEachBackend('ConvLSTM: gradients against float64 finite differences', () => {
  for (const c of DIFFERENCE_CASES) {
    it(c.label, async () => {
      const layer = c.make();
      layer.ensureBuilt(c.inputShape);
      const weights = layer.weights.map((w, i) => randomValues(w.size, 11 + i, 0.5));
      layer.setWeights(weights);
      const x = randomValues(product(c.inputShape), 3);
      const stateShape = layer.computeOutputShape(c.inputShape) as number[][];
      const hShape = stateShape[1] as number[];
      const states = c.initialStates ? [0, 1].map((i) => randomValues(product(hShape), 5 + i, 0.5)) : [];
      const forward = (w: ArrayLike<number>[], input: ArrayLike<number>, initial: ArrayLike<number>[]) =>
        convLstmForward(c.spec, input, c.inputShape, w, c.mask, initial.length > 0 ? initial : null);
      const coefficients = randomValues(forward(weights, x, states).length, 7);
      const loss = (w: ArrayLike<number>[], input: ArrayLike<number>, initial: ArrayLike<number>[]) =>
        forward(w, input, initial).reduce((sum, v, i) => sum + v * (coefficients[i] as number), 0);
      const expected = [
        ...weights.map((_, k) =>
          numericGradient(
            (p) =>
              loss(
                weights.map((w, j) => (j === k ? p : w)),
                x,
                states,
              ),
            weights[k] as number[],
          ),
        ),
        numericGradient((p) => loss(weights, p, states), x),
        ...states.map((s, k) =>
          numericGradient(
            (p) =>
              loss(
                weights,
                x,
                states.map((t, j) => (j === k ? p : t)),
              ),
            s,
          ),
        ),
      ];
      await assertNoLeak(() => {
        const xs = tf.tensor(x, c.inputShape);
        const initial = states.map((s) => tf.tensor(s, hShape));
        const mask =
          c.mask == null ? null : tf.tensor2d(c.mask.map(Number), c.inputShape.slice(0, 2) as [number, number], 'bool');
        const weighted = tf.tensor1d(coefficients);
        const f = (input: tf.Tensor, ...given: tf.Tensor[]) => {
          const result = layer.apply(given.length > 0 ? [input, ...given] : input, mask == null ? {} : { mask });
          const flat = tf.concat((result as tf.Tensor[]).map((t) => tf.reshape(t, [-1])));
          return tf.sum(tf.mul(flat, weighted)) as tf.Scalar;
        };
        const actual = tf.tidy(() => {
          const { grads } = tf.variableGrads(() => f(xs, ...initial), layer.trainableWeights);
          const inputGrads = tf.grads((input: tf.Tensor, ...given: tf.Tensor[]) => f(input, ...given))([
            xs,
            ...initial,
          ]);
          return [...layer.trainableWeights.map((w) => grads[w.name] as tf.Tensor), ...inputGrads].map((g) =>
            Array.from(g.dataSync()),
          );
        });
        layer.clearLosses();
        assert.equal(actual.length, expected.length);
        actual.forEach((g, i) => {
          assertAllClose(g, expected[i] as number[], { rtol: 1e-3, atol: 1e-4 }, `gradient ${i}`);
        });
        tf.dispose([xs, ...initial, weighted, ...(mask == null ? [] : [mask])]);
      });
      layer.dispose();
    });
  }
});

describeEachBackend('OrthogonalRegularizer on ConvLSTM kernels: leading axes fold into rows', () => {
  const cases: [string, () => layers.Layer, number[], string][] = [
    [
      'ConvLSTM2D kernel (3, 3, 2, 8) as (18, 8), columns',
      () =>
        new layers.ConvLSTM2D({
          filters: 2,
          kernelSize: 3,
          kernelRegularizer: new OrthogonalRegularizer(0.1, 'columns'),
        }),
      [1, 2, 4, 4, 2],
      'kernel',
    ],
    [
      'ConvLSTM2D recurrent kernel (3, 3, 2, 8) as (18, 8), rows',
      () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, recurrentRegularizer: new OrthogonalRegularizer(0.2) }),
      [1, 2, 4, 4, 2],
      'recurrent_kernel',
    ],
    [
      'ConvLSTM1D kernel (3, 4, 12) as (12, 12), rows',
      () => new layers.ConvLSTM1D({ filters: 3, kernelSize: 3, kernelRegularizer: new OrthogonalRegularizer(0.05) }),
      [1, 2, 5, 4],
      'kernel',
    ],
    [
      'ConvLSTM3D recurrent kernel (2, 2, 2, 1, 4) as (8, 4), columns',
      () =>
        new layers.ConvLSTM3D({
          filters: 1,
          kernelSize: 2,
          recurrentRegularizer: new OrthogonalRegularizer(0.3, 'columns'),
        }),
      [1, 2, 3, 3, 3, 1],
      'recurrent_kernel',
    ],
  ];
  for (const [label, make, inputShape, weightName] of cases) {
    it(label, async () => {
      await assertNoLeak(() => {
        const layer = make();
        layer.ensureBuilt(inputShape);
        // Random values: an orthogonal initializer's columns would sit at |cos| = 0, where |.| has a kink.
        layer.setWeights(layer.weights.map((w, i) => randomValues(w.size, 30 + i)));
        const record = layer.weightRecords().find((w) => w.name === weightName) as layers.LayerWeight;
        const shape = record.variable.shape;
        const columns = shape[shape.length - 1] as number;
        const rows = record.variable.size / columns;
        const regularizer = record.regularizer as OrthogonalRegularizer;
        const values = Array.from(record.variable.dataSync());
        const penalty = (v: ArrayLike<number>) =>
          orthogonal(regularizer.factor, matrix(rows, columns, v), regularizer.mode);
        assertAllClose(lossValues(layer), [penalty(values)], {}, 'penalty');
        const grad = tf.tidy(() => {
          const { grads } = tf.variableGrads(() => tf.addN(layer.losses) as tf.Scalar, [record.variable]);
          return Array.from((grads[record.variable.name] as tf.Tensor).dataSync());
        });
        assertAllClose(grad, numericGradient(penalty, values), { rtol: 1e-3, atol: 1e-5 }, 'penalty gradient');
        layer.dispose();
      });
    });
  }
});

describeEachBackend('ConvLSTM: regularizers set after build, dropout, and a model saved here', () => {
  it('each regularizer can be set on a built layer and takes effect at once', () => {
    const layer = new layers.ConvLSTM1D({ filters: 1, kernelSize: 1 });
    layer.ensureBuilt([1, 2, 3, 2]);
    assert.deepEqual(lossValues(layer), []);
    layer.setWeights(layer.weights.map((w) => tf.ones(w.shape)));
    layer.kernelRegularizer = new L1(0.5);
    layer.recurrentRegularizer = 'l2';
    layer.biasRegularizer = {
      module: 'keras.regularizers',
      class_name: 'L2',
      config: { l2: 1 },
      registered_name: null,
    };
    // kernel (1, 2, 4): 0.5 * 8; recurrent (1, 1, 4): 0.01 * 4; bias (4): 1 * 4.
    assertAllClose(lossValues(layer), [4, 0.04, 4]);
    assert.ok(layer.recurrentRegularizer instanceof L2);
    layer.kernelRegularizer = null;
    assertAllClose(lossValues(layer), [0.04, 4]);
    assert.equal(layers.serialize(layer).config.kernel_regularizer, null);
    layer.dispose();
  });

  it("ConvLSTMCell's call is one step of the layer: [h, h, c] from [x, h, c]", async () => {
    await assertNoLeak(() => {
      const layer = new layers.ConvLSTM2D({ filters: 2, kernelSize: 2, padding: 'same', returnState: true });
      layer.ensureBuilt([2, 1, 3, 3, 2]);
      layer.setWeights(layer.weights.map((w, i) => randomValues(w.size, 40 + i, 0.5)));
      tf.tidy(() => {
        const x = tf.tensor(randomValues(36, 1), [2, 3, 3, 2]);
        const h = tf.tensor(randomValues(36, 2), [2, 3, 3, 2]);
        const c = tf.tensor(randomValues(36, 3), [2, 3, 3, 2]);
        const [output, hCell, cCell] = layer.convCell.apply([x, h, c]) as tf.Tensor[];
        const [last, hLayer, cLayer] = layer.apply([tf.expandDims(x, 1), h, c]) as tf.Tensor[];
        assertAllClose(output as tf.Tensor, last as tf.Tensor, { rtol: 0, atol: 0 }, 'output');
        assertAllClose(hCell as tf.Tensor, hLayer as tf.Tensor, { rtol: 0, atol: 0 }, 'h');
        assertAllClose(cCell as tf.Tensor, cLayer as tf.Tensor, { rtol: 0, atol: 0 }, 'c');
        // From zero states when only x is given.
        const [fromZeros] = layer.convCell.apply(x) as tf.Tensor[];
        const [zerosLayer] = layer.apply(tf.expandDims(x, 1)) as tf.Tensor[];
        assertAllClose(fromZeros as tf.Tensor, zerosLayer as tf.Tensor, { rtol: 0, atol: 0 }, 'zero states');
      });
      layer.dispose();
    });
  });

  it('dropout and recurrentDropout drop in training only; fit trains with them, leaking nothing per step', async () => {
    const model = new models.Sequential([
      layers.Input({ shape: [3, 4, 4, 1] }),
      new layers.ConvLSTM2D({
        filters: 2,
        kernelSize: 2,
        dropout: 0.3,
        recurrentDropout: 0.3,
        kernelRegularizer: new L2(1e-3),
      }),
      new layers.Flatten(),
      new layers.Dense({ units: 1 }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
    const x = tf.tensor(randomValues(4 * 3 * 16, 9), [4, 3, 4, 4, 1]);
    const y = tf.tensor(randomValues(4, 10), [4, 1]);
    tf.tidy(() => {
      const inference = model.apply(x, { training: false }) as tf.Tensor;
      const training = model.apply(x, { training: true }) as tf.Tensor;
      assertAllClose(model.apply(x) as tf.Tensor, inference, { rtol: 0, atol: 0 }, 'inference is the default');
      assert.notDeepEqual(Array.from(training.dataSync()), Array.from(inference.dataSync()), 'dropout in training');
      model.clearLosses();
    });
    model.trainOnBatch(x, y);
    await assertNoLeak(async () => {
      const history = await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
      for (const loss of history.history.loss ?? []) assert.ok(Number.isFinite(loss), 'finite loss');
    }, 'fit');
    model.dispose();
    tf.dispose([x, y]);
  });

  it('a model built here saves and loads here with the same predictions, losses and config', async () => {
    const model = new models.Sequential([
      layers.Input({ shape: [3, 4, 4, 2] }),
      new layers.ConvLSTM2D({
        filters: 2,
        kernelSize: 3,
        padding: 'same',
        returnSequences: true,
        dataFormat: 'channelsFirst',
        kernelRegularizer: new L2(0.01),
        recurrentRegularizer: new OrthogonalRegularizer(0.1),
        activityRegularizer: new L1(0.01),
      }),
      new layers.ConvLSTM2D({ filters: 1, kernelSize: 2, goBackwards: true, biasRegularizer: new L1L2(0.01, 0.01) }),
      new layers.Flatten(),
      new layers.Dense({ units: 2 }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor(randomValues(2 * 3 * 4 * 4 * 2, 12), [2, 3, 4, 4, 2]);
    await assertNoLeak(async () => {
      const run = (m: models.Model) =>
        tf.tidy(() => ({
          output: Array.from((m.apply(x) as tf.Tensor).dataSync()),
          losses: m.losses.map((l) => l.dataSync()[0] as number),
        }));
      const before = run(model);
      assert.equal(before.losses.length, 4, 'the activity penalty, then the kernel, recurrent and bias penalties');
      const copy = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
      assert.deepEqual(run(copy), before);
      assert.deepEqual(models.modelToJSON(copy), models.modelToJSON(model));
      model.clearLosses();
      copy.dispose();
    });
    x.dispose();
    model.dispose();
  });
});

describe('ConvLSTM: errors', () => {
  it('bad arguments are ValueErrors naming the argument, the expectation and what was received', () => {
    const cases: [() => unknown, string | RegExp][] = [
      [
        () => new layers.ConvLSTM2D({ filters: 0, kernelSize: 3 }),
        'Invalid value for argument `filters`. Expected a strictly positive value. Received filters=0.',
      ],
      [
        () => new layers.ConvLSTM1D({ filters: 2.5, kernelSize: 3 }),
        'Invalid value for argument `filters`. Expected a strictly positive value. Received filters=2.5.',
      ],
      [
        () => new layers.ConvLSTM2D({ filters: 2, kernelSize: [3, 3, 3] }),
        'The `kernelSize` argument must be a tuple of 2 positive integers (or one positive integer). Received: kernelSize=[3,3,3]',
      ],
      [
        () => new layers.ConvLSTM3D({ filters: 2, kernelSize: 2, strides: 0 }),
        'The `strides` argument must be a tuple of 3 positive integers (or one positive integer). Received: strides=0',
      ],
      [
        () => new layers.ConvLSTM1D({ filters: 2, kernelSize: 3, padding: 'causal' as never }),
        'The `padding` argument must be one of "valid", "same". Received: padding="causal"',
      ],
      [
        () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, dataFormat: 'NCHW' as never }),
        'The `dataFormat` argument must be one of "channelsLast", "channelsFirst" (or Keras\'s "channels_last", "channels_first"). Received: dataFormat="NCHW"',
      ],
      [
        () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }),
        '`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=[2,2] and dilation_rate=[2,2]',
      ],
      [
        () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, stateful: true as never }),
        'Invalid value for argument stateful: stateful RNNs are not supported, expected false. Received: stateful=true',
      ],
      [
        () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, recurrentConstraint: 2 as never }),
        'Invalid value for argument recurrentConstraint: Could not interpret constraint identifier: 2',
      ],
      [
        () => new layers.ConvLSTM1D({ filters: 2, kernelSize: 3, dropout: Number.NaN }),
        'Invalid value for argument dropout: expected a number in [0, 1]. Received: dropout=NaN',
      ],
      [
        () => new layers.ConvLSTM1D({ filters: 2, kernelSize: 3, seed: 1.5 }),
        'Invalid value for argument seed: expected null or an integer. Received: seed=1.5',
      ],
      [
        () => new layers.ConvLSTM3D({ filters: 2, kernelSize: 3, unitForgetBias: 'yes' as never }),
        'Invalid value for argument unitForgetBias: expected a boolean. Received: unitForgetBias="yes"',
      ],
      [
        () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, kernelRegularizer: 'l3' }),
        /^Could not interpret regularizer identifier: "l3"/,
      ],
      [
        () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, returnState: 1 as never }),
        'Invalid value for argument returnState: expected a boolean. Received: returnState=1',
      ],
      [
        () => new layers.ConvLSTM3D({ filters: 2, kernelSize: 3, recurrentActivation: 'nope' }),
        /^Could not interpret activation function identifier: "nope"\. Expected one of linear, /,
      ],
    ];
    for (const [make, message] of cases) expectValueError(make, message);
  });

  it('options of another layer are KerasTypeErrors naming them', () => {
    assert.throws(
      () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, units: 4 } as never),
      (error: Error) => {
        assert.ok(error instanceof KerasTypeError);
        assert.match(
          error.message,
          /^ConvLSTM2D got an unexpected option "units"\. Expected: name, trainable, .*filters, kernelSize/,
        );
        return true;
      },
    );
    assert.throws(() => new layers.ConvLSTM1D({ filters: 2, kernelSize: 3, groups: 2 } as never), KerasTypeError);
  });

  it('inputs of the wrong rank, shape or size are refused, leaving no tensor behind', async () => {
    await assertNoLeak(() => {
      const withTensor = (shape: number[], body: (x: tf.Tensor) => unknown) => () =>
        tf.tidy(() => void body(tf.zeros(shape)));
      const layer = new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, name: 'cl_in' });
      expectValueError(
        withTensor([1, 3, 4, 4], (x) => layer.apply(x)),
        'Input 0 of layer "cl_in" is incompatible with the layer: expected ndim=5, found ndim=4. Full shape received: [1, 3, 4, 4]',
      );
      expectValueError(
        () => layer.computeOutputShape([null, 3, 4, 4]),
        'Input 0 of layer "cl_in" is incompatible with the layer: expected ndim=5, found ndim=4. Full shape received: [null, 3, 4, 4]',
      );
      expectValueError(
        withTensor([1, 3, 2, 5, 1], (x) => layer.apply(x)),
        'Layer "cl_in": the steps are too small for the kernel: spatial axis 0 has 2 positions, the kernel reaches 3. Received: step shape [1, 2, 5, 1]',
      );
      expectValueError(
        () => layer.computeOutputShape([null, 3, 5, 2, 1]),
        'Layer "cl_in": the steps are too small for the kernel: spatial axis 1 has 2 positions, the kernel reaches 3. Received: step shape [null, 5, 2, 1]',
      );
      expectValueError(
        () => layer.ensureBuilt([null, 3, null, 5, 1]),
        'ConvLSTM layers only support static input shapes for the spatial dimension: layer "cl_in" expected known spatial sizes. Received: step shape [null, null, 5, 1]',
      );
      expectValueError(
        () => layer.ensureBuilt([null, 3, 5, 5, null]),
        'The channel dimension of the inputs of layer "cl_in" should be defined and positive. Received: step shape [null, 5, 5, null]',
      );
      tf.tidy(() => {
        layer.apply(tf.zeros([1, 3, 5, 5, 1]));
      });
      expectValueError(
        withTensor([2, 4, 6, 5, 1], (x) => layer.apply(x)),
        'Input 0 of layer "cl_in" is incompatible with the layer: expected shape [null, null, 5, 5, 1], found shape [2, 4, 6, 5, 1]',
      );
      expectValueError(
        () => tf.tidy(() => void layer.apply([tf.zeros([2, 3, 5, 5, 1]), tf.zeros([2, 3, 3, 2])])),
        'Invalid initial state for layer "cl_in": expected 2 tensor(s) of shape [2, 3, 3, 2], [2, 3, 3, 2]. Received: shapes [2, 3, 3, 2]',
      );
      expectValueError(
        () => tf.tidy(() => void layer.apply(tf.zeros([2, 3, 5, 5, 1]), { mask: tf.ones([2, 4], 'bool') })),
        'Invalid mask for layer "cl_in": expected shape [2, 3] (batch, timesteps) for inputs of 3 steps. Received: mask.shape=[2, 4]',
      );
      layer.dispose();
    });
  });
});
