/**
 * Proximal updates: each step equals a float64 reference of
 * prox(optimizer step) (SGD, SGD with momentum, Adam, RMSprop, Adagrad; L1,
 * L1L2, GroupLasso with one step size and with a step per coordinate,
 * SparseGroupLasso), zeros stay zero, the training step reports the penalty
 * and leaves it out of the gradient, and optimizers without step sizes are refused.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L1L2, layers, models, optimizers, regularizers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';

type Prox = (y: number[], s: number[]) => number[];

const soft = (y: number, t: number) => Math.sign(y) * Math.max(Math.abs(y) - t, 0);

/** float64 prox of `lambda Σ_g ||x_g||` in the metric diag(1/s), by bisection on ρ = ||x_g|| (groups: index lists). */
function groupProx(y: number[], s: number[], groups: number[][], lambda: number): number[] {
  const x = y.slice();
  for (const g of groups) {
    const scaledNorm = Math.hypot(...g.map((i) => (y[i] as number) / (s[i] as number)));
    if (scaledNorm <= lambda) {
      for (const i of g) x[i] = 0;
      continue;
    }
    const f = (rho: number) =>
      g.reduce((sum, i) => sum + ((y[i] as number) / (rho + lambda * (s[i] as number))) ** 2, 0);
    let [lo, hi] = [0, Math.hypot(...g.map((i) => y[i] as number))];
    for (let k = 0; k < 200; k++) {
      const mid = (lo + hi) / 2;
      if (f(mid) > 1) lo = mid;
      else hi = mid;
    }
    for (const i of g) x[i] = ((y[i] as number) * lo) / (lo + lambda * (s[i] as number));
  }
  return x;
}

/** Columns of a [rows, cols] matrix in row-major order: the output units of a Dense kernel. */
const columns = (rows: number, cols: number) =>
  Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => i * cols + j));

interface Reference {
  /** One step of the optimizer in float64: returns y (before the prox) and the step size per coordinate. */
  step(w: number[], g: number[]): { y: number[]; s: number[] };
}

function sgdReference(lr: number, momentum = 0): Reference {
  let m: number[] | null = null;
  return {
    step(w, g) {
      if (momentum === 0) return { y: w.map((v, i) => v - lr * (g[i] as number)), s: w.map(() => lr) };
      m = (m ?? w.map(() => 0)).map((mi, i) => momentum * mi - lr * (g[i] as number));
      return { y: w.map((v, i) => v + ((m as number[])[i] as number)), s: w.map(() => lr) };
    },
  };
}

function adamReference(lr: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-7): Reference {
  let t = 0;
  let m: number[] = [];
  let v: number[] = [];
  return {
    step(w, g) {
      t += 1;
      if (t === 1) [m, v] = [w.map(() => 0), w.map(() => 0)];
      m = m.map((mi, i) => mi + ((g[i] as number) - mi) * (1 - beta1));
      v = v.map((vi, i) => vi + ((g[i] as number) ** 2 - vi) * (1 - beta2));
      // Keras computes β2ᵗ in float32 (1 - β2ᵗ keeps few digits): so do the reference's powers.
      const f = Math.fround;
      const alpha = (lr * Math.sqrt(1 - f(f(beta2) ** t))) / (1 - f(f(beta1) ** t));
      const s = v.map((vi) => alpha / (Math.sqrt(vi) + eps));
      return { y: w.map((x, i) => x - (s[i] as number) * (m[i] as number)), s };
    },
  };
}

function rmspropReference(lr: number, rho = 0.9, eps = 1e-7): Reference {
  let v: number[] | null = null;
  return {
    step(w, g) {
      v = (v ?? w.map(() => 0)).map((vi, i) => rho * vi + (1 - rho) * (g[i] as number) ** 2);
      const s = v.map((vi) => lr / Math.sqrt(vi + eps));
      return { y: w.map((x, i) => x - (s[i] as number) * (g[i] as number)), s };
    },
  };
}

function adagradReference(lr: number, initial = 0.1, eps = 1e-7): Reference {
  let a: number[] | null = null;
  return {
    step(w, g) {
      a = (a ?? w.map(() => initial)).map((ai, i) => ai + (g[i] as number) ** 2);
      const s = a.map((ai) => lr / Math.sqrt(ai + eps));
      return { y: w.map((x, i) => x - (s[i] as number) * (g[i] as number)), s };
    },
  };
}

// Column 1 (a unit) and row 2 (an input) are small, so that groups reach 0.
const W0 = [0.8, -0.05, 0.3, -0.6, 0.02, 0.45, -0.03, 0.1, 0.07, -0.02, -0.5, 0.25];
const SHAPE = [4, 3];
/** Gradients of three steps, not proportional to each other. */
const GRADIENTS = [0, 1, 2].map((k) => W0.map((_, i) => (Math.sin(1.3 * i + 2.1 * k) * 0.4 + 0.05 * k) * 0.1));

interface Case {
  name: string;
  optimizer: () => optimizers.Optimizer;
  reference: () => Reference;
}

const OPTIMIZERS: Case[] = [
  { name: 'SGD', optimizer: () => new optimizers.SGD({ learningRate: 0.1 }), reference: () => sgdReference(0.1) },
  {
    name: 'SGD with momentum',
    optimizer: () => new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }),
    reference: () => sgdReference(0.1, 0.9),
  },
  { name: 'Adam', optimizer: () => new optimizers.Adam({ learningRate: 0.05 }), reference: () => adamReference(0.05) },
  {
    name: 'RMSprop',
    optimizer: () => new optimizers.RMSprop({ learningRate: 0.001 }),
    reference: () => rmspropReference(0.001),
  },
  {
    name: 'Adagrad',
    optimizer: () => new optimizers.Adagrad({ learningRate: 0.1 }),
    reference: () => adagradReference(0.1),
  },
];

const PENALTIES: {
  name: string;
  make: () => regularizers.Regularizer & regularizers.ProximalRegularizer;
  prox: Prox;
}[] = [
  {
    name: 'L1',
    make: () => new L1({ l1: 0.5, proximal: true }),
    prox: (y, s) => y.map((v, i) => soft(v, 0.5 * (s[i] as number))),
  },
  {
    name: 'L1L2',
    make: () => new L1L2({ l1: 0.3, l2: 0.2, proximal: true }),
    prox: (y, s) => y.map((v, i) => soft(v, 0.3 * (s[i] as number)) / (1 + 0.4 * (s[i] as number))),
  },
  {
    name: 'GroupLasso (units)',
    make: () => new regularizers.GroupLasso({ factor: 1, proximal: true }),
    prox: (y, s) => groupProx(y, s, columns(4, 3), 2),
  },
  {
    name: 'GroupLasso (inputs)',
    make: () => new regularizers.GroupLasso({ factor: 1, axis: 0, proximal: true }),
    prox: (y, s) =>
      groupProx(
        y,
        s,
        [0, 1, 2, 3].map((r) => [3 * r, 3 * r + 1, 3 * r + 2]),
        Math.sqrt(3),
      ),
  },
  {
    name: 'SparseGroupLasso',
    make: () => new regularizers.SparseGroupLasso({ factor: 0.2, l1: 0.3, proximal: true }),
    prox: (y, s) =>
      groupProx(
        y.map((v, i) => soft(v, 0.3 * (s[i] as number))),
        s,
        columns(4, 3),
        0.2 * 2,
      ),
  },
];

describeEachBackend('proximal updates', () => {
  for (const { name, optimizer, reference } of OPTIMIZERS) {
    for (const penalty of PENALTIES) {
      it(`${penalty.name} with ${name}: each of three steps is the float64 prox of the optimizer's step`, () => {
        const w = tf.variable(tf.tensor(W0, SHAPE));
        const opt = optimizer();
        const ref = reference();
        const regularizer = penalty.make();
        let expected = W0.slice();
        let zerosSeen = 0;
        for (const [k, g] of GRADIENTS.entries()) {
          const gradient = tf.tensor(g, SHAPE);
          const before = tf.memory().numTensors;
          const values = opt.applyGradientsWithPenalties([[gradient, w]], new Map(), new Map([[w, regularizer]]));
          assert.equal(values.size, 0);
          if (k > 0) assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
          const { y, s } = ref.step(expected, g);
          expected = penalty.prox(y, s);
          const got = Array.from(w.dataSync());
          assertAllClose(got, expected, { rtol: 2e-5, atol: 2e-6 }, `step ${k + 1}`);
          // Exact zeros where the reference has them.
          expected.forEach((e, i) => {
            if (e === 0) assert.equal(Math.abs(got[i] as number), 0, `weight ${i} at step ${k + 1} is exactly 0`);
          });
          zerosSeen += expected.filter((e) => e === 0).length;
          gradient.dispose();
        }
        assert.ok(zerosSeen > 0, 'the case reaches exact zeros');
        w.dispose();
        opt.dispose();
      });
    }
  }

  it('zeros stay exactly zero across steps while the gradient stays inside the threshold (SGD and Adam)', () => {
    for (const makeOptimizer of [
      () => new optimizers.SGD({ learningRate: 0.1, momentum: 0.5 }),
      () => new optimizers.Adam({ learningRate: 0.1 }),
    ]) {
      const opt = makeOptimizer();
      for (const regularizer of [
        new L1({ l1: 0.5, proximal: true }),
        new regularizers.GroupLasso({ factor: 0.5, proximal: true }),
      ]) {
        const w = tf.variable(
          tf.tensor([
            [0, 5],
            [0, -5],
          ]),
        );
        for (let step = 0; step < 6; step++) {
          // On the zero column |g| < λ(1 - momentum) = 0.25 (momentum's sum of past steps stays inside
          // the threshold; for Adam |m| < λ suffices).
          const g = tf.tensor([
            [0.2 * Math.cos(step), 0.2],
            [-0.15 * Math.sin(step + 1), 0.1],
          ]);
          opt.applyGradientsWithPenalties([[g, w]], new Map(), new Map([[w, regularizer]]));
          const [a, , c] = Array.from(w.dataSync()).map(Math.abs);
          assert.equal(a, 0, `step ${step}`);
          assert.equal(c, 0, `step ${step}`);
          g.dispose();
        }
        w.dispose();
      }
      opt.dispose();
    }
  });

  it('an LSTM kernel with gates: 4 zeroes a unit across its four gates at once', () => {
    const units = 3;
    const kernel = tf.variable(
      tf.tensor(
        Array.from({ length: 2 * 4 * units }, (_, i) => (i % units === 1 ? 0.01 : 1) * Math.cos(i)),
        [2, 4 * units],
      ),
    );
    const opt = new optimizers.SGD({ learningRate: 0.1 });
    const regularizer = new regularizers.GroupLasso({ factor: 0.2, gates: 4, proximal: true });
    const g = tf.zerosLike(kernel);
    opt.applyGradientsWithPenalties([[g, kernel]], new Map(), new Map([[kernel, regularizer]]));
    const norms = regularizers.groupNorms(kernel, { axis: -1, gates: 4 });
    const got = Array.from(norms.dataSync());
    assert.equal(Math.abs(got[1] as number), 0);
    assert.ok((got[0] as number) > 0 && (got[2] as number) > 0);
    // Every gate's column of unit 1 is 0.
    const values = kernel.arraySync() as number[][];
    for (const row of values)
      for (let gate = 0; gate < 4; gate++) assert.equal(Math.abs(row[gate * units + 1] as number), 0);
    tf.dispose([kernel, g, norms]);
    opt.dispose();
  });

  it('a training step: the proximal penalty is out of the gradient, in the logs and in layer.losses, and its prox follows the update', () => {
    const build = (kernelRegularizer: regularizers.Regularizer | null) => {
      const m = new models.Sequential([
        layers.Input({ shape: [4] }),
        new layers.Dense({ units: 3, kernelRegularizer, name: 'd' }),
      ]);
      m.setWeights([tf.tensor(W0, SHAPE), tf.tensor([0.1, -0.1, 0])]);
      m.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
      return m;
    };
    const x = tf.tensor2d([
      [1, 2, -1, 0.5],
      [0.3, -0.7, 0.2, 1],
    ]);
    const y = tf.tensor2d([
      [0.5, -1, 0.2],
      [1, 0.1, -0.3],
    ]);
    const regularizer = new regularizers.GroupLasso({ factor: 0.2, proximal: true });
    const [plain, proximal] = [build(null), build(regularizer)];
    const penaltyBefore = regularizer.apply(tf.tensor(W0, SHAPE)).dataSync()[0] as number;
    const plainLogs = plain.trainOnBatch(x, y) as Record<string, number>;
    const logs = proximal.trainOnBatch(x, y) as Record<string, number>;
    assertAllClose(logs.loss as number, (plainLogs.loss as number) + penaltyBefore, { rtol: 1e-5 });
    assertAllClose(logs.regularization_loss as number, penaltyBefore, { rtol: 1e-5 });
    // The plain model took y = w - lr·g_data: the proximal one is its block soft-thresholding.
    const y64 = Array.from((plain.weights[0] as tf.Variable).dataSync());
    const expected = groupProx(
      y64,
      y64.map(() => 0.1),
      columns(4, 3),
      0.2 * 2,
    );
    assertAllClose((proximal.weights[0] as tf.Variable).dataSync(), expected, { rtol: 1e-5, atol: 1e-6 });
    // layer.losses still reports the penalty of the weights as they are now.
    const [loss] = proximal.losses;
    const now = regularizer.apply(proximal.weights[0] as tf.Variable);
    assertAllClose(loss as tf.Tensor, now.dataSync()[0] as number);
    tf.dispose([loss as tf.Tensor, now]);
    // The optimizer is built now: a further step leaves nothing behind.
    const before = tf.memory().numTensors;
    proximal.trainOnBatch(x, y);
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    tf.dispose([x, y]);
    plain.dispose();
    proximal.dispose();
  });

  it('Embedding rows with proximal group lasso under AdamW (AMSGrad): the step is the prox of the plain step, unused rows shrink to 0', () => {
    const build = (embeddingsRegularizer: regularizers.Regularizer) => {
      const m = new models.Sequential([
        layers.Input({ shape: [2], dtype: 'int32' }),
        new layers.Embedding({ inputDim: 4, outputDim: 3, embeddingsRegularizer, name: 'e' }),
        new layers.Flatten(),
      ]);
      m.setWeights([tf.tensor(W0, SHAPE)]);
      const optimizer = new optimizers.AdamW({ learningRate: 0.05, amsgrad: true, weightDecay: 0.01 });
      m.compile({ optimizer, loss: 'mse' });
      return m;
    };
    const x = tf.tensor2d(
      [
        [0, 1],
        [1, 3],
      ],
      [2, 2],
      'int32',
    );
    const y = tf.tensor2d([
      [0.5, -1, 0.2, 1, 0.1, -0.3],
      [0.2, 0.4, -0.5, 0.3, 0.1, 0],
    ]);
    const proximal = build(new regularizers.GroupLasso({ factor: 0.05, axis: 0, proximal: true }));
    proximal.trainOnBatch(x, y);
    // float64: mse's gradient on the rows each sample reads, AdamW's decay, then Adam's first step (v̂ = v).
    const ids = [
      [0, 1],
      [1, 3],
    ];
    const targets = y.arraySync() as number[][];
    const g = W0.map(() => 0);
    for (const [b, row] of ids.entries()) {
      for (const [p, id] of row.entries()) {
        for (let k = 0; k < 3; k++) {
          const target = targets[b]?.[3 * p + k] as number;
          g[3 * id + k] = (g[3 * id + k] as number) + (2 * ((W0[3 * id + k] as number) - target)) / 12;
        }
      }
    }
    const alpha = (0.05 * Math.sqrt(1 - Math.fround(Math.fround(0.999)))) / (1 - Math.fround(Math.fround(0.9)));
    const s = g.map((gi) => alpha / (Math.sqrt(0.001 * gi * gi) + 1e-7));
    const y64 = W0.map((w, i) => w * (1 - 0.05 * 0.01) - (s[i] as number) * 0.1 * (g[i] as number));
    const rows = [0, 1, 2, 3].map((r) => [3 * r, 3 * r + 1, 3 * r + 2]);
    const expected = groupProx(y64, s, rows, 0.05 * Math.sqrt(3));
    assertAllClose((proximal.weights[0] as tf.Variable).dataSync(), expected, { rtol: 2e-5, atol: 2e-6 });
    // Row 2 is in no batch: its step size is alpha / ε, so the prox zeroes it at once.
    const row2 = Array.from((proximal.weights[0] as tf.Variable).dataSync()).slice(6, 9);
    assert.deepEqual(row2.map(Math.abs), [0, 0, 0]);
    tf.dispose([x, y]);
    proximal.dispose();
  });

  it('a proximal regularizer gives no gradient on a tape, but its value', () => {
    const x = tf.tensor([
      [1, -2],
      [0.5, 3],
    ]);
    for (const r of [
      new L1({ l1: 0.1, proximal: true }),
      new L1L2({ l1: 0.1, l2: 0.2, proximal: true }),
      new regularizers.GroupLasso({ proximal: true }),
      new regularizers.SparseGroupLasso({ proximal: true }),
    ]) {
      const g = tf.grad((w: tf.Tensor) => r.apply(w))(x);
      assert.deepEqual(Array.from(g.dataSync()), [0, 0, 0, 0]);
      const plain = regularizers.deserialize({
        class_name: r.constructor.name,
        config: { ...r.getConfig(), proximal: false },
      });
      assert.equal((plain as unknown as { proximal: boolean }).proximal, false);
      assertAllClose(r.apply(x), (plain as regularizers.Regularizer).apply(x));
      g.dispose();
    }
    x.dispose();
  });

  it('an optimizer without step sizes is refused before anything changes, naming it', () => {
    for (const [name, opt] of [
      ['Nadam', new optimizers.Nadam()],
      ['Lion', new optimizers.Lion()],
      ['Ftrl', new optimizers.Ftrl()],
    ] as const) {
      const w = tf.variable(tf.tensor([1, -1]));
      const g = tf.tensor([0.1, 0.1]);
      expectValueError(
        () => opt.applyGradientsWithPenalties([[g, w]], new Map(), new Map([[w, new L1({ proximal: true })]])),
        `Invalid value for argument optimizer: proximal regularizers (weight ${JSON.stringify(w.name)}) need the step size the optimizer used for each weight; expected SGD, Adam, AdamW, RMSprop or Adagrad (an optimizer with a known step size per weight). Received: optimizer=${name}`,
      );
      assert.deepEqual(Array.from(w.dataSync()), [1, -1]);
      assert.equal(opt.iterations, 0);
      tf.dispose([w, g]);
    }
    // Through fit: the model names its optimizer the same way.
    const m = new models.Sequential([
      layers.Input({ shape: [2] }),
      new layers.Dense({ units: 1, kernelRegularizer: new L1({ proximal: true }) }),
    ]);
    m.compile({ optimizer: new optimizers.Nadam(), loss: 'mse' });
    const [x, y] = [tf.ones([2, 2]), tf.ones([2, 1])];
    const before = m.getWeights();
    assert.throws(() => m.trainOnBatch(x, y), /Received: optimizer=Nadam$/);
    before.forEach((b, i) => {
      assert.deepEqual(Array.from((m.weights[i] as tf.Variable).dataSync()), Array.from(b.dataSync()));
    });
    tf.dispose([x, y, ...before]);
    m.dispose();
  });
});
