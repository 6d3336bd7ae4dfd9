/** The four examples of the Keras page "Layer weight regularizers", with the page's numbers. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L2, layers, ops } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { L2Regularizer, my_l1_fn } from './helpers/build-layer.js';

describeEachBackend('Keras page examples', () => {
  it('Dense(5, inputDim: 5) with kernel L1(0.01) and activity L2(0.01) on ones(5,5)*2: sum(layer.losses) = 5.25', () => {
    const layer = new layers.Dense({
      units: 5,
      inputDim: 5,
      kernelInitializer: 'ones',
      kernelRegularizer: new L1(0.01),
      activityRegularizer: new L2(0.01),
    });
    tf.tidy(() => {
      layer.apply(tf.mul(tf.ones([5, 5]), 2));
    });
    // kernel: 0.01 * 25 = 0.25; activity: 0.01 * sum(10²) over 25 outputs = 25, / batch 5 = 5.
    const losses = layer.losses;
    assertAllClose(
      losses.map((l) => l.dataSync()[0] as number),
      [5, 0.25],
    );
    const total = ops.sum(losses);
    assertAllClose(total, 5.25);
    tf.dispose([...losses, total]);
    layer.dispose();
  });

  it('L2(2.)(ones((5,5))) = 50', () => {
    const value = tf.tidy(() => new L2(2).apply(tf.ones([5, 5])).dataSync()[0]);
    assert.equal(value, 2 * 25);
  });

  it('a plain function as kernel regularizer gives layer.losses = [0.25]', () => {
    const layer = new layers.Dense({ units: 5, inputDim: 5, kernelInitializer: 'ones', kernelRegularizer: my_l1_fn });
    tf.tidy(() => {
      layer.apply(tf.ones([5, 5]));
    });
    const losses = layer.losses;
    assertAllClose(
      losses.map((l) => l.dataSync()[0] as number),
      [0.25],
    );
    tf.dispose(losses);
    layer.dispose();
  });

  it('an L2Regularizer subclass with l2=0.5 gives layer.losses = [12.5]', () => {
    const layer = new layers.Dense({
      units: 5,
      inputDim: 5,
      kernelInitializer: 'ones',
      kernelRegularizer: new L2Regularizer({ l2: 0.5 }),
    });
    tf.tidy(() => {
      layer.apply(tf.ones([5, 5]));
    });
    const losses = layer.losses;
    assertAllClose(
      losses.map((l) => l.dataSync()[0] as number),
      [0.5 * 25],
    );
    tf.dispose(losses);
    layer.dispose();
  });
});
