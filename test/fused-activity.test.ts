/**
 * A Conv or Dense layer's built-in activity regularizer computed with the
 * convolution or matmul on wasm (value in the same kernel, gradient folded into the
 * convolution's) gives what the separate penalty gives on cpu: the loss in
 * `layer.losses`, and every gradient, whatever weight the loss puts on the
 * penalty (none included).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers, regularizers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';

interface Case {
  label: string;
  make: () => layers.Layer;
  inputShape: number[];
}

const CASES: Case[] = [
  {
    label: 'Conv2D relu, L1L2 activity',
    make: () =>
      new layers.Conv2D({
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
        activityRegularizer: new regularizers.L1L2({ l1: 0.01, l2: 0.02 }),
      }),
    inputShape: [3, 9, 10, 4],
  },
  {
    label: 'Conv2D linear, L2 activity, strides 2, same',
    make: () =>
      new layers.Conv2D({
        filters: 4,
        kernelSize: [2, 3],
        strides: 2,
        padding: 'same',
        activityRegularizer: 'l2',
      }),
    inputShape: [2, 7, 9, 3],
  },
  {
    label: 'Conv1D relu, L1 activity, no bias',
    make: () =>
      new layers.Conv1D({ filters: 5, kernelSize: 3, activation: 'relu', useBias: false, activityRegularizer: 'l1' }),
    inputShape: [2, 11, 4],
  },
  {
    // 2 x 9 x 3 outputs: not a multiple of 4, and L1's sign on values of both signs.
    label: 'Conv1D linear, L1L2 activity, 3 filters',
    make: () =>
      new layers.Conv1D({
        filters: 3,
        kernelSize: 3,
        activityRegularizer: new regularizers.L1L2({ l1: 0.03, l2: 0.01 }),
      }),
    inputShape: [2, 11, 4],
  },
  {
    label: 'Dense relu, L2 activity',
    make: () => new layers.Dense({ units: 6, activation: 'relu', activityRegularizer: new regularizers.L2(0.02) }),
    inputShape: [5, 7],
  },
  {
    // 4 x 3 x 5 outputs through a flattened matmul; L1's sign on values of both signs.
    label: 'Dense linear on rank-3 input, L1L2 activity, no bias',
    make: () =>
      new layers.Dense({
        units: 5,
        useBias: false,
        activityRegularizer: new regularizers.L1L2({ l1: 0.03, l2: 0.01 }),
      }),
    inputShape: [4, 3, 2],
  },
];

/** Penalty value, then the gradients of `sum(y * r) + penaltyWeight * penalty` for input, kernel and bias. */
function run(testCase: Case, penaltyWeight: number): number[][] {
  return tf.tidy(() => {
    const layer = testCase.make();
    layer.ensureBuilt(testCase.inputShape);
    const size = testCase.inputShape.reduce((a, b) => a * b);
    const x = tf.tensor(
      Array.from({ length: size }, (_, i) => Math.sin(i * 0.7)),
      testCase.inputShape,
    );
    const weights = layer.trainableWeights;
    layer.setWeights(
      weights.map((w, k) =>
        tf.tensor(
          Array.from({ length: w.size }, (_, i) => Math.cos(i * 0.3 + k)),
          w.shape,
        ),
      ),
    );
    const r = tf.tidy(() => {
      const y = layer.apply(x) as tf.Tensor;
      return tf.tensor(
        Array.from({ length: y.size }, (_, i) => Math.cos(i * 1.1)),
        y.shape,
      );
    });
    const loss = (input: tf.Tensor) => {
      const y = layer.apply(input) as tf.Tensor;
      const [penalty] = layer.losses as tf.Scalar[];
      return tf.add(tf.sum(tf.mul(y, r)), tf.mul(penaltyWeight, penalty as tf.Scalar)) as tf.Scalar;
    };
    const inputGrad = tf.grad(loss)(x);
    const { grads } = tf.variableGrads(() => loss(x), weights);
    const penalty = (layer.losses[0] as tf.Scalar).dataSync()[0] as number;
    const out = [[penalty], Array.from(inputGrad.dataSync())];
    for (const w of weights) out.push(Array.from((grads[w.name] as tf.Tensor).dataSync()));
    layer.dispose();
    return out;
  }) as unknown as number[][];
}

describe('activity penalties computed with the convolution or matmul on wasm', () => {
  for (const testCase of CASES) {
    it(`${testCase.label}: the penalty and every gradient as on cpu, penalty weight 1, 0.5 and 0`, async () => {
      for (const penaltyWeight of [1, 0.5, 0]) {
        await backend.setBackend('cpu');
        const cpu = run(testCase, penaltyWeight);
        await backend.setBackend('wasm');
        const before = tf.memory().numTensors;
        const profile = await tf.profile(() => void run(testCase, penaltyWeight));
        const wasm = run(testCase, penaltyWeight);
        assert.equal(tf.memory().numTensors, before, 'tensors leaked');
        const names = profile.kernels.map((kernel) => kernel.name);
        assert.ok(names.includes('KerasRegularizersActivityGrad'), `the fused gradient did not run: ${names}`);
        assert.ok(!names.includes('KerasRegularizersL1L2Penalty'), `a separate penalty ran: ${names}`);
        wasm.forEach((values, k) => {
          assertAllClose(
            values,
            cpu[k] as number[],
            { rtol: 1e-4, atol: 1e-5 },
            `weight ${penaltyWeight}, output ${k}`,
          );
        });
      }
    });
  }
});
