/**
 * RandomErasing, RandomGaussianBlur, CutMix, MixUp, MaxNumBoundingBoxes and
 * Pipeline, RandAugment and AugMix against real Keras 3.15.1
 * (test/fixtures/keras-augmentation-mixing.json, made by
 * scripts/generate_keras_augmentation_mixing_fixtures.py): configs as Keras
 * writes them; calls whose randomness Keras's ranges pin down (inference,
 * degenerate factors, a batch of one, a Pipeline of such layers) equal to
 * Keras's at rtol 1e-5 on cpu and wasm; MaxNumBoundingBoxes' boxes as
 * Keras pads them. Random training calls are held to what the layers must
 * do (convex combinations of two images of the batch, pasted rectangles,
 * erased rectangles) and to Keras's own statistics; a seed repeats exactly.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';

const CASES = (
  JSON.parse(readFileSync(new URL('./fixtures/keras-augmentation-mixing.json', import.meta.url), 'utf8')) as {
    cases: FixtureCase[];
  }
).cases;
const ofKind = (kind: string) => CASES.filter((c) => c.kind === kind);
const MIXING = new Set([
  'RandomErasing',
  'RandomGaussianBlur',
  'CutMix',
  'MixUp',
  'MaxNumBoundingBoxes',
  'Pipeline',
  'RandAugment',
  'AugMix',
]);
const mine = (c: FixtureCase) =>
  MIXING.has(c.json.class_name) &&
  (c.json.class_name !== 'Pipeline' ||
    (c.json.config.layers as { class_name: string }[]).every((l) =>
      [...MIXING, 'Rescaling', 'CenterCrop'].includes(l.class_name),
    ));

const tensorOf = (v: { shape: number[]; values: number[] }) => tf.tensor(v.values, v.shape, 'float32');
const caseByName = (name: string) => CASES.find((c) => c.name === name) as FixtureCase;

describeEachBackend('mixing augmentation layers: configs as Keras writes them', () => {
  for (const c of ofKind('config').filter(mine)) {
    it(`${c.name}: Keras's JSON reads and writes back unchanged`, () => {
      const layer = layers.deserialize(c.json);
      assert.equal((layer.constructor as unknown as { className: string }).className, c.class_name);
      const json = layers.serialize(layer) as { config: unknown };
      assertConfigClose(json.config, c.json.config);
    });
  }

  it('camelCase options give the configs Keras writes', () => {
    const made: [layers.Layer, string][] = [
      [
        new layers.RandomErasing({
          factor: [0.8, 0.2],
          scale: [0.1, 0.3],
          fillValue: 0.5,
          valueRange: [0, 1],
          seed: 3,
          name: 'erase',
        }),
        'RandomErasing every option',
      ],
      [
        new layers.RandomGaussianBlur({
          factor: [0.5, 1],
          kernelSize: 5,
          sigma: [0.5, 2],
          valueRange: [0, 1],
          seed: 2,
          dataFormat: 'channelsFirst',
          name: 'random_gaussian_blur_1',
        }),
        'RandomGaussianBlur every option',
      ],
      [new layers.CutMix({ factor: 0.5, seed: 1, name: 'cut' }), 'CutMix factor 0.5, seed 1'],
      [new layers.MixUp({ alpha: 0.4, seed: 4, name: 'mix_up_1' }), 'MixUp alpha 0.4, seed 4'],
      [new layers.MaxNumBoundingBoxes({ maxNumber: 5, fillValue: 0, name: 'boxes' }), 'MaxNumBoundingBoxes 5, fill 0'],
      [
        new layers.MaxNumBoundingBoxes({ maxNumber: 4, boundingBoxFormat: 'xyxy', name: 'max_num_bounding_boxes_1' }),
        'MaxNumBoundingBoxes xyxy',
      ],
    ];
    for (const [layer, name] of made) {
      assertConfigClose((layers.serialize(layer) as { config: unknown }).config, caseByName(name).json.config, name);
    }
  });

  it("a Pipeline's config nests its layers' Keras JSON and writes only layers and name, as Keras", () => {
    const pipeline = new layers.Pipeline({
      layers: [
        new layers.Rescaling({ scale: 1 / 255, name: 'rescaling' }),
        new layers.RandomErasing({ valueRange: [0, 1], seed: 1, name: 'random_erasing_2' }),
        new layers.MixUp({ seed: 2, name: 'mix_up_2' }),
      ],
      name: 'augment',
    });
    const keras = caseByName('Pipeline of Rescaling, RandomErasing, MixUp').json;
    assertConfigClose((layers.serialize(pipeline) as { config: unknown }).config, keras.config);
    assert.deepEqual(
      pipeline.layers.map((l) => l.name),
      ['rescaling', 'random_erasing_2', 'mix_up_2'],
    );
  });
});

describeEachBackend("mixing augmentation layers: Keras's outputs where the randomness is pinned", () => {
  for (const c of ofKind('call').filter(mine)) {
    it(`${c.name} (training: ${c.training})`, async () => {
      const layer = layers.deserialize(c.json);
      const x = tensorOf(c.input);
      await assertNoLeak(() => {
        const y = layer.apply(x, { training: c.training });
        assert.deepEqual(y.shape, c.output.shape);
        assert.equal(y.dtype, 'float32');
        assertAllClose(y, c.output.values, { rtol: 1e-5, atol: 1e-6 });
        y.dispose();
      });
      x.dispose();
    });
  }

  for (const c of ofKind('boxes')) {
    it(`${c.name}: boxes and labels cut or padded as Keras does`, () => {
      const layer = new layers.MaxNumBoundingBoxes({ maxNumber: c.max_number, fillValue: c.fill_value });
      const boxes = tensorOf(c.boxes);
      const labels = tensorOf(c.labels);
      const out = layer.transformBoundingBoxes({ boxes, labels });
      assert.deepEqual(out.boxes.shape, c.out_boxes.shape);
      assert.deepEqual(out.labels.shape, c.out_labels.shape);
      assertAllClose(out.boxes, c.out_boxes.values, { rtol: 0, atol: 0 });
      assertAllClose(out.labels, c.out_labels.values, { rtol: 0, atol: 0 });
      tf.dispose([boxes, labels, out.boxes, out.labels]);
    });
  }

  it("RandomErasing's fill of three numbers fills each channel (clipped), in both data formats", () => {
    for (const dataFormat of ['channelsLast', 'channelsFirst'] as const) {
      const layer = new layers.RandomErasing({ factor: [1, 1], scale: [1, 1], fillValue: [10, -20, 300], dataFormat });
      const shape = dataFormat === 'channelsLast' ? [2, 3, 4, 3] : [2, 3, 3, 4];
      const y = tf.tidy(() => layer.apply(tf.zeros(shape), { training: true }));
      const perChannel = tf.tidy(() => tf.mean(y, dataFormat === 'channelsLast' ? [0, 1, 2] : [0, 2, 3]));
      assertAllClose(perChannel, [10, 0, 255], { rtol: 0, atol: 0 }, dataFormat);
      tf.dispose([y, perChannel]);
    }
  });
});

/** The rows of a `[batch, 1, 1, batch]` one-hot batch after a layer: which images each output mixes, with what weight. */
function mixtures(y: tf.Tensor): { sources: number[]; weights: number[] }[] {
  const rows = y.arraySync() as number[][][][];
  return rows.map((image) => {
    const pixel = image[0]?.[0] as number[];
    const sources = pixel.flatMap((v, j) => (v > 1e-6 ? [j] : []));
    return { sources, weights: sources.map((j) => pixel[j] as number) };
  });
}

describeEachBackend('mixing augmentation layers: seeded training calls', () => {
  it('MixUp: each output is a convex combination of its image and one other, the partners a permutation; lambda as Keras draws it', () => {
    const n = 8;
    const basis = tf.tidy(() => tf.tile(tf.reshape(tf.eye(n), [n, 1, 1, n]), [1, 3, 3, 1]));
    const layer = new layers.MixUp({ alpha: 0.2, seed: 7 });
    const largest: number[] = [];
    for (let call = 0; call < 200; call++) {
      const y = layer.apply(basis, { training: true });
      const rows = mixtures(y);
      const partners = rows.map((row, i) => {
        assert.ok(row.sources.includes(i) || row.sources.length === 1, `image ${i} keeps a share of itself`);
        assert.ok(row.sources.length <= 2, `image ${i} mixes two images at most`);
        assertAllClose(
          row.weights.reduce((s, w) => s + w, 0),
          1,
          { rtol: 0, atol: 1e-5 },
          'weights sum to 1',
        );
        return row.sources.length === 2 ? (row.sources.find((j) => j !== i) as number) : i;
      });
      // A partner of i that is i itself shows as one source; others must be distinct (a permutation).
      const moved = partners.filter((p, i) => p !== i);
      assert.equal(new Set(moved).size, moved.length, 'partners form a permutation');
      for (const row of rows) largest.push(row.sources.length === 2 ? Math.max(...row.weights) : 1);
      y.dispose();
    }
    // Keras's own 1600 draws of max(lambda, 1 - lambda); ours within 5 standard errors of theirs.
    const keras = caseByName('MixUp alpha 0.2: max(lambda, 1 - lambda) over 1600 draws');
    const mean = largest.reduce((s, v) => s + v, 0) / largest.length;
    const variance = largest.reduce((s, v) => s + (v - mean) ** 2, 0) / (largest.length - 1);
    const bound = 5 * Math.sqrt(variance / largest.length + variance / keras.draws);
    assert.ok(Math.abs(mean - keras.mean) <= bound, `mean ${mean}, Keras ${keras.mean} ± ${bound}`);
    assert.ok(Math.min(...largest) >= 0.5);
    basis.dispose();
  });

  it("CutMix: each output is its image with one rectangle of another image pasted, the box's area as Keras's", () => {
    const n = 8;
    const ids = tf.tidy(() => tf.tile(tf.reshape(tf.range(0, n, 1, 'float32'), [n, 1, 1, 1]), [1, 10, 10, 2]));
    const layer = new layers.CutMix({ seed: 7 });
    const areas: number[] = [];
    for (let call = 0; call < 200; call++) {
      const y = layer.apply(ids, { training: true });
      const images = y.arraySync() as number[][][][];
      const sources: number[] = [];
      images.forEach((image, i) => {
        const pasted: [number, number][] = [];
        const from = new Set<number>();
        image.forEach((row, r) => {
          row.forEach((pixel, c) => {
            assert.equal(pixel[0], pixel[1], 'the same box in every channel');
            if (pixel[0] !== i) {
              pasted.push([r, c]);
              from.add(pixel[0] as number);
            }
          });
        });
        if (pasted.length === 0) return;
        assert.equal(from.size, 1, 'one source image per output');
        sources.push(...from);
        const rows = pasted.map(([r]) => r);
        const cols = pasted.map(([, c]) => c);
        const box = (Math.max(...rows) - Math.min(...rows) + 1) * (Math.max(...cols) - Math.min(...cols) + 1);
        assert.equal(pasted.length, box, 'the pasted pixels form a rectangle');
        areas.push(pasted.length / 100);
      });
      assert.equal(new Set(sources).size, sources.length, 'each image is pasted into one other at most');
      y.dispose();
    }
    const keras = caseByName('CutMix factor 1: pasted area fraction where pasted');
    const mean = areas.reduce((s, v) => s + v, 0) / areas.length;
    const variance = areas.reduce((s, v) => s + (v - mean) ** 2, 0) / (areas.length - 1);
    const bound = 5 * Math.sqrt(variance / areas.length + variance / keras.draws);
    assert.ok(Math.abs(mean - keras.mean) <= bound, `mean area ${mean}, Keras ${keras.mean} ± ${bound}`);
    // Keras pastes in about 1271 of 1600 images (the rest: paired with itself, or a box under a pixel).
    assert.ok(Math.abs(areas.length - keras.draws) < 5 * Math.sqrt(1600 * 0.2), `pasted in ${areas.length} images`);
    ids.dispose();
  });

  it('RandomErasing: erases one rectangle of the fill value, with the probability and sizes its ranges give', () => {
    const batch = 400;
    const images = tf.ones([batch, 10, 10, 1]);
    const layer = new layers.RandomErasing({ factor: [0.5, 0.5], scale: [0.09, 0.36], fillValue: 0, seed: 5 });
    const y = layer.apply(images, { training: true });
    const out = y.arraySync() as number[][][][];
    let erased = 0;
    for (const image of out) {
      const cells: [number, number][] = [];
      image.forEach((row, r) => {
        row.forEach((pixel, c) => {
          if (pixel[0] === 0) cells.push([r, c]);
        });
      });
      if (cells.length === 0) continue;
      erased++;
      const rows = cells.map(([r]) => r);
      const cols = cells.map(([, c]) => c);
      const h = Math.max(...rows) - Math.min(...rows) + 1;
      const w = Math.max(...cols) - Math.min(...cols) + 1;
      assert.equal(cells.length, h * w, 'a rectangle');
      // Sides of sqrt(s) * 10 pixels, s in [0.09, 0.36]: 3 to 6, up to one more pixel straddled.
      for (const side of [h, w]) assert.ok(side >= 2 && side <= 7, `side ${side}`);
    }
    // Each image erased with probability 0.5 (boxes of at least 3 pixels always cover one).
    const bound = 5 * Math.sqrt(batch * 0.25);
    assert.ok(Math.abs(erased - batch / 2) <= bound, `${erased} of ${batch} erased`);
    tf.dispose([images, y]);
  });

  it('RandomGaussianBlur: blurs each image with the probability its factor gives, the others clipped only', () => {
    const batch = 400;
    const images = tf.tidy(() => tf.tile(tf.reshape(tf.tensor1d([0, 0, 255, 0, 0]), [1, 1, 5, 1]), [batch, 3, 1, 1]));
    const layer = new layers.RandomGaussianBlur({ factor: [0.3, 0.3], sigma: [0.5, 1], seed: 2 });
    const y = layer.apply(images, { training: true });
    const centre = (tf.slice(y, [0, 1, 2, 0], [-1, 1, 1, 1]).dataSync() as Float32Array).map((v) => v);
    const blurred = Array.from(centre).filter((v) => v < 255).length;
    const bound = 5 * Math.sqrt(batch * 0.3 * 0.7);
    assert.ok(Math.abs(blurred - batch * 0.3) <= bound, `${blurred} of ${batch} blurred`);
    tf.dispose([images, y]);
  });

  it('the same seed gives the same outputs; the next call draws anew; inference calls are the identity', () => {
    const x = tf.tidy(() => tf.mul(tf.randomUniform([4, 6, 6, 3], 0, 1, 'float32', 3), 255));
    const makers: (() => layers.Layer)[] = [
      () => new layers.RandomErasing({ seed: 11 }),
      () => new layers.RandomGaussianBlur({ seed: 11 }),
      () => new layers.CutMix({ seed: 11 }),
      () => new layers.MixUp({ seed: 11 }),
      () => new layers.Pipeline({ layers: [new layers.RandomErasing({ seed: 1 }), new layers.MixUp({ seed: 2 })] }),
    ];
    for (const make of makers) {
      const [a, b] = [make(), make()];
      const a1 = a.apply(x, { training: true });
      const b1 = b.apply(x, { training: true });
      const a2 = a.apply(x, { training: true });
      assert.deepEqual(Array.from(a1.dataSync()), Array.from(b1.dataSync()), `${a.name}: same seed`);
      assert.notDeepEqual(Array.from(a1.dataSync()), Array.from(a2.dataSync()), `${a.name}: a second call`);
      for (const training of [false, undefined]) {
        const y = a.apply(x, { training });
        assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()), `${a.name}: inference`);
        y.dispose();
      }
      tf.dispose([a1, b1, a2]);
    }
    x.dispose();
  });

  it('mixBatch mixes labels with the weights the images were mixed with (MixUp by lambda, CutMix by area)', () => {
    const n = 6;
    const images = tf.tidy(() => tf.tile(tf.reshape(tf.eye(n), [n, 1, 1, n]), [1, 4, 4, 1]));
    const labels = tf.eye(n);
    const up = new layers.MixUp({ seed: 3 }).mixBatch({ images, labels }, { training: true });
    // MixUp's images are uniform per image: each pixel is its label row.
    assertAllClose(
      tf.tidy(() => tf.reshape(tf.slice(up.images, [0, 0, 0, 0], [-1, 1, 1, -1]), [n, n])),
      up.labels,
      { rtol: 0, atol: 1e-6 },
    );
    const big = tf.tidy(() => tf.tile(tf.reshape(tf.eye(n), [n, 1, 1, n]), [1, 20, 20, 1]));
    const cut = new layers.CutMix({ seed: 3 }).mixBatch({ images: big, labels }, { training: true });
    // CutMix's labels are Keras's: the box's real area (x1 - x0)(y1 - y0), of which the pixels it
    // covers differ by at most one row and one column: |share - label| <= (20 + 20 + 1) / 400.
    const shares = tf.tidy(() => tf.mean(cut.images, [1, 2]));
    assertAllClose(shares, cut.labels, { rtol: 0, atol: 41 / 400 });
    assertAllClose(
      tf.tidy(() => tf.sum(cut.labels, 1)),
      Array(n).fill(1),
      { rtol: 0, atol: 1e-6 },
    );
    tf.dispose([big, shares]);
    const still = new layers.MixUp({ seed: 3 }).mixBatch({ images, labels });
    assertAllClose(still.labels, labels, { rtol: 0, atol: 0 });
    tf.dispose([images, labels, up.images, up.labels, cut.images, cut.labels, still.images, still.labels]);
  });

  it('RandAugment and AugMix: training outputs stay in the value range, move the images, and repeat with a seed', () => {
    const x = tf.tidy(() => tf.mul(tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 4), 255));
    const makers: (() => layers.RandAugment | layers.AugMix)[] = [
      () => new layers.RandAugment({ seed: 3 }),
      () => new layers.RandAugment({ numOps: 4, factor: [0.2, 0.9], interpolation: 'nearest', seed: 4 }),
      () => new layers.AugMix({ seed: 5 }),
      () => new layers.AugMix({ numChains: 2, chainDepth: 4, alpha: 0.5, allOps: false, seed: 6 }),
    ];
    for (const make of makers) {
      const [a, b] = [make(), make()];
      for (let call = 0; call < 3; call++) {
        const ya = a.apply(x, { training: true });
        const yb = b.apply(x, { training: true });
        const name = `${a.name}, call ${call}`;
        assert.deepEqual(ya.shape, x.shape);
        assert.deepEqual(Array.from(ya.dataSync()), Array.from(yb.dataSync()), `${name}: same seed`);
        const [low, high] = [tf.min(ya), tf.max(ya)].map((t) => {
          const v = t.dataSync()[0] as number;
          t.dispose();
          return v;
        }) as [number, number];
        assert.ok(low >= 0 && high <= 255, `${name}: values in [0, 255], got [${low}, ${high}]`);
        tf.dispose([ya, yb]);
      }
      const moved = [0, 1, 2, 3, 4].some(() => {
        const y = a.apply(x, { training: true });
        const differs = tf.tidy(() => tf.max(tf.abs(tf.sub(y, x))).dataSync()[0] as number) > 1e-3;
        y.dispose();
        return differs;
      });
      assert.ok(moved, `${a.name}: training calls augment`);
      const y = a.apply(x);
      assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()), `${a.name}: inference`);
      y.dispose();
    }
    x.dispose();
  });

  it("RandAugment with factor 0 and one op: each training output is one of Keras's eleven layers' outputs, each met", () => {
    const c = ofKind('policy_outputs')[0] as FixtureCase;
    const layer = layers.deserialize(c.json);
    const x = tensorOf(c.input);
    const candidates = c.candidates as { layer: string; output: { values: number[] } }[];
    const close = (a: ArrayLike<number>, b: number[]) =>
      b.every((v, i) => Math.abs((a[i] as number) - v) <= 1e-5 * Math.abs(v) + 1e-3);
    // Layers whose outputs coincide (the identities at factor 0) form one group, named by its first.
    const group = (values: ArrayLike<number>) => candidates.find((k) => close(values, k.output.values))?.layer;
    const groups = new Set(candidates.map((k) => group(k.output.values)));
    const met = new Set<string>();
    for (let call = 0; call < 80; call++) {
      const y = layer.apply(x, { training: true });
      const found = group(y.dataSync());
      assert.ok(found !== undefined, `call ${call}: the output is none of the eleven layers' outputs`);
      met.add(found);
      y.dispose();
    }
    // Every group is met (the layer is seeded, so the 80 picks are the same on every run and backend).
    assert.deepEqual([...met].sort(), [...groups].sort());
    x.dispose();
  });

  it("AugMix with one chain of depth one: each output is m x + (1 - m) op(x), op(x) one of Keras's seven layers' outputs", () => {
    const c = ofKind('augmix_outputs')[0] as FixtureCase;
    const layer = layers.deserialize(c.json);
    const x = tensorOf(c.input);
    const xs = Array.from(x.dataSync());
    const candidates = c.candidates as { layer: string; output: { values: number[] } }[];
    const weights: number[] = [];
    let unchanged = 0;
    for (let call = 0; call < 60; call++) {
      const y = layer.apply(x, { training: true });
      const ys = Array.from(y.dataSync());
      y.dispose();
      if (ys.every((v, i) => Math.abs(v - (xs[i] as number)) <= 1e-3)) {
        unchanged++; // the chain drew "none", a layer that is the identity at factor 0, or m = 1
        continue;
      }
      // y - x = (1 - m)(op(x) - x): the least-squares share t = 1 - m, and what it leaves.
      const fits = candidates.map((k) => {
        const d = k.output.values.map((v, i) => v - (xs[i] as number));
        const e = ys.map((v, i) => v - (xs[i] as number));
        const dd = d.reduce((s, v) => s + v * v, 0);
        const t = dd === 0 ? 0 : d.reduce((s, v, i) => s + v * (e[i] as number), 0) / dd;
        const residual = Math.max(...e.map((v, i) => Math.abs(v - t * (d[i] as number))));
        return { t, residual };
      });
      const best = fits.reduce((a, b) => (b.residual < a.residual ? b : a));
      assert.ok(best.residual <= 2e-3, `call ${call}: no layer's output explains it (residual ${best.residual})`);
      assert.ok(best.t >= -1e-6 && best.t <= 1 + 1e-6, `call ${call}: share ${best.t} outside [0, 1]`);
      weights.push(1 - best.t);
    }
    // Both kinds occur, and m ~ Beta(1, 1) is uniform: its mean within 5 standard errors of 1/2.
    assert.ok(unchanged > 0 && weights.length > 10, `${unchanged} unchanged, ${weights.length} mixed`);
    const mean = weights.reduce((s, w) => s + w, 0) / weights.length;
    assert.ok(Math.abs(mean - 0.5) <= 5 * Math.sqrt(1 / 12 / weights.length), `mean m ${mean}`);
    x.dispose();
  });

  it('AugMix without allOps holds only the seven layers Keras makes then; RandAugment holds eleven', () => {
    const names = (layer: layers.Layer) =>
      Object.entries(layer)
        .filter(([, v]) => v instanceof layers.Layer)
        .map(([k]) => k);
    assert.equal(names(new layers.RandAugment()).length, 11);
    assert.equal(names(new layers.AugMix()).length, 11);
    assert.deepEqual(names(new layers.AugMix({ allOps: false })), [
      'randomShear',
      'randomTranslation',
      'randomRotation',
      'solarization',
      'randomPosterization',
      'autoContrast',
      'equalization',
    ]);
  });

  it('leaves no tensors behind in training calls', async () => {
    const x = tf.ones([2, 5, 5, 3]);
    const all = [
      new layers.RandomErasing({ seed: 1 }),
      new layers.RandomErasing({ fillValue: [1, 2, 3], seed: 1 }),
      new layers.RandomGaussianBlur({ seed: 1, dataFormat: 'channelsFirst' }),
      new layers.CutMix({ seed: 1 }),
      new layers.MixUp({ seed: 1 }),
      new layers.MaxNumBoundingBoxes({ maxNumber: 2 }),
      new layers.RandAugment({ numOps: 3, seed: 1 }),
      new layers.AugMix({ seed: 1 }),
      new layers.Pipeline({ layers: [new layers.RandomGaussianBlur({ seed: 1 }), new layers.CutMix({ seed: 2 })] }),
    ];
    for (const layer of all) layer.apply(x, { training: true }).dispose();
    await assertNoLeak(() => {
      for (const layer of all) layer.apply(x, { training: true }).dispose();
    });
    x.dispose();
  });
});
