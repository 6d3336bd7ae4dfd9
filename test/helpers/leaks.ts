import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';

/** Runs `body` and asserts that it left no tensor behind. */
export async function assertNoLeak(body: () => void | Promise<void>, label = 'body'): Promise<void> {
  const before = tf.memory().numTensors;
  await body();
  const after = tf.memory().numTensors;
  assert.equal(after, before, `${label} leaked ${after - before} tensors`);
}
