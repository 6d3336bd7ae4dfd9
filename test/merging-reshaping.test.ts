/**
 * The merging layers (Add, Subtract, Multiply, Average, Maximum, Minimum,
 * Concatenate, Dot), the reshaping layers (Reshape, Permute, RepeatVector),
 * Identity and ActivityRegularization, against real Keras
 * (test/fixtures/keras-merge.json, scripts/generate_keras_merge_fixtures.py):
 * outputs, losses, symbolic output shapes, configs and JSON both ways, error
 * texts, gradients against float64 finite differences, and leaks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, L1, L1L2, layers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { decodeAll, type FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';
import { numericGradient, randomValues } from './helpers/reference.js';

type Shape = (number | null)[];

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-merge.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};
const CALLS = FIXTURE.cases.filter((c) => c.kind === 'call');
const SHAPES = FIXTURE.cases.filter((c) => c.kind === 'output_shape');

function tensorOf(input: { shape: number[]; values: (number | string)[] }): tf.Tensor {
  return tf.tensor(decodeAll(input.values), input.shape, 'float32');
}

/** The case's layer, from Keras's JSON. */
function kerasLayer(fixture: FixtureCase): layers.Layer {
  return layers.deserialize(fixture.json);
}

/** Our layers built with the TypeScript API: each must serialize to the JSON Keras wrote for the case. */
const OURS: Record<string, (name: string) => layers.Layer> = {
  'Add, 2 inputs of rank 3': (name) => new layers.Add({ name }),
  'Add, 3 inputs': (name) => new layers.Add({ name }),
  'Add, a size-1 axis broadcasts': (name) => new layers.Add({ name }),
  'Add, ranks 2 and 3: expand_dims at axis 1': (name) => new layers.Add({ name }),
  'Add with activity_regularizer L2(0.1)': (name) =>
    new layers.Add({
      name,
      activityRegularizer: {
        module: 'keras.regularizers',
        class_name: 'L2',
        config: { l2: 0.1 },
        registered_name: null,
      },
    }),
  Subtract: (name) => new layers.Subtract({ name }),
  'Subtract, broadcast size-1 axis': (name) => new layers.Subtract({ name }),
  'Multiply, 3 inputs': (name) => new layers.Multiply({ name }),
  'Average, 2 inputs': (name) => new layers.Average({ name }),
  'Average, 3 inputs': (name) => new layers.Average({ name }),
  'Maximum, 2 inputs': (name) => new layers.Maximum({ name }),
  'Maximum, 3 inputs': (name) => new layers.Maximum({ name }),
  'Minimum, 2 inputs': (name) => new layers.Minimum({ name }),
  'Minimum, 3 inputs, ranks 2 and 3': (name) => new layers.Minimum({ name }),
  'Concatenate, default axis -1': (name) => new layers.Concatenate({ name }),
  'Concatenate axis=1, rank 3': (name) => new layers.Concatenate({ name, axis: 1 }),
  'Concatenate axis=-2, 3 inputs': (name) => new layers.Concatenate({ name, axis: -2 }),
  'Concatenate axis=0 (the batch axis)': (name) => new layers.Concatenate({ name, axis: 0 }),
  'Dot axes=1, rank 2': (name) => new layers.Dot({ name, axes: 1 }),
  'Dot axes=-1 normalize=True, rank 2': (name) => new layers.Dot({ name, axes: -1, normalize: true }),
  'Dot axes=(1, 2), rank 3': (name) => new layers.Dot({ name, axes: [1, 2] }),
  'Dot axes=(2, 1) normalize=True, rank 3': (name) => new layers.Dot({ name, axes: [2, 1], normalize: true }),
  'Dot axes=(2, 1), ranks 3 and 2': (name) => new layers.Dot({ name, axes: [2, 1] }),
  'Dot axes=(1, 1), ranks 2 and 3': (name) => new layers.Dot({ name, axes: [1, 1] }),
  'Dot axes=(-1, -2) normalize=True, rank 3': (name) => new layers.Dot({ name, axes: [-1, -2], normalize: true }),
  'Dot axes=(3, 2), ranks 4 and 4': (name) => new layers.Dot({ name, axes: [3, 2] }),
  'Reshape (-1, 2)': (name) => new layers.Reshape({ name, targetShape: [-1, 2] }),
  'Reshape (4, 3)': (name) => new layers.Reshape({ name, targetShape: [4, 3] }),
  'Reshape (2, -1, 3) from rank 2': (name) => new layers.Reshape({ name, targetShape: [2, -1, 3] }),
  'Permute (2, 1), rank 3': (name) => new layers.Permute({ name, dims: [2, 1] }),
  'Permute (3, 1, 2), rank 4': (name) => new layers.Permute({ name, dims: [3, 1, 2] }),
  'RepeatVector n=3': (name) => new layers.RepeatVector({ name, n: 3 }),
  Identity: (name) => new layers.Identity({ name }),
  'ActivityRegularization l1=0.01 l2=0.1': (name) => new layers.ActivityRegularization({ name, l1: 0.01, l2: 0.1 }),
  'ActivityRegularization defaults (0, 0)': (name) => new layers.ActivityRegularization({ name }),
  'ActivityRegularization l2=0.5, rank 3': (name) => new layers.ActivityRegularization({ name, l2: 0.5 }),
};

/** Values of `losses`, freeing the tensors. */
function lossValues(layer: layers.Layer): number[] {
  const losses = layer.losses;
  const values = losses.map((l) => l.dataSync()[0] as number);
  tf.dispose(losses);
  return values;
}

describeEachBackend('merging and reshaping layers: outputs and losses against Keras', () => {
  for (const fixture of CALLS) {
    it(fixture.name, async () => {
      await assertNoLeak(() => {
        const layer = kerasLayer(fixture);
        const inputs = fixture.inputs.map(tensorOf);
        tf.tidy(() => {
          const output = layer.apply(fixture.many ? inputs : (inputs[0] as tf.Tensor)) as tf.Tensor;
          assert.deepEqual(output.shape, fixture.output.shape);
          assertAllClose(output, decodeAll(fixture.output.values), { atol: 1e-5 }, 'output');
        });
        assertAllClose(lossValues(layer), fixture.expected_losses, {}, 'losses');
        layer.dispose();
        tf.dispose(inputs);
      });
    });
  }

  it('a merge layer called again with another batch size computes it', () => {
    const add = new layers.Add();
    tf.tidy(() => {
      add.apply([tf.ones([2, 3]), tf.ones([2, 3])]);
      const out = add.apply([tf.ones([5, 3]), tf.fill([5, 3], 2)]) as tf.Tensor;
      assert.deepEqual(out.shape, [5, 3]);
      assertAllClose(out, new Array(15).fill(3));
    });
  });

  it('Identity returns the same tensors, a list as a list', () => {
    tf.tidy(() => {
      const a = tf.ones([2, 3]);
      const b = tf.zeros([2, 4]);
      const identity = new layers.Identity();
      assert.equal(identity.apply(a), a);
      const both = identity.apply([a, b]) as tf.Tensor[];
      assert.equal(both[0], a);
      assert.equal(both[1], b);
    });
  });

  it('ActivityRegularization: l1 and l2 are its penalty factors, settable, the base division by the batch applied', () => {
    const layer = new layers.ActivityRegularization({ l1: 0.5 });
    assert.ok(layer.activityRegularizer instanceof L1L2);
    const x = tf.tensor([
      [1, -2],
      [3, 4],
    ]);
    tf.tidy(() => {
      assert.equal(layer.apply(x), x);
    });
    assertAllClose(lossValues(layer), [(0.5 * 10) / 2]);
    layer.l1 = 0;
    layer.l2 = 1;
    tf.tidy(() => {
      layer.apply(x);
    });
    assertAllClose(lossValues(layer), [30 / 2]);
    assert.deepEqual(layer.getConfig().l2, 1);
    expectValueError(() => {
      layer.l2 = -1;
    }, 'Invalid value for argument l2: expected a non-negative float. Received: l2=-1');
    x.dispose();
    layer.dispose();
  });
});

describe('merging and reshaping layers: output shapes with an unknown batch axis', () => {
  for (const fixture of CALLS) {
    it(fixture.name, () => {
      const layer = kerasLayer(fixture);
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

  it('Identity and ActivityRegularization pass a list of shapes through, as copies', () => {
    const shapes: Shape[] = [
      [null, 3],
      [null, 4, 5],
    ];
    for (const layer of [new layers.Identity(), new layers.ActivityRegularization()]) {
      const out = layer.computeOutputShape(shapes);
      assert.deepEqual(out, shapes);
      assert.notEqual(out, shapes);
      assert.notEqual((out as Shape[])[0], shapes[0]);
    }
  });
});

describe('merging and reshaping layers: configs and JSON', () => {
  for (const fixture of CALLS) {
    it(`${fixture.name}: ours serializes to Keras's JSON; Keras's JSON round-trips`, () => {
      const make = OURS[fixture.name];
      assert.ok(make != null, `no TypeScript construction for ${fixture.name}`);
      const ours = layers.serialize(make(fixture.config.name));
      assert.deepEqual(ours, fixture.json);
      // Keras's key order too, so the JSON reads as Python's.
      assert.deepEqual(Object.keys(ours.config), Object.keys(fixture.json.config));
      const rebuilt = layers.serialize(kerasLayer(fixture));
      assert.deepEqual(rebuilt, fixture.json);
    });
  }

  it('ActivityRegularization writes l1 and l2 and no activity_regularizer, as Keras', () => {
    const config = layers.serialize(new layers.ActivityRegularization({ name: 'ar', l1: 0.1 })).config;
    assert.deepEqual(Object.keys(config), ['name', 'trainable', 'dtype', 'l1', 'l2']);
    assert.equal(config.l1, 0.1);
    assert.equal(config.l2, 0);
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

describeEachBackend('merging and reshaping layers: errors', () => {
  const z = (...shape: number[]) => tf.zeros(shape);
  /** Runs `body` on fresh zero tensors, freeing them even when it throws. */
  const withTensors = (body: () => unknown) => () => tf.tidy(() => void body());

  it('merge layers: a list of inputs, one batch size, broadcastable shapes', () => {
    expectValueError(
      withTensors(() => new layers.Subtract().apply([z(2, 3), z(2, 3), z(2, 3)])),
      'A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape=[[2, 3], [2, 3], [2, 3]]',
    );
    expectValueError(
      withTensors(() => new layers.Add().apply(z(2, 3))),
      'A merge layer should be called on a list of inputs. Received: input_shape=[2, 3] (not a list of shapes)',
    );
    expectValueError(
      withTensors(() => new layers.Add().apply([z(2, 3), z(2, 4)])),
      'Inputs have incompatible shapes: expected sizes that are equal, or 1, on each axis after the batch axis. Received shapes [3] and [4] (batch axis excluded)',
    );
    // tfjs would broadcast a batch of 1; Keras refuses, so do we.
    expectValueError(
      withTensors(() => new layers.Maximum().apply([z(1, 3), z(3, 3)])),
      'Cannot merge tensors with different batch sizes: expected one batch size. Received tensors with shapes [[1, 3], [3, 3]]',
    );
    expectValueError(
      () =>
        new layers.Add().computeOutputShape([
          [null, 3],
          [null, 2, 4],
        ]),
      'Inputs have incompatible shapes: expected sizes that are equal, or 1, on each axis after the batch axis. Received shapes [2, 4] and [3] (batch axis excluded)',
    );
  });

  it('Concatenate: matching shapes off the axis, an axis within the rank', () => {
    expectValueError(
      withTensors(() => new layers.Concatenate({ axis: 1 }).apply([z(2, 3, 4), z(2, 5, 6)])),
      'A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[[2, 3, 4], [2, 5, 6]]',
    );
    expectValueError(
      withTensors(() => new layers.Concatenate().apply([z(2, 3, 4), z(2, 3)])),
      'A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[[2, 3, 4], [2, 3]]',
    );
    expectValueError(
      withTensors(() => new layers.Concatenate({ axis: 3 }).apply([z(2, 3, 4), z(2, 3, 4)])),
      'Invalid value for argument axis: expected an axis of inputs of rank 3, in [-3, 2]. Received: axis=3',
    );
    expectValueError(
      withTensors(() => new layers.Concatenate().apply(z(2, 3))),
      'A `Concatenate` layer should be called on a list of at least 1 input. Received: input_shape=[2, 3]',
    );
    expectValueError(
      () => new layers.Concatenate({ axis: 1.5 }),
      'Invalid value for argument axis: expected an integer. Received: axis=1.5',
    );
  });

  it('Dot: two inputs of rank >= 2, axes off the batch axis with equal sizes', () => {
    expectValueError(
      withTensors(() => new layers.Dot({ axes: 1 }).apply([z(2, 3), z(2, 4)])),
      'Incompatible input shapes: axis values 3 (at axis 1) != 4 (at axis 1). Full input shapes: [2, 3], [2, 4]',
    );
    expectValueError(
      withTensors(() => new layers.Dot({ axes: 1 }).apply([z(2, 3), z(2, 3), z(2, 3)])),
      'A `Dot` layer should be called on a list of 2 inputs. Received: input_shape=[[2, 3], [2, 3], [2, 3]]',
    );
    expectValueError(
      withTensors(() => new layers.Dot({ axes: 0 }).apply([z(2, 3), z(2, 3)])),
      'Cannot perform batch_dot over axis 0, the batch axis: expected axes after it. Received: axes=0 for inputs of shapes [2, 3] and [2, 3]. If your inputs are not batched, add a batch axis of size 1.',
    );
    expectValueError(
      withTensors(() => new layers.Dot({ axes: -1 }).apply([z(2), z(2)])),
      'Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes [2] and [2].',
    );
    expectValueError(
      withTensors(() => new layers.Dot({ axes: [1, 3] }).apply([z(2, 3), z(2, 3)])),
      "Invalid value for argument axes: expected axes within the inputs' ranks 2 and 2 (from -rank to rank - 1). Received: axes=[1,3]",
    );
    expectValueError(
      withTensors(() => new layers.Dot({ axes: 1 }).apply([z(2, 3), z(4, 3)])),
      'Cannot do batch_dot on inputs with different batch sizes. Received inputs with shapes [2, 3] and [4, 3].',
    );
    expectTypeError(
      () => new layers.Dot({ axes: 'a' as never }),
      'Invalid type for argument `axes`: it should be a list or an int. Received: axes="a"',
    );
    expectValueError(
      () => new layers.Dot({ axes: [1, 2, 3] as never }),
      'Invalid format for argument `axes`: it should contain two elements. Received: axes=[1,2,3]',
    );
    expectValueError(
      () => new layers.Dot({ axes: [1, 1.5] }),
      'Invalid format for argument `axes`: list elements should be integers. Received: axes=[1,1.5]',
    );
    expectValueError(
      () => new layers.Dot({ axes: 1, normalize: 'yes' as never }),
      'Invalid value for argument normalize: expected a boolean. Received: normalize="yes"',
    );
  });

  it('Reshape: a target of the same size, at most one -1', () => {
    expectValueError(
      withTensors(() => new layers.Reshape({ targetShape: [5] }).apply(z(2, 3, 4))),
      'The total size of the tensor must be unchanged: expected 12 elements per sample. Received: input_shape=[3, 4], targetShape=[5]',
    );
    expectValueError(
      withTensors(() => new layers.Reshape({ targetShape: [5, -1] }).apply(z(2, 3, 4))),
      'The total size of the tensor must be unchanged, however, the input size cannot be divided by the specified dimensions in targetShape. Received: input_shape=[3, 4], targetShape=[5, -1]',
    );
    expectValueError(
      () => new layers.Reshape({ targetShape: [-1, -1] }),
      'There must be at most one unknown dimension (-1) in `targetShape`. Received: targetShape=[-1,-1].',
    );
    expectValueError(
      () => new layers.Reshape({ targetShape: [-2, 6] }),
      'Each dimension in `targetShape` must be a non-negative integer, or `-1` for a single unknown dimension. Received: targetShape=[-2,6].',
    );
    expectValueError(
      () => new layers.Reshape({ targetShape: 6 as never }),
      'Each dimension in `targetShape` must be a non-negative integer, or `-1` for a single unknown dimension. Received: targetShape=6.',
    );
  });

  it('Permute: a permutation of 1..n on inputs of rank n + 1', () => {
    expectValueError(
      () => new layers.Permute({ dims: [1, 3] }),
      'Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be consecutive and start from 1. Received: dims=[1,3]',
    );
    expectValueError(
      () => new layers.Permute({ dims: [0, 1] }),
      'Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be consecutive and start from 1. Received: dims=[0,1]',
    );
    expectValueError(
      withTensors(() => new layers.Permute({ dims: [2, 1], name: 'permute_rank' }).apply(z(2, 3, 4, 5))),
      'Input 0 of layer "permute_rank" is incompatible with the layer: expected ndim=3, found ndim=4. Full shape received: [2, 3, 4, 5]',
    );
  });

  it('RepeatVector: a positive integer n, inputs of rank 2', () => {
    expectValueError(
      () => new layers.RepeatVector({ n: 0 }),
      'Argument `n` should be a positive integer. Received: n=0',
    );
    expectTypeError(() => new layers.RepeatVector({ n: 2.5 }), 'Expected an integer value for `n`. Received: n=2.5');
    expectValueError(
      withTensors(() => new layers.RepeatVector({ n: 2, name: 'repeat_rank' }).apply(z(2, 3, 4))),
      'Input 0 of layer "repeat_rank" is incompatible with the layer: expected ndim=2, found ndim=3. Full shape received: [2, 3, 4]',
    );
  });

  it('ActivityRegularization: non-negative factors, and no activityRegularizer option of its own', () => {
    expectValueError(
      () => new layers.ActivityRegularization({ l1: -1 }),
      'Invalid value for argument l1: expected a non-negative float. Received: l1=-1',
    );
    expectTypeError(
      () => new layers.ActivityRegularization({ activityRegularizer: new L1(0.1) } as never),
      'ActivityRegularization got an unexpected option "activityRegularizer". Expected: name, trainable, dtype, l1, l2. Received: {"activityRegularizer":{"proximal":false}}',
    );
    // Keras's from_config refuses this config too (activity_regularizer given twice).
    assert.throws(
      () =>
        layers.deserialize({
          module: 'keras.layers',
          class_name: 'ActivityRegularization',
          config: { l1: 0.1, l2: 0, activity_regularizer: null },
          registered_name: null,
        }),
      KerasTypeError,
    );
  });

  it('errors leave no tensor behind', async () => {
    await assertNoLeak(() => {
      assert.throws(withTensors(() => new layers.Dot({ axes: 1 }).apply([z(2, 3), z(2, 4)])));
      assert.throws(withTensors(() => new layers.Add().apply([z(2, 3), z(2, 4)])));
    });
  });
});

/** L = sum(f(inputs) * r) for a fixed r, so every output position matters. */
function checkGradients(
  make: () => layers.Layer,
  shapes: number[][],
  reference: (inputs: Float64Array[]) => Float64Array,
  values: number[][] = shapes.map((s, i) =>
    randomValues(
      s.reduce((a, b) => a * b, 1),
      11 + i,
    ),
  ),
): void {
  const layer = make();
  const r = randomValues(reference(values.map((v) => Float64Array.from(v))).length, 7);
  const loss = (inputs: Float64Array[]) => reference(inputs).reduce((sum, y, i) => sum + y * (r[i] as number), 0);
  const grads = tf.tidy(() => {
    const xs = values.map((v, i) => tf.tensor(v, shapes[i]));
    const f = (...inputs: tf.Tensor[]) => {
      const y = layer.apply(inputs) as tf.Tensor;
      return tf.sum(tf.mul(y, tf.tensor(r, y.shape))) as tf.Scalar;
    };
    return tf
      .grads(f)(xs)
      .map((g) => Array.from(g.dataSync()));
  });
  values.forEach((v, i) => {
    const numeric = numericGradient((xi) => loss(values.map((w, j) => (j === i ? xi : Float64Array.from(w)))), v);
    assertAllClose(grads[i] as number[], numeric, { rtol: 1e-3, atol: 1e-4 }, `input ${i}`);
  });
  layer.dispose();
}

/** Float64 cosine-normalized per-sample dot products: x [b, m, d] · y [b, d, n] over d, normalized along d when asked. */
function dotReference(
  x: Float64Array,
  y: Float64Array,
  [b, m, d, n]: [number, number, number, number],
  normalize: boolean,
): Float64Array {
  const xAt = (i: number, p: number, k: number) => x[(i * m + p) * d + k] as number;
  const yAt = (i: number, k: number, q: number) => y[(i * d + k) * n + q] as number;
  const out = new Float64Array(b * m * n);
  for (let i = 0; i < b; i++) {
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < n; q++) {
        let dot = 0;
        let xx = 0;
        let yy = 0;
        for (let k = 0; k < d; k++) {
          dot += xAt(i, p, k) * yAt(i, k, q);
          xx += xAt(i, p, k) ** 2;
          yy += yAt(i, k, q) ** 2;
        }
        out[(i * m + p) * n + q] = normalize
          ? dot / (Math.max(Math.sqrt(xx), 1e-7) * Math.max(Math.sqrt(yy), 1e-7))
          : dot;
      }
    }
  }
  return out;
}

/** `[b, p, q]` → `[b, q, p]`, float64. */
function swapLast(x: Float64Array, [b, p, q]: [number, number, number]): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < b; i++)
    for (let j = 0; j < p; j++) for (let k = 0; k < q; k++) out[(i * q + k) * p + j] = x[(i * p + j) * q + k] as number;
  return out;
}

describeEachBackend('merging layers: gradients against float64 finite differences', () => {
  it('Dot normalize, rank 2 (cosine similarity)', () => {
    checkGradients(
      () => new layers.Dot({ axes: 1, normalize: true }),
      [
        [3, 4],
        [3, 4],
      ],
      ([x, y]) => dotReference(x as Float64Array, y as Float64Array, [3, 1, 4, 1], true),
    );
  });

  it('Dot normalize, rank 3, axes [2, 1]', () => {
    checkGradients(
      () => new layers.Dot({ axes: [2, 1], normalize: true }),
      [
        [2, 3, 4],
        [2, 4, 2],
      ],
      ([x, y]) => dotReference(x as Float64Array, y as Float64Array, [2, 3, 4, 2], true),
    );
  });

  it('Dot, rank 3, axes [1, 2]: both inputs transposed', () => {
    // x [2, 4, 3] contracted on axis 1, y [2, 5, 4] on axis 2: out[b, m, n] = sum_d x[b, d, m] y[b, n, d].
    checkGradients(
      () => new layers.Dot({ axes: [1, 2] }),
      [
        [2, 4, 3],
        [2, 5, 4],
      ],
      ([x, y]) =>
        dotReference(
          swapLast(x as Float64Array, [2, 4, 3]),
          swapLast(y as Float64Array, [2, 5, 4]),
          [2, 3, 4, 5],
          false,
        ),
    );
  });

  it('Dot normalize: an all-zero sample gives the finite gradient 1 / epsilon of the clamped norm (Keras with JAX: NaN)', () => {
    const layer = new layers.Dot({ axes: 1, normalize: true });
    const g = tf.tidy(() => {
      const y = tf.tensor([[3, 4]]);
      return Array.from(
        tf
          .grad((x: tf.Tensor) => tf.sum(layer.apply([x, y]) as tf.Tensor))(tf.zeros([1, 2]))
          .dataSync(),
      );
    });
    assertAllClose(g, [1e7 * 0.6, 1e7 * 0.8], { rtol: 1e-4 });
  });

  it('Maximum of three inputs', () => {
    const shape = [3, 4];
    checkGradients(
      () => new layers.Maximum(),
      [shape, shape, shape],
      (xs) => (xs[0] as Float64Array).map((_, i) => Math.max(...xs.map((x) => x[i] as number))),
    );
  });

  it('Minimum, ranks 2 and 3 (the rank-2 input expanded at axis 1)', () => {
    checkGradients(
      () => new layers.Minimum(),
      [
        [2, 3],
        [2, 4, 3],
      ],
      ([a, b]) =>
        (b as Float64Array).map((v, i) => Math.min(v, (a as Float64Array)[Math.floor(i / 12) * 3 + (i % 3)] as number)),
    );
  });

  it('Maximum sends the gradient of a tie to the earlier input', () => {
    const layer = new layers.Maximum();
    const [ga, gb] = tf.tidy(() => {
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(layer.apply([a, b]) as tf.Tensor);
      return tf
        .grads(f)([tf.tensor([[1, 2]]), tf.tensor([[1, 3]])])
        .map((g) => Array.from(g.dataSync()));
    });
    assert.deepEqual(ga, [1, 0]);
    assert.deepEqual(gb, [0, 1]);
  });

  it('RepeatVector: each input element receives the sum over its n copies', () => {
    const layer = new layers.RepeatVector({ n: 3 });
    const g = tf.tidy(() => {
      const r = tf.tensor(randomValues(2 * 3 * 4, 5), [2, 3, 4]);
      const f = (x: tf.Tensor) => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r));
      return {
        grad: Array.from(
          tf
            .grad(f)(tf.ones([2, 4]))
            .dataSync(),
        ),
        expected: Array.from(tf.sum(r, 1).dataSync()),
      };
    });
    assertAllClose(g.grad, g.expected);
  });
});
