/**
 * Every trainable layer's gradients (input, kernel, bias) against float64
 * finite differences of a reference forward pass, on cpu and wasm. `wasm`
 * lacks the Conv2D kernel-gradient kernel and computes the Conv3D input
 * gradient wrongly; the layers build both gradients from forward convolutions.
 */
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { numericGradient, randomValues } from './helpers/reference.js';
import * as reference from './helpers/reference-layers.js';

interface Case {
  label: string;
  make: () => layers.KernelBiasLayer;
  inputShape: number[];
  forward: (x: Float64Array, kernel: Float64Array, bias: Float64Array, kernelShape: number[]) => Float64Array;
}

function convCase(
  label: string,
  rank: 1 | 2 | 3,
  inputShape: number[],
  filters: number,
  kernelSize: number[],
  spec: Partial<reference.ConvSpec>,
  activation: 'linear' | 'relu' = 'linear',
): Case {
  const full: reference.ConvSpec = {
    strides: spec.strides ?? kernelSize.map(() => 1),
    dilations: spec.dilations ?? kernelSize.map(() => 1),
    padding: spec.padding ?? 'valid',
    groups: spec.groups ?? 1,
  };
  const Layer = { 1: layers.Conv1D, 2: layers.Conv2D, 3: layers.Conv3D }[rank];
  return {
    label,
    inputShape,
    make: () =>
      new Layer({
        filters,
        kernelSize,
        strides: full.strides,
        dilationRate: full.dilations,
        padding: full.padding,
        groups: full.groups,
        activation,
      }),
    forward: (x, kernel, bias, kernelShape) => {
      const y = reference.conv(x, inputShape, kernel, kernelShape, bias, full).values;
      return activation === 'relu' ? y.map((v) => Math.max(v, 0)) : y;
    },
  };
}

const CASES: Case[] = [
  {
    label: 'Dense on rank-2 input',
    inputShape: [3, 4],
    make: () => new layers.Dense({ units: 3 }),
    forward: (x, kernel, bias) => reference.dense(x, 3, kernel, bias, 3),
  },
  {
    // relu fused into the matmul; rows of a rank-3 input flattened into one matmul.
    label: 'Dense relu on rank-3 input',
    inputShape: [2, 3, 4],
    make: () => new layers.Dense({ units: 5, activation: 'relu' }),
    forward: (x, kernel, bias) => reference.dense(x, 6, kernel, bias, 5).map((v) => Math.max(v, 0)),
  },
  convCase('Conv1D valid', 1, [2, 7, 3], 2, [3], {}),
  convCase('Conv1D same, strides 2', 1, [2, 8, 2], 3, [3], { padding: 'same', strides: [2] }),
  convCase('Conv1D causal, dilation 2', 1, [2, 7, 2], 2, [2], { padding: 'causal', dilations: [2] }),
  convCase('Conv2D valid', 2, [2, 5, 4, 2], 3, [3, 2], {}),
  convCase('Conv2D same, strides 2', 2, [1, 5, 6, 2], 2, [3, 3], { padding: 'same', strides: [2, 2] }),
  convCase('Conv2D valid, strides (2, 1), uneven cover', 2, [1, 6, 5, 1], 2, [2, 2], { strides: [2, 1] }),
  convCase('Conv2D same, dilation 2', 2, [1, 6, 5, 2], 2, [2, 3], { padding: 'same', dilations: [2, 2] }),
  convCase('Conv2D groups 2', 2, [1, 4, 4, 4], 4, [2, 2], { groups: 2 }),
  convCase('Conv3D valid', 3, [1, 4, 3, 4, 2], 2, [2, 2, 2], {}),
  convCase('Conv3D same, strides 2', 3, [1, 5, 4, 3, 1], 2, [3, 2, 2], { padding: 'same', strides: [2, 2, 2] }),
  convCase('Conv3D valid, dilation 2', 3, [1, 5, 5, 4, 1], 2, [2, 2, 2], { dilations: [2, 2, 2] }),
  // Channels a multiple of 4 (wasm's patches kernel takes them four at a time) and relu fused into the convolution.
  convCase('Conv2D relu, 8 channels, strides 2', 2, [2, 7, 11, 8], 4, [2, 3], { strides: [2, 2] }, 'relu'),
  convCase('Conv2D 8 channels, dilation (1, 2)', 2, [1, 6, 13, 8], 3, [2, 3], { dilations: [1, 2] }),
  convCase('Conv1D relu, same', 1, [2, 9, 4], 3, [3], { padding: 'same' }, 'relu'),
  convCase('Conv3D relu, 4 channels', 3, [1, 4, 5, 7, 4], 2, [2, 2, 3], {}, 'relu'),
];

describeEachBackend('layer gradients against float64 finite differences', () => {
  for (const testCase of CASES) {
    it(testCase.label, () => {
      const layer = testCase.make();
      layer.ensureBuilt(testCase.inputShape);
      const kernel = layer.kernel as tf.Variable;
      const bias = layer.bias as tf.Variable;
      const kernelShape = [...kernel.shape];
      const xValues = randomValues(
        testCase.inputShape.reduce((a, b) => a * b, 1),
        1,
      );
      const kernelValues = randomValues(kernel.size, 2);
      const biasValues = randomValues(bias.size, 3);
      layer.setWeights([tf.tensor(kernelValues, kernel.shape), tf.tensor(biasValues, bias.shape)]);

      // L = sum(y * r) for a fixed r, so every output position matters.
      const outputSize = testCase.forward(
        Float64Array.from(xValues),
        Float64Array.from(kernelValues),
        Float64Array.from(biasValues),
        kernelShape,
      ).length;
      const r = randomValues(outputSize, 4);
      const loss = (x: Float64Array, k: Float64Array, b: Float64Array) =>
        testCase.forward(x, k, b, kernelShape).reduce((sum, y, i) => sum + y * (r[i] as number), 0);

      const [gx, gk, gb] = tf.tidy(() => {
        const x = tf.tensor(xValues, testCase.inputShape);
        const weights = tf.tensor(r, (layer.apply(x) as tf.Tensor).shape);
        const f = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, weights)) as tf.Scalar;
        const inputGrad = tf.grad(f)(x).dataSync();
        const { grads } = tf.variableGrads(() => f(x), [kernel, bias]);
        return [inputGrad, (grads[kernel.name] as tf.Tensor).dataSync(), (grads[bias.name] as tf.Tensor).dataSync()];
      }) as unknown as [Float32Array, Float32Array, Float32Array];

      const x64 = Float64Array.from(xValues);
      const k64 = Float64Array.from(kernelValues);
      const b64 = Float64Array.from(biasValues);
      const tolerance = { rtol: 1e-3, atol: 1e-4 };
      assertAllClose(
        gx,
        numericGradient((x) => loss(x, k64, b64), x64),
        tolerance,
        'input',
      );
      assertAllClose(
        gk,
        numericGradient((k) => loss(x64, k, b64), k64),
        tolerance,
        'kernel',
      );
      assertAllClose(
        gb,
        numericGradient((b) => loss(x64, k64, b), b64),
        tolerance,
        'bias',
      );
      layer.dispose();
    });
  }
});
