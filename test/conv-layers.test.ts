/** Conv1D/2D/3D beyond the Keras fixtures: argument errors, causal padding, config round trips. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L2, layers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';

describe('convolution arguments', () => {
  it('each bad argument is a ValueError naming it', () => {
    const cases: [() => unknown, string][] = [
      [
        () => new layers.Conv2D({ filters: 0, kernelSize: 3 }),
        'Invalid value for argument `filters`. Expected a strictly positive value. Received filters=0.',
      ],
      [
        () => new layers.Conv2D({ filters: 4, kernelSize: 3, groups: 0 }),
        'The number of groups must be a positive integer. Received: groups=0.',
      ],
      [
        () => new layers.Conv2D({ filters: 4, kernelSize: 3, groups: 3 }),
        'The number of filters must be evenly divisible by the number of groups. Received: groups=3, filters=4.',
      ],
      [
        () => new layers.Conv2D({ filters: 4, kernelSize: [0, 3] }),
        'The `kernelSize` argument must be a tuple of 2 positive integers (or one positive integer). Received: kernelSize=[0,3]',
      ],
      [
        () => new layers.Conv3D({ filters: 4, kernelSize: [3, 3] }),
        'The `kernelSize` argument must be a tuple of 3 positive integers (or one positive integer). Received: kernelSize=[3,3]',
      ],
      [
        () => new layers.Conv1D({ filters: 4, kernelSize: 3, strides: 1.5 }),
        'The `strides` argument must be a tuple of 1 positive integers (or one positive integer). Received: strides=1.5',
      ],
      [
        () => new layers.Conv2D({ filters: 4, kernelSize: 3, strides: 2, dilationRate: 2 }),
        '`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=[2,2] and dilation_rate=[2,2]',
      ],
      [
        () => new layers.Conv2D({ filters: 4, kernelSize: 3, padding: 'causal' }),
        'The `padding` argument must be one of "valid", "same". Received: padding="causal"',
      ],
      [
        () => new layers.Conv1D({ filters: 4, kernelSize: 3, padding: 'full' as never }),
        'The `padding` argument must be one of "valid", "same", "causal". Received: padding="full"',
      ],
      [
        () => new layers.Conv2D({ filters: 4, kernelSize: 3, dataFormat: 'NHWC' as never }),
        'The `dataFormat` argument must be one of "channelsLast", "channelsFirst" (or Keras\'s "channels_last", "channels_first"). Received: dataFormat="NHWC"',
      ],
    ];
    for (const [make, message] of cases) expectValueError(make, message);
  });

  it('inputs of the wrong rank or channel count are refused', () => {
    const conv = new layers.Conv2D({ filters: 2, kernelSize: 2, groups: 2, name: 'conv_in' });
    expectValueError(
      () => conv.apply(tf.ones([1, 4, 4])),
      'Input of layer "conv_in" must have rank 4 (batch, 2 spatial axes, channels). Received: input shape [1, 4, 4]',
    );
    expectValueError(
      () => conv.apply(tf.ones([1, 4, 4, 3])),
      'The number of input channels must be evenly divisible by the number of groups. Received groups=2, but the input has 3 channels (full input shape is [1, 4, 4, 3]).',
    );
    tf.tidy(() => {
      conv.apply(tf.ones([1, 4, 4, 2]));
    });
    expectValueError(
      () => tf.tidy(() => conv.apply(tf.ones([1, 4, 4, 4]))),
      'Input 0 of layer "conv_in" is incompatible with the layer: expected rank 4 with 2 channels, but received input with shape [1, 4, 4, 4]',
    );
    conv.dispose();
  });

  it('kernel shapes are (...kernelSize, inChannels / groups, filters)', () => {
    const cases: [layers.Layer, number[], number[]][] = [
      [new layers.Conv1D({ filters: 4, kernelSize: 3 }), [2, 9, 5], [3, 5, 4]],
      [new layers.Conv2D({ filters: 6, kernelSize: [3, 2], groups: 3 }), [1, 5, 5, 3], [3, 2, 1, 6]],
      [
        new layers.Conv3D({ filters: 2, kernelSize: 2, dataFormat: 'channels_first' }),
        [1, 4, 3, 3, 3],
        [2, 2, 2, 4, 2],
      ],
    ];
    for (const [layer, inputShape, kernelShape] of cases) {
      layer.ensureBuilt(inputShape);
      assert.deepEqual(layer.weights[0]?.shape, kernelShape);
      assert.deepEqual(layer.weights[1]?.shape, [kernelShape[kernelShape.length - 1]]);
      layer.dispose();
    }
  });

  it('getConfig round-trips through Keras JSON, channels_first spelled the Keras way', () => {
    const conv = new layers.Conv1D({
      filters: 3,
      kernelSize: 4,
      padding: 'causal',
      dilationRate: 2,
      dataFormat: 'channelsFirst',
      activation: 'tanh',
      kernelRegularizer: new L2(0.2),
      useBias: false,
    });
    const json = layers.serialize(conv);
    assert.equal(json.config.data_format, 'channels_first');
    assert.equal(json.config.activity_regularizer, null);
    assert.deepEqual(json.config.dilation_rate, [2]);
    const copy = layers.deserialize(JSON.parse(JSON.stringify(json))) as layers.Conv1D;
    assert.equal(copy.dataFormat, 'channelsFirst');
    assert.deepEqual(layers.serialize(copy).config, { ...json.config, name: copy.name });
  });
});

describeEachBackend('Conv1D causal padding', () => {
  it('keeps the length and lets output t see only inputs up to t', () => {
    const conv = new layers.Conv1D({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'causal' });
    const x = tf.randomNormal([1, 10, 2], 0, 1, 'float32', 3);
    const changed = tf.tidy(() => {
      const future = tf.concat([tf.zeros([1, 6, 2]), tf.ones([1, 4, 2])], 1);
      return tf.add(x, future);
    });
    const [before, after] = tf.tidy(() => [conv.apply(x) as tf.Tensor, conv.apply(changed) as tf.Tensor]) as [
      tf.Tensor,
      tf.Tensor,
    ];
    assert.deepEqual(before.shape, [1, 10, 2]);
    tf.tidy(() => {
      // Inputs from t = 6 on changed: outputs before t = 6 did not, output 6 did.
      assertAllClose(before.slice([0, 0, 0], [1, 6, 2]), after.slice([0, 0, 0], [1, 6, 2]));
      const changedAt6 = tf.sub(after.slice([0, 6, 0], [1, 1, 2]), before.slice([0, 6, 0], [1, 1, 2]));
      assert.ok((tf.max(tf.abs(changedAt6)).dataSync()[0] as number) > 1e-3);
    });
    tf.dispose([x, changed, before, after]);
    conv.dispose();
  });
});
