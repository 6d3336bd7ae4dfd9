/**
 * GaussianNoise, GaussianDropout and AlphaDropout against real Keras 3.15.1
 * (test/fixtures/keras-noise.json, scripts/generate_keras_noise_fixtures.py):
 * configs as Keras writes them; the identity at inference; in training, the
 * mean and variance of 100,000 draws within 5 standard errors of Keras's
 * definitions (Keras's own draws held to the same bounds); AlphaDropout's
 * two output values equal to Keras's; seeded layers repeat exactly.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers, utils } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import { expectValueError } from './helpers/errors.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';

const CASES = (
  JSON.parse(readFileSync(new URL('./fixtures/keras-noise.json', import.meta.url), 'utf8')) as {
    cases: FixtureCase[];
  }
).cases;
const ofKind = (kind: string) => CASES.filter((c) => c.kind === kind);

/** SELU's constants: Keras's (written there to 31 digits), to float64 precision. */
const ALPHA_P = -1.6732632423543772 * 1.0507009873554805;
const DRAWS = 100_000;

type NoiseLayer = layers.GaussianNoise | layers.GaussianDropout | layers.AlphaDropout;

function fromKeras(className: string, config: Record<string, unknown>): NoiseLayer {
  return layers.deserialize({
    module: 'keras.layers',
    class_name: className,
    config,
    registered_name: null,
  }) as NoiseLayer;
}

/** Mean, variance and fourth central moment of one output value, from the layer's definition (float64). */
function definition(
  layer: NoiseLayer,
  input: number | 'standard_normal',
): { mean: number; variance: number; mu4: number } {
  // Raw moments E[X^k], k = 1..4, of the input.
  const x = input === 'standard_normal' ? [0, 1, 0, 3] : [input, input ** 2, input ** 3, input ** 4];
  if (layer instanceof layers.GaussianNoise) {
    const s2 = layer.stddev ** 2;
    return { mean: x[0] as number, variance: s2, mu4: 3 * s2 * s2 };
  }
  if (layer instanceof layers.GaussianDropout) {
    const c = x[0] as number;
    const s2 = layer.rate / (1 - layer.rate);
    return { mean: c, variance: c * c * s2, mu4: 3 * (c * c * s2) ** 2 };
  }
  // AlphaDropout: W = X kept (1 - rate) or alpha_p dropped (rate), then a * W + b.
  const r = layer.rate;
  const a = ((1 - r) * (1 + r * ALPHA_P ** 2)) ** -0.5;
  const b = -a * ALPHA_P * r;
  const [w1, w2, w3, w4] = x.map((m, k) => (1 - r) * m + r * ALPHA_P ** (k + 1)) as [number, number, number, number];
  const variance = w2 - w1 * w1;
  const mu4 = w4 - 4 * w1 * w3 + 6 * w1 * w1 * w2 - 3 * w1 ** 4;
  return { mean: a * w1 + b, variance: a * a * variance, mu4: a ** 4 * mu4 };
}

/** Asserts that a sample mean and variance over `n` draws lie within 5 standard errors of `expected`. */
function assertWithinBounds(
  sample: { mean: number; variance: number },
  expected: { mean: number; variance: number; mu4: number },
  n: number,
  label: string,
): void {
  const meanBound = 5 * Math.sqrt(expected.variance / n);
  const varianceBound = 5 * Math.sqrt((expected.mu4 - expected.variance ** 2) / n);
  assert.ok(
    Math.abs(sample.mean - expected.mean) <= meanBound,
    `${label}: mean ${sample.mean}, expected ${expected.mean} ± ${meanBound}`,
  );
  assert.ok(
    Math.abs(sample.variance - expected.variance) <= varianceBound,
    `${label}: variance ${sample.variance}, expected ${expected.variance} ± ${varianceBound}`,
  );
}

function moments(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += ((values[i] as number) - mean) ** 2;
  return { mean, variance: squares / values.length };
}

describe('noise layers: configs as Keras writes them', () => {
  for (const fixture of ofKind('noise_config')) {
    it(`${fixture.name}: Keras's JSON builds here and serializes back to it; getConfig round-trips`, () => {
      const layer = layers.deserialize(fixture.json) as NoiseLayer;
      assert.equal(layer.constructor, (layers as Record<string, unknown>)[fixture.class_name]);
      assertConfigClose(layers.serialize(layer), fixture.json);
      const again = (layer.constructor as typeof layers.Layer).fromConfig(layer.getConfig());
      assert.deepEqual(again.getConfig(), { ...layer.getConfig(), name: again.name });
      assert.equal(layer.supportsMasking, true, 'Keras: supports_masking = True');
    });
  }

  it('the camelCase options give the same configs', () => {
    assert.deepEqual(new layers.AlphaDropout({ rate: 0.1, noiseShape: [null, 1, 3], seed: 7, name: 'a' }).getConfig(), {
      name: 'a',
      trainable: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      rate: 0.1,
      seed: 7,
      noiseShape: [null, 1, 3],
    });
  });
});

describe('noise layers: bad arguments get clear errors', () => {
  it('GaussianNoise refuses a stddev outside [0, 1], as Keras does', () => {
    for (const stddev of [-0.1, 1.5, Number.NaN]) {
      expectValueError(
        () => new layers.GaussianNoise({ stddev }),
        `Invalid value received for argument \`stddev\`. Expected a float value between 0 and 1. Received: stddev=${stddev}`,
      );
    }
    expectValueError(() => new layers.GaussianNoise({ stddev: '0.1' as unknown as number }), /Received: stddev="0.1"$/);
  });

  it('GaussianDropout and AlphaDropout refuse a rate outside [0, 1), 1 included (Keras accepts 1 and divides by zero at the first training call)', () => {
    for (const rate of [-0.1, 1, 1.5]) {
      for (const make of [() => new layers.GaussianDropout({ rate }), () => new layers.AlphaDropout({ rate })]) {
        expectValueError(
          make,
          `Invalid value received for argument \`rate\`. Expected a float value between 0 and 1, 1 excluded. Received: rate=${rate}`,
        );
      }
    }
  });

  it('a seed must be an integer in [0, 2**32) (Keras: an integer; its JAX backend fails on the rest at the first call)', () => {
    for (const seed of [1.5, -1, 2 ** 32, '3']) {
      expectValueError(
        () => new layers.GaussianNoise({ stddev: 0.1, seed: seed as number }),
        `Argument \`seed\` must be an integer in [0, 2**32). Received: seed=${typeof seed === 'string' ? '"3"' : seed}`,
      );
    }
  });

  it("AlphaDropout's noiseShape: positive integers or null, and as many entries as the input has axes", () => {
    expectValueError(
      () => new layers.AlphaDropout({ rate: 0.1, noiseShape: [0, 2] }),
      'Invalid value for argument noiseShape: expected an array of positive integers or null. Received: noiseShape=[0,2]',
    );
    const layer = new layers.AlphaDropout({ rate: 0.1, noiseShape: [1, 2, 3], name: 'alpha' });
    const x = tf.ones([2, 3]);
    expectValueError(
      () => layer.apply(x, { training: true }),
      'Layer "alpha": noise_shape [1,2,3] does not broadcast to the input shape [2,3]: expected 2 entries, each null, 1 or the input\'s size.',
    );
    expectValueError(
      () => new layers.AlphaDropout({ rate: 0.1, noiseShape: [2, 2] }).apply(x, { training: true }),
      /does not broadcast/,
    );
    x.dispose();
  });

  it('an unknown option is refused', () => {
    assert.throws(() => new layers.GaussianNoise({ stddev: 0.1, rate: 0.1 } as never), /rate/);
  });
});

describeEachBackend('noise layers in inference and training', () => {
  it('are the identity at inference, exactly, and with a rate or stddev of 0 in training too', () => {
    const x = tf.randomNormal([3, 4, 5], 0, 2, 'float32', 1);
    const expected = Array.from(x.dataSync());
    const all = [
      new layers.GaussianNoise({ stddev: 0.5, seed: 1 }),
      new layers.GaussianDropout({ rate: 0.5, seed: 1 }),
      new layers.AlphaDropout({ rate: 0.5, seed: 1 }),
    ];
    for (const layer of all) {
      for (const options of [{}, { training: false }]) {
        const y = layer.apply(x, options);
        assert.deepEqual(Array.from(y.dataSync()), expected, `${layer.name} ${JSON.stringify(options)}`);
        if (y !== x) y.dispose();
      }
    }
    const off = [
      new layers.GaussianNoise({ stddev: 0 }),
      new layers.GaussianDropout({ rate: 0 }),
      new layers.AlphaDropout({ rate: 0 }),
    ];
    for (const layer of off) {
      const y = layer.apply(x, { training: true });
      assert.deepEqual(Array.from(y.dataSync()), expected, `${layer.name} training with nothing to add`);
      if (y !== x) y.dispose();
    }
    x.dispose();
  });

  for (const fixture of ofKind('noise_stats')) {
    it(`${fixture.name}: mean and variance over ${DRAWS} draws within 5 standard errors of Keras's definition (Keras's draws too)`, () => {
      const layer = fromKeras(fixture.class_name, fixture.config);
      const input = fixture.input as number | 'standard_normal';
      const x =
        input === 'standard_normal' ? tf.randomNormal([DRAWS], 0, 1, 'float32', 12) : tf.fill([DRAWS], input as number);
      const y = layer.apply(x, { training: true });
      const expected = definition(layer, input);
      assertWithinBounds(moments(y.dataSync()), expected, DRAWS, 'ours');
      assertWithinBounds(fixture as unknown as { mean: number; variance: number }, expected, fixture.draws, 'Keras');
      assert.equal(fixture.inference_is_identity, true);
      tf.dispose([x, y]);
    });
  }

  it("AlphaDropout on a constant takes Keras's two values: a * x + b where kept, a * alpha_p + b where dropped", () => {
    const fixture = ofKind('alpha_values')[0] as FixtureCase;
    const layer = new layers.AlphaDropout({ rate: fixture.rate, seed: 3 });
    const x = tf.fill([4000], fixture.input as number);
    const y = layer.apply(x, { training: true });
    const seen = [...new Set(y.dataSync())].sort((p, q) => p - q);
    assertAllClose(seen, fixture.values, { rtol: 1e-6, atol: 0 }, 'the values');
    const dropped = y.dataSync().filter((v) => v === seen[0]).length / 4000;
    assert.ok(
      Math.abs(dropped - fixture.rate) < 5 * Math.sqrt((fixture.rate * (1 - fixture.rate)) / 4000),
      `dropped ${dropped}`,
    );
    tf.dispose([x, y]);
  });

  it('AlphaDropout with noiseShape [null, 1, 3] drops the same features at every step', () => {
    const layer = new layers.AlphaDropout({ rate: 0.4, noiseShape: [null, 1, null], seed: 5 });
    const x = tf.ones([6, 5, 3]);
    const y = layer.apply(x, { training: true });
    const values = y.arraySync() as number[][][];
    for (const sample of values) for (const step of sample) assert.deepEqual(step, sample[0]);
    assert.ok(new Set(y.dataSync()).size === 2, 'both kept and dropped values occur');
    tf.dispose([x, y]);
  });

  it('a seeded layer repeats exactly: a fresh layer with the same seed draws the same noises, a second call another (as Keras)', () => {
    const keras = ofKind('noise_seeds')[0] as FixtureCase;
    assert.equal(keras.fresh_layers_same, true);
    assert.equal(keras.second_call_differs, true);
    const x = tf.ones([4, 3]);
    const makers = [
      () => new layers.GaussianNoise({ stddev: 0.5, seed: 11 }),
      () => new layers.GaussianDropout({ rate: 0.3, seed: 11 }),
      () => new layers.AlphaDropout({ rate: 0.3, seed: 11 }),
    ];
    for (const make of makers) {
      const run = (layer: NoiseLayer) => Array.from(layer.apply(x, { training: true }).dataSync());
      const [first, second] = [make(), make()];
      const a1 = run(first);
      const a2 = run(first);
      assert.deepEqual(run(second), a1, `${first.name}: same seed, same first noise`);
      assert.deepEqual(run(second), a2, `${first.name}: same seed, same second noise`);
      assert.notDeepEqual(a1, a2, `${first.name}: each call draws anew`);
    }
    x.dispose();
  });

  it('unseeded layers repeat under utils.setRandomSeed', () => {
    const x = tf.ones([3, 3]);
    const run = () => {
      utils.setRandomSeed(42);
      const layer = new layers.GaussianNoise({ stddev: 0.2 });
      return Array.from(layer.apply(x, { training: true }).dataSync());
    };
    assert.deepEqual(run(), run());
    x.dispose();
  });

  it('a mask passes through, and training calls leave no tensor behind', async () => {
    const ids = tf.tensor2d([[1, 2, 0]], [1, 3], 'int32');
    const embedding = new layers.Embedding({ inputDim: 4, outputDim: 2, maskZero: true });
    const embedded = embedding.apply(ids);
    for (const layer of [
      new layers.GaussianNoise({ stddev: 0.1 }),
      new layers.GaussianDropout({ rate: 0.1 }),
      new layers.AlphaDropout({ rate: 0.1 }),
    ]) {
      const mask = layer.computeMask(embedded, tf.notEqual(ids, 0));
      assert.deepEqual((mask as tf.Tensor).arraySync(), [[1, 1, 0]]);
      tf.dispose(mask as tf.Tensor);
      await assertNoLeak(() => {
        layer.apply(embedded, { training: true }).dispose();
        layer.apply(embedded); // the inputs themselves
      }, layer.name);
    }
    tf.dispose([ids, embedded]);
    embedding.dispose();
  });
});

describe('noise layers: the same draws on every backend', () => {
  it('a seeded layer gives the same values on cpu and wasm', async () => {
    const runOn = async (name: 'cpu' | 'wasm') => {
      await backend.setBackend(name);
      const x = tf.ones([2, 5]);
      const out = [
        new layers.GaussianNoise({ stddev: 0.3, seed: 9 }),
        new layers.GaussianDropout({ rate: 0.3, seed: 9 }),
        new layers.AlphaDropout({ rate: 0.3, seed: 9 }),
      ].map((layer) => Array.from(layer.apply(x, { training: true }).dataSync()));
      x.dispose();
      return out;
    };
    assert.deepEqual(await runOn('wasm'), await runOn('cpu'));
  });
});
