/**
 * A model whose weights cannot fit the wasm heap (4 GiB: five Dense kernels
 * of 2^28 float32 each, 5 GiB) is refused before the weight that would not
 * fit is allocated, whether built by models.modelFromJSON or by the
 * Sequential constructor; the weights made before it are freed, and the
 * engine keeps working: a small model trains next. On today's main the
 * first case wedged the engine ("memory access out of bounds", then every
 * op hangs).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers, models, ValueError } from 'keras-regularizers';

const BIG = 16384; // a 16384 x 16384 kernel is 2^28 float32, 1 GiB

describe('weights that would not fit the backend (wasm)', () => {
  it('modelFromJSON and new Sequential refuse 5 x 2^28 floats before allocating; a normal model still trains', async () => {
    await backend.ready({ backend: 'wasm' });
    const before = tf.memory().numTensors;
    const dense = (i: number) => ({
      class_name: 'Dense',
      // zeros: the two kernels that fit are made fast.
      config: { name: `d${i}`, units: BIG, use_bias: false, kernel_initializer: { class_name: 'Zeros', config: {} } },
    });
    const json = {
      class_name: 'Sequential',
      config: {
        name: 'too_big',
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, BIG], name: 'in' } },
          ...[0, 1, 2, 3, 4].map(dense),
        ],
      },
    };
    assert.throws(
      () => models.modelFromJSON(json),
      (error: Error) => {
        assert.ok(error instanceof ValueError, String(error));
        assert.match(
          error.message,
          /weight kernel of layer "d2" \(268435456 float32 elements, 1\.00 GiB\) would not fit the wasm backend's memory/,
        );
        assert.match(error.message, /Refused before allocating/);
        assert.equal(error.received, '268435456 elements');
        return true;
      },
    );
    assert.equal(tf.memory().numTensors, before, 'the kernels made before the refusal are freed');

    assert.throws(
      () =>
        new models.Sequential([
          layers.Input({ shape: [BIG] }),
          ...[0, 1, 2, 3, 4].map(() => new layers.Dense({ units: BIG, useBias: false, kernelInitializer: 'zeros' })),
        ]),
      /would not fit the wasm backend's memory/,
    );
    assert.equal(tf.memory().numTensors, before);

    const model = new models.Sequential([
      layers.Input({ shape: [3] }),
      new layers.Dense({ units: 1, kernelInitializer: 'ones' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [tf.ones([4, 3]), tf.zeros([4, 1])];
    const history = await model.fit(x, y, { epochs: 1, verbose: 0, shuffle: false });
    // prediction 3 for target 0: mse 9.
    assert.ok(Math.abs((history.history.loss?.[0] as number) - 9) < 1e-5);
    model.dispose();
    tf.dispose([x, y]);
    assert.equal(tf.memory().numTensors, before);
  });
});
