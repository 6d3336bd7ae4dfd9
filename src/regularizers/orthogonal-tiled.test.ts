import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '../backend/engine.js';
import { absolute, normalize } from '../ops/index.js';
import { fusedOffDiagonalAbsSum, offDiagonalAbsSum } from './orthogonal-tiled.js';

/** The plain autodiff formula: the whole Gram matrix, the diagonal masked. */
function plain(unit: tf.Tensor2D, scale: number): tf.Scalar {
  const gram = tf.matMul(unit, tf.transpose(unit));
  return tf.mul(scale, tf.sum(absolute(tf.mul(gram, tf.sub(1, tf.eye(unit.shape[0])))))) as tf.Scalar;
}

describe('the blocked off-diagonal |cosine| sum', () => {
  for (const backendName of ['cpu', 'wasm']) {
    it(`equals the plain autodiff value and gradient, blocks of 1 to all rows [${backendName}]`, async () => {
      await tf.setBackend(backendName);
      const values = Array.from({ length: 13 * 4 }, (_, i) => Math.sin(i * 1.7) * (i % 13 === 5 ? 0 : 1));
      const x = tf.tensor2d(values, [13, 4]);
      const [expectedValue, expectedGrad] = tf.tidy(() => {
        const { value, grad } = tf.valueAndGrad((v: tf.Tensor) => plain(normalize(v, 1) as tf.Tensor2D, 0.3))(x);
        return [value.dataSync()[0] as number, Array.from(grad.dataSync())];
      });
      for (const blockEntries of [13, 26, 50, 169, 1000]) {
        const [value, grad] = tf.tidy(() => {
          const result = tf.valueAndGrad((v: tf.Tensor) =>
            offDiagonalAbsSum(normalize(v, 1) as tf.Tensor2D, 0.3, blockEntries),
          )(x);
          return [result.value.dataSync()[0] as number, Array.from(result.grad.dataSync())];
        });
        assert.ok(
          Math.abs(value - expectedValue) <= 1e-5 * Math.abs(expectedValue),
          `value ${value} vs ${expectedValue}`,
        );
        grad.forEach((g, i) => {
          assert.ok(
            Math.abs(g - (expectedGrad[i] as number)) <= 1e-5 + 1e-4 * Math.abs(expectedGrad[i] as number),
            `grad[${i}] ${g} vs ${expectedGrad[i]}`,
          );
        });
      }
      x.dispose();
    });
  }
});

describe('the fused off-diagonal |cosine| sum on wasm', () => {
  it('equals the plain autodiff value and gradient for blocks of 1 to all rows, and alone (no tape)', async () => {
    await tf.setBackend('wasm');
    // 37 rows: blocks that do not divide it, and rows that are not a multiple of 4 long.
    const values = Array.from({ length: 37 * 5 }, (_, i) => Math.sin(i * 1.3) * (i % 37 === 11 ? 0 : 1));
    const x = tf.tensor2d(values, [37, 5]);
    const [expectedValue, expectedGrad] = tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((v: tf.Tensor) => plain(normalize(v, 1) as tf.Tensor2D, 0.3))(x);
      return [value.dataSync()[0] as number, Array.from(grad.dataSync())];
    });
    const before = tf.memory().numTensors;
    for (const blockEntries of [37, 74, 500, 37 * 37, 10000]) {
      const [value, grad] = tf.tidy(() => {
        const result = tf.valueAndGrad((v: tf.Tensor) =>
          fusedOffDiagonalAbsSum(normalize(v, 1) as tf.Tensor2D, 0.3, blockEntries),
        )(x);
        return [result.value.dataSync()[0] as number, Array.from(result.grad.dataSync())];
      });
      const alone = tf.tidy(
        () => fusedOffDiagonalAbsSum(normalize(x, 1) as tf.Tensor2D, 0.3, blockEntries).dataSync()[0] as number,
      );
      for (const [label, got] of [
        ['value', value],
        ['value without a tape', alone],
      ] as const) {
        assert.ok(
          Math.abs(got - expectedValue) <= 1e-5 * Math.abs(expectedValue),
          `${label} ${got} vs ${expectedValue}`,
        );
      }
      grad.forEach((g, i) => {
        assert.ok(
          Math.abs(g - (expectedGrad[i] as number)) <= 1e-5 + 1e-4 * Math.abs(expectedGrad[i] as number),
          `blocks of ${blockEntries}: grad[${i}] ${g} vs ${expectedGrad[i]}`,
        );
      });
    }
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});
