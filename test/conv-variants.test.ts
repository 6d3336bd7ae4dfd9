/**
 * DepthwiseConv1D/2D, SeparableConv1D/2D and Conv1D/2D/3DTranspose against
 * real Keras (test/fixtures/keras-conv-variants.json and the .keras files of
 * test/fixtures/keras-conv-variants/, scripts/generate_keras_conv_variants_fixtures.py):
 * outputs, losses, gradients of the penalties and of a loss through the
 * layer, configs and JSON both ways, output shapes, training steps, and
 * loading Keras's files; then gradients against float64 finite differences
 * (wasm has no depthwise gradient kernels and no kernel gradient for
 * transposed convolutions: the layers build them), OrthogonalRegularizer on
 * the new kernels, error texts, and leaks.
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
import * as reference from './helpers/reference-conv-variants.js';

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-conv-variants.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};
const LAYER_CASES = FIXTURE.cases.filter((c) => c.kind === 'layer');
const SHAPE_CASES = FIXTURE.cases.filter((c) => c.kind === 'output_shape');
const TRAINING_CASES = FIXTURE.cases.filter((c) => c.kind === 'training');
const MODELS = new URL('./fixtures/keras-conv-variants/', import.meta.url);
const EXPECTED_MODELS = JSON.parse(readFileSync(new URL('expected.json', MODELS), 'utf8')) as {
  models: Record<
    string,
    { input: { shape: number[]; values: number[] }; output: { values: number[] }; losses: number[] }
  >;
};

type Tensorish = { shape: number[]; values: number[] };
const tensorOf = (t: Tensorish) => tf.tensor(t.values, t.shape);

/** Values of `losses`, freeing the tensors. */
function lossValues(layer: layers.Layer): number[] {
  const losses = layer.losses;
  const values = losses.map((l) => l.dataSync()[0] as number);
  tf.dispose(losses);
  return values;
}

/** The case's layer from Keras's JSON, built, with the case's weights. */
function kerasLayer(fixture: FixtureCase): layers.Layer {
  const layer = layers.deserialize(fixture.json);
  layer.ensureBuilt(fixture.input.shape);
  tf.tidy(() => layer.setWeights(fixture.weights.map(tensorOf)));
  return layer;
}

/** Gradients of `loss(layer(x))` for x and each trainable weight, as arrays. */
function gradientsOf(layer: layers.Layer, x: tf.Tensor, loss: (y: tf.Tensor) => tf.Tensor): number[][] {
  return tf.tidy(() => {
    const weights = layer.trainableWeights;
    const f = (input: tf.Tensor) => {
      const y = layer.apply(input) as tf.Tensor;
      const penalties = layer.losses;
      return tf.add(loss(y), penalties.length > 0 ? tf.addN(penalties) : 0) as tf.Scalar;
    };
    const gx = tf.grad(f)(x);
    const { grads } = tf.variableGrads(() => f(x), weights);
    return [gx, ...weights.map((w) => grads[w.name] as tf.Tensor)].map((g) => Array.from(g.dataSync()));
  });
}

describeEachBackend('convolution variants against Keras: outputs, losses and gradients', () => {
  for (const fixture of LAYER_CASES) {
    it(fixture.name, async () => {
      await assertNoLeak(() => {
        const layer = kerasLayer(fixture);
        assert.deepEqual(
          layer.weightRecords().map((w) => [w.path, [...w.variable.shape]]),
          fixture.weights.map((w: { path: string; shape: number[] }) => [w.path, w.shape]),
          "Keras's weight names, order and shapes",
        );
        const x = tensorOf(fixture.input);
        tf.tidy(() => {
          const y = layer.apply(x) as tf.Tensor;
          assert.deepEqual(y.shape, fixture.output.shape);
          assertAllClose(y, fixture.output.values, { atol: 1e-5 }, 'output');
        });
        assertAllClose(lossValues(layer), fixture.losses, {}, 'losses');
        const tolerance = { rtol: 1e-4, atol: 1e-5 };
        const { penalty, total } = fixture.gradients;
        const expectedPenalty = [penalty.input, ...penalty.weights];
        // 0 * sum(y) keeps x on the tape when there is no penalty (then every gradient is 0).
        gradientsOf(layer, x, (y) => tf.mul(tf.sum(y), 0)).forEach((g, i) => {
          assertAllClose(g, expectedPenalty[i], tolerance, `penalty gradient ${i}`);
        });
        const expectedTotal = [total.input, ...total.weights];
        gradientsOf(layer, x, (y) => tf.sum(tf.mul(y, tf.tensor(fixture.r, y.shape)))).forEach((g, i) => {
          assertAllClose(g, expectedTotal[i], tolerance, `total gradient ${i}`);
        });
        layer.dispose();
        x.dispose();
      });
    });
  }
});

/** Our layers built with the TypeScript API: each must serialize to the JSON Keras wrote for the case. */
const OURS: Record<string, (name: string) => layers.Layer> = {
  'DepthwiseConv2D 3x3, every regularizer': (name) =>
    new layers.DepthwiseConv2D({
      name,
      kernelSize: 3,
      depthwiseRegularizer: new L2(0.1),
      biasRegularizer: new L1(0.05),
      activityRegularizer: new L2(0.01),
    }),
  'DepthwiseConv2D (3, 2), depth_multiplier 2, same, strides 2, relu, L1L2': (name) =>
    new layers.DepthwiseConv2D({
      name,
      kernelSize: [3, 2],
      strides: 2,
      padding: 'same',
      depthMultiplier: 2,
      activation: 'relu',
      depthwiseRegularizer: new L1L2(0.01, 0.02),
      activityRegularizer: new L1(0.02),
    }),
  'DepthwiseConv2D dilation 2, same, depth_multiplier 3, no bias, tanh': (name) =>
    new layers.DepthwiseConv2D({
      name,
      kernelSize: 3,
      dilationRate: 2,
      padding: 'same',
      depthMultiplier: 3,
      useBias: false,
      activation: 'tanh',
    }),
  'DepthwiseConv2D strides 2 and dilation 2 together': (name) =>
    new layers.DepthwiseConv2D({
      name,
      kernelSize: 3,
      strides: 2,
      dilationRate: 2,
      padding: 'same',
      biasRegularizer: new L2(0.3),
    }),
  'DepthwiseConv2D channels_first, strides (1, 2)': (name) =>
    new layers.DepthwiseConv2D({
      name,
      kernelSize: 2,
      strides: [1, 2],
      dataFormat: 'channelsFirst',
      depthMultiplier: 2,
      depthwiseRegularizer: new L1(0.1),
    }),
  'DepthwiseConv1D k 3, depth_multiplier 2, every regularizer': (name) =>
    new layers.DepthwiseConv1D({
      name,
      kernelSize: 3,
      depthMultiplier: 2,
      depthwiseRegularizer: new L2(0.05),
      biasRegularizer: new L2(0.1),
      activityRegularizer: new L1L2(0.01, 0.01),
    }),
  'DepthwiseConv1D same, strides 2, sigmoid': (name) =>
    new layers.DepthwiseConv1D({ name, kernelSize: 4, strides: 2, padding: 'same', activation: 'sigmoid' }),
  'DepthwiseConv1D channels_first, dilation 2': (name) =>
    new layers.DepthwiseConv1D({
      name,
      kernelSize: 2,
      dilationRate: 2,
      dataFormat: 'channels_first',
      depthwiseRegularizer: new L2(0.2),
    }),
  'SeparableConv2D 3x3, depth_multiplier 2, every regularizer': (name) =>
    new layers.SeparableConv2D({
      name,
      filters: 4,
      kernelSize: 3,
      depthMultiplier: 2,
      depthwiseRegularizer: new L2(0.1),
      pointwiseRegularizer: new L1(0.05),
      biasRegularizer: new L2(0.2),
      activityRegularizer: new L1(0.01),
    }),
  'SeparableConv2D same, strides 2, relu': (name) =>
    new layers.SeparableConv2D({
      name,
      filters: 3,
      kernelSize: [2, 3],
      strides: 2,
      padding: 'same',
      activation: 'relu',
      pointwiseRegularizer: new L1L2(0.01, 0.03),
    }),
  'SeparableConv2D dilation 2, no bias, channels_first': (name) =>
    new layers.SeparableConv2D({
      name,
      filters: 2,
      kernelSize: 2,
      dilationRate: 2,
      useBias: false,
      dataFormat: 'channelsFirst',
    }),
  'SeparableConv1D k 3, every regularizer': (name) =>
    new layers.SeparableConv1D({
      name,
      filters: 5,
      kernelSize: 3,
      depthwiseRegularizer: new L1(0.02),
      pointwiseRegularizer: new L2(0.03),
      biasRegularizer: new L1(0.1),
      activityRegularizer: new L2(0.02),
    }),
  'SeparableConv1D same, strides 2, depth_multiplier 3, elu': (name) =>
    new layers.SeparableConv1D({
      name,
      filters: 2,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      depthMultiplier: 3,
      activation: 'elu',
    }),
  'Conv2DTranspose 3x3, strides 2, valid, every regularizer': (name) =>
    new layers.Conv2DTranspose({
      name,
      filters: 3,
      kernelSize: 3,
      strides: 2,
      kernelRegularizer: new L2(0.1),
      biasRegularizer: new L1(0.1),
      activityRegularizer: new L2(0.01),
    }),
  'Conv2DTranspose 3x3, strides 2, same': (name) =>
    new layers.Conv2DTranspose({
      name,
      filters: 2,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      kernelRegularizer: new L1(0.05),
    }),
  'Conv2DTranspose (4, 3), strides (2, 3), same, output_padding (1, 2)': (name) =>
    new layers.Conv2DTranspose({
      name,
      filters: 2,
      kernelSize: [4, 3],
      strides: [2, 3],
      padding: 'same',
      outputPadding: [1, 2],
    }),
  'Conv2DTranspose 2x2, strides 2, valid, output_padding 1': (name) =>
    new layers.Conv2DTranspose({
      name,
      filters: 3,
      kernelSize: 2,
      strides: 2,
      outputPadding: 1,
      kernelRegularizer: new L1L2(0.01, 0.02),
    }),
  'Conv2DTranspose 3x3, dilation 2, same': (name) =>
    new layers.Conv2DTranspose({
      name,
      filters: 2,
      kernelSize: 3,
      dilationRate: 2,
      padding: 'same',
      activityRegularizer: new L1(0.05),
    }),
  'Conv2DTranspose 2x3, dilation (2, 1), valid': (name) =>
    new layers.Conv2DTranspose({ name, filters: 2, kernelSize: [2, 3], dilationRate: [2, 1] }),
  'Conv2DTranspose 1x1 kernel, strides 3, valid (output (n-1)*s + max(k, s))': (name) =>
    new layers.Conv2DTranspose({ name, filters: 2, kernelSize: 1, strides: 3 }),
  'Conv2DTranspose channels_first, strides 2, same, no bias': (name) =>
    new layers.Conv2DTranspose({
      name,
      filters: 2,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      dataFormat: 'channelsFirst',
      useBias: false,
    }),
  'Conv1DTranspose k 3, strides 2, valid, every regularizer': (name) =>
    new layers.Conv1DTranspose({
      name,
      filters: 3,
      kernelSize: 3,
      strides: 2,
      kernelRegularizer: new L1(0.02),
      biasRegularizer: new L2(0.05),
      activityRegularizer: new L1L2(0.01, 0.02),
    }),
  'Conv1DTranspose k 4, strides 3, same, output_padding 2': (name) =>
    new layers.Conv1DTranspose({
      name,
      filters: 2,
      kernelSize: 4,
      strides: 3,
      padding: 'same',
      outputPadding: 2,
      activation: 'tanh',
    }),
  'Conv1DTranspose k 3, dilation 3, same': (name) =>
    new layers.Conv1DTranspose({ name, filters: 2, kernelSize: 3, dilationRate: 3, padding: 'same' }),
  'Conv3DTranspose k 2, strides 2, valid, every regularizer': (name) =>
    new layers.Conv3DTranspose({
      name,
      filters: 2,
      kernelSize: 2,
      strides: 2,
      kernelRegularizer: new L2(0.1),
      biasRegularizer: new L1(0.2),
      activityRegularizer: new L2(0.02),
    }),
  'Conv3DTranspose (3, 2, 3), strides (2, 1, 2), same, output_padding (1, 0, 1)': (name) =>
    new layers.Conv3DTranspose({
      name,
      filters: 2,
      kernelSize: [3, 2, 3],
      strides: [2, 1, 2],
      padding: 'same',
      outputPadding: [1, 0, 1],
    }),
  'Conv3DTranspose channels_first, k 2, dilation 2, valid': (name) =>
    new layers.Conv3DTranspose({
      name,
      filters: 1,
      kernelSize: 2,
      dilationRate: 2,
      dataFormat: 'channelsFirst',
      kernelRegularizer: new L1(0.1),
    }),
};

describe('convolution variants: configs, JSON and output shapes', () => {
  for (const fixture of LAYER_CASES) {
    it(`${fixture.name}: ours serializes to Keras's JSON; Keras's JSON round-trips`, () => {
      const make = OURS[fixture.name];
      assert.ok(make != null, `no TypeScript construction for ${fixture.name}`);
      const ours = make(fixture.json.config.name);
      const json = layers.serialize(ours);
      // Keras writes L1 factors float32-rounded; we write the exact number (COMPATIBILITY.md).
      assertConfigClose(json, fixture.json);
      assert.deepEqual(Object.keys(json.config), Object.keys(fixture.json.config), "Keras's key order");
      const theirs = layers.deserialize(fixture.json);
      assert.deepEqual(layers.serialize(theirs), fixture.json);
      assert.deepEqual(ours.computeOutputShape(fixture.symbolic_input_shape), fixture.symbolic_output_shape);
      const before = tf.memory().numTensors;
      assert.deepEqual(theirs.computeOutputShape(fixture.input.shape), fixture.output.shape);
      assert.equal(tf.memory().numTensors, before, 'computeOutputShape creates no tensor');
    });
  }
  for (const fixture of SHAPE_CASES) {
    it(`output shape: ${fixture.name}`, () => {
      const layer = layers.deserialize(fixture.json);
      assert.deepEqual(layer.computeOutputShape(fixture.input_shape), fixture.output_shape);
      assert.deepEqual(layers.serialize(layer), fixture.json);
    });
  }

  it("kernel shapes are Keras's: depthwise (...k, in, m), separable + pointwise (1..., in * m, filters), transposed (...k, filters, in)", () => {
    const cases: [layers.Layer, number[], number[][]][] = [
      [new layers.DepthwiseConv2D({ kernelSize: [3, 2], depthMultiplier: 2 }), [1, 5, 5, 3], [[3, 2, 3, 2], [6]]],
      [new layers.DepthwiseConv1D({ kernelSize: 3, useBias: false }), [1, 6, 4], [[3, 4, 1]]],
      [
        new layers.SeparableConv2D({ filters: 5, kernelSize: 3, depthMultiplier: 2 }),
        [1, 6, 6, 3],
        [[3, 3, 3, 2], [1, 1, 6, 5], [5]],
      ],
      [new layers.SeparableConv1D({ filters: 4, kernelSize: 2 }), [1, 6, 3], [[2, 3, 1], [1, 3, 4], [4]]],
      [new layers.Conv1DTranspose({ filters: 4, kernelSize: 3 }), [1, 5, 2], [[3, 4, 2], [4]]],
      [new layers.Conv2DTranspose({ filters: 4, kernelSize: [3, 2] }), [1, 5, 5, 2], [[3, 2, 4, 2], [4]]],
      [new layers.Conv3DTranspose({ filters: 1, kernelSize: 2, useBias: false }), [1, 3, 3, 3, 2], [[2, 2, 2, 1, 2]]],
    ];
    for (const [layer, inputShape, shapes] of cases) {
      layer.ensureBuilt(inputShape);
      assert.deepEqual(
        layer.weights.map((w) => w.shape),
        shapes,
      );
      layer.dispose();
    }
  });
});

describeEachBackend('convolution variants: training steps against Keras', () => {
  for (const fixture of TRAINING_CASES) {
    it(fixture.name, async () => {
      const model = models.modelFromJSON(fixture.model) as models.Sequential;
      model.setWeights(fixture.initial_weights.map((w: number[], i: number) => tf.tensor(w, model.weights[i]?.shape)));
      model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
      const x = tensorOf(fixture.x);
      const y = tensorOf(fixture.y);
      const step = (index: number) => {
        const logs = model.trainOnBatch(x, y);
        assertAllClose(logs.loss as number, fixture.losses[index], { rtol: 1e-4 }, `loss at step ${index}`);
        model.weights.forEach((w, i) => {
          assertAllClose(
            w,
            fixture.weights_after_each_step[index][i],
            { rtol: 1e-4, atol: 1e-5 },
            `weight ${i} after step ${index}`,
          );
        });
      };
      // The first step creates the optimizer's state; later steps leave no tensor behind.
      step(0);
      await assertNoLeak(() => {
        for (let index = 1; index < fixture.losses.length; index++) step(index);
      });
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});

describeEachBackend('convolution variants: .keras files saved by Keras', () => {
  for (const [name, expected] of Object.entries(EXPECTED_MODELS.models)) {
    it(`${name}.keras loads with Keras's predictions and losses, and round-trips`, async () => {
      const model = await saving.loadModel(new URL(`${name}.keras`, MODELS).pathname);
      const x = tensorOf(expected.input);
      const run = (m: models.Model) =>
        tf.tidy(() => {
          const output = Array.from((m.apply(x, { training: false }) as tf.Tensor).dataSync());
          return { output, losses: m.losses.map((l) => l.dataSync()[0] as number) };
        });
      const result = run(model);
      assertAllClose(result.output, expected.output.values, { atol: 1e-5 }, 'predictions');
      assertAllClose(result.losses, expected.losses, {}, 'losses');
      const again = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
      assert.deepEqual(run(again), result);
      assert.deepEqual(models.modelToJSON(again).config, models.modelToJSON(model).config);
      x.dispose();
      model.dispose();
      again.dispose();
    });
  }
});

interface DifferenceCase {
  label: string;
  make: () => layers.Layer;
  inputShape: number[];
  /** The layer's output, float64, from the input and the weights in `weights` order. */
  forward: (x: Float64Array, weights: Float64Array[]) => Float64Array;
  /** The layer's activity penalty factors, if it has one (divided by the batch, as Keras). */
  activity?: { l1: number; l2: number };
}

const relu = (values: Float64Array) => values.map((v) => Math.max(v, 0));

function depthwiseCase(
  label: string,
  inputShape: number[],
  spec: reference.WindowSpec,
  multiplier: number,
  extra: { relu?: boolean; activity?: { l1: number; l2: number } } = {},
): DifferenceCase {
  const rank = inputShape.length - 2;
  const Layer = rank === 1 ? layers.DepthwiseConv1D : layers.DepthwiseConv2D;
  return {
    label,
    inputShape,
    activity: extra.activity,
    make: () =>
      new Layer({
        kernelSize: spec.kernelSize,
        strides: spec.strides,
        dilationRate: spec.dilations,
        padding: spec.padding,
        depthMultiplier: multiplier,
        activation: extra.relu ? 'relu' : 'linear',
        activityRegularizer: extra.activity == null ? null : new L1L2(extra.activity.l1, extra.activity.l2),
      }),
    forward: (x, [kernel, bias]) => {
      const y = reference.depthwise(x, inputShape, kernel as Float64Array, multiplier, bias ?? null, spec).values;
      return extra.relu ? relu(y) : y;
    },
  };
}

function separableCase(
  label: string,
  inputShape: number[],
  spec: reference.WindowSpec,
  multiplier: number,
  filters: number,
  extra: { relu?: boolean; activity?: { l1: number; l2: number } } = {},
): DifferenceCase {
  const rank = inputShape.length - 2;
  const Layer = rank === 1 ? layers.SeparableConv1D : layers.SeparableConv2D;
  return {
    label,
    inputShape,
    activity: extra.activity,
    make: () =>
      new Layer({
        filters,
        kernelSize: spec.kernelSize,
        strides: spec.strides,
        dilationRate: spec.dilations,
        padding: spec.padding,
        depthMultiplier: multiplier,
        activation: extra.relu ? 'relu' : 'linear',
        activityRegularizer: extra.activity == null ? null : new L1L2(extra.activity.l1, extra.activity.l2),
      }),
    forward: (x, [depthwise, pointwise, bias]) => {
      const spread = reference.depthwise(x, inputShape, depthwise as Float64Array, multiplier, null, spec);
      const y = reference.pointwise(spread, pointwise as Float64Array, filters, bias ?? null).values;
      return extra.relu ? relu(y) : y;
    },
  };
}

function transposeCase(
  label: string,
  inputShape: number[],
  spec: reference.WindowSpec,
  filters: number,
  outputPadding: number[] | null = null,
): DifferenceCase {
  const rank = inputShape.length - 2;
  const Layer = [layers.Conv1DTranspose, layers.Conv2DTranspose, layers.Conv3DTranspose][
    rank - 1
  ] as typeof layers.Conv2DTranspose;
  return {
    label,
    inputShape,
    make: () =>
      new Layer({
        filters,
        kernelSize: spec.kernelSize,
        strides: spec.strides,
        dilationRate: spec.dilations,
        padding: spec.padding,
        outputPadding,
      }),
    forward: (x, [kernel, bias]) =>
      reference.transpose(x, inputShape, kernel as Float64Array, filters, bias ?? null, spec, outputPadding).values,
  };
}

const win = (
  kernelSize: number[],
  padding: 'valid' | 'same' = 'valid',
  strides = kernelSize.map(() => 1),
  dilations = kernelSize.map(() => 1),
): reference.WindowSpec => ({ kernelSize, strides, dilations, padding });

const DIFFERENCE_CASES: DifferenceCase[] = [
  // 8 channels: wasm's column sums; relu and the activity penalty fused into the depthwise kernel on wasm.
  depthwiseCase('DepthwiseConv2D 3x3 valid, 8 channels, relu, activity L1L2', [2, 5, 6, 8], win([3, 3]), 1, {
    relu: true,
    activity: { l1: 0.01, l2: 0.02 },
  }),
  depthwiseCase(
    'DepthwiseConv2D (3, 2) same, strides 2, depthMultiplier 2',
    [1, 7, 6, 3],
    win([3, 2], 'same', [2, 2]),
    2,
  ),
  depthwiseCase(
    'DepthwiseConv2D same, strides 2 and dilation 2 together',
    [1, 9, 8, 2],
    win([3, 3], 'same', [2, 2], [2, 2]),
    1,
  ),
  depthwiseCase(
    'DepthwiseConv2D valid, dilation (1, 2), depthMultiplier 3',
    [1, 6, 7, 4],
    win([2, 3], 'valid', [1, 1], [1, 2]),
    3,
  ),
  // The last input row is in no window: a zero input gradient there, and a cut input for the kernel gradient.
  depthwiseCase(
    'DepthwiseConv2D valid, strides 2, an uncovered last row',
    [2, 8, 7, 4],
    win([3, 3], 'valid', [2, 2]),
    1,
  ),
  depthwiseCase('DepthwiseConv1D same, strides 2, depthMultiplier 2', [2, 9, 3], win([3], 'same', [2]), 2),
  separableCase('SeparableConv2D 3x3 valid, depthMultiplier 2, relu, activity L2', [2, 6, 5, 2], win([3, 3]), 2, 4, {
    relu: true,
    activity: { l1: 0, l2: 0.05 },
  }),
  separableCase('SeparableConv2D same, strides 2, 4 channels', [1, 7, 7, 4], win([3, 3], 'same', [2, 2]), 1, 3),
  separableCase('SeparableConv1D valid, dilation 2', [2, 8, 3], win([3], 'valid', [1], [2]), 1, 2),
  transposeCase('Conv2DTranspose 3x3, strides 2, same', [2, 3, 4, 2], win([3, 3], 'same', [2, 2]), 3),
  transposeCase(
    'Conv2DTranspose (2, 3), strides (2, 3), valid, outputPadding (1, 2)',
    [1, 3, 2, 3],
    win([2, 3], 'valid', [2, 3]),
    2,
    [1, 2],
  ),
  // 8 channels: wasm's patches kernel for the kernel gradient.
  transposeCase(
    'Conv2DTranspose 3x3, dilation 2, valid, 8 channels',
    [1, 4, 4, 8],
    win([3, 3], 'valid', [1, 1], [2, 2]),
    4,
  ),
  transposeCase(
    'Conv2DTranspose 1x1, strides 3 (output positions no window reads)',
    [1, 2, 3, 2],
    win([1, 1], 'valid', [3, 3]),
    2,
  ),
  transposeCase('Conv1DTranspose k 3, strides 2, same, outputPadding 1', [2, 4, 3], win([3], 'same', [2]), 2, [1]),
  transposeCase('Conv3DTranspose k 2, strides 2, valid', [1, 2, 2, 3, 2], win([2, 2, 2], 'valid', [2, 2, 2]), 2),
  transposeCase(
    'Conv3DTranspose (2, 3, 2), same, strides (1, 2, 1), 4 channels',
    [1, 3, 2, 3, 4],
    win([2, 3, 2], 'same', [1, 2, 1]),
    2,
  ),
];

describeEachBackend('convolution variants: gradients against float64 finite differences', () => {
  for (const testCase of DIFFERENCE_CASES) {
    it(testCase.label, async () => {
      await assertNoLeak(() => {
        const layer = testCase.make();
        layer.ensureBuilt(testCase.inputShape);
        const weights = layer.trainableWeights;
        const weightValues = weights.map((w, i) => randomValues(w.size, 20 + i));
        tf.tidy(() => layer.setWeights(weightValues.map((v, i) => tf.tensor(v, (weights[i] as tf.Variable).shape))));
        const xValues = randomValues(
          testCase.inputShape.reduce((a, b) => a * b, 1),
          1,
        );
        const x64 = Float64Array.from(xValues);
        const w64 = weightValues.map((v) => Float64Array.from(v));
        const r = randomValues(testCase.forward(x64, w64).length, 4);
        const batch = testCase.inputShape[0] as number;
        const loss = (x: Float64Array, ws: Float64Array[]) => {
          const y = testCase.forward(x, ws);
          let sum = 0;
          for (let i = 0; i < y.length; i++) {
            const v = y[i] as number;
            sum += v * (r[i] as number);
            if (testCase.activity != null)
              sum += (testCase.activity.l1 * Math.abs(v) + testCase.activity.l2 * v * v) / batch;
          }
          return sum;
        };
        const x = tf.tensor(xValues, testCase.inputShape);
        const [gx, ...gw] = gradientsOf(layer, x, (y) => tf.sum(tf.mul(y, tf.tensor(r, y.shape))));
        const tolerance = { rtol: 1e-3, atol: 1e-4 };
        assertAllClose(
          gx as number[],
          numericGradient((xi) => loss(xi, w64), x64),
          tolerance,
          'input',
        );
        gw.forEach((g, i) => {
          const numeric = numericGradient(
            (wi) =>
              loss(
                x64,
                w64.map((w, j) => (j === i ? wi : w)),
              ),
            w64[i] as Float64Array,
          );
          assertAllClose(g, numeric, tolerance, `weight ${layer.weightRecords()[i]?.name}`);
        });
        x.dispose();
        layer.dispose();
      });
    });
  }
});

describeEachBackend('OrthogonalRegularizer on the new kernels: leading axes fold into rows', () => {
  const cases: [string, () => layers.Layer, number[], string][] = [
    [
      'DepthwiseConv2D kernel (3, 3, 4, 2) as (36, 2)',
      () =>
        new layers.DepthwiseConv2D({
          kernelSize: 3,
          depthMultiplier: 2,
          depthwiseRegularizer: new OrthogonalRegularizer(0.1, 'columns'),
        }),
      [1, 5, 5, 4],
      'kernel',
    ],
    [
      'DepthwiseConv1D kernel (3, 4, 3) as (12, 3), rows',
      () =>
        new layers.DepthwiseConv1D({
          kernelSize: 3,
          depthMultiplier: 3,
          depthwiseRegularizer: new OrthogonalRegularizer(0.2),
        }),
      [1, 6, 4],
      'kernel',
    ],
    [
      'SeparableConv2D depthwise kernel (2, 2, 3, 2) as (12, 2)',
      () =>
        new layers.SeparableConv2D({
          filters: 3,
          kernelSize: 2,
          depthMultiplier: 2,
          depthwiseRegularizer: new OrthogonalRegularizer(0.3, 'columns'),
        }),
      [1, 4, 4, 3],
      'depthwise_kernel',
    ],
    [
      'SeparableConv2D pointwise kernel (1, 1, 6, 4) as (6, 4)',
      () =>
        new layers.SeparableConv2D({
          filters: 4,
          kernelSize: 2,
          depthMultiplier: 2,
          pointwiseRegularizer: new OrthogonalRegularizer(0.3),
        }),
      [1, 4, 4, 3],
      'pointwise_kernel',
    ],
    [
      'Conv2DTranspose kernel (3, 3, 4, 2) as (36, 2)',
      () =>
        new layers.Conv2DTranspose({
          filters: 4,
          kernelSize: 3,
          kernelRegularizer: new OrthogonalRegularizer(0.05, 'columns'),
        }),
      [1, 3, 3, 2],
      'kernel',
    ],
    [
      'Conv3DTranspose kernel (2, 2, 2, 3, 2) as (24, 2)',
      () =>
        new layers.Conv3DTranspose({ filters: 3, kernelSize: 2, kernelRegularizer: new OrthogonalRegularizer(0.05) }),
      [1, 2, 2, 2, 2],
      'kernel',
    ],
  ];
  for (const [label, make, inputShape, weightName] of cases) {
    it(label, async () => {
      await assertNoLeak(() => {
        const layer = make();
        layer.ensureBuilt(inputShape);
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

describeEachBackend('convolution variants: regularizers set after build, and errors', () => {
  it('each regularizer can be set on a built layer and takes effect at once', () => {
    const separable = new layers.SeparableConv2D({ filters: 2, kernelSize: 2 });
    separable.ensureBuilt([1, 3, 3, 2]);
    assert.deepEqual(lossValues(separable), []);
    separable.setWeights(separable.weights.map((w) => tf.ones(w.shape)));
    separable.depthwiseRegularizer = new L1(0.5);
    separable.pointwiseRegularizer = 'l2';
    separable.biasRegularizer = {
      module: 'keras.regularizers',
      class_name: 'L2',
      config: { l2: 1 },
      registered_name: null,
    };
    // depthwise (2, 2, 2, 1): 0.5 * 8; pointwise (1, 1, 2, 2): 0.01 * 4; bias (2): 1 * 2.
    assertAllClose(lossValues(separable), [4, 0.04, 2]);
    assert.ok(separable.pointwiseRegularizer instanceof L2);
    separable.depthwiseRegularizer = null;
    assertAllClose(lossValues(separable), [0.04, 2]);
    const depthwise = new layers.DepthwiseConv2D({ kernelSize: 1 });
    depthwise.ensureBuilt([1, 2, 2, 3]);
    depthwise.setWeights([tf.fill([1, 1, 3, 1], 2), tf.ones([3])]);
    depthwise.depthwiseRegularizer = new L2(0.1);
    assert.equal(depthwise.kernelRegularizer, depthwise.depthwiseRegularizer);
    assertAllClose(lossValues(depthwise), [1.2]);
    separable.dispose();
    depthwise.dispose();
  });

  it('bad arguments are ValueErrors naming the argument, the expectation and what was received', () => {
    const cases: [() => unknown, string][] = [
      [
        () => new layers.DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 0 }),
        'Invalid value for argument `depthMultiplier`. Expected a strictly positive value. Received depthMultiplier=0.',
      ],
      [
        () => new layers.SeparableConv1D({ filters: 4, kernelSize: 3, depthMultiplier: 1.5 }),
        'Invalid value for argument `depthMultiplier`. Expected a strictly positive value. Received depthMultiplier=1.5.',
      ],
      [
        () => new layers.SeparableConv2D({ filters: 0, kernelSize: 3 }),
        'Invalid value for argument `filters`. Expected a strictly positive value. Received filters=0.',
      ],
      [
        () => new layers.Conv3DTranspose({ filters: -1, kernelSize: 3 }),
        'Invalid value for argument `filters`. Expected a strictly positive value. Received filters=-1.',
      ],
      [
        () => new layers.DepthwiseConv1D({ kernelSize: [3, 3] }),
        'The `kernelSize` argument must be a tuple of 1 positive integers (or one positive integer). Received: kernelSize=[3,3]',
      ],
      [
        () => new layers.SeparableConv2D({ filters: 2, kernelSize: 3, padding: 'causal' as never }),
        'The `padding` argument must be one of "valid", "same". Received: padding="causal"',
      ],
      [
        () => new layers.DepthwiseConv1D({ kernelSize: 3, padding: 'causal' as never }),
        'The `padding` argument must be one of "valid", "same". Received: padding="causal"',
      ],
      [
        () => new layers.Conv1DTranspose({ filters: 2, kernelSize: 3, padding: 'causal' as never }),
        'The `padding` argument must be one of "valid", "same". Received: padding="causal"',
      ],
      [
        () => new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, strides: [2, 3], outputPadding: [1, 3] }),
        '`outputPadding` must be strictly less than `strides` for all dimensions. At dimension 1, `outputPadding` is 3 but `strides` is 3. Received: outputPadding=[1,3], strides=[2,3]',
      ],
      [
        () => new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, outputPadding: 1 }),
        '`outputPadding` must be strictly less than `strides` for all dimensions. At dimension 0, `outputPadding` is 1 but `strides` is 1. Received: outputPadding=[1,1], strides=[1,1]',
      ],
      [
        () => new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }),
        '`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=[2,2] and dilation_rate=[2,2]',
      ],
      [
        () => new layers.DepthwiseConv2D({ kernelSize: 3, depthwiseConstraint: 2 as never }),
        'Invalid value for argument depthwiseConstraint: Could not interpret constraint identifier: 2',
      ],
      [
        () => new layers.SeparableConv2D({ filters: 2, kernelSize: 3, pointwiseConstraint: 2 as never }),
        'Invalid value for argument pointwiseConstraint: Could not interpret constraint identifier: 2',
      ],
      [
        () => new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, kernelConstraint: 2 as never }),
        'Invalid value for argument kernelConstraint: Could not interpret constraint identifier: 2',
      ],
      [
        () => new layers.DepthwiseConv2D({ kernelSize: 3, dataFormat: 'NCHW' as never }),
        'The `dataFormat` argument must be one of "channelsLast", "channelsFirst" (or Keras\'s "channels_last", "channels_first"). Received: dataFormat="NCHW"',
      ],
      [
        () => new layers.SeparableConv2D({ filters: 2, kernelSize: 3, useBias: 1 as never }),
        'Invalid value for argument useBias: expected a boolean. Received: useBias=1',
      ],
    ];
    for (const [make, message] of cases) expectValueError(make, message);
  });

  it('options of another layer are KerasTypeErrors naming them', () => {
    assert.throws(
      () => new layers.DepthwiseConv2D({ kernelSize: 3, kernelRegularizer: 'l2' } as never),
      (error: Error) => {
        assert.ok(error instanceof KerasTypeError);
        assert.equal(
          error.message,
          'DepthwiseConv2D got an unexpected option "kernelRegularizer". Expected: name, trainable, dtype, activityRegularizer, inputShape, inputDim, batchInputShape, batchSize, kernelSize, strides, padding, depthMultiplier, dataFormat, dilationRate, activation, useBias, depthwiseInitializer, biasInitializer, depthwiseRegularizer, biasRegularizer, depthwiseConstraint, biasConstraint. Received: {"kernelSize":3,"kernelRegularizer":"l2"}',
        );
        return true;
      },
    );
    assert.throws(() => new layers.SeparableConv2D({ filters: 2, kernelSize: 3, groups: 2 } as never), KerasTypeError);
    assert.throws(() => new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, groups: 2 } as never), KerasTypeError);
  });

  it('inputs of the wrong rank, channels or size are refused, leaving no tensor behind', async () => {
    await assertNoLeak(() => {
      const withTensor = (shape: number[], body: (x: tf.Tensor) => unknown) => () =>
        tf.tidy(() => void body(tf.zeros(shape)));
      const depthwise = new layers.DepthwiseConv2D({ kernelSize: 3, name: 'dw_in' });
      expectValueError(
        withTensor([1, 4, 4], (x) => depthwise.apply(x)),
        'Input of layer "dw_in" must have rank 4 (batch, 2 spatial axes, channels) with known channels. Received: input shape [1, 4, 4]',
      );
      expectValueError(
        withTensor([1, 2, 5, 3], (x) => depthwise.apply(x)),
        'Layer "dw_in": the input is too small for the kernel: axis 1 has 2 positions, the kernel reaches 3. Received: input shape [1, 2, 5, 3]',
      );
      tf.tidy(() => {
        depthwise.apply(tf.zeros([1, 4, 4, 3]));
      });
      expectValueError(
        withTensor([1, 4, 4, 2], (x) => depthwise.apply(x)),
        'Input 0 of layer "dw_in" is incompatible with the layer: expected rank 4 with 3 channels, but received input with shape [1, 4, 4, 2]',
      );
      const separable = new layers.SeparableConv1D({
        filters: 2,
        kernelSize: 3,
        dataFormat: 'channelsFirst',
        name: 'sep_in',
      });
      expectValueError(
        () => separable.ensureBuilt([null, null, 8]),
        'Input of layer "sep_in" must have rank 3 (batch, 1 spatial axes, channels) with known channels. Received: input shape [null, null, 8]',
      );
      const transpose = new layers.Conv2DTranspose({
        filters: 1,
        kernelSize: 2,
        padding: 'same',
        outputPadding: 0,
        name: 'tr_in',
      });
      expectValueError(
        withTensor([1, 1, 3, 2], (x) => transpose.apply(x)),
        'Layer "tr_in": the output would have 0 positions on axis 1: expected a positive size. Received: input shape [1, 1, 3, 2], kernelSize=[2,2], strides=[1,1], padding="same", outputPadding=[0,0]',
      );
      depthwise.dispose();
      separable.dispose();
      transpose.dispose();
    });
  });
});
