import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import './engine.js';
import { stockWasmIdentity } from './shared-identity.js';

describe('Identity on wasm', () => {
  it("tfjs's own copies the tensor; ours shares its memory, and the clone outlives the source", async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1, -2, 3.5]);
    const stock = stockWasmIdentity();
    assert.ok(stock != null);
    const copied = stock.kernelFunc({ inputs: { x }, backend: tf.backend(), attrs: {} }) as tf.TensorInfo;
    // The gap: a new buffer for the same values, a full pass per saved tensor.
    assert.notEqual(copied.dataId, x.dataId);
    tf.backend().disposeData(copied.dataId);

    const buffers = tf.memory().numDataBuffers;
    const clone = tf.clone(x);
    assert.equal(tf.memory().numDataBuffers, buffers, 'a clone adds no buffer');
    x.dispose();
    assert.deepEqual(Array.from(clone.dataSync()), [1, -2, 3.5]);
    clone.dispose();
  });

  it('keeps strings on the stock path', async () => {
    await tf.setBackend('wasm');
    const s = tf.tensor1d(['a', 'bc'], 'string');
    const clone = tf.clone(s);
    s.dispose();
    assert.deepEqual(await clone.array(), ['a', 'bc']);
    clone.dispose();
  });
});
