/**
 * PReLU, ReLU, LeakyReLU, ELU and Softmax against real Keras
 * (test/fixtures/keras-activation-layers.json and keras-activation-layers/*.keras,
 * scripts/generate_keras_activation_layers_fixtures.py): outputs (kinks
 * included), `losses` with an alpha regularizer, the penalty's gradient and
 * the layers' gradients; .keras files both ways; configs and JSON; gradients
 * against float64 finite differences; error texts; leaks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, unzipSync } from 'fflate';
import { initializers, KerasTypeError, L1, L1L2, L2, layers, type models, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import { expectValueError } from './helpers/errors.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';
import { numericGradient, randomValues } from './helpers/reference.js';

interface Values {
  shape: number[];
  values: number[];
}
const read = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
const CASES = read(new URL('./fixtures/keras-activation-layers.json', import.meta.url)).cases as FixtureCase[];
const FOLDER = new URL('./fixtures/keras-activation-layers/', import.meta.url);
const FILES = read(new URL('expected.json', FOLDER)).models as Record<
  string,
  { input: Values; output: Values; losses: number[] }
>;

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape);
const lossValues = (layer: layers.Layer) => tf.tidy(() => layer.losses.map((l) => l.dataSync()[0] as number));
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

/** Each case's layer built with the TypeScript API: it must serialize to the JSON Keras wrote. */
const OURS: Record<string, (name: string) => layers.Layer> = {
  'PReLU defaults (alpha zeros, then set)': (name) => new layers.PReLU({ name }),
  'PReLU alpha L2, rank 3': (name) => new layers.PReLU({ name, alphaRegularizer: new L2(0.1) }),
  'PReLU shared_axes [1, 2], alpha L1, rank 4': (name) =>
    new layers.PReLU({ name, sharedAxes: [1, 2], alphaRegularizer: new L1(0.05) }),
  'PReLU shared_axes 1 (an int), rank 3': (name) => new layers.PReLU({ name, sharedAxes: 1 }),
  'PReLU alpha_initializer Constant(0.25), L1L2': (name) =>
    new layers.PReLU({
      name,
      alphaInitializer: new initializers.Constant({ value: 0.25 }),
      alphaRegularizer: new L1L2(0.01, 0.02),
    }),
  'PReLU on kinks': (name) => new layers.PReLU({ name }),
  'ReLU defaults': (name) => new layers.ReLU({ name }),
  'ReLU max_value 6 (relu6)': (name) => new layers.ReLU({ name, maxValue: 6 }),
  'ReLU max_value 3.5': (name) => new layers.ReLU({ name, maxValue: 3.5 }),
  'ReLU negative_slope 0.1 (leaky)': (name) => new layers.ReLU({ name, negativeSlope: 0.1 }),
  'ReLU threshold 0.5': (name) => new layers.ReLU({ name, threshold: 0.5 }),
  'ReLU max_value 3.5, negative_slope 0.2, threshold 0.5': (name) =>
    new layers.ReLU({ name, maxValue: 3.5, negativeSlope: 0.2, threshold: 0.5 }),
  'ReLU max_value 6, negative_slope 0.1': (name) => new layers.ReLU({ name, maxValue: 6, negativeSlope: 0.1 }),
  'ReLU negative_slope 0.3, threshold 1': (name) => new layers.ReLU({ name, negativeSlope: 0.3, threshold: 1 }),
  'ReLU max_value 0': (name) => new layers.ReLU({ name, maxValue: 0 }),
  'ReLU with an activity regularizer': (name) => new layers.ReLU({ name, activityRegularizer: new L1(0.1) }),
  'ReLU max_value 3.5, negative_slope 0.2, threshold 0.5, on kinks': (name) =>
    new layers.ReLU({ name, maxValue: 3.5, negativeSlope: 0.2, threshold: 0.5 }),
  'ReLU max_value 6, on kinks': (name) => new layers.ReLU({ name, maxValue: 6 }),
  'LeakyReLU defaults (0.3)': (name) => new layers.LeakyReLU({ name }),
  'LeakyReLU negative_slope 0.05, rank 3': (name) => new layers.LeakyReLU({ name, negativeSlope: 0.05 }),
  'LeakyReLU on kinks': (name) => new layers.LeakyReLU({ name }),
  'ELU defaults': (name) => new layers.ELU({ name }),
  'ELU alpha 0.5': (name) => new layers.ELU({ name, alpha: 0.5 }),
  'ELU alpha 2, near 0': (name) => new layers.ELU({ name, alpha: 2 }),
  'Softmax defaults': (name) => new layers.Softmax({ name }),
  'Softmax axis 1, rank 3': (name) => new layers.Softmax({ name, axis: 1 }),
  'Softmax axis [1, 2], rank 3': (name) => new layers.Softmax({ name, axis: [1, 2] }),
  'Softmax axis [-1] (a list of one)': (name) => new layers.Softmax({ name, axis: [-1] }),
  'Softmax axis 0': (name) => new layers.Softmax({ name, axis: 0 }),
  'Softmax large logits': (name) => new layers.Softmax({ name }),
  'Softmax with a bool mask (3, 4) on (2, 3, 4)': (name) => new layers.Softmax({ name }),
  'Softmax axis 1 with a float mask (2, 1, 4)': (name) => new layers.Softmax({ name, axis: 1 }),
};

/** A variable holding `make()`'s values (the tensor itself is freed). */
function variableOf(make: () => tf.Tensor): tf.Variable {
  const initial = make();
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}

describeEachBackend('activation layers against Keras: outputs, losses, gradients', () => {
  for (const fixture of CASES) {
    it(fixture.name, async () => {
      await assertNoLeak(() => {
        const layer = layers.deserialize(fixture.json);
        layer.ensureBuilt(fixture.input.shape);
        tf.tidy(() => layer.setWeights(fixture.weights_before.map(tensorOf)));
        const x = variableOf(() => tensorOf(fixture.input));
        const trainable = layer.trainableWeights;
        const mask =
          fixture.mask == null ? null : tf.tensor(fixture.mask.values, fixture.mask.shape, fixture.mask.dtype);
        if (fixture.r == null) {
          // Inputs on the kinks: the values only (the derivative there is a convention).
          tf.tidy(() => assertAllClose(layer.apply(x) as tf.Tensor, fixture.output.values, TOLERANCE, 'output'));
        } else {
          const r = tensorOf(fixture.r);
          let y: tf.Tensor | null = null;
          const { value, grads } = tf.variableGrads(() => {
            const out = layer.apply(x, { mask }) as tf.Tensor;
            y = tf.keep(out);
            return tf.sum(tf.mul(out, r)) as tf.Scalar;
          }, [x, ...trainable]);
          const output = y as unknown as tf.Tensor;
          assert.deepEqual(output.shape, fixture.output.shape);
          assertAllClose(output, fixture.output.values, TOLERANCE, 'output');
          assertAllClose(grads[x.name] as tf.Tensor, fixture.input_grad.values, { rtol: 1e-4, atol: 1e-5 }, 'dx');
          trainable.forEach((v, i) => {
            assertAllClose(
              grads[v.name] as tf.Tensor,
              fixture.weight_grads[i].values,
              { rtol: 1e-4, atol: 1e-5 },
              'dalpha',
            );
          });
          tf.dispose([value, output, r, ...Object.values(grads)]);
        }
        assertAllClose(lossValues(layer), fixture.losses, {}, 'losses');
        if (fixture.penalty_grads.alpha != null) {
          const penalty = tf.variableGrads(() => tf.addN(layer.losses) as tf.Scalar, trainable);
          const alpha = trainable[0] as tf.Variable;
          assertAllClose(
            penalty.grads[alpha.name] as tf.Tensor,
            fixture.penalty_grads.alpha.values,
            {},
            'penalty dalpha',
          );
          tf.dispose([penalty.value, ...Object.values(penalty.grads)]);
        }
        tf.dispose([x, ...(mask == null ? [] : [mask])]);
        layer.dispose();
      });
    });
  }
});

describe('activation layers: configs and JSON', () => {
  for (const fixture of CASES) {
    it(`${fixture.name}: ours serializes to Keras's JSON; Keras's JSON round-trips`, () => {
      const make = OURS[fixture.name];
      assert.ok(make != null, `no TypeScript construction for ${fixture.name}`);
      const ours = make(fixture.json.config.name);
      ours.ensureBuilt(fixture.input.shape);
      // Close, not equal: Keras writes L1's factor float32-rounded, we write the exact number.
      const { build_config: _, ...json } = layers.serialize(ours);
      assertConfigClose(json, fixture.json);
      assert.deepEqual(Object.keys(json.config), Object.keys(fixture.json.config), "Keras's key order");
      const rebuilt = layers.deserialize(fixture.json);
      const { build_config: __, ...again } = layers.serialize(rebuilt);
      assertConfigClose(again, fixture.json);
      assert.deepEqual(rebuilt.computeOutputShape([null, ...fixture.input.shape.slice(1)]), fixture.output_shape);
      ours.dispose();
    });
  }

  it('LeakyReLU takes the deprecated alpha (Keras 2, tfjs-layers) and writes negative_slope', () => {
    const layer = new layers.LeakyReLU({ alpha: 0.1 });
    assert.equal(layer.negativeSlope, 0.1);
    assert.deepEqual(Object.keys(layers.serialize(layer).config), ['name', 'trainable', 'dtype', 'negative_slope']);
  });

  it("ELU writes alpha second, as Keras's automatic config does; with an activity regularizer it still serializes", () => {
    const config = layers.serialize(new layers.ELU({ name: 'e', alpha: 0.5, activityRegularizer: new L2(0.1) })).config;
    assert.deepEqual(Object.keys(config), ['name', 'alpha', 'trainable', 'dtype', 'activity_regularizer']);
    const back = layers.deserialize({ module: 'keras.layers', class_name: 'ELU', config, registered_name: null });
    assert.ok(back.activityRegularizer instanceof L2);
  });
});

/** `config.json`'s layers of a .keras archive's bytes, Keras's `shared_object_id` markers left out. */
function archiveLayers(bytes: Uint8Array): unknown {
  const config = JSON.parse(strFromU8(unzipSync(bytes)['config.json'] as Uint8Array));
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'shared_object_id')
        .map(([key, v]) => [key, strip(v)]),
    );
  };
  return strip(
    (config.config.layers as { class_name: string; config: unknown }[])
      .filter((l) => l.class_name !== 'InputLayer')
      .map((l) => [l.class_name, l.config]),
  );
}

describeEachBackend('.keras files with activation layers, both ways', () => {
  for (const [name, expected] of Object.entries(FILES)) {
    it(`${name}.keras saved by Keras loads with Keras's predictions and losses; ours reads back in Keras's form`, async () => {
      const path = new URL(`${name}.keras`, FOLDER).pathname;
      const model = await saving.loadModel(path);
      const x = tensorOf(expected.input);
      const run = (m: models.Model) =>
        tf.tidy(() => ({
          output: Array.from((m.apply(x, { training: false }) as tf.Tensor).dataSync()),
          losses: m.losses.map((l) => l.dataSync()[0] as number),
        }));
      const result = run(model);
      assertAllClose(result.output, expected.output.values, TOLERANCE, 'predictions');
      assertAllClose(result.losses, expected.losses, {}, 'losses');
      const bytes = await saving.saveModelToBytes(model);
      assertConfigClose(archiveLayers(bytes), archiveLayers(new Uint8Array(readFileSync(path))));
      const again = await saving.loadModelFromBytes(bytes);
      assert.deepEqual(run(again), result);
      tf.dispose(x);
      model.dispose();
      again.dispose();
    });
  }
});

interface GradientCase {
  label: string;
  make: () => layers.Layer;
  shape: number[];
  scale?: number;
  /** The float64 forward pass, from the input and the layer's weights (`w(i)`: weight `i`). */
  reference: (x: Float64Array, w: (i: number) => Float64Array) => Float64Array;
}

const leaky = (slope: number) => (v: number) => (v >= 0 ? v : slope * v);
/** Keras's relu: `x` above the threshold (capped at maxValue), `slope * (x - threshold)` below. */
const relu =
  ({ maxValue = Number.POSITIVE_INFINITY, slope = 0, threshold = 0 }) =>
  (v: number) =>
    v > threshold ? Math.min(v, maxValue) : slope * (v - threshold);

/** Softmax of `x` (shape `[a, b, c]`) over `axes`, float64. */
function softmaxReference(x: Float64Array, shape: number[], axes: number[]): Float64Array {
  const [, b, c] = shape as [number, number, number];
  const groupOf = (flat: number) => {
    const coords = [Math.floor(flat / (b * c)), Math.floor(flat / c) % b, flat % c];
    return coords.filter((_, axis) => !axes.includes(axis)).join(',');
  };
  const sums = new Map<string, number>();
  x.forEach((v, i) => {
    sums.set(groupOf(i), (sums.get(groupOf(i)) ?? 0) + Math.exp(v));
  });
  return x.map((v, i) => Math.exp(v) / (sums.get(groupOf(i)) as number));
}

const GRADIENT_CASES: GradientCase[] = [
  {
    label: 'PReLU',
    make: () => new layers.PReLU(),
    shape: [3, 4],
    reference: (x, w) => x.map((v, i) => (v >= 0 ? v : (w(0)[i % 4] as number) * v)),
  },
  {
    label: 'PReLU sharedAxes [1]',
    make: () => new layers.PReLU({ sharedAxes: [1] }),
    shape: [2, 3, 4],
    reference: (x, w) => x.map((v, i) => (v >= 0 ? v : (w(0)[i % 4] as number) * v)),
  },
  {
    label: 'ReLU maxValue 1.5, negativeSlope 0.2, threshold 0.3',
    make: () => new layers.ReLU({ maxValue: 1.5, negativeSlope: 0.2, threshold: 0.3 }),
    shape: [4, 5],
    scale: 2,
    reference: (x) => x.map(relu({ maxValue: 1.5, slope: 0.2, threshold: 0.3 })),
  },
  {
    label: 'ReLU maxValue 6 (relu6)',
    make: () => new layers.ReLU({ maxValue: 6 }),
    shape: [4, 5],
    scale: 8,
    reference: (x) => x.map(relu({ maxValue: 6 })),
  },
  {
    label: 'ReLU negativeSlope 0.1 (leaky)',
    make: () => new layers.ReLU({ negativeSlope: 0.1 }),
    shape: [4, 5],
    reference: (x) => x.map(leaky(0.1)),
  },
  { label: 'LeakyReLU', make: () => new layers.LeakyReLU(), shape: [4, 5], reference: (x) => x.map(leaky(0.3)) },
  {
    label: 'ELU alpha 0.7',
    make: () => new layers.ELU({ alpha: 0.7 }),
    shape: [4, 5],
    scale: 3,
    reference: (x) => x.map((v) => (v > 0 ? v : 0.7 * Math.expm1(v))),
  },
  {
    label: 'Softmax axis 1 of rank 3',
    make: () => new layers.Softmax({ axis: 1 }),
    shape: [2, 3, 4],
    reference: (x) => softmaxReference(x, [2, 3, 4], [1]),
  },
  {
    label: 'Softmax axes [1, 2]',
    make: () => new layers.Softmax({ axis: [1, 2] }),
    shape: [2, 3, 4],
    reference: (x) => softmaxReference(x, [2, 3, 4], [1, 2]),
  },
];

describeEachBackend('activation layers: gradients against float64 finite differences', () => {
  for (const testCase of GRADIENT_CASES) {
    it(testCase.label, async () => {
      await assertNoLeak(() => {
        const layer = testCase.make();
        layer.ensureBuilt(testCase.shape);
        const weightValues = layer.weights.map((w, i) => randomValues(w.size, 30 + i));
        tf.tidy(() => layer.setWeights(weightValues.map((v, i) => tf.tensor(v, layer.weights[i]?.shape))));
        const size = testCase.shape.reduce((a, b) => a * b, 1);
        const xValues = randomValues(size, 3, testCase.scale ?? 1);
        const r = randomValues(size, 4);
        const weights64 = weightValues.map((v) => Float64Array.from(v));
        const loss = (x: Float64Array, weights: Float64Array[]) =>
          testCase.reference(x, (i) => weights[i] as Float64Array).reduce((sum, y, i) => sum + y * (r[i] as number), 0);
        const x = variableOf(() => tf.tensor(xValues, testCase.shape));
        const rt = tf.tensor(r, testCase.shape);
        const trainable = layer.trainableWeights;
        const { value, grads } = tf.variableGrads(
          () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, rt)) as tf.Scalar,
          [x, ...trainable],
        );
        const tolerance = { rtol: 1e-3, atol: 1e-4 };
        const x64 = Float64Array.from(xValues);
        assertAllClose(
          grads[x.name] as tf.Tensor,
          numericGradient((xi) => loss(xi, weights64), x64),
          tolerance,
          'input',
        );
        trainable.forEach((v, k) => {
          const numeric = numericGradient(
            (wi) =>
              loss(
                x64,
                weights64.map((w, j) => (j === k ? wi : w)),
              ),
            weights64[k] as Float64Array,
          );
          assertAllClose(grads[v.name] as tf.Tensor, numeric, tolerance, 'alpha');
        });
        tf.dispose([value, x, rt, ...Object.values(grads)]);
        layer.dispose();
      });
    });
  }

  it('the gradient at the kinks follows Keras (JAX): relu-like 0 at 0 for PReLU, 1 at 0 for LeakyReLU', () => {
    tf.tidy(() => {
      const zero = tf.zeros([1, 2]);
      const prelu = new layers.PReLU({ alphaInitializer: new initializers.Constant({ value: 0.5 }) });
      assertAllClose(tf.grad((x: tf.Tensor) => tf.sum(prelu.apply(x) as tf.Tensor))(zero), [0, 0]);
      assertAllClose(tf.grad((x: tf.Tensor) => tf.sum(new layers.LeakyReLU().apply(x) as tf.Tensor))(zero), [1, 1]);
      prelu.dispose();
    });
  });
});

describe('activation layers: behaviour', () => {
  it('PReLU: alpha is trainable and penalized; alphaRegularizer takes effect at once on a built layer', () => {
    const layer = new layers.PReLU({ name: 'p', alphaInitializer: new initializers.Constant({ value: 0.5 }) });
    layer.ensureBuilt([null, 2, 3]);
    assert.deepEqual(
      layer.weightRecords().map((w) => [w.path, w.variable.shape, w.trainable]),
      [['p/alpha', [2, 3], true]],
    );
    assert.deepEqual(lossValues(layer), []);
    layer.alphaRegularizer = new L1(0.1);
    assertAllClose(lossValues(layer), [0.3]);
    layer.trainable = false;
    assert.deepEqual(lossValues(layer), []);
    layer.dispose();
  });
});

/** Asserts that `body` throws KerasTypeError with exactly `message`. */
function expectTypeError(body: () => unknown, message: string): void {
  assert.throws(body, (error: Error) => {
    assert.ok(error instanceof KerasTypeError, `expected KerasTypeError, got ${error.name}: ${error.message}`);
    assert.equal(error.message, message);
    return true;
  });
}

describeEachBackend('activation layers: errors', () => {
  const withZeros = (shape: number[], body: (x: tf.Tensor) => unknown) => () =>
    tf.tidy(() => void body(tf.zeros(shape)));

  it('ReLU, LeakyReLU, ELU: factors', () => {
    expectValueError(
      () => new layers.ReLU({ maxValue: -1 }),
      'maxValue of a ReLU layer cannot be a negative value: expected a non-negative number. Received: maxValue=-1',
    );
    expectValueError(
      () => new layers.ReLU({ negativeSlope: -0.1 }),
      'negativeSlope of a ReLU layer cannot be null or a negative value: expected a non-negative number. Received: negativeSlope=-0.1',
    );
    expectValueError(
      () => new layers.ReLU({ threshold: '1' as never }),
      'threshold of a ReLU layer cannot be null or a negative value: expected a non-negative number. Received: threshold="1"',
    );
    expectValueError(
      () => new layers.LeakyReLU({ negativeSlope: -1 }),
      'The negativeSlope value of a Leaky ReLU layer cannot be null or negative value. Expected a non-negative float. Received: negativeSlope=-1',
    );
    expectValueError(
      () => new layers.LeakyReLU({ alpha: Number.NaN }),
      'The alpha value of a Leaky ReLU layer cannot be null or negative value. Expected a non-negative float. Received: alpha=NaN',
    );
    expectValueError(
      () => new layers.ELU({ alpha: 'x' as never }),
      'Invalid value for argument alpha: expected a finite number. Received: alpha="x"',
    );
    expectTypeError(
      () => new layers.ReLU({ max_value: 6 } as never),
      'ReLU got an unexpected option "max_value". Expected: name, trainable, dtype, activityRegularizer, inputShape, inputDim, batchInputShape, batchSize, maxValue, negativeSlope, threshold. Received: {"max_value":6}. Did you mean "maxValue"?',
    );
  });

  it('Softmax: axes', () => {
    expectTypeError(
      () => new layers.Softmax({ axis: 1.5 }),
      'Invalid type for argument axis: expected an integer or a non-empty array of integers. Received: axis=1.5',
    );
    expectValueError(
      withZeros([2, 3], (x) => new layers.Softmax({ axis: 2 }).apply(x)),
      'Axis 2 is out of bounds for input shape [2, 3]. Received: axis=2',
    );
    expectValueError(
      withZeros([2, 3], (x) => new layers.Softmax().apply(x, { mask: tf.ones([2, 2], 'bool') })),
      'The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 or match the corresponding input dimension. Received: inputs.shape=[2, 3], mask.shape=[2, 2]',
    );
    expectValueError(
      withZeros([3], (x) => new layers.Softmax().apply(x, { mask: tf.ones([1, 3], 'bool') })),
      'The `mask` must be broadcastable to `inputs` and must not have more dimensions. Received: inputs.shape=[3], mask.shape=[1, 3]',
    );
    expectValueError(
      withZeros([2, 3, 4], (x) => new layers.Softmax({ axis: [1, -2] }).apply(x)),
      'Invalid value for argument axis: expected distinct axes of inputs of rank 3. Received: axis=[1,-2]',
    );
  });

  it('PReLU: constraint, shared axes, inputs', () => {
    expectValueError(
      () => new layers.PReLU({ alphaConstraint: 2 as never }),
      'Invalid value for argument alphaConstraint: Could not interpret constraint identifier: 2',
    );
    expectValueError(
      () => new layers.PReLU({ sharedAxes: [0] }),
      'Invalid value for argument sharedAxes: expected axes after the batch axis (integers >= 1), or null. Received: sharedAxes=[0]',
    );
    expectValueError(
      withZeros([2, 3], (x) => new layers.PReLU({ sharedAxes: [2] }).apply(x)),
      'Invalid value for argument sharedAxes: expected axes of inputs of rank 2, in [1, 1]. Received: sharedAxes=[2]',
    );
    expectValueError(
      () => new layers.PReLU().apply(layers.Input({ batchShape: [null, null, 3] })),
      'PReLU needs a known size on every axis it does not share. Received: input shape [null, null, 3], sharedAxes=null',
    );
    const prelu = new layers.PReLU({ name: 'prelu', sharedAxes: [1] });
    tf.tidy(() => prelu.apply(tf.zeros([2, 3, 4])));
    tf.tidy(() => prelu.apply(tf.zeros([2, 5, 4]))); // the shared axis may change size
    expectValueError(
      withZeros([2, 3, 5], (x) => prelu.apply(x)),
      'Input 0 of layer "prelu" is incompatible with the layer: expected axis 2 of input shape to have value 4, but received input with shape [2, 3, 5]',
    );
    prelu.dispose();
  });
});
