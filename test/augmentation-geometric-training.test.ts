/**
 * The geometric augmentation layers in training: seeded statistics of their
 * random draws (read back from ramp images, on which bilinear resampling is
 * exact), the same seed giving the same outputs, the identity at inference,
 * fit with augmentation (random in training steps, identity in evaluate and
 * predict), and Keras-made .keras files (keras.io's "image classification
 * from scratch" augmentation block, and one with RandomZoom,
 * RandomTranslation, RandomPerspective and RandomElasticTransform) that load
 * with Keras's weights and predictions and save back with Keras's configs
 * (scripts/check_keras_loads_augmentation_geometric.py has Keras load ours).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, models, optimizers, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import { kerasLayerConfigs } from './helpers/keras-file-configs.js';
import { assertNoLeak } from './helpers/leaks.js';

const FOLDER = new URL('./fixtures/keras-augmentation-geometric/', import.meta.url);
const EXPECTED = JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as Record<
  string,
  { input: { shape: number[]; values: number[] }; predictions: { values: number[] }; weights: number[][] }
>;

/** `n` 5x5 images whose channel 0 is the column and channel 1 the row: bilinear reads of it give positions back. */
function ramps(n: number): tf.Tensor4D {
  return tf.tidy(() => {
    const x = tf.tile(tf.reshape(tf.range(0, 5, 1, 'float32'), [1, 1, 5, 1]), [n, 5, 1, 1]);
    const y = tf.tile(tf.reshape(tf.range(0, 5, 1, 'float32'), [1, 5, 1, 1]), [n, 1, 5, 1]);
    return tf.concat([x, y], 3) as tf.Tensor4D;
  });
}

/** Channel `c` of pixel (row, col) of each image of a `[n, 5, 5, 2]` output. */
function pixel(output: tf.Tensor, row: number, col: number, c: number): number[] {
  const data = output.dataSync();
  const n = output.shape[0] as number;
  return Array.from({ length: n }, (_, b) => data[((b * 5 + row) * 5 + col) * 2 + c] as number);
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const variance = (v: number[]) => mean(v.map((x) => (x - mean(v)) ** 2));

/** `values` look uniform on [lo, hi]: inside it, spread to both ends, mean and variance within 5 standard errors. */
function assertUniform(values: number[], lo: number, hi: number, label: string): void {
  const eps = 1e-4 * Math.max(1, Math.abs(lo), Math.abs(hi));
  const n = values.length;
  assert.ok(Math.min(...values) >= lo - eps && Math.max(...values) <= hi + eps, `${label}: inside [${lo}, ${hi}]`);
  const width = hi - lo;
  assert.ok(Math.min(...values) < lo + 0.05 * width && Math.max(...values) > hi - 0.05 * width, `${label}: spread`);
  // Uniform: mean (lo+hi)/2 with sd width/sqrt(12 n); variance width²/12 with sd width² / sqrt(180 n).
  assert.ok(Math.abs(mean(values) - (lo + hi) / 2) < (5 * width) / Math.sqrt(12 * n), `${label}: mean ${mean(values)}`);
  assert.ok(
    Math.abs(variance(values) - width ** 2 / 12) < (5 * width ** 2) / Math.sqrt(180 * n),
    `${label}: variance ${variance(values)}`,
  );
}

/** A count of `n` Bernoulli(p) trials within 5 standard deviations. */
function assertBinomial(count: number, n: number, p: number, label: string): void {
  const sd = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(count - n * p) < 5 * sd, `${label}: ${count} of ${n}, expected ${n * p} ± ${5 * sd}`);
}

const N = 400;

describeEachBackend('geometric augmentation: seeded statistics', () => {
  it('RandomFlip flips about half of the images, each one way or not at all; the same seed flips the same ones', () => {
    const x = tf.tile(tf.tensor4d([0, 1, 2, 3], [1, 2, 2, 1]), [N, 1, 1, 1]);
    for (const [mode, flippedImage] of [
      ['horizontal', [1, 0, 3, 2]],
      ['vertical', [2, 3, 0, 1]],
      ['horizontal_and_vertical', [3, 2, 1, 0]],
    ] as const) {
      const y = new layers.RandomFlip({ mode, seed: 17 }).apply(x, { training: true }) as tf.Tensor;
      const data = y.dataSync();
      let flipped = 0;
      for (let b = 0; b < N; b++) {
        const image = Array.from(data.slice(b * 4, b * 4 + 4));
        const isFlipped = image.every((v, i) => v === flippedImage[i]);
        assert.ok(isFlipped || image.every((v, i) => v === i), `${mode}: image ${b} is ${image}`);
        flipped += Number(isFlipped);
      }
      assertBinomial(flipped, N, 0.5, mode);
      const again = new layers.RandomFlip({ mode, seed: 17 }).apply(x, { training: true }) as tf.Tensor;
      assert.deepEqual(Array.from(again.dataSync()), Array.from(data));
      tf.dispose([y, again]);
    }
    x.dispose();
  });

  it('RandomRotation draws angles uniform in [-f, f] turns, one per image; the same seed draws the same', () => {
    const x = ramps(N);
    const layer = new layers.RandomRotation({ factor: 0.05, seed: 3 });
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    // The pixel right of the centre reads the input at (2 + cos t, 2 + sin t).
    const cos = pixel(y, 2, 3, 0).map((v) => v - 2);
    const sin = pixel(y, 2, 3, 1).map((v) => v - 2);
    const turns = cos.map((c, i) => Math.atan2(sin[i] as number, c) / (2 * Math.PI));
    assertUniform(turns, -0.05, 0.05, 'turns');
    const again = new layers.RandomRotation({ factor: 0.05, seed: 3 }).apply(x, { training: true }) as tf.Tensor;
    assert.deepEqual(Array.from(again.dataSync()), Array.from(y.dataSync()));
    const second = layer.apply(x, { training: true }) as tf.Tensor;
    assert.notDeepEqual(Array.from(second.dataSync()), Array.from(y.dataSync()));
    tf.dispose([x, y, again, second]);
  });

  it('RandomZoom draws 1 + factor per axis (the height draw for both when widthFactor is null)', () => {
    const x = ramps(N);
    const both = new layers.RandomZoom({ heightFactor: [-0.4, 0.2], widthFactor: [0.1, 0.3], seed: 5 });
    const y = both.apply(x, { training: true }) as tf.Tensor;
    // Pixel (3, 3) reads the input at (2 + zx, 2 + zy).
    assertUniform(
      pixel(y, 3, 3, 1).map((v) => v - 2),
      0.6,
      1.2,
      'vertical zoom',
    );
    assertUniform(
      pixel(y, 3, 3, 0).map((v) => v - 2),
      1.1,
      1.3,
      'horizontal zoom',
    );
    const tied = new layers.RandomZoom({ heightFactor: 0.3, seed: 5 }).apply(x, { training: true }) as tf.Tensor;
    assertAllClose(pixel(tied, 3, 3, 0), pixel(tied, 3, 3, 1));
    tf.dispose([x, y, tied]);
  });

  it('RandomTranslation draws shifts uniform in the factors times the image size', () => {
    const x = ramps(N);
    const layer = new layers.RandomTranslation({ heightFactor: [-0.2, 0.1], widthFactor: 0.2, seed: 7 });
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    // The centre reads the input at (2 - dx, 2 - dy).
    assertUniform(
      pixel(y, 2, 2, 0).map((v) => 2 - v),
      -1,
      1,
      'dx',
    );
    assertUniform(
      pixel(y, 2, 2, 1).map((v) => 2 - v),
      -1,
      0.5,
      'dy',
    );
    tf.dispose([x, y]);
  });

  it('RandomShear draws |shear| in its range and negates it for about half of the images', () => {
    const x = ramps(N);
    const y = new layers.RandomShear({ xFactor: [0.1, 0.3], seed: 9 }).apply(x, { training: true }) as tf.Tensor;
    // Pixel (row 3, column 1) reads the input at column 1 + 3 sx.
    const shears = pixel(y, 3, 1, 0).map((v) => (v - 1) / 3);
    assertUniform(
      shears.map((s) => Math.abs(s)),
      0.1,
      0.3,
      '|shear|',
    );
    assertBinomial(shears.filter((s) => s < 0).length, N, 0.5, 'negated');
    tf.dispose([x, y]);
  });

  it('RandomCrop picks each window position with equal chance, one window per batch', () => {
    const layer = new layers.RandomCrop({ height: 4, width: 4, seed: 11 });
    const x = tf.tidy(() => tf.reshape(tf.range(0, 36, 1, 'float32'), [1, 6, 6, 1]));
    const counts = new Map<number, number>();
    const calls = 450;
    for (let i = 0; i < calls; i++) {
      const corner = tf.tidy(() => (layer.apply(tf.concat([x, x]), { training: true }) as tf.Tensor).dataSync());
      assert.equal(corner[0], corner[16], 'both images share the window');
      counts.set(corner[0] as number, (counts.get(corner[0] as number) ?? 0) + 1);
    }
    // Corners (top, left) in {0, 1, 2}²: pixel values 6 top + left.
    assert.deepEqual(
      [...counts.keys()].sort((a, b) => a - b),
      [0, 1, 2, 6, 7, 8, 12, 13, 14],
    );
    for (const count of counts.values()) assertBinomial(count, calls, 1 / 9, 'window');
    x.dispose();
  });

  it('RandomPerspective and RandomElasticTransform change about the factor share of the images', () => {
    const x = tf.tidy(() => tf.add(ramps(N), 1));
    const changed = (y: tf.Tensor) => {
      const a = x.dataSync();
      const b = y.dataSync();
      let count = 0;
      for (let i = 0; i < N; i++) {
        let same = true;
        for (let k = i * 50; k < (i + 1) * 50 && same; k++) same = Math.abs((a[k] as number) - (b[k] as number)) < 1e-6;
        count += Number(!same);
      }
      return count;
    };
    const perspective = new layers.RandomPerspective({ factor: [0.3, 0.3], scale: 0.5, seed: 13 });
    const p = perspective.apply(x, { training: true }) as tf.Tensor;
    assertBinomial(changed(p), N, 0.3, 'perspective');
    const elastic = new layers.RandomElasticTransform({
      factor: [0.6, 0.6],
      scale: [0.8, 1],
      valueRange: [1, 4],
      seed: 13,
    });
    const e = elastic.apply(x, { training: true }) as tf.Tensor;
    // Untouched images are clipped to [1, 4] too (the 5s of the ramps): count only the inside.
    const inside = tf.tidy(() => tf.clipByValue(x, 1, 4));
    const untouched = inside.dataSync();
    const got = e.dataSync();
    let count = 0;
    for (let i = 0; i < N; i++) {
      let same = true;
      for (let k = i * 50; k < (i + 1) * 50 && same; k++)
        same = Math.abs((untouched[k] as number) - (got[k] as number)) < 1e-6;
      count += Number(!same);
    }
    assertBinomial(count, N, 0.6, 'elastic');
    assert.ok(Math.min(...got) >= 1 && Math.max(...got) <= 4, 'clipped to valueRange');
    const again = new layers.RandomElasticTransform({
      factor: [0.6, 0.6],
      scale: [0.8, 1],
      valueRange: [1, 4],
      seed: 13,
    }).apply(x, { training: true }) as tf.Tensor;
    assert.deepEqual(Array.from(again.dataSync()), Array.from(got));
    tf.dispose([x, p, e, inside, again]);
  });

  it('channelsFirst draws what channelsLast draws with the same seed: the same images, transposed', () => {
    const x = tf.randomUniform([3, 6, 7, 2], 0, 1, 'float32', 21);
    const xt = tf.transpose(x, [0, 3, 1, 2]);
    const makers: ((dataFormat: 'channelsLast' | 'channelsFirst') => layers.Layer)[] = [
      (dataFormat) => new layers.RandomFlip({ seed: 1, dataFormat }),
      (dataFormat) => new layers.RandomRotation({ factor: 0.2, fillMode: 'wrap', seed: 2, dataFormat }),
      (dataFormat) => new layers.RandomZoom({ heightFactor: 0.3, widthFactor: 0.2, seed: 3, dataFormat }),
      (dataFormat) => new layers.RandomTranslation({ heightFactor: 0.2, widthFactor: 0.3, seed: 4, dataFormat }),
      (dataFormat) => new layers.RandomShear({ xFactor: 0.3, yFactor: 0.2, fillMode: 'constant', seed: 5, dataFormat }),
      (dataFormat) => new layers.RandomCrop({ height: 4, width: 5, seed: 6, dataFormat }),
      (dataFormat) => new layers.RandomPerspective({ scale: 0.4, seed: 7, dataFormat }),
      (dataFormat) =>
        new layers.RandomElasticTransform({ valueRange: [0, 1], fillMode: 'mirror', seed: 8, dataFormat }),
    ];
    for (const make of makers) {
      const last = make('channelsLast').apply(x, { training: true }) as tf.Tensor;
      const first = make('channelsFirst').apply(xt, { training: true }) as tf.Tensor;
      const back = tf.transpose(first, [0, 2, 3, 1]);
      assertAllClose(back, last, { rtol: 1e-5, atol: 1e-5 }, make('channelsLast').getConfig().name as string);
      tf.dispose([last, first, back]);
    }
    tf.dispose([x, xt]);
  });

  it('every layer is the identity (as float32) outside training, without leaks; RandomCrop crops', async () => {
    const x = tf.tidy(() => tf.cast(tf.reshape(tf.range(0, 2 * 6 * 6 * 3), [2, 6, 6, 3]), 'int32'));
    const all = [
      new layers.RandomFlip(),
      new layers.RandomRotation({ factor: 0.2 }),
      new layers.RandomZoom({ heightFactor: 0.2 }),
      new layers.RandomTranslation({ heightFactor: 0.2, widthFactor: 0.2 }),
      new layers.RandomShear({ xFactor: 0.2 }),
      new layers.RandomPerspective(),
      new layers.RandomElasticTransform(),
    ];
    await assertNoLeak(() => {
      for (const layer of all) {
        for (const training of [false, undefined]) {
          const y = layer.apply(x, { training }) as tf.Tensor;
          assert.equal(y.dtype, 'float32');
          assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()));
          y.dispose();
        }
        const trained = layer.apply(x, { training: true }) as tf.Tensor;
        assert.deepEqual(trained.shape, x.shape);
        trained.dispose();
      }
      const crop = new layers.RandomCrop({ height: 4, width: 4, seed: 1 });
      const y = crop.apply(x) as tf.Tensor;
      assert.deepEqual(y.shape, [2, 4, 4, 3]);
      assert.deepEqual(crop.computeOutputShape([null, 6, 6, 3]), [null, 4, 4, 3]);
      y.dispose();
    });
    x.dispose();
  });
});

/** Keras's layer configs in a .keras file, without the ids of one Keras process or the nodes. */
const layerConfigs = (bytes: Uint8Array) => kerasLayerConfigs(bytes, ['inbound_nodes']);

describeEachBackend('Keras-made .keras files with geometric augmentation', () => {
  for (const name of ['augment_cnn', 'augment_more']) {
    it(`${name}.keras loads with Keras's weights and predictions and saves back with Keras's configs`, async () => {
      const expected = EXPECTED[name] as (typeof EXPECTED)[string];
      const path = new URL(`${name}.keras`, FOLDER).pathname;
      const model = await saving.loadModel(path);
      model.weights.forEach((w, i) => {
        // The fixture writes each float32 as its shortest decimal: equal once rounded to float32.
        assert.deepEqual(Array.from(w.dataSync()), (expected.weights[i] as number[]).map(Math.fround), `weight ${i}`);
      });
      const x = tf.tensor(expected.input.values, expected.input.shape);
      const predict = (m: models.Model) => tf.tidy(() => Array.from((m.predict(x) as tf.Tensor).dataSync()));
      assertAllClose(predict(model), expected.predictions.values, { rtol: 1e-5, atol: 1e-6 }, 'predictions');
      const bytes = await saving.saveModelToBytes(model);
      assertConfigClose(layerConfigs(bytes), layerConfigs(new Uint8Array(readFileSync(path))));
      const again = await saving.loadModelFromBytes(bytes);
      assert.deepEqual(predict(again), predict(model));
      x.dispose();
      model.dispose();
      again.dispose();
    });
  }
});

describeEachBackend('fit with geometric augmentation', () => {
  it('augments in training steps only: with a zero learning rate the training loss differs from evaluate, which equals predict', async () => {
    const make = () =>
      new models.Sequential([
        layers.Input({ shape: [6, 6, 1] }),
        new layers.RandomFlip({ mode: 'horizontal', seed: 1 }),
        new layers.RandomRotation({ factor: 0.1, seed: 2 }),
        new layers.RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 3 }),
        new layers.Flatten(),
        new layers.Dense({ units: 1, kernelInitializer: 'ones' }),
      ]);
    const x = tf.tidy(() => tf.reshape(tf.range(0, 4 * 36, 1, 'float32'), [4, 6, 6, 1]).div(100));
    const y = tf.zeros([4, 1]);
    const frozen = make();
    frozen.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
    const trainLoss = frozen.trainOnBatch(x, y).loss as number;
    const evalLoss = frozen.evaluate(x, y).loss as number;
    const predicted = tf.tidy(() => tf.mean(tf.square(frozen.predict(x) as tf.Tensor)).dataSync()[0] as number);
    assertAllClose(evalLoss, predicted, { rtol: 1e-5 });
    assert.ok(Math.abs(trainLoss - evalLoss) > 1e-3, `training loss ${trainLoss} vs evaluate ${evalLoss}`);

    const model = make();
    model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
    // A first epoch builds Adam's slots; the next three must leave nothing behind.
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0 });
    const losses = history.history.loss as number[];
    assert.equal(losses.length, 3);
    assert.ok(losses.every(Number.isFinite) && (losses[2] as number) < (losses[0] as number), `losses ${losses}`);
    assert.equal(tf.memory().numTensors, before, 'fit leaves no tensors');
    tf.dispose([x, y]);
    frozen.dispose();
    model.dispose();
  });
});
