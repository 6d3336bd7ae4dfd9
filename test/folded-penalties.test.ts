/**
 * On `wasm` a training step folds plain L1/L2/L1L2 penalties into the
 * optimizer's update (one fused pass) and computes L1/L2 activity penalties
 * with their gradient in one pass. Each must train exactly as the plain
 * autodiff path does: here the same regularizers written as subclasses that
 * change `apply` (which the fast paths leave alone) are the reference.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { backend, L1, L1L2, L2, layers, models, ops, optimizers, type Regularizer } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';

type Optimizer = optimizers.Optimizer;

/** The same formula as L1L2, through the tape: `apply` is its own, so no fast path takes it. */
class TapeL1L2 extends L1L2 {
  override apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      let total: tf.Tensor = tf.scalar(0);
      if (this.l1 !== 0) total = ops.add(total, ops.multiply(this.l1, ops.sum(ops.absolute(x))));
      if (this.l2 !== 0) total = ops.add(total, ops.multiply(this.l2, ops.sum(ops.square(x))));
      return total as tf.Scalar;
    });
  }
}

type Kind = 'l1' | 'l2' | 'l1l2';
const FACTORS: Record<Kind, [number, number]> = { l1: [0.01, 0], l2: [0, 0.02], l1l2: [0.01, 0.02] };

function fast(kind: Kind): Regularizer {
  const [l1, l2] = FACTORS[kind];
  return kind === 'l1' ? new L1(l1) : kind === 'l2' ? new L2(l2) : new L1L2(l1, l2);
}

function tape(kind: Kind): Regularizer {
  const [l1, l2] = FACTORS[kind];
  return new TapeL1L2(l1, l2);
}

const OPTIMIZERS: Record<string, () => Optimizer> = {
  sgd: () => new optimizers.SGD({ learningRate: 0.1 }),
  'sgd momentum': () => new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }),
  'sgd weight decay': () => new optimizers.SGD({ learningRate: 0.1, weightDecay: 0.05 }),
  adam: () => new optimizers.Adam({ learningRate: 0.01 }),
};

function model(regularizer: (kind: Kind) => Regularizer, kind: Kind, optimizer: Optimizer): models.Sequential {
  const m = new models.Sequential([
    layers.Input({ shape: [5] }),
    new layers.Dense({
      name: 'hidden',
      units: 7,
      activation: 'relu',
      kernelRegularizer: regularizer(kind),
      biasRegularizer: regularizer(kind),
      activityRegularizer: regularizer(kind),
    }),
    new layers.Dense({ name: 'out', units: 3, activation: 'softmax', kernelRegularizer: regularizer(kind) }),
  ]);
  // Weights with exact zeros, where sign's gradient is 0.
  m.setWeights(
    m.weights.map((w, i) =>
      tf.tensor(
        Array.from({ length: w.size }, (_, k) => (k % 6 === 0 ? 0 : Math.sin(k + i))),
        w.shape,
      ),
    ),
  );
  m.compile({ optimizer, loss: 'sparse_categorical_crossentropy' });
  return m;
}

describe('fast penalty paths on wasm', () => {
  const x = () =>
    tf.tensor2d(
      Array.from({ length: 4 * 5 }, (_, i) => Math.cos(i * 0.7)),
      [4, 5],
    );
  const y = () => tf.tensor1d([0, 2, 1, 2]);

  for (const kind of ['l1', 'l2', 'l1l2'] as const) {
    for (const [name, makeOptimizer] of Object.entries(OPTIMIZERS)) {
      it(`${kind} with ${name}: three steps give the plain path's logs and weights`, async () => {
        await backend.setBackend('wasm');
        const [xs, ys] = [x(), y()];
        const [ours, reference] = [model(fast, kind, makeOptimizer()), model(tape, kind, makeOptimizer())];
        let before = 0;
        for (let step = 0; step < 3; step++) {
          // After the first step: optimizer slots are made then.
          if (step === 1) before = tf.memory().numTensors;
          const [a, b] = [ours.trainOnBatch(xs, ys), reference.trainOnBatch(xs, ys)];
          assert.deepEqual(Object.keys(a), Object.keys(b));
          assertAllClose(Object.values(a), Object.values(b), { rtol: 1e-5, atol: 1e-7 }, `logs at step ${step}`);
        }
        assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
        ours.weights.forEach((w, i) => {
          assertAllClose(w.dataSync(), (reference.weights[i] as tf.Variable).dataSync(), { rtol: 1e-5, atol: 1e-7 });
        });
        ours.dispose();
        reference.dispose();
        tf.dispose([xs, ys]);
      });
    }
  }

  it('the fast kernels are the ones that run: the fused SGD step, and the penalty kernel with other optimizers', async () => {
    await backend.setBackend('wasm');
    const [xs, ys] = [x(), y()];
    for (const [name, expected] of [
      ['sgd', 'KerasRegularizersSgdL1L2'],
      ['adam', 'KerasRegularizersL1L2Penalty'],
    ] as const) {
      const m = model(fast, 'l1l2', (OPTIMIZERS[name] as () => Optimizer)());
      const profile = await tf.profile(() => void m.trainOnBatch(xs, ys));
      const names = new Set(profile.kernels.map((k) => k.name));
      assert.ok(names.has(expected), `${name}: ${[...names].join(', ')}`);
      m.dispose();
    }
    tf.dispose([xs, ys]);
  });

  it('a penalized weight with no loss gradient still steps by the penalty alone: w - lr * 2 * l2 * w', async () => {
    await backend.setBackend('wasm');
    const w = tf.variable(tf.tensor1d([1, -2, 0, 4]));
    const sgd = new optimizers.SGD({ learningRate: 0.5 });
    const values = sgd.applyGradientsWithPenalties([[undefined, w]], new Map([[w, { l1: 0, l2: 0.25 }]]));
    // Penalty 0.25 * (1 + 4 + 0 + 16); each weight times 1 - 0.5 * 2 * 0.25.
    assertAllClose([(values.get(w) as tf.Scalar).dataSync()[0] as number], [5.25]);
    assertAllClose(w.dataSync(), [0.75, -1.5, 0, 3]);
    tf.dispose([...values.values(), w]);
    sgd.dispose();
  });
});
