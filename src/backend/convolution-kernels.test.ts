/**
 * The fused kernels the wasm convolution and relu gradients are built on,
 * against their definitions written out here, and the gradients built on
 * them against tfjs's own on cpu.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { assertAllClose } from '../../test/helpers/allclose.js';
import { convolution } from '../ops/convolution.js';
import { setBackend } from './engine.js';
import { CONV_PATCHES_T, type ConvPatchesTAttrs, FLIP_KERNEL, RELU_GRAD, STRIDED_ROWS } from './fused-kernels.js';

/** out[(kd, kh, kw, c), (b, od, oh, ow)] = x[b, od*sd + kd*dd, oh*sh + kh*dh, ow*sw + kw*dw, c], by its definition. */
function patchesTByDefinition(values: Float32Array, shape: number[], attrs: ConvPatchesTAttrs): number[][] {
  const [batch, inD, inH, inW, channels] = shape as [number, number, number, number, number];
  const [kD, kH, kW] = attrs.kernelSize;
  const [sD, sH, sW] = attrs.strides;
  const [dD, dH, dW] = attrs.dilations;
  const out = (n: number, k: number, s: number, d: number) => Math.floor((n - (k - 1) * d - 1) / s) + 1;
  const [oD, oH, oW] = [out(inD, kD, sD, dD), out(inH, kH, sH, dH), out(inW, kW, sW, dW)];
  const rows: number[][] = [];
  for (let kd = 0; kd < kD; kd++)
    for (let kh = 0; kh < kH; kh++)
      for (let kw = 0; kw < kW; kw++)
        for (let c = 0; c < channels; c++) {
          const row: number[] = [];
          for (let b = 0; b < batch; b++)
            for (let od = 0; od < oD; od++)
              for (let oh = 0; oh < oH; oh++)
                for (let ow = 0; ow < oW; ow++) {
                  const at = [b, od * sD + kd * dD, oh * sH + kh * dH, ow * sW + kw * dW, c];
                  const [ib, id, ih, iw, ic] = at as [number, number, number, number, number];
                  row.push(values[(((ib * inD + id) * inH + ih) * inW + iw) * channels + ic] as number);
                }
          rows.push(row);
        }
  return rows;
}

describe('convolution kernels on wasm', () => {
  before(async () => {
    await setBackend('wasm');
  });

  it('patchesT copies every tap of every window: 2D and 3D, strides, dilations, 4k and other channel counts', () => {
    const cases: [number[], ConvPatchesTAttrs][] = [
      // Four channels at a time, 7 output columns: a vector block and a tail of 3.
      [[2, 1, 5, 10, 8], { kernelSize: [1, 2, 3], strides: [1, 1, 1], dilations: [1, 2, 1] }],
      [[1, 1, 7, 13, 4], { kernelSize: [1, 3, 2], strides: [1, 2, 2], dilations: [1, 1, 3] }],
      // Channels not a multiple of 4: one channel at a time.
      [[3, 1, 6, 6, 3], { kernelSize: [1, 3, 3], strides: [1, 1, 1], dilations: [1, 1, 1] }],
      [[2, 5, 4, 6, 4], { kernelSize: [2, 2, 3], strides: [2, 1, 1], dilations: [2, 1, 1] }],
      [[1, 4, 5, 5, 1], { kernelSize: [3, 2, 2], strides: [1, 2, 1], dilations: [1, 1, 2] }],
    ];
    for (const [shape, attrs] of cases) {
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => i + 0.5);
      const before = tf.memory().numTensors;
      const got = tf.tidy(() => {
        const x = tf.tensor(values, shape);
        const out = tf.engine().runKernel(CONV_PATCHES_T, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
        return out.arraySync() as number[][];
      });
      assert.deepEqual(got, patchesTByDefinition(values, shape, attrs), `${shape} ${JSON.stringify(attrs)}`);
      assert.equal(tf.memory().numTensors, before);
    }
  });

  it('flipKernel reverses every spatial axis and swaps the channels, as reverse + transpose do', () => {
    for (const shape of [
      [3, 3, 2, 5],
      [2, 3, 2, 1, 4],
      [4, 3, 2],
    ]) {
      const kernel = tf.tensor(
        Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => i),
        shape,
      );
      const axes = shape.slice(0, -2).map((_, i) => i);
      const expected = tf.transpose(tf.reverse(kernel, axes), [...axes, axes.length + 1, axes.length]);
      const got = tf.engine().runKernel(FLIP_KERNEL, { kernel }) as tf.Tensor;
      assert.deepEqual(got.shape, expected.shape);
      assert.deepEqual(Array.from(got.dataSync()), Array.from(expected.dataSync()), `${shape}`);
      tf.dispose([kernel, expected, got]);
    }
  });

  it('stridedRows takes every step-th row from first, in every outer block, as a strided slice does; its gradient scatters back', () => {
    const x = tf.tensor3d(
      Array.from({ length: 3 * 11 * 5 }, (_, i) => i),
      [3, 11, 5],
    );
    for (const [first, step, count] of [
      [0, 1, 11],
      [2, 1, 4],
      [1, 3, 4],
      [10, 1, 1],
      [0, 5, 3],
    ] as const) {
      const got = tf.engine().runKernel(STRIDED_ROWS, { x }, { first, step, count }) as tf.Tensor;
      const expected = tf.stridedSlice(x, [0, first, 0], [3, first + (count - 1) * step + 1, 5], [1, step, 1]);
      assert.deepEqual(got.arraySync(), expected.arraySync(), `first ${first}, step ${step}, count ${count}`);
      // Gradient: each taken row gets its upstream gradient back, every other row 0.
      const upstream = tf.range(1, got.size + 1).reshape(got.shape);
      const grad = tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(tf.engine().runKernel(STRIDED_ROWS, { x: t }, { first, step, count }) as tf.Tensor, upstream)),
      )(x);
      const up = upstream.arraySync() as number[][][];
      const expectedGrad = Array.from({ length: 3 }, (_, o) =>
        Array.from({ length: 11 }, (_, r) => {
          const i = (r - first) / step;
          const taken = Number.isInteger(i) && i >= 0 && i < count;
          return Array.from({ length: 5 }, (_, c) => (taken ? (up[o]?.[i]?.[c] as number) : 0));
        }),
      );
      assert.deepEqual(grad.arraySync(), expectedGrad, `gradient: first ${first}, step ${step}, count ${count}`);
      tf.dispose([got, expected, upstream, grad]);
    }
    x.dispose();
  });

  it("reluGrad gives dy where x > 0, 0 at and below 0, NaN for NaN: tfjs's dy * step(x), ragged lengths too", async () => {
    const xs = [3, -2, 0, Number.NaN, 1e-30, -0, 7, -1e-30, 5, 0.5, -4];
    const dys = xs.map((_, i) => (i + 1) * 1.5);
    for (const n of [11, 8, 3]) {
      const x = xs.slice(0, n);
      const dy = dys.slice(0, n);
      const got = tf.tidy(() =>
        Array.from(
          (tf.engine().runKernel(RELU_GRAD, { x: tf.tensor1d(x), dy: tf.tensor1d(dy) }) as tf.Tensor).dataSync(),
        ),
      );
      await setBackend('cpu');
      const expected = tf.tidy(() =>
        Array.from(
          tf
            .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), tf.tensor1d(dy))))(tf.tensor1d(x))
            .dataSync(),
        ),
      );
      await setBackend('wasm');
      assert.deepEqual(got, expected, `n = ${n}`);
    }
  });

  it('a relu and a convolution differentiate as on cpu; a first layer computes no input gradient', async () => {
    const x = Array.from({ length: 2 * 9 * 11 * 8 }, (_, i) => Math.sin(i * 0.37));
    const k = Array.from({ length: 3 * 3 * 8 * 12 }, (_, i) => Math.cos(i * 0.11) * 0.3);
    const gradients = () =>
      tf.tidy(() => {
        const input = tf.tensor4d(x, [2, 9, 11, 8]);
        const kernel = tf.variable(tf.tensor4d(k, [3, 3, 8, 12]));
        const f = (t: tf.Tensor) => tf.sum(tf.square(tf.relu(convolution(t, kernel, [2, 1], 'valid', [1, 1]))));
        const inputGrad = tf.grad(f)(input);
        const { value, grads } = tf.variableGrads(() => f(input) as tf.Scalar, [kernel]);
        const out = [value, inputGrad, grads[kernel.name] as tf.Tensor].map((t) => Array.from(t.dataSync()));
        kernel.dispose();
        return out;
      });
    await setBackend('cpu');
    const cpu = gradients();
    await setBackend('wasm');
    const before = tf.memory().numTensors;
    const wasm = gradients();
    assert.equal(tf.memory().numTensors, before);
    wasm.forEach((values, j) => {
      assertAllClose(values, cpu[j] as ArrayLike<number>, { rtol: 1e-4, atol: 1e-4 }, `output ${j}`);
    });
    // Only the kernel's gradient: no Conv2D runs backward for the input.
    const profile = await tf.profile(() => {
      const kernel = tf.variable(tf.tensor4d(k, [3, 3, 8, 12]));
      const input = tf.tensor4d(x, [2, 9, 11, 8]);
      tf.dispose(
        tf.variableGrads(() => tf.sum(convolution(input, kernel, [1, 1], 'valid', [1, 1])) as tf.Scalar, [kernel])
          .grads,
      );
      tf.dispose([kernel, input]);
    });
    const names = profile.kernels.map((kernel) => kernel.name);
    assert.ok(names.includes(CONV_PATCHES_T), `${names}`);
    assert.ok(!names.includes('Conv2D'), `an input gradient ran: ${names}`);
  });
});
