/**
 * The color augmentation layers' random training calls, by statistics
 * (Keras's bits come from JAX's PRNG and cannot be matched): the drawn
 * factors stay in their ranges and their means and frequencies fall within
 * 5 standard errors of the definitions; the same seed gives the same
 * outputs, a second call draws anew; inference calls are the identity; the
 * layers work inside `fit` (applied in training steps, not in `predict`);
 * bad options and inputs get errors naming the argument.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, models, optimizers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertNoLeak } from './helpers/leaks.js';

const N = 400;

/** `n` copies of one pixel `[r, g, b]`, as a batch of 1x1 images. */
const pixels = (rgb: number[], n = N) => tf.tile(tf.tensor4d(rgb, [1, 1, 1, 3]), [n, 1, 1, 1]);

/** Output values of a training call, as rows of 3 (one per 1x1 image). */
function rows(layer: layers.Layer, x: tf.Tensor): number[][] {
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  const data = Array.from(y.dataSync());
  tf.dispose(y);
  return Array.from({ length: data.length / 3 }, (_, i) => data.slice(3 * i, 3 * i + 3));
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Asserts that the mean of `v` is within 5 standard errors of `expected`, for values of standard deviation `sd`. */
function assertMean(v: number[], expected: number, sd: number, label: string): void {
  const bound = (5 * sd) / Math.sqrt(v.length);
  assert.ok(Math.abs(mean(v) - expected) <= bound, `${label}: mean ${mean(v)}, expected ${expected} ± ${bound}`);
}

/** Asserts a frequency within 5 binomial standard errors of `p`. */
function assertFraction(hits: boolean[], p: number, label: string): void {
  assertMean(
    hits.map((h) => (h ? 1 : 0)),
    p,
    Math.sqrt(p * (1 - p)),
    label,
  );
}

function assertWithin(v: number[], low: number, high: number, label: string): void {
  const eps = 1e-3;
  assert.ok(
    Math.min(...v) >= low - eps && Math.max(...v) <= high + eps,
    `${label}: [${Math.min(...v)}, ${Math.max(...v)}] not in [${low}, ${high}]`,
  );
}

/** Uniform on [a, b]: its standard deviation. */
const uniformSd = (a: number, b: number) => (b - a) / Math.sqrt(12);

describeEachBackend('color augmentation: the drawn factors follow their distributions', () => {
  it('RandomBrightness: one shift per image, uniform on factor * 255', () => {
    const x = pixels([100, 120, 140]);
    const out = rows(new layers.RandomBrightness({ factor: 0.2, seed: 1 }), x);
    const shifts = out.map((r) => (r[0] as number) - 100);
    for (const r of out)
      assertAllClose(
        r,
        [100, 120, 140].map((v) => v + (r[0] as number) - 100),
        {},
        'same shift per channel',
      );
    assertWithin(shifts, -51, 51, 'shift');
    assertMean(shifts, 0, uniformSd(-51, 51), 'shift');
    tf.dispose(x);
  });

  it("RandomContrast: factor 0.3 is Keras's [0, 0.3], a contrast factor uniform on [1, 1.3]", () => {
    // A 1x2 image [[a], [b]]: the output deviations from the mean are (a - b) / 2 * c.
    const x = tf.tile(tf.tensor4d([100, 100, 100, 140, 140, 140], [1, 1, 2, 3]), [N, 1, 1, 1]);
    const y = new layers.RandomContrast({ factor: 0.3, seed: 2 }).apply(x, { training: true }) as tf.Tensor;
    const data = y.dataSync();
    const factors = Array.from({ length: N }, (_, i) => ((data[6 * i + 3] as number) - (data[6 * i] as number)) / 40);
    assertWithin(factors, 1, 1.3, 'contrast factor');
    assertMean(factors, 1.15, uniformSd(1, 1.3), 'contrast factor');
    tf.dispose([x, y]);
  });

  it('RandomInvert: inverted with probability E[p], p drawn from the factor', () => {
    const x = pixels([10, 20, 30]);
    for (const [factor, p] of [
      [undefined, 0.5],
      [[0.2, 0.6], 0.4],
    ] as const) {
      const out = rows(new layers.RandomInvert({ factor: factor as [number, number] | undefined, seed: 3 }), x);
      for (const r of out) assert.ok(r[0] === 10 || r[0] === 245, `value ${r[0]}`);
      assertFraction(
        out.map((r) => r[0] === 245),
        p,
        `inverted fraction, factor ${factor}`,
      );
    }
    tf.dispose(x);
  });

  it('RandomGrayscale: grayscale with probability factor', () => {
    const x = pixels([200, 100, 50]);
    const out = rows(new layers.RandomGrayscale({ factor: 0.3, seed: 4 }), x);
    const gray = 0.2989 * 200 + 0.587 * 100 + 0.114 * 50;
    for (const r of out) assert.ok(Math.abs((r[0] as number) - gray) < 1e-3 || r[0] === 200, `value ${r[0]}`);
    assertFraction(
      out.map((r) => r[0] !== 200),
      0.3,
      'grayscale fraction',
    );
    tf.dispose(x);
  });

  it('RandomPosterization: bits uniform on [1, factor), the upper bound excluded as in Keras', () => {
    const x = pixels([255, 255, 255]);
    const out = rows(new layers.RandomPosterization({ factor: 4, seed: 5 }), x);
    // 255 keeps its b highest bits: 256 - 2^(8 - b).
    const bits = out.map((r) => 8 - Math.log2(256 - (r[0] as number)));
    for (const b of bits) assert.ok([1, 2, 3].includes(b), `bits ${b}`);
    for (const b of [1, 2, 3])
      assertFraction(
        bits.map((v) => v === b),
        1 / 3,
        `${b} bits`,
      );
    tf.dispose(x);
  });

  it("Solarization: threshold uniform on [lower, upper * 255] (Keras's bounds)", () => {
    const x = pixels([100, 100, 100]);
    const out = rows(new layers.Solarization({ thresholdFactor: 0.5, seed: 6 }), x);
    for (const r of out) assert.ok(r[0] === 100 || r[0] === 155, `value ${r[0]}`);
    // Inverted when 100 >= threshold, threshold ~ U(0, 127.5).
    assertFraction(
      out.map((r) => r[0] === 155),
      100 / 127.5,
      'solarized fraction',
    );
    tf.dispose(x);
  });

  it('RandomHue: the hue moves by at most factor / 2 of a turn, either way', () => {
    const x = pixels([255, 0, 0]);
    const out = rows(new layers.RandomHue({ factor: 0.4, seed: 7 }), x);
    const hue = ([r, g, b]: number[]) => {
      const max = Math.max(r as number, g as number, b as number);
      const min = Math.min(r as number, g as number, b as number);
      const d = max - min;
      const h =
        max === r
          ? ((g as number) - (b as number)) / d
          : max === g
            ? 2 + ((b as number) - (r as number)) / d
            : 4 + ((r as number) - (g as number)) / d;
      const turn = (h / 6 + 1) % 1;
      return turn > 0.5 ? turn - 1 : turn;
    };
    // Red has hue 0: the signed shift, in (-0.5, 0.5].
    const shifts = out.map(hue);
    assertWithin(shifts, -0.2, 0.2, 'hue shift');
    assertMean(shifts, 0, 0.2 / Math.sqrt(3), 'hue shift');
    assertFraction(
      shifts.map((s) => s > 0),
      0.5,
      'positive shifts',
    );
    tf.dispose(x);
  });

  it('RandomSaturation: saturation scaled by u / (1 - u), u uniform on the factor', () => {
    // (200, 150, 150): value 200, saturation 0.25.
    const x = pixels([200, 150, 150]);
    const out = rows(new layers.RandomSaturation({ factor: [0.3, 0.6], seed: 8 }), x);
    const u = out.map((r) => {
      const scale = (1 - (r[1] as number) / 200) / 0.25;
      return scale / (1 + scale);
    });
    assertWithin(u, 0.3, 0.6, 'u');
    assertMean(u, 0.45, uniformSd(0.3, 0.6), 'u');
    tf.dispose(x);
  });

  it('RandomColorDegeneration: the blend toward gray is uniform on the factor', () => {
    const x = pixels([200, 100, 50]);
    const gray = 0.2989 * 200 + 0.587 * 100 + 0.114 * 50;
    const u = rows(new layers.RandomColorDegeneration({ factor: 0.5, seed: 9 }), x).map(
      (r) => ((r[0] as number) - 200) / (gray - 200),
    );
    assertWithin(u, -0.5, 0.5, 'blend');
    assertMean(u, 0, uniformSd(-0.5, 0.5), 'blend');
    tf.dispose(x);
  });

  it('RandomSharpness: 1 - 2u of the smoothing is kept, u uniform on the factor', () => {
    // A 3x3 image, 130 at the centre: its smoothing there is 5 * 130 / 13 = 50.
    const one = tf.tensor4d(
      Array.from({ length: 27 }, (_, i) => (Math.floor(i / 3) === 4 ? 130 : 0)),
      [1, 3, 3, 3],
    );
    const x = tf.tile(one, [N, 1, 1, 1]);
    const y = new layers.RandomSharpness({ factor: 0.4, seed: 10 }).apply(x, { training: true }) as tf.Tensor;
    const data = y.dataSync();
    const u = Array.from({ length: N }, (_, i) => (1 - (130 - (data[27 * i + 12] as number)) / 80) / 2);
    assertWithin(u, 0, 0.4, 'u');
    assertMean(u, 0.2, uniformSd(0, 0.4), 'u');
    tf.dispose([one, x, y]);
  });
});

type Make = (seed: number) => layers.Layer;
const RANDOM: Record<string, Make> = {
  RandomContrast: (seed) => new layers.RandomContrast({ factor: 0.5, seed }),
  RandomBrightness: (seed) => new layers.RandomBrightness({ factor: 0.5, seed }),
  RandomGrayscale: (seed) => new layers.RandomGrayscale({ seed }),
  RandomHue: (seed) => new layers.RandomHue({ factor: 0.5, seed }),
  RandomSaturation: (seed) => new layers.RandomSaturation({ factor: 0.5, seed }),
  RandomColorJitter: (seed) =>
    new layers.RandomColorJitter({
      brightnessFactor: 0.2,
      contrastFactor: 0.3,
      saturationFactor: 0.5,
      hueFactor: 0.2,
      seed,
    }),
  RandomColorDegeneration: (seed) => new layers.RandomColorDegeneration({ factor: 0.8, seed }),
  RandomInvert: (seed) => new layers.RandomInvert({ seed }),
  RandomPosterization: (seed) => new layers.RandomPosterization({ factor: 6, seed }),
  Solarization: (seed) => new layers.Solarization({ additionFactor: 0.3, thresholdFactor: 0.8, seed }),
  RandomSharpness: (seed) => new layers.RandomSharpness({ factor: 0.9, seed }),
};

describeEachBackend('color augmentation: seeds, inference and leaks', () => {
  for (const [name, make] of Object.entries(RANDOM)) {
    it(`${name}: the same seed repeats, a second call draws anew, inference is the identity, nothing leaks`, async () => {
      const x = tf.randomUniform([8, 4, 4, 3], 0, 255, 'float32', 1);
      await assertNoLeak(() => {
        const a = make(5);
        const b = make(5);
        const run = (layer: layers.Layer) =>
          tf.tidy(() => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync()));
        const first = run(a);
        assert.deepEqual(run(b), first, 'same seed, same output');
        assert.notDeepEqual(run(a), first, 'a second call draws anew');
        assert.notDeepEqual(first, Array.from(x.dataSync()), 'training changes the images');
        for (const v of first) assert.ok(v >= -1e-3 && v <= 255 + 1e-3, `${v} in [0, 255]`);
        for (const training of [false, undefined]) {
          const y = a.apply(x, { training }) as tf.Tensor;
          assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()), `training=${training}`);
          tf.dispose(y);
        }
        // One image (rank 3) keeps its shape.
        const one = tf.tidy(() => (a.apply(tf.slice(x, [0], [1]).squeeze([0]), { training: true }) as tf.Tensor).shape);
        assert.deepEqual(one, [4, 4, 3]);
      }, name);
      tf.dispose(x);
    });
  }
});

describeEachBackend('color augmentation inside fit', () => {
  it('applied in training steps, the identity in predict', async () => {
    // RandomBrightness factor (0.2, 0.2) adds exactly 51: one SGD step equals a plain model's step on x + 51.
    const x = tf.randomUniform([4, 2, 2, 3], 0, 100, 'float32', 2);
    const y = tf.randomNormal([4, 1], 0, 1, 'float32', 3);
    const dense = () => [new layers.Flatten(), new layers.Dense({ units: 1, kernelInitializer: 'ones' })];
    const augmented = new models.Sequential([
      layers.Input({ shape: [2, 2, 3] }),
      new layers.RandomBrightness({ factor: [0.2, 0.2] }),
      new layers.RandomContrast({ factor: 0 }),
      ...dense(),
    ]);
    const plain = new models.Sequential([layers.Input({ shape: [2, 2, 3] }), ...dense()]);
    for (const m of [augmented, plain])
      m.compile({ optimizer: new optimizers.SGD({ learningRate: 1e-5 }), loss: 'mse' });
    const history = await augmented.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const shifted = tf.add(x, 51);
    await plain.fit(shifted, y, { epochs: 1, batchSize: 4, verbose: 0 });
    assert.ok(Number.isFinite(history.history.loss?.[0] as number));
    assertAllClose(augmented.weights[0] as tf.Tensor, plain.weights[0] as tf.Tensor, {}, 'kernel after one step');
    const predicted = augmented.predict(x) as tf.Tensor;
    const expected = plain.predict(x) as tf.Tensor;
    assertAllClose(predicted, expected, {}, 'predict skips the augmentation');
    tf.dispose([x, y, shifted, predicted, expected]);
    augmented.dispose();
    plain.dispose();
  });

  it('every color layer in one model: fit trains through them, evaluate and predict skip the random ones', async () => {
    const model = new models.Sequential([
      layers.Input({ shape: [6, 6, 3] }),
      ...Object.values(RANDOM).map((make, i) => make(i + 1)),
      new layers.AutoContrast(),
      new layers.Equalization(),
      new layers.ContrastLimitedAdaptiveHistogramEqualization({ tileGridSize: [2, 2] }),
      new layers.Rescaling({ scale: 1 / 255 }),
      new layers.Flatten(),
      new layers.Dense({ units: 1 }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
    const x = tf.randomUniform([4, 6, 6, 3], 0, 255, 'float32', 4);
    const y = tf.randomNormal([4, 1], 0, 1, 'float32', 5);
    // A first fit builds SGD's iteration and learning_rate variables; the second must allocate nothing.
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
    assert.equal(tf.memory().numTensors, before, 'fit leaves no tensor behind');
    for (const loss of history.history.loss ?? []) assert.ok(Number.isFinite(loss as number), `loss ${loss}`);
    // Inference: only AutoContrast and CLAHE act (Equalization equalizes only in training), so predict is deterministic.
    const first = model.predict(x) as tf.Tensor;
    const second = model.predict(x) as tf.Tensor;
    assert.deepEqual(Array.from(first.dataSync()), Array.from(second.dataSync()));
    const evaluated = model.evaluate(x, y);
    assert.ok(evaluated != null);
    tf.dispose([x, y, first, second]);
    model.dispose();
  });
});
