/**
 * GroupLasso and SparseGroupLasso: values and gradients against float64
 * math for the kernels of Dense, EinsumDense, Conv2D, Conv2DTranspose,
 * Embedding and LSTM (units and inputs), configs that round-trip through
 * Keras JSON and `.keras` files, and the errors for bad input.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L1L2, layers, models, regularizers, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';

/** Row-major strides of `shape`. */
function strides(shape: number[]): number[] {
  const out = shape.map(() => 1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = (out[i + 1] as number) * (shape[i + 1] as number);
  return out;
}

/**
 * float64 groups of a weight: the flat indices of each group, group `key`
 * being the index on `axes` (for `gates`, the unit: index mod units).
 */
function groupsOf(shape: number[], axes: number[], gates = 1): number[][] {
  const size = shape.reduce((a, b) => a * b, 1);
  const st = strides(shape);
  const groups = new Map<string, number[]>();
  for (let flat = 0; flat < size; flat++) {
    const index = shape.map((d, k) => Math.floor(flat / (st[k] as number)) % d);
    const key = axes
      .map((a) => {
        const i = index[a] as number;
        return gates === 1 ? i : i % ((shape[a] as number) / gates);
      })
      .join(',');
    groups.set(key, [...(groups.get(key) ?? []), flat]);
  }
  return [...groups.values()];
}

function reference(values: number[], groups: number[][], factor: number, l1 = 0): { value: number; grad: number[] } {
  const grad = values.map((v) => l1 * Math.sign(v));
  let value = l1 * values.reduce((s, v) => s + Math.abs(v), 0);
  for (const g of groups) {
    const lambda = factor * Math.sqrt(g.length);
    const norm = Math.hypot(...g.map((i) => values[i] as number));
    value += lambda * norm;
    if (norm > 0) for (const i of g) grad[i] = (grad[i] as number) + (lambda * (values[i] as number)) / norm;
  }
  return { value, grad };
}

const KERNELS: { name: string; shape: number[]; spec: regularizers.GroupSpec; axes: number[]; gates?: number }[] = [
  { name: 'Dense kernel, units', shape: [5, 4], spec: regularizers.groupAxis('Dense', 'units'), axes: [1] },
  { name: 'Dense kernel, inputs', shape: [5, 4], spec: regularizers.groupAxis('Dense', 'inputs'), axes: [0] },
  { name: 'Conv2D kernel, filters', shape: [3, 3, 2, 4], spec: regularizers.groupAxis('Conv2D', 'units'), axes: [3] },
  { name: 'Conv2D kernel, channels', shape: [3, 3, 2, 4], spec: regularizers.groupAxis('Conv2D', 'inputs'), axes: [2] },
  {
    name: 'Conv2DTranspose kernel, filters',
    shape: [2, 2, 3, 5],
    spec: regularizers.groupAxis('Conv2DTranspose', 'units'),
    axes: [2],
  },
  { name: 'Embedding rows', shape: [6, 3], spec: regularizers.groupAxis('Embedding', 'inputs'), axes: [0] },
  { name: 'LSTM kernel, units', shape: [3, 8], spec: regularizers.groupAxis('LSTM', 'units'), axes: [1], gates: 4 },
  {
    name: 'GRU recurrent kernel, units',
    shape: [2, 6],
    spec: regularizers.groupAxis('GRU', 'units'),
    axes: [1],
    gates: 3,
  },
  {
    name: 'EinsumDense kernel (b, c, d), units (c, d)',
    shape: [3, 2, 4],
    spec: { axis: [1, 2], gates: 1 },
    axes: [1, 2],
  },
];

describeEachBackend('group lasso', () => {
  for (const { name, shape, spec, axes, gates } of KERNELS) {
    it(`${name}: group norms, value and gradient equal float64 math (an all-zero group has gradient 0)`, () => {
      const size = shape.reduce((a, b) => a * b, 1);
      const groups = groupsOf(shape, axes, gates);
      const zeroGroup = new Set(groups[1]);
      const values = Array.from({ length: size }, (_, i) => (zeroGroup.has(i) ? 0 : Math.sin(0.9 * i + 0.3)));
      const x = tf.tensor(values, shape);
      const before = tf.memory().numTensors;
      const norms = regularizers.groupNorms(x, spec);
      assertAllClose(
        norms,
        groups.map((g) => Math.hypot(...g.map((i) => values[i] as number))),
      );
      for (const [regularizer, l1] of [
        [new regularizers.GroupLasso({ factor: 0.3, ...spec }), 0],
        [new regularizers.SparseGroupLasso({ factor: 0.3, l1: 0.05, ...spec }), 0.05],
      ] as const) {
        const expected = reference(values, groups, 0.3, l1);
        const value = regularizer.apply(x);
        assertAllClose(value, expected.value);
        const grad = tf.grad((w: tf.Tensor) => regularizer.apply(w))(x);
        assertAllClose(grad, expected.grad);
        for (const i of zeroGroup) assert.equal(grad.dataSync()[i], 0);
        tf.dispose([value, grad]);
      }
      norms.dispose();
      assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
      x.dispose();
    });
  }

  it('the convention: factor · √|g| · ||g||, so a Dense kernel [in, units] costs factor √in Σ_units ||column||', () => {
    const x = tf.tensor([
      [3, 0],
      [4, 0],
      [0, 1],
      [0, 0],
    ]); // columns: norms 5 and 1, 4 weights each
    const value = new regularizers.GroupLasso(0.5).apply(x);
    assertAllClose(value, 0.5 * 2 * (5 + 1));
    tf.dispose([x, value]);
  });

  it('layer.losses of a Dense layer with group lasso on its kernel', () => {
    const dense = new layers.Dense({ units: 2, kernelRegularizer: regularizers.groupLasso({ factor: 0.1, axis: 0 }) });
    dense.build([null, 3]);
    dense.setWeights([
      tf.tensor([
        [1, 2],
        [0, 0],
        [2, 1],
      ]),
      tf.zeros([2]),
    ]);
    const [loss] = dense.losses;
    assertAllClose(loss as tf.Tensor, 0.1 * Math.SQRT2 * (Math.sqrt(5) + 0 + Math.sqrt(5)));
    tf.dispose(loss as tf.Tensor);
    dense.dispose();
  });
});

it('configs: Keras-style keys, exact numbers, and JSON under the package name', () => {
  const cases: [regularizers.Regularizer, Record<string, unknown>][] = [
    [new regularizers.GroupLasso(), { factor: 0.01, axis: -1, gates: 1, proximal: false }],
    [
      new regularizers.GroupLasso({ factor: 0.3, axis: [1, 2], proximal: true }),
      { factor: 0.3, axis: [1, 2], gates: 1, proximal: true },
    ],
    [
      new regularizers.SparseGroupLasso({ factor: 0.2, l1: 0.1, axis: 0, gates: 4, proximal: true }),
      { factor: 0.2, l1: 0.1, axis: 0, gates: 4, proximal: true },
    ],
    [new L1({ l1: 0.1, proximal: true }), { l1: 0.1, proximal: true }],
    [new L1L2({ l1: 0.1, l2: 0.2, proximal: true }), { l1: 0.1, l2: 0.2, proximal: true }],
  ];
  for (const [regularizer, config] of cases) {
    assert.deepEqual(regularizer.getConfig(), config);
    const json = regularizers.serialize(regularizer);
    const name = regularizer.constructor.name;
    assert.deepEqual(json, {
      module: 'keras_regularizers',
      class_name: name,
      config,
      registered_name: `keras_regularizers>${name}`,
    });
    const back = regularizers.deserialize(JSON.parse(JSON.stringify(json))) as regularizers.Regularizer;
    assert.equal(back.constructor, regularizer.constructor);
    assert.deepEqual(back.getConfig(), config);
    assert.deepEqual(regularizers.get(json)?.constructor, regularizer.constructor);
  }
  // Without proximal, L1 and L1L2 keep Keras's own JSON.
  assert.deepEqual(regularizers.serialize(new L1({ l1: 0.1, proximal: false })), {
    module: 'keras.regularizers',
    class_name: 'L1',
    config: { l1: 0.1 },
    registered_name: null,
  });
  assert.deepEqual(new L1L2(0.1, 0.2).getConfig(), { l1: 0.1, l2: 0.2 });
  for (const id of ['GroupLasso', 'group_lasso', 'SparseGroupLasso', 'sparse_group_lasso']) {
    const made = regularizers.get(id) as regularizers.Regularizer;
    assert.equal(made.getConfig().factor, 0.01);
  }
});

it('a model with the regularizers saves to .keras and loads back with the same configs and predictions', async () => {
  const model = new models.Sequential([
    layers.Input({ shape: [4] }),
    new layers.Dense({
      units: 3,
      name: 'hidden',
      kernelRegularizer: new regularizers.GroupLasso({ factor: 0.01, axis: -1, proximal: true }),
      biasRegularizer: new L1({ l1: 0.02, proximal: true }),
    }),
    new layers.Dense({
      units: 2,
      name: 'out',
      kernelRegularizer: new regularizers.SparseGroupLasso({ factor: 0.01, l1: 0.001, axis: 0 }),
    }),
  ]);
  const loaded = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
  const config = (m: models.Model) => JSON.stringify(m.getConfig());
  assert.equal(config(loaded), config(model));
  const x = tf.tensor2d([[1, -2, 0.5, 3]]);
  const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
  assertAllClose(a, b);
  tf.dispose([x, a, b]);
  model.dispose();
  loaded.dispose();
});

it('bad input: each error names the argument, what was expected and what was received', () => {
  const kernel = tf.zeros([3, 4]);
  expectValueError(
    () => new regularizers.GroupLasso({ axis: 2 }).apply(kernel),
    'Invalid value for argument axis: expected an integer in [-2, 1] for a weight of rank 2 (shape [3, 4]). Received: axis=2',
  );
  expectValueError(
    () => new regularizers.SparseGroupLasso({ axis: [0, -3] }).proximalStep(kernel, 0.1),
    'Invalid value for argument axis: expected an integer in [-2, 1] for a weight of rank 2 (shape [3, 4]). Received: axis=[0,-3]',
  );
  expectValueError(
    () => new regularizers.GroupLasso({ factor: -1 }),
    'Invalid value for argument factor: expected a non-negative float. Received: factor=-1',
  );
  expectValueError(
    () => new regularizers.SparseGroupLasso({ l1: -0.5 }),
    'Invalid value for argument l1: expected a non-negative float. Received: l1=-0.5',
  );
  expectValueError(
    () => new regularizers.GroupLasso({ gates: 3 }).apply(kernel),
    'Invalid value for argument gates: expected a divisor of the size 4 of axis 1 (shape [3, 4]). Received: gates=3',
  );
  expectValueError(
    () => new regularizers.GroupLasso({ gates: 0 }),
    'Invalid value for argument gates: expected a positive integer. Received: gates=0',
  );
  expectValueError(
    () => new regularizers.GroupLasso({ axis: 1.5 }),
    'Invalid value for argument axis: expected an integer or a non-empty list of distinct integers. Received: axis=1.5',
  );
  expectValueError(
    () => new L1({ proximal: 'yes' as never }),
    'Invalid value for argument proximal: expected a boolean. Received: proximal="yes"',
  );
  expectValueError(
    () => regularizers.groupAxis('Attention', 'units'),
    /^groupAxis does not know the kernel layout of Attention: .* Received: layerClass=Attention$/,
  );
  expectValueError(
    () => regularizers.groupAxis('Dense', 'rows' as never),
    'Invalid value for argument target: expected "units" or "inputs". Received: target="rows"',
  );
  const g = new regularizers.GroupLasso();
  expectValueError(() => {
    g.factor = -2;
  }, 'Invalid value for argument factor: expected a non-negative float. Received: factor=-2');
  kernel.dispose();
});

it('the committed files for Keras (scripts/check_python_regularizers.py) load here with their predictions and penalties', async () => {
  const folder = new URL('./fixtures/proximal-regularizers/', import.meta.url);
  const expected = JSON.parse(readFileSync(new URL('expected.json', folder), 'utf8')) as Record<
    string,
    { x: { shape: number[]; values: number[] }; prediction: number[]; losses: number[] }
  >;
  for (const [name, c] of Object.entries(expected)) {
    const model = await saving.loadModelFromBytes(new Uint8Array(readFileSync(new URL(`${name}.keras`, folder))));
    const x = tf.tensor(c.x.values, c.x.shape);
    const y = model.predict(x) as tf.Tensor;
    assertAllClose(y, c.prediction, { rtol: 1e-5, atol: 1e-6 }, name);
    const losses = model.losses;
    assertAllClose(
      losses.map((l) => l.dataSync()[0] as number),
      c.losses,
      { rtol: 1e-5, atol: 1e-7 },
      name,
    );
    tf.dispose([x, y, ...losses]);
    model.dispose();
  }
});
