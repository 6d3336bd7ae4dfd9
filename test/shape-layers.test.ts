/**
 * Pooling (Max/Average, Global Max/Average, 1D/2D/3D), UpSampling,
 * ZeroPadding, Cropping and SpatialDropout against real Keras
 * (test/fixtures/keras-shape-layers.json and the .keras files beside it, made
 * by scripts/generate_keras_shape_fixtures.py): outputs and Keras's input
 * gradients, symbolic output shapes, configs and JSON both ways, .keras
 * files, gradients against float64 finite differences, error texts, leaks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, unzipSync } from 'fflate';
import { KerasTypeError, layers, models, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { decodeAll, type FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';
import { numericGradient, randomValues } from './helpers/reference.js';
import * as ref from './helpers/reference-shape-layers.js';

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-shape-layers.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};
const CALLS = FIXTURE.cases.filter((c) => c.kind === 'call');
const SHAPES = FIXTURE.cases.filter((c) => c.kind === 'output_shape');
const FOLDER = new URL('./fixtures/keras-shape-layers/', import.meta.url);
const EXPECTED = JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as {
  models: Record<
    string,
    {
      input: { shape: number[]; values: number[]; dtype: 'float32' | 'int32' };
      output: { values: number[] };
      losses: number[];
      weights?: { path: string; shape: number[]; values: number[] }[];
    }
  >;
};

const CF = 'channelsFirst';
/** Our layers built with the TypeScript API: each must serialize to the JSON Keras wrote for the case. */
const OURS: Record<string, (name: string) => layers.Layer> = {
  'MaxPooling1D defaults': (name) => new layers.MaxPooling1D({ name }),
  'MaxPooling1D pool 3, strides 2, same': (name) =>
    new layers.MaxPooling1D({ name, poolSize: 3, strides: 2, padding: 'same' }),
  'MaxPooling1D channels_first': (name) => new layers.MaxPooling1D({ name, poolSize: 2, dataFormat: CF }),
  'MaxPooling2D defaults': (name) => new layers.MaxPooling2D({ name }),
  'MaxPooling2D pool (3, 2), strides (2, 1), same': (name) =>
    new layers.MaxPooling2D({ name, poolSize: [3, 2], strides: [2, 1], padding: 'same' }),
  'MaxPooling2D channels_first': (name) => new layers.MaxPooling2D({ name, dataFormat: 'channels_first' }),
  'MaxPooling3D defaults': (name) => new layers.MaxPooling3D({ name }),
  'MaxPooling3D pool 3, strides 2, same': (name) =>
    new layers.MaxPooling3D({ name, poolSize: 3, strides: 2, padding: 'same' }),
  'MaxPooling3D channels_first, pool (2, 1, 2)': (name) =>
    new layers.MaxPooling3D({ name, poolSize: [2, 1, 2], dataFormat: CF }),
  'AveragePooling1D pool 2': (name) => new layers.AveragePooling1D({ name, poolSize: 2 }),
  'AveragePooling1D pool 3, strides 2, same': (name) =>
    new layers.AveragePooling1D({ name, poolSize: 3, strides: 2, padding: 'same' }),
  'AveragePooling1D channels_first, strides 1': (name) =>
    new layers.AveragePooling1D({ name, poolSize: 3, strides: 1, dataFormat: CF }),
  'AveragePooling2D pool 2': (name) => new layers.AveragePooling2D({ name, poolSize: 2 }),
  'AveragePooling2D pool 3, strides 2, same': (name) =>
    new layers.AveragePooling2D({ name, poolSize: 3, strides: 2, padding: 'same' }),
  'AveragePooling2D channels_first, pool (2, 3), same': (name) =>
    new layers.AveragePooling2D({ name, poolSize: [2, 3], padding: 'same', dataFormat: CF }),
  'AveragePooling3D pool 2': (name) => new layers.AveragePooling3D({ name, poolSize: 2 }),
  'AveragePooling3D pool 3, strides 2, same': (name) =>
    new layers.AveragePooling3D({ name, poolSize: 3, strides: 2, padding: 'same' }),
  'AveragePooling3D channels_first, strides 1': (name) =>
    new layers.AveragePooling3D({ name, poolSize: 2, strides: 1, dataFormat: CF }),
  GlobalMaxPooling1D: (name) => new layers.GlobalMaxPooling1D({ name }),
  'GlobalMaxPooling1D channels_first, keepdims': (name) =>
    new layers.GlobalMaxPooling1D({ name, dataFormat: CF, keepdims: true }),
  'GlobalMaxPooling2D keepdims': (name) => new layers.GlobalMaxPooling2D({ name, keepdims: true }),
  'GlobalMaxPooling2D channels_first': (name) => new layers.GlobalMaxPooling2D({ name, dataFormat: CF }),
  GlobalMaxPooling3D: (name) => new layers.GlobalMaxPooling3D({ name }),
  'GlobalMaxPooling3D channels_first, keepdims': (name) =>
    new layers.GlobalMaxPooling3D({ name, dataFormat: CF, keepdims: true }),
  GlobalAveragePooling1D: (name) => new layers.GlobalAveragePooling1D({ name }),
  'GlobalAveragePooling1D channels_first, keepdims': (name) =>
    new layers.GlobalAveragePooling1D({ name, dataFormat: CF, keepdims: true }),
  'GlobalAveragePooling1D with a mask': (name) => new layers.GlobalAveragePooling1D({ name }),
  'GlobalAveragePooling1D channels_first, keepdims, with a mask': (name) =>
    new layers.GlobalAveragePooling1D({ name, dataFormat: CF, keepdims: true }),
  GlobalAveragePooling2D: (name) => new layers.GlobalAveragePooling2D({ name }),
  'GlobalAveragePooling2D channels_first, keepdims': (name) =>
    new layers.GlobalAveragePooling2D({ name, dataFormat: CF, keepdims: true }),
  'GlobalAveragePooling3D keepdims': (name) => new layers.GlobalAveragePooling3D({ name, keepdims: true }),
  'GlobalAveragePooling3D channels_first': (name) => new layers.GlobalAveragePooling3D({ name, dataFormat: CF }),
  'UpSampling1D defaults': (name) => new layers.UpSampling1D({ name }),
  'UpSampling1D size 3': (name) => new layers.UpSampling1D({ name, size: 3 }),
  'UpSampling2D defaults': (name) => new layers.UpSampling2D({ name }),
  'UpSampling2D size (2, 3)': (name) => new layers.UpSampling2D({ name, size: [2, 3] }),
  'UpSampling2D channels_first, size (3, 1)': (name) => new layers.UpSampling2D({ name, size: [3, 1], dataFormat: CF }),
  'UpSampling2D bilinear': (name) => new layers.UpSampling2D({ name, interpolation: 'bilinear' }),
  'UpSampling2D bilinear, size (3, 2)': (name) =>
    new layers.UpSampling2D({ name, size: [3, 2], interpolation: 'bilinear' }),
  'UpSampling2D bilinear, channels_first, size (2, 3)': (name) =>
    new layers.UpSampling2D({ name, size: [2, 3], dataFormat: CF, interpolation: 'bilinear' }),
  'UpSampling3D defaults': (name) => new layers.UpSampling3D({ name }),
  'UpSampling3D size (1, 2, 3)': (name) => new layers.UpSampling3D({ name, size: [1, 2, 3] }),
  'UpSampling3D channels_first': (name) => new layers.UpSampling3D({ name, size: [2, 1, 2], dataFormat: CF }),
  'ZeroPadding1D defaults': (name) => new layers.ZeroPadding1D({ name }),
  'ZeroPadding1D (2, 0)': (name) => new layers.ZeroPadding1D({ name, padding: [2, 0] }),
  'ZeroPadding1D channels_first, 2': (name) => new layers.ZeroPadding1D({ name, padding: 2, dataFormat: CF }),
  'ZeroPadding2D defaults': (name) => new layers.ZeroPadding2D({ name }),
  'ZeroPadding2D (1, 2)': (name) => new layers.ZeroPadding2D({ name, padding: [1, 2] }),
  'ZeroPadding2D ((1, 2), (0, 3))': (name) =>
    new layers.ZeroPadding2D({
      name,
      padding: [
        [1, 2],
        [0, 3],
      ],
    }),
  'ZeroPadding2D channels_first, 2': (name) => new layers.ZeroPadding2D({ name, padding: 2, dataFormat: CF }),
  'ZeroPadding3D defaults': (name) => new layers.ZeroPadding3D({ name }),
  'ZeroPadding3D ((1, 0), (0, 2), 1)': (name) => new layers.ZeroPadding3D({ name, padding: [[1, 0], [0, 2], 1] }),
  'ZeroPadding3D channels_first, (1, 0, 2)': (name) =>
    new layers.ZeroPadding3D({ name, padding: [1, 0, 2], dataFormat: CF }),
  'Cropping1D defaults': (name) => new layers.Cropping1D({ name }),
  'Cropping1D (2, 0)': (name) => new layers.Cropping1D({ name, cropping: [2, 0] }),
  'Cropping1D 1': (name) => new layers.Cropping1D({ name, cropping: 1 }),
  'Cropping2D defaults': (name) => new layers.Cropping2D({ name }),
  'Cropping2D 1': (name) => new layers.Cropping2D({ name, cropping: 1 }),
  'Cropping2D (1, 2)': (name) => new layers.Cropping2D({ name, cropping: [1, 2] }),
  'Cropping2D ((1, 0), (0, 2))': (name) =>
    new layers.Cropping2D({
      name,
      cropping: [
        [1, 0],
        [0, 2],
      ],
    }),
  'Cropping2D channels_first, ((0, 1), (2, 1))': (name) =>
    new layers.Cropping2D({
      name,
      cropping: [
        [0, 1],
        [2, 1],
      ],
      dataFormat: CF,
    }),
  'Cropping3D defaults': (name) => new layers.Cropping3D({ name }),
  'Cropping3D ((1, 0), (0, 2), 1)': (name) => new layers.Cropping3D({ name, cropping: [[1, 0], [0, 2], 1] }),
  'Cropping3D channels_first, (0, 1, 1)': (name) =>
    new layers.Cropping3D({ name, cropping: [0, 1, 1], dataFormat: CF }),
  'SpatialDropout1D, inference': (name) => new layers.SpatialDropout1D({ name, rate: 0.3 }),
  'SpatialDropout2D, inference': (name) => new layers.SpatialDropout2D({ name, rate: 0.5, seed: 7 }),
  'SpatialDropout2D channels_first, inference': (name) =>
    new layers.SpatialDropout2D({ name, rate: 0.2, dataFormat: CF }),
  'SpatialDropout3D, inference': (name) => new layers.SpatialDropout3D({ name, rate: 0.25 }),
  'SpatialDropout3D channels_first, inference': (name) =>
    new layers.SpatialDropout3D({ name, rate: 0.1, dataFormat: CF }),
};

function tensorOf(input: { shape: number[]; values: (number | string)[] }): tf.Tensor {
  return tf.tensor(decodeAll(input.values), input.shape, 'float32');
}

/** The input gradient of `sum(layer(x) * r)`. */
function inputGradient(layer: layers.Layer, x: tf.Tensor, r: tf.Tensor, mask?: tf.Tensor): tf.Tensor {
  return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { mask }) as tf.Tensor, r)))(x);
}

describeEachBackend('shape layers: outputs and input gradients against Keras', () => {
  for (const fixture of CALLS) {
    it(fixture.name, async () => {
      await assertNoLeak(() => {
        const layer = layers.deserialize(fixture.json);
        tf.tidy(() => {
          const x = tensorOf(fixture.input);
          const mask = fixture.mask == null ? undefined : tf.tensor(fixture.mask.values, fixture.mask.shape, 'bool');
          const output = layer.apply(x, { mask }) as tf.Tensor;
          assert.deepEqual(output.shape, fixture.output.shape);
          assertAllClose(output, decodeAll(fixture.output.values), { atol: 1e-6 }, 'output');
          if (fixture.gradient == null) return;
          const r = tf.tensor(fixture.cotangent, output.shape);
          assertAllClose(inputGradient(layer, x, r, mask), fixture.gradient, { atol: 1e-6 }, 'gradient');
        });
        assert.deepEqual(layer.losses, []);
        layer.dispose();
      });
    });
  }
});

describe('shape layers: output shapes with an unknown batch axis (what the Functional engine asks)', () => {
  for (const fixture of CALLS) {
    it(fixture.name, () => {
      const layer = layers.deserialize(fixture.json);
      const before = tf.memory().numTensors;
      assert.deepEqual(layer.computeOutputShape(fixture.symbolic_input_shape), fixture.symbolic_output_shape);
      assert.equal(tf.memory().numTensors, before, 'computeOutputShape creates no tensor');
    });
  }
  for (const fixture of SHAPES) {
    it(fixture.name, () => {
      const layer = layers.deserialize({
        module: 'keras.layers',
        class_name: fixture.class_name,
        config: fixture.config,
        registered_name: null,
      });
      assert.deepEqual(layer.computeOutputShape(fixture.input_shape), fixture.output_shape);
    });
  }

  it('a symbolic Input through the layers gets Keras’s shapes', () => {
    const x = layers.Input({ batchShape: [null, null, 6, 3] });
    const pooled = new layers.MaxPooling2D({ poolSize: [1, 2] }).apply(x) as layers.KerasTensor;
    const padded = new layers.ZeroPadding2D({ padding: 1 }).apply(pooled) as layers.KerasTensor;
    const up = new layers.UpSampling2D({ size: [2, 3] }).apply(padded) as layers.KerasTensor;
    const global = new layers.GlobalAveragePooling2D({ keepdims: true }).apply(up) as layers.KerasTensor;
    assert.deepEqual(
      [pooled.shape, padded.shape, up.shape, global.shape],
      [
        [null, null, 3, 3],
        [null, null, 5, 3],
        [null, null, 15, 3],
        [null, 1, 1, 3],
      ],
    );
  });
});

describe('shape layers: configs and JSON', () => {
  for (const fixture of CALLS) {
    it(`${fixture.name}: ours serializes to Keras's JSON; Keras's JSON round-trips`, () => {
      const make = OURS[fixture.name];
      assert.ok(make != null, `no TypeScript construction for ${fixture.name}`);
      const ours = layers.serialize(make(fixture.config.name));
      assert.deepEqual(ours, fixture.json);
      assert.deepEqual(Object.keys(ours.config), Object.keys(fixture.json.config), "Keras's key order");
      assert.deepEqual(layers.serialize(layers.deserialize(fixture.json)), fixture.json);
    });
  }

  it('the padding and cropping of each rank read back in Keras’s form', () => {
    assert.deepEqual(new layers.ZeroPadding1D({ padding: 3 }).padding, [3, 3]);
    assert.deepEqual(new layers.ZeroPadding2D({ padding: [1, 2] }).padding, [
      [1, 1],
      [2, 2],
    ]);
    assert.deepEqual(new layers.Cropping3D().cropping, [
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    assert.deepEqual(new layers.Cropping1D().cropping, [1, 1]);
    const strides = [2, 1];
    const pool = new layers.AveragePooling2D({ poolSize: [2, 2], strides });
    strides[0] = 5;
    assert.deepEqual(pool.strides, [2, 1], 'the layer keeps its own copy');
    assert.deepEqual(
      new layers.MaxPooling3D({ poolSize: [1, 2, 3] }).strides,
      [1, 2, 3],
      'strides default to poolSize',
    );
  });
});

/** A `(batch, steps)` mask. */
type Mask = { shape: number[]; values: boolean[] };

/** The layer's float64 forward pass, from its public settings. */
function referenceOf(layer: layers.Layer, mask?: Mask): (a: ref.Arr) => ref.Arr {
  if (mask != null && layer instanceof layers.GlobalAveragePooling1D)
    return (a) => ref.maskedMean(a, mask.values, layer);
  if (layer instanceof layers.BasePooling) return (a) => ref.pool(a, layer);
  if (layer instanceof layers.BaseGlobalPooling) return (a) => ref.globalPool(a, layer);
  if (layer instanceof layers.UpSampling1D) return (a) => ref.upsampleNearest(a, [layer.size], 'channelsLast');
  if (layer instanceof layers.UpSampling2D && layer.interpolation === 'bilinear') {
    return (a) => ref.upsampleBilinear(a, layer.size as [number, number], layer.dataFormat);
  }
  if (layer instanceof layers.UpSampling2D || layer instanceof layers.UpSampling3D) {
    return (a) => ref.upsampleNearest(a, layer.size, layer.dataFormat);
  }
  if (layer instanceof layers.BaseZeroPadding) return (a) => ref.zeroPad(a, [...layer.pairs], layer.dataFormat);
  if (layer instanceof layers.BaseCropping) return (a) => ref.crop(a, [...layer.pairs], layer.dataFormat);
  throw new Error(`no reference for ${layer.name}`);
}

/**
 * Keras's cases; pools that take wasm's fast max-pool gradient (windows =
 * strides, channels a multiple of 4) and one that does not; masked means.
 */
const GRADIENT_CASES: { label: string; make: () => layers.Layer; shape: number[]; mask?: Mask }[] = [
  ...CALLS.filter((c) => c.gradient != null).map((c) => ({
    label: c.name,
    make: () => layers.deserialize(c.json),
    shape: c.input.shape as number[],
    mask: c.mask as Mask | undefined,
  })),
  { label: 'MaxPooling2D, 8 channels', make: () => new layers.MaxPooling2D(), shape: [2, 4, 6, 8] },
  { label: 'MaxPooling1D, 4 channels', make: () => new layers.MaxPooling1D({ poolSize: 3 }), shape: [2, 7, 4] },
  {
    label: 'MaxPooling2D, 4 channels, overlapping windows, same',
    make: () => new layers.MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
    shape: [1, 5, 6, 4],
  },
  {
    label: 'GlobalAveragePooling1D keepdims, with a mask',
    make: () => new layers.GlobalAveragePooling1D({ keepdims: true }),
    shape: [2, 5, 3],
    mask: { shape: [2, 5], values: [true, false, true, true, false, false, false, false, false, true] },
  },
];

describeEachBackend('shape layers: gradients against float64 finite differences', () => {
  for (const testCase of GRADIENT_CASES) {
    it(testCase.label, () => {
      const layer = testCase.make();
      const forward = referenceOf(layer, testCase.mask);
      const size = testCase.shape.reduce((a, b) => a * b, 1);
      const xValues = randomValues(size, 11);
      const expected = forward({ shape: testCase.shape, values: Float64Array.from(xValues) });
      const r = randomValues(expected.values.length, 12);
      const loss = (x: Float64Array) =>
        forward({ shape: testCase.shape, values: x }).values.reduce((sum, y, i) => sum + y * (r[i] as number), 0);
      const [output, gradient] = tf.tidy(() => {
        const x = tf.tensor(xValues, testCase.shape);
        const mask = testCase.mask && tf.tensor(testCase.mask.values, testCase.mask.shape, 'bool');
        const y = layer.apply(x, { mask }) as tf.Tensor;
        assert.deepEqual(y.shape, expected.shape);
        return [y.dataSync(), inputGradient(layer, x, tf.tensor(r, y.shape), mask).dataSync()];
      }) as unknown as [Float32Array, Float32Array];
      assertAllClose(output, expected.values, { rtol: 1e-5, atol: 1e-6 }, 'output against the reference');
      assertAllClose(gradient, numericGradient(loss, xValues), { rtol: 1e-4, atol: 1e-5 }, 'gradient');
    });
  }
});

type Values = { shape: number[]; values: number[] };

/**
 * The Functional model of a Keras file, built from its config.json with
 * Keras's weights by path: there is no .keras loader for Functional models yet.
 */
function functionalFromFile(file: string, weights: (Values & { path: string })[]): models.Model {
  const entries = unzipSync(new Uint8Array(readFileSync(new URL(file, FOLDER))));
  const model = models.modelFromJSON(strFromU8(entries['config.json'] as Uint8Array), { compile: false });
  const byPath = new Map(weights.map((w) => [w.path, w]));
  const values = model.weightRecords().map((record) => {
    const found = byPath.get(record.path);
    assert.ok(found, `no Keras weight for ${record.path}`);
    return tf.tensor(found.values, found.shape);
  });
  model.setWeights(values);
  tf.dispose(values);
  return model;
}

describeEachBackend('shape layers: ties, as Keras (JAX) breaks them', () => {
  it('a global maximum shares its gradient among the inputs equal to it; a pool window gives it to the first', () => {
    const grad = (layer: layers.Layer, x: tf.Tensor) =>
      tf.tidy(() =>
        Array.from(
          tf
            .grad((input: tf.Tensor) => tf.sum(layer.apply(input) as tf.Tensor))(x)
            .dataSync(),
        ),
      );
    const steps = tf.tensor([1, 3, 3, 0], [1, 4, 1]);
    assert.deepEqual(grad(new layers.GlobalMaxPooling1D(), steps), [0, 0.5, 0.5, 0]);
    assert.deepEqual(grad(new layers.MaxPooling1D({ poolSize: 4 }), steps), [0, 1, 0, 0]);
    const image = tf.tensor([1, 3, 3, 0], [1, 2, 2, 1]);
    assert.deepEqual(grad(new layers.MaxPooling2D(), image), [0, 1, 0, 0]);
    assert.deepEqual(grad(new layers.GlobalMaxPooling2D({ keepdims: true }), image), [0, 0.5, 0.5, 0]);
    // A window of negative values and zeros (what wasm's own MaxPoolGrad kernel gets wrong).
    const negative = tf.tensor([-2, -1, 0, -3, -1, -4, -5, -6], [1, 2, 4, 1]);
    assert.deepEqual(grad(new layers.MaxPooling2D(), negative), [0, 1, 1, 0, 0, 0, 0, 0]);
    tf.dispose([steps, image, negative]);
  });
});

describeEachBackend('shape layers: models saved by Keras', () => {
  for (const [name, expected] of Object.entries(EXPECTED.models)) {
    it(`${name}.keras builds here with Keras's predictions and losses, and round-trips`, async () => {
      const file = `${name}.keras`;
      const model =
        expected.weights == null
          ? await saving.loadModel(new URL(file, FOLDER).pathname)
          : functionalFromFile(file, expected.weights);
      const x = tf.tensor(expected.input.values, expected.input.shape, expected.input.dtype);
      const run = (m: models.Model) =>
        tf.tidy(() => ({
          output: Array.from((m.apply(x, { training: false }) as tf.Tensor).dataSync()),
          losses: m.losses.map((l) => l.dataSync()[0] as number),
        }));
      const result = run(model);
      assertAllClose(result.output, expected.output.values, { atol: 1e-5 }, 'predictions');
      assertAllClose(result.losses, expected.losses, {}, 'losses');
      // What we save (a .keras file; JSON for a Functional model) builds the same model again.
      const again =
        model instanceof models.Sequential
          ? await saving.loadModelFromBytes(await saving.saveModelToBytes(model))
          : models.modelFromJSON(models.modelToJSON(model), { compile: false });
      if (!(model instanceof models.Sequential)) again.setWeights(model.getWeights());
      assert.deepEqual(run(again), result);
      assert.deepEqual(models.modelToJSON(again).config, models.modelToJSON(model).config);
      tf.dispose(x);
      model.dispose();
      again.dispose();
    });
  }
});

describeEachBackend('SpatialDropout: whole feature maps dropped in training', () => {
  const cases: [string, () => layers.Layer, number[], number][] = [
    ['SpatialDropout1D', () => new layers.SpatialDropout1D({ rate: 0.5, seed: 1 }), [6, 5, 8], 2],
    ['SpatialDropout2D', () => new layers.SpatialDropout2D({ rate: 0.5, seed: 2 }), [6, 3, 4, 8], 3],
    [
      'SpatialDropout2D channels_first',
      () => new layers.SpatialDropout2D({ rate: 0.5, seed: 3, dataFormat: CF }),
      [6, 8, 3, 4],
      1,
    ],
    ['SpatialDropout3D', () => new layers.SpatialDropout3D({ rate: 0.5, seed: 4 }), [4, 2, 3, 2, 8], 4],
    [
      'SpatialDropout3D channels_first',
      () => new layers.SpatialDropout3D({ rate: 0.5, seed: 5, dataFormat: CF }),
      [4, 8, 2, 3, 2],
      1,
    ],
  ];
  for (const [label, make, shape, channelAxis] of cases) {
    it(`${label}: each (sample, channel) all kept (x 2) or all dropped; inference returns the input`, async () => {
      await assertNoLeak(() => {
        const layer = make();
        const x = tf.ones(shape);
        const y = tf.tidy(() => {
          // Channels first, then everything of one (sample, channel) in one row.
          const perm = [0, channelAxis, ...shape.map((_, i) => i).filter((i) => i !== 0 && i !== channelAxis)];
          const out = tf.transpose(layer.apply(x, { training: true }) as tf.Tensor, perm);
          return tf.reshape(out, [shape[0] as number, shape[channelAxis] as number, -1]).arraySync() as number[][][];
        });
        const rows = y.flat();
        for (const row of rows) assert.ok(row.every((v) => v === row[0]) && (row[0] === 0 || row[0] === 2), `${row}`);
        const kept = rows.filter((row) => row[0] === 2).length;
        assert.ok(kept > 0 && kept < rows.length, `kept ${kept} of ${rows.length}`);
        assert.equal(layer.apply(x), x);
        x.dispose();
        layer.dispose();
      });
    });
  }
});

/** Asserts that `body` throws KerasTypeError with exactly `message`. */
function expectTypeError(body: () => unknown, message: string): void {
  assert.throws(body, (error: Error) => {
    assert.ok(error instanceof KerasTypeError, `expected KerasTypeError, got ${error.name}: ${error.message}`);
    assert.equal(error.message, message);
    return true;
  });
}

describeEachBackend('shape layers: errors', () => {
  const z = (...shape: number[]) => tf.zeros(shape);
  /** Runs `body` on fresh zero tensors, freeing them even when it throws. */
  const withTensors = (body: () => unknown) => () => tf.tidy(() => void body());

  it('pooling: window and strides, padding, data format, input rank and size', () => {
    expectValueError(
      () => new layers.MaxPooling2D({ poolSize: [2, 0] }),
      'The `poolSize` argument must be a tuple of 2 positive integers (or one positive integer). Received: poolSize=[2,0]',
    );
    expectValueError(
      () => new layers.AveragePooling1D({} as never),
      'The `poolSize` argument must be a tuple of 1 positive integers (or one positive integer). Received: poolSize=undefined',
    );
    expectValueError(
      () => new layers.MaxPooling3D({ strides: [1, 1] }),
      'The `strides` argument must be a tuple of 3 positive integers (or one positive integer). Received: strides=[1,1]',
    );
    expectValueError(
      () => new layers.AveragePooling2D({ poolSize: 2, padding: 'causal' as never }),
      'The `padding` argument must be one of "valid", "same". Received: padding="causal"',
    );
    expectValueError(
      () => new layers.MaxPooling1D({ dataFormat: 'NWC' as never }),
      'The `dataFormat` argument must be one of "channelsLast", "channelsFirst" (or Keras\'s "channels_last", "channels_first"). Received: dataFormat="NWC"',
    );
    expectValueError(
      withTensors(() => new layers.MaxPooling3D({ name: 'pool3' }).apply(z(1, 2, 2, 2))),
      'Input 0 of layer "pool3" is incompatible with the layer: expected ndim=5, found ndim=4. Full shape received: [1, 2, 2, 2]',
    );
    expectValueError(
      withTensors(() => new layers.MaxPooling2D({ poolSize: 3 }).apply(z(1, 2, 5, 1))),
      'Computed output size would be zero or negative. Received: inputs.shape=[1, 2, 5, 1], poolSize=[3,3], strides=[3,3], padding=valid',
    );
    expectValueError(
      () => new layers.AveragePooling1D({ poolSize: 4, dataFormat: CF }).computeOutputShape([null, 5, 3]),
      'Computed output size would be zero or negative. Received: inputs.shape=[null, 5, 3], poolSize=[4], strides=[4], padding=valid',
    );
    expectTypeError(
      () => new layers.MaxPooling1D({ pool_size: 2 } as never),
      'MaxPooling1D got an unexpected option "pool_size". Expected: name, trainable, dtype, activityRegularizer, inputShape, inputDim, batchInputShape, batchSize, poolSize, strides, padding, dataFormat. Received: {"pool_size":2}. Did you mean "poolSize"?',
    );
  });

  it('global pooling: a boolean keepdims, inputs of the layer’s rank', () => {
    expectValueError(
      () => new layers.GlobalMaxPooling2D({ keepdims: 'yes' as never }),
      'Invalid value for argument keepdims: expected a boolean. Received: keepdims="yes"',
    );
    expectValueError(
      withTensors(() => new layers.GlobalAveragePooling1D({ name: 'gap1' }).apply(z(1, 2, 2, 2))),
      'Input 0 of layer "gap1" is incompatible with the layer: expected ndim=3, found ndim=4. Full shape received: [1, 2, 2, 2]',
    );
  });

  it('UpSampling: integer sizes, the interpolations computed here', () => {
    expectTypeError(
      () => new layers.UpSampling1D({ size: 2.5 }),
      'Expected an integer value for `size`. Received: size=2.5',
    );
    expectValueError(
      () => new layers.UpSampling1D({ size: 0 }),
      'Argument `size` should be a positive integer. Received: size=0',
    );
    expectValueError(
      () => new layers.UpSampling3D({ size: [2, 2] }),
      'The `size` argument must be a tuple of 3 positive integers (or one positive integer). Received: size=[2,2]',
    );
    expectValueError(
      () => new layers.UpSampling2D({ interpolation: 'bicubic' as never }),
      'UpSampling2D supports interpolation "nearest" and "bilinear" only (Keras also has "bicubic", "lanczos3", "lanczos5", "area"). Received: interpolation="bicubic"',
    );
    assert.equal(new layers.UpSampling2D({ interpolation: 'BILINEAR' as never }).interpolation, 'bilinear');
    expectValueError(
      withTensors(() => new layers.UpSampling2D({ name: 'up2' }).apply(z(1, 2, 2))),
      'Input 0 of layer "up2" is incompatible with the layer: expected ndim=4, found ndim=3. Full shape received: [1, 2, 2]',
    );
  });

  it('ZeroPadding: an int, ints per axis or pairs, none negative', () => {
    expectValueError(
      () => new layers.ZeroPadding1D({ padding: [1, 2, 3] }),
      'The `padding` argument must be a tuple of 2 non-negative integers (or one non-negative integer). Received: padding=[1,2,3]',
    );
    expectValueError(
      () => new layers.ZeroPadding2D({ padding: [1, 2, 3] }),
      '`padding` should have two elements. Received: padding=[1,2,3].',
    );
    expectValueError(
      () => new layers.ZeroPadding3D({ padding: [[1, 1], 1] }),
      '`padding` should have 3 elements. Received: padding=[[1,1],1].',
    );
    expectValueError(
      () => new layers.ZeroPadding2D({ padding: [[1, -1], 0] }),
      'The `1st entry of padding` argument must be a tuple of 2 non-negative integers (or one non-negative integer). Received: 1st entry of padding=[1,-1]',
    );
    expectValueError(
      () => new layers.ZeroPadding2D({ padding: -1 }),
      '`padding` cannot be negative. Received: padding=-1.',
    );
    expectValueError(
      () => new layers.ZeroPadding2D({ padding: 'same' as never }),
      '`padding` should be either an int, a tuple of 2 ints (symmetric_height_pad, symmetric_width_pad), or a tuple of 2 tuples of 2 ints ((top_pad, bottom_pad), (left_pad, right_pad)). Received: padding="same".',
    );
  });

  it('Cropping: less than each known axis, no data format for 1D', () => {
    expectValueError(
      withTensors(() => new layers.Cropping1D({ cropping: [2, 2] }).apply(z(1, 4, 1))),
      '`cropping` parameter of `Cropping1D` layer must be smaller than the input length. Received: inputs.shape=[1, 4, 1], cropping=[2,2]',
    );
    expectValueError(
      () => new layers.Cropping2D({ cropping: 2 }).computeOutputShape([null, 4, 5, 1]),
      'Values in `cropping` argument should be smaller than the corresponding spatial dimension of the input. Received: input_shape=[null, 4, 5, 1], cropping=[[2,2],[2,2]]',
    );
    expectValueError(
      withTensors(() => new layers.Cropping3D({ dataFormat: CF }).apply(z(1, 1, 3, 3, 2))),
      'Values in `cropping` argument should be smaller than the corresponding spatial dimension of the input. Received: inputs.shape=[1, 1, 3, 3, 2], cropping=[[1,1],[1,1],[1,1]]',
    );
    expectValueError(
      () => new layers.Cropping3D({ cropping: -1 }),
      '`cropping` cannot be negative. Received: cropping=-1.',
    );
    expectValueError(
      () => new layers.Cropping3D({ cropping: 1.5 }),
      '`cropping` should be either an int, a tuple of 3 ints (symmetric_dim1_crop, symmetric_dim2_crop, symmetric_dim3_crop), or a tuple of 3 tuples of 2 ints ((left_dim1_crop, right_dim1_crop), (left_dim2_crop, right_dim2_crop), (left_dim3_crop, right_dim3_crop)). Received: cropping=1.5.',
    );
    expectTypeError(
      () => new layers.Cropping1D({ dataFormat: 'channels_last' } as never),
      'Cropping1D got an unexpected option "dataFormat". Expected: name, trainable, dtype, activityRegularizer, inputShape, inputDim, batchInputShape, batchSize, cropping. Received: {"dataFormat":"channels_last"}',
    );
  });

  it('SpatialDropout: Keras’s options only, a rate in [0, 1), inputs of its rank', () => {
    expectTypeError(
      () => new layers.SpatialDropout2D({ rate: 0.5, trainable: false } as never),
      'SpatialDropout2D got an unexpected option "trainable". Expected: rate, seed, name, dtype, dataFormat. Received: {"rate":0.5,"trainable":false}',
    );
    expectTypeError(
      () => new layers.SpatialDropout1D({ rate: 0.5, dataFormat: CF } as never),
      'SpatialDropout1D got an unexpected option "dataFormat". Expected: rate, seed, name, dtype. Received: {"rate":0.5,"dataFormat":"channelsFirst"}',
    );
    expectValueError(
      () => new layers.SpatialDropout3D({ rate: 1 }),
      'Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=1',
    );
    expectValueError(
      withTensors(() => new layers.SpatialDropout2D({ rate: 0.5, name: 'sd2' }).apply(z(2, 3, 4), { training: true })),
      'Input 0 of layer "sd2" is incompatible with the layer: expected ndim=4, found ndim=3. Full shape received: [2, 3, 4]',
    );
  });

  it('errors leave no tensor behind', async () => {
    await assertNoLeak(() => {
      assert.throws(withTensors(() => new layers.MaxPooling2D({ poolSize: 3 }).apply(z(1, 2, 5, 1))));
      assert.throws(withTensors(() => new layers.Cropping1D({ cropping: [2, 2] }).apply(z(1, 4, 1))));
      assert.throws(withTensors(() => new layers.UpSampling3D().apply(z(1, 2, 2))));
    });
  });
});
