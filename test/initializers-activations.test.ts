/** Initializers and activations by Keras name, with their Keras JSON. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { activations, initializers, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';

function stats(t: tf.Tensor): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.dataSync());
  t.dispose();
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

describe('initializers', () => {
  it('compute fans as Keras does, a conv kernel receptive field included', () => {
    assert.deepEqual(initializers.computeFans([3, 4]), [3, 4]);
    assert.deepEqual(initializers.computeFans([3, 3, 8, 16]), [72, 144]);
    assert.deepEqual(initializers.computeFans([5]), [5, 5]);
    assert.deepEqual(initializers.computeFans([]), [1, 1]);
    assert.deepEqual(initializers.computeFans([2, 3, 4], [0, 1], [2]), [6, 4]);
  });

  it('sample with the variance each Keras preset defines', () => {
    const shape = [200, 300];
    const g = stats(new initializers.GlorotUniform({ seed: 1 }).apply(shape));
    const limit = Math.sqrt(6 / 500);
    assert.ok(g.min >= -limit && g.max <= limit);
    assertAllClose(g.std, limit / Math.sqrt(3), { rtol: 0.02 });
    const he = stats(new initializers.HeNormal({ seed: 2 }).apply(shape));
    assertAllClose(he.std, Math.sqrt(2 / 200), { rtol: 0.03 });
    assert.ok(he.max <= (2 * Math.sqrt(2 / 200)) / 0.87962566103423978 + 1e-6, 'truncated at 2 stddev');
    const normal = stats(new initializers.RandomNormal({ mean: 1, stddev: 0.5, seed: 3 }).apply(shape));
    assertAllClose([normal.mean, normal.std], [1, 0.5], { rtol: 0.02 });
    const uniform = stats(new initializers.RandomUniform({ minval: 2, maxval: 4, seed: 4 }).apply(shape));
    assert.ok(uniform.min >= 2 && uniform.max <= 4);
    assert.deepEqual(stats(new initializers.Constant(0.5).apply([3])), { mean: 0.5, std: 0, min: 0.5, max: 0.5 });
  });

  it('a seed gives the same values on every call, as in Keras', () => {
    const init = new initializers.GlorotNormal({ seed: 42 });
    const [a, b] = [init.apply([4, 4]), init.apply([4, 4])];
    assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });

  it('serialize as Keras 3 writes them and resolve by Keras name', () => {
    assert.deepEqual(initializers.serialize(new initializers.GlorotUniform()), {
      module: 'keras.initializers',
      class_name: 'GlorotUniform',
      config: { seed: null, input_axes: null, output_axes: null },
      registered_name: null,
    });
    assert.deepEqual(initializers.serialize(new initializers.VarianceScaling({ scale: 2, mode: 'fan_out' }))?.config, {
      seed: null,
      scale: 2,
      mode: 'fan_out',
      distribution: 'truncated_normal',
      input_axes: null,
      output_axes: null,
    });
    assert.deepEqual(initializers.serialize(new initializers.RandomNormal())?.config, {
      seed: null,
      mean: 0,
      stddev: 0.05,
    });
    for (const name of [
      'zeros',
      'ones',
      'glorot_uniform',
      'he_normal',
      'lecun_uniform',
      'random_normal',
      'truncated_normal',
    ]) {
      const init = initializers.get(name) as initializers.Initializer;
      const back = initializers.deserialize(JSON.parse(JSON.stringify(initializers.serialize(init))));
      assert.deepEqual(back?.getConfig(), init.getConfig(), name);
    }
  });

  it('bad identifiers and options are errors naming them', () => {
    assert.throws(
      () => initializers.get('glorot'),
      (e: Error) =>
        e instanceof ValueError &&
        e.message.startsWith('Could not interpret initializer identifier: "glorot". Valid names: "Zeros", "zeros",'),
    );
    assert.throws(
      () => new initializers.VarianceScaling({ mode: 'fan_sum' as never }),
      (e: Error) =>
        e instanceof ValueError &&
        e.message.startsWith(
          'Invalid `mode` argument: expected one of {"fan_in", "fan_out", "fan_avg"}. Received: mode="fan_sum"',
        ),
    );
    assert.throws(
      () => new initializers.GlorotUniform({ scale: 2 } as never),
      /GlorotUniform got an unexpected option "scale"/,
    );
  });
});

describe('activations', () => {
  it('resolve by Keras name, swish as silu, and serialize back to the name', () => {
    const x = tf.tensor([-1, 0, 2]);
    const cases: [string, number[]][] = [
      ['linear', [-1, 0, 2]],
      ['relu', [0, 0, 2]],
      ['relu6', [0, 0, 2]],
      ['hard_sigmoid', [2 / 6, 0.5, 5 / 6]],
      ['softsign', [-0.5, 0, 2 / 3]],
      ['leaky_relu', [-0.2, 0, 2]],
      ['exponential', [Math.exp(-1), 1, Math.exp(2)]],
      ['silu', [-1 / (1 + Math.E), 0, 2 / (1 + Math.exp(-2))]],
    ];
    for (const [name, expected] of cases) {
      const fn = activations.get(name);
      tf.tidy(() => assertAllClose(fn(x), expected, {}, name));
      assert.equal(activations.serialize(fn), name);
    }
    assert.equal(activations.get('swish'), activations.get('silu'));
    assert.equal(activations.get(null), activations.get('linear'));
    const custom = (t: tf.Tensor) => t;
    assert.equal(activations.get(custom), custom);
    assert.throws(() => activations.get('swishy'), /Could not interpret activation function identifier: "swishy"/);
    x.dispose();
  });
});
