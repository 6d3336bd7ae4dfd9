/**
 * The tfjs gaps the library works around, found by test: if tfjs changes,
 * these say so. Each is paired with the library's answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { backend, L1, L2, layers, ops } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';

describe('tfjs gaps on wasm', () => {
  it("stock Conv2D training throws on wasm (no Conv2DBackpropFilter); a Conv2D layer's gradient works", async () => {
    await backend.setBackend('wasm');
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const w = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
    assert.throws(
      () => tf.grad((k: tf.Tensor) => tf.sum(tf.conv2d(x, k as tf.Tensor4D, 1, 'valid')))(w),
      /Conv2DBackpropFilter' not registered for backend 'wasm'/,
    );
    const layer = new layers.Conv2D({ filters: 1, kernelSize: 2, kernelInitializer: 'ones', useBias: false });
    layer.ensureBuilt([1, 4, 4, 1]);
    const grad = tf.tidy(() => {
      const { grads } = tf.variableGrads(
        () => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar,
        layer.trainableWeights,
      );
      return Array.from((Object.values(grads)[0] as tf.Tensor).dataSync());
    });
    // Each kernel tap sees 3 x 3 ones.
    assert.deepEqual(grad, [9, 9, 9, 9]);
    tf.dispose([x, w]);
    layer.dispose();
  });

  it("stock Conv3D input gradient is wrong on wasm; the Conv3D layer's matches cpu", async () => {
    const x = tf.tensor(
      Array.from({ length: 2 * 4 * 4 * 4 * 2 }, (_, i) => Math.sin(i)),
      [2, 4, 4, 4, 2],
    ) as tf.Tensor5D;
    const w = tf.tensor(
      Array.from({ length: 2 * 2 * 2 * 2 * 3 }, (_, i) => Math.cos(i)),
      [2, 2, 2, 2, 3],
    ) as tf.Tensor5D;
    const stock = () =>
      tf.tidy(() =>
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.square(tf.conv3d(t as tf.Tensor5D, w, 1, 'valid'))))(x)
          .dataSync(),
      );
    const layer = new layers.Conv3D({ filters: 3, kernelSize: 2, useBias: false });
    layer.ensureBuilt([2, 4, 4, 4, 2]);
    layer.setWeights([w]);
    const ours = () =>
      tf.tidy(() =>
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.square(layer.apply(t) as tf.Tensor)))(x)
          .dataSync(),
      );
    await backend.setBackend('cpu');
    const [stockCpu, oursCpu] = [stock(), ours()];
    await backend.setBackend('wasm');
    const [stockWasm, oursWasm] = [stock(), ours()];
    assertAllClose(stockCpu, oursCpu, { rtol: 1e-4, atol: 1e-4 }, 'cpu');
    assertAllClose(oursWasm, oursCpu, { rtol: 1e-4, atol: 1e-4 }, 'ours on wasm');
    const worst = Math.max(...Array.from(stockWasm, (v, i) => Math.abs(v - (stockCpu[i] as number))));
    assert.ok(worst > 1e-2, `wasm's own Conv3D input gradient is now right (max diff ${worst}): the workaround may go`);
    tf.dispose([x, w]);
    layer.dispose();
  });
});

describe('sign on wasm', () => {
  it("stock Sign gives 0 for tiny non-zero values on wasm; L1's gradient is still ±l1 there", async () => {
    await backend.setBackend('wasm');
    const x = tf.tensor([1e-7, -1e-7, 0]);
    assert.deepEqual(Array.from(tf.sign(x).dataSync()), [0, 0, 0], "wasm's Sign is now right: the workaround may go");
    const grad = tf.tidy(() =>
      Array.from(
        tf
          .grad((t: tf.Tensor) => new L1(0.5).apply(t))(x)
          .dataSync(),
      ),
    );
    assert.deepEqual(grad, [0.5, -0.5, 0]);
    x.dispose();
  });
});

describe('matmul gradients on wasm', () => {
  it('take explicit transposes (fast path) and equal the cpu gradients for every transpose flag', async () => {
    const a = tf.tensor(
      Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)),
      [3, 4],
    );
    const b = tf.tensor(
      Array.from({ length: 12 }, (_, i) => Math.cos(i + 1)),
      [4, 3],
    );
    const gradients = () =>
      [false, true].flatMap((transposeA) =>
        [false, true].map((transposeB) =>
          tf.tidy(() => {
            const [x, y] = [transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b];
            const [ga, gb] = tf.grads((p: tf.Tensor, q: tf.Tensor) =>
              tf.sum(tf.square(tf.matMul(p, q, transposeA, transposeB))),
            )([x, y]);
            return [...(ga as tf.Tensor).dataSync(), ...(gb as tf.Tensor).dataSync()];
          }),
        ),
      );
    await backend.setBackend('cpu');
    const onCpu = gradients();
    await backend.setBackend('wasm');
    const onWasm = gradients();
    onWasm.forEach((g, i) => {
      assertAllClose(g, onCpu[i] as number[], { rtol: 1e-5, atol: 1e-5 }, `case ${i}`);
    });
    tf.dispose([a, b]);
  });
});

describeEachBackend('gradients tfjs lacks', () => {
  it('comparisons feeding a where, and divideNoNan, differentiate as in Keras', () => {
    const grads = tf.tidy(() => {
      const x = tf.tensor([-1, 2, 3]);
      const relu = tf.grad((t: tf.Tensor) => tf.sum(tf.where(tf.greater(t, 0), t, tf.zerosLike(t))))(x);
      const ratio = tf.grad((t: tf.Tensor) => tf.sum(ops.divideNoNan(t, tf.tensor([2, 0, 4]))))(x);
      // Broadcast: d/db sum(x / b) = -sum(x) / b² for a scalar b.
      const byScalar = tf.grad((b: tf.Tensor) => tf.sum(ops.divideNoNan(x, b)))(tf.scalar(2));
      return [Array.from(relu.dataSync()), Array.from(ratio.dataSync()), Array.from(byScalar.dataSync())];
    });
    assert.deepEqual(grads, [[0, 1, 1], [0.5, 0, 0.25], [-4 / 4]]);
  });

  it('the activity penalty has a gradient with respect to the weights', () => {
    const dense = new layers.Dense({ units: 1, kernelInitializer: 'ones', activityRegularizer: new L2(0.5) });
    const x = tf.tensor([[1, 2]]);
    dense.ensureBuilt([1, 2]);
    const grad = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        dense.apply(x);
        return ops.sum(dense.losses) as tf.Scalar;
      }, [dense.kernel as tf.Variable]);
      return Array.from((Object.values(grads)[0] as tf.Tensor).dataSync());
    });
    // penalty = 0.5 * (w1 + 2 w2)² / 1 at w = (1, 1): d/dw = (1 + 2) * (1, 2) = (3, 6)
    assert.deepEqual(grad, [3, 6]);
    x.dispose();
    dense.dispose();
  });
});
