/** Keras-named ops: values worked out by hand, and the gradients that differ from tfjs's own. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { ops, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertNoLeak } from './helpers/leaks.js';

function values(t: tf.Tensor): number[] {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

describeEachBackend('ops', () => {
  it('convertToTensor makes float32 from numbers and returns tensors as is', () => {
    const t = ops.convertToTensor([1, 2]);
    assert.equal(t.dtype, 'float32');
    assert.equal(ops.convertToTensor(t), t);
    const ints = ops.convertToTensor(t, 'int32');
    assert.equal(ints.dtype, 'int32');
    tf.dispose([t, ints]);
  });

  it('creation and shape ops', () => {
    assert.deepEqual(values(ops.ones([2, 2])), [1, 1, 1, 1]);
    assert.deepEqual(values(ops.zeros([3])), [0, 0, 0]);
    assert.deepEqual(values(ops.eye(2)), [1, 0, 0, 1]);
    assert.deepEqual(values(ops.eye(2, 3)), [1, 0, 0, 0, 1, 0]);
    const m = tf.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    assert.deepEqual(ops.shape(m), [2, 3]);
    assert.deepEqual(values(ops.transpose(m)), [1, 4, 2, 5, 3, 6]);
    assert.deepEqual(ops.reshape(m, [3, 2]).shape, [3, 2]);
    m.dispose();
  });

  it('matmul follows NumPy for rank 1 and 2', () => {
    const a = [
      [1, 2],
      [3, 4],
    ];
    assert.deepEqual(values(ops.matmul(a, [[5], [6]])), [17, 39]);
    assert.deepEqual(values(ops.matmul([1, 2], a)), [7, 10]);
    assert.deepEqual(values(ops.matmul(a, [1, 2])), [5, 11]);
    assert.deepEqual(values(ops.matmul([1, 2], [3, 4])), [11]);
  });

  it('arithmetic, divideNoNan, maximum, square, sqrt, cast', () => {
    assert.deepEqual(values(ops.add([1, 2], 1)), [2, 3]);
    assert.deepEqual(values(ops.subtract([1, 2], [2, 2])), [-1, 0]);
    assert.deepEqual(values(ops.multiply(2, [1.5, -1])), [3, -2]);
    assert.deepEqual(values(ops.divide([1, 3], 2)), [0.5, 1.5]);
    assert.deepEqual(values(ops.divideNoNan([1, 3, 0], [0, 2, 0])), [0, 1.5, 0]);
    assert.deepEqual(values(ops.maximum([1, 5], 3)), [3, 5]);
    assert.deepEqual(values(ops.square([-3])), [9]);
    assert.deepEqual(values(ops.sqrt([16])), [4]);
    assert.equal(ops.cast([1.7], 'int32').dtype, 'int32');
  });

  it('sum and mean over axes, and sum over a list of scalar losses', () => {
    const m = tf.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    assert.deepEqual(values(ops.sum(m)), [21]);
    assert.deepEqual(values(ops.sum(m, 1)), [6, 15]);
    assert.deepEqual(ops.sum(m, 0, true).shape, [1, 3]);
    assert.deepEqual(values(ops.mean(m, 0)), [2.5, 3.5, 4.5]);
    const losses = [tf.scalar(0.25), tf.scalar(5)];
    assert.deepEqual(values(ops.sum(losses)), [5.25]);
    assert.deepEqual(values(ops.sum([tf.scalar(2), 3])), [5]);
    assert.deepEqual(values(ops.sum([])), [0]);
    tf.dispose([m, ...losses]);
  });

  it('absolute (and abs) has gradient sign(x): 0 at 0, unlike tfjs abs', () => {
    assert.equal(ops.abs, ops.absolute);
    assert.deepEqual(values(ops.absolute([-2, 0, 3])), [2, 0, 3]);
    const grad = tf.tidy(() => values(tf.grad((x: tf.Tensor) => tf.sum(ops.absolute(x)))(tf.tensor([-2, 0, 3]))));
    assert.deepEqual(grad, [-1, 0, 1]);
  });

  it('normalize gives unit rows, keeps a zero row zero with a finite gradient', () => {
    const x = tf.tensor([3, 4, 0, 0], [2, 2]);
    assertAllClose(ops.normalize(x, 1), [0.6, 0.8, 0, 0]);
    const grad = tf.tidy(() => values(tf.grad((t: tf.Tensor) => tf.sum(ops.normalize(t, 1)))(x)));
    assert.ok(grad.every(Number.isFinite));
    // d/dx sum(x/|x|) at (3,4): (|x|² - x·(x1+x2)) / |x|³ = (25 - 3*7)/125, (25 - 4*7)/125
    assertAllClose(grad.slice(0, 2), [4 / 125, -3 / 125]);
    assert.throws(
      () => ops.normalize(x, 1, 1),
      (error: Error) =>
        error instanceof ValueError &&
        error.message ===
          'Invalid value for argument order: expected 2 (only the L2 norm is supported). Received: order=1',
    );
    x.dispose();
  });

  it('ops leave only their result behind, also when given arrays', async () => {
    const x = tf.tensor([
      [1, -2],
      [0, 4],
    ]);
    const scalar = tf.scalar(2);
    const calls: [string, () => tf.Tensor][] = [
      ['matmul', () => ops.matmul(x, [1, 2])],
      ['normalize', () => ops.normalize(x)],
      ['sum of a list', () => ops.sum([scalar, 1])],
      ['absolute', () => ops.absolute([-1, 2])],
      ['add', () => ops.add([1, 2], 3)],
      ['divideNoNan', () => ops.divideNoNan([1], [0])],
      ['maximum', () => ops.maximum(x, 0)],
      ['sum', () => ops.sum([1, 2])],
      ['mean', () => ops.mean([[1, 2]], 1)],
      ['square', () => ops.square([2])],
      ['reshape', () => ops.reshape([1, 2], [2, 1])],
      ['transpose', () => ops.transpose([[1, 2]])],
      ['cast', () => ops.cast([1], 'int32')],
    ];
    for (const [name, call] of calls) {
      await assertNoLeak(() => {
        call().dispose();
      }, name);
    }
    tf.dispose([x, scalar]);
  });
});
