/** wasm's Transpose for swaps of the last two axes: tfjs's numbers on cpu, every shape; other cases go to tfjs's kernel. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from './engine.js';

async function onBoth(shape: number[], perm: number[], dtype: 'float32' | 'int32'): Promise<[number[], number[]]> {
  const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i * 1.5 - 7);
  const run = () =>
    tf.tidy(() => Array.from(tf.transpose(tf.tensor(values, shape, dtype), perm).dataSync()) as number[]);
  await setBackend('cpu');
  const cpu = run();
  await setBackend('wasm');
  const before = tf.memory().numTensors;
  const wasm = run();
  assert.equal(tf.memory().numTensors, before);
  return [wasm, cpu];
}

describe('Transpose on wasm', () => {
  it('swaps the last two axes as tfjs does: 4x4 blocks, ragged sizes, batches, rank 4', async () => {
    for (const [shape, perm] of [
      [
        [8, 12],
        [1, 0],
      ],
      [
        [5, 7],
        [1, 0],
      ],
      [
        [4, 6],
        [1, 0],
      ],
      [
        [3, 8, 4],
        [0, 2, 1],
      ],
      [
        [2, 3, 5, 4],
        [0, 1, 3, 2],
      ],
      [
        [1, 1],
        [1, 0],
      ],
    ] as [number[], number[]][]) {
      const [wasm, cpu] = await onBoth(shape, perm, 'float32');
      assert.deepEqual(wasm, cpu, `${shape} ${perm}`);
    }
  });

  it('other permutations and int32 tensors: the same numbers, through tfjs kernel', async () => {
    for (const [shape, perm, dtype] of [
      [[2, 3, 4], [1, 0, 2], 'float32'],
      [[2, 3, 4], [2, 0, 1], 'float32'],
      [[4, 8], [1, 0], 'int32'],
    ] as [number[], number[], 'float32' | 'int32'][]) {
      const [wasm, cpu] = await onBoth(shape, perm, dtype);
      assert.deepEqual(wasm, cpu, `${shape} ${perm} ${dtype}`);
    }
  });
});
