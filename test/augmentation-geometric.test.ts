/**
 * The geometric augmentation layers against real Keras 3.15.1 (JAX):
 * configs both ways, Keras's affine and perspective resampling on
 * non-integer transforms (every fill mode and interpolation), the layers'
 * training calls with degenerate draws (fixed turns, zooms, shifts, crops),
 * RandomFlip's and RandomShear's possible outputs, RandomElasticTransform
 * with Keras's noise, and the errors of bad options
 * (scripts/generate_keras_augmentation_geometric_fixtures.py).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from 'keras-regularizers';
import { elasticDisplace } from '../src/layers/augmentation/geometric/elastic.js';
import type { FillMode, GeometricInterpolation } from '../src/layers/augmentation/geometric/map-coordinates.js';
import { affineTransform, perspectiveTransform } from '../src/layers/augmentation/geometric/transforms.js';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import { expectValueError } from './helpers/errors.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';

const FIXTURE = JSON.parse(
  readFileSync(new URL('./fixtures/keras-augmentation-geometric.json', import.meta.url), 'utf8'),
) as { cases: FixtureCase[] };
const casesOf = (kind: string) => FIXTURE.cases.filter((c) => c.kind === kind);
const tensor = (spec: { shape: number[]; values: number[] }) => tf.tensor(spec.values, spec.shape, 'float32');
const withoutName = (config: Record<string, unknown>) => {
  const { name: _name, ...rest } = config;
  return rest;
};
const dataFormatOf = (name: string) => (name === 'channels_first' ? 'channelsFirst' : 'channelsLast');

describe('geometric augmentation configs equal Keras', () => {
  for (const c of casesOf('geo_config')) {
    it(`${c.name}: Keras's JSON loads and is written back as Keras wrote it`, () => {
      const layer = layers.deserialize(c.json);
      assert.equal((layer.constructor as { className?: string }).className, c.class_name);
      const json = layers.serialize(layer);
      assertConfigClose(withoutName(json.config), withoutName(c.json.config), c.name);
      assert.equal(json.class_name, c.class_name);
    });
  }

  it('camelCase options give Keras configs (RandomRotation, RandomZoom, RandomShear, RandomCrop)', () => {
    const expectConfig = (layer: layers.Layer, keras: string) => {
      const c = casesOf('geo_config').find((k) => k.name === keras) as FixtureCase;
      assertConfigClose(withoutName(layers.serialize(layer).config), withoutName(c.json.config), keras);
    };
    expectConfig(
      new layers.RandomRotation({
        factor: [0.3, -0.2],
        fillMode: 'constant',
        interpolation: 'nearest',
        fillValue: 2.5,
        seed: 7,
      }),
      'RandomRotation((-0.2, 0.3), constant, nearest)',
    );
    expectConfig(
      new layers.RandomZoom({ heightFactor: [-0.5, 0.1], widthFactor: [0.2, 0.3], fillMode: 'wrap', seed: 1 }),
      'RandomZoom((-0.5, 0.1), (0.2, 0.3), wrap)',
    );
    expectConfig(
      new layers.RandomShear({ xFactor: 0.3, yFactor: [0.1, 0.2], fillMode: 'constant', seed: 4 }),
      'RandomShear(0.3, (0.1, 0.2))',
    );
    expectConfig(new layers.RandomCrop({ height: 4, width: 5, seed: 3 }), 'RandomCrop(4, 5, seed=3)');
    expectConfig(
      new layers.RandomElasticTransform({
        factor: [0.2, 0.8],
        scale: 0.5,
        fillMode: 'mirror',
        valueRange: [0, 1],
        seed: 6,
      }),
      'RandomElasticTransform((0.2, 0.8), 0.5, mirror)',
    );
  });

  it("RandomShear reads back its own [-f, f] config (Keras's from_config refuses it)", () => {
    const layer = new layers.RandomShear({ xFactor: 0.3 });
    const again = layers.deserialize(layers.serialize(layer)) as layers.RandomShear;
    assert.deepEqual(again.xFactor, [-0.3, 0.3]);
  });

  it('RandomCrop without a seed draws one now and writes it, as Keras does', () => {
    const seed = new layers.RandomCrop({ height: 2, width: 2 }).getConfig().seed as number;
    assert.ok(Number.isInteger(seed) && seed >= 1 && seed <= 1e9, `seed ${seed}`);
  });
});

describeEachBackend('Keras affine_transform and perspective_transform', () => {
  for (const c of casesOf('geo_affine')) {
    it(c.name, async () => {
      const x = tensor(c.input) as tf.Tensor4D;
      const t = tensor(c.transform) as tf.Tensor2D;
      const settings = {
        fillMode: c.fill_mode as FillMode,
        interpolation: c.interpolation as GeometricInterpolation,
        fillValue: c.fill_value,
      };
      await assertNoLeak(() => {
        const y = affineTransform(x, t, settings, dataFormatOf(c.data_format));
        assertAllClose(y, c.output.values, { rtol: 1e-5, atol: 1e-5 }, c.name);
        y.dispose();
      });
      tf.dispose([x, t]);
    });
  }
  for (const c of casesOf('geo_perspective')) {
    it(c.name, () => {
      const x = tensor(c.input) as tf.Tensor4D;
      const points = (spec: { values: number[] }) =>
        [0, 1].map((b) =>
          [0, 1, 2, 3].map((i) => [spec.values[b * 8 + i * 2], spec.values[b * 8 + i * 2 + 1]]),
        ) as number[][][];
      const settings = { interpolation: c.interpolation as GeometricInterpolation, fillValue: c.fill_value };
      const y = perspectiveTransform(x, points(c.start_points), points(c.end_points), settings, 'channelsLast');
      assertAllClose(y, c.output.values, { rtol: 1e-5, atol: 1e-4 }, c.name);
      tf.dispose([x, y]);
    });
  }
});

describeEachBackend('geometric layers in training calls equal Keras (degenerate draws)', () => {
  for (const c of casesOf('geo_layer')) {
    it(c.name, async () => {
      const layer = layers.deserialize(c.json);
      const x = tensor(c.input);
      await assertNoLeak(() => {
        const y = layer.apply(x, { training: true }) as tf.Tensor;
        assert.deepEqual(y.shape, c.output.shape);
        assertAllClose(y, c.output.values, { rtol: 1e-5, atol: 1e-5 }, c.name);
        y.dispose();
      });
      x.dispose();
    });
  }

  for (const c of casesOf('geo_flip')) {
    it(`${c.name}: each image is the input or Keras's flip, and an inference call is the input`, () => {
      const layer = layers.deserialize({ ...c.json, config: { ...c.json.config, seed: 11 } });
      const x = tensor(c.input);
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      const per = c.input.values.length / c.input.shape[0];
      const got = y.dataSync();
      let flipped = 0;
      for (let b = 0; b < c.input.shape[0]; b++) {
        const slice = Array.from(got.slice(b * per, (b + 1) * per));
        const same = slice.every((v, i) => Math.abs(v - c.input.values[b * per + i]) <= 1e-5);
        const flip = slice.every((v, i) => Math.abs(v - c.flipped.values[b * per + i]) <= 1e-5);
        assert.ok(same || flip, `image ${b} is neither the input nor Keras's flip`);
        if (flip && !same) flipped++;
      }
      assert.ok(flipped > 0 && flipped < c.input.shape[0], `seed 11 flips some of the 6 images: ${flipped}`);
      const inference = layer.apply(x) as tf.Tensor;
      assertAllClose(inference, c.input.values);
      tf.dispose([x, y, inference]);
    });
  }

  for (const c of casesOf('geo_shear')) {
    it(`${c.name}: each image is one of Keras's two shears (its random sign)`, () => {
      const layer = layers.deserialize({ ...c.json, config: { ...c.json.config, seed: 5 } });
      const x = tensor(c.input);
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      const per = c.input.values.length / c.input.shape[0];
      const got = y.dataSync();
      const close = (a: number[], offset: number) =>
        a.every((v, i) => Math.abs((got[offset + i] as number) - v) <= 1e-5 + 1e-5 * Math.abs(v));
      const signs = [];
      for (let b = 0; b < c.input.shape[0]; b++) {
        const pos = close(c.positive.values.slice(b * per, (b + 1) * per), b * per);
        const neg = close(c.negative.values.slice(b * per, (b + 1) * per), b * per);
        assert.ok(pos || neg, `image ${b} is neither of Keras's shears`);
        signs.push(pos ? '+' : '-');
      }
      assert.ok(signs.includes('+') && signs.includes('-'), `seed 5 gives both signs: ${signs.join('')}`);
      tf.dispose([x, y]);
    });
  }

  for (const c of casesOf('geo_crop_inference')) {
    it(`${c.name}: the central window Keras documents (and computes, then drops)`, () => {
      const layer = layers.deserialize(c.json);
      const x = tensor(c.input);
      const y = layer.apply(x) as tf.Tensor;
      assert.deepEqual(y.shape, c.documented.shape);
      assertAllClose(y, c.documented.values, { rtol: 1e-5, atol: 1e-5 });
      // What Keras 3.15.1's call returns at inference: the input, uncropped (see COMPATIBILITY.md).
      assert.deepEqual(c.keras_call.shape, c.input.shape);
      tf.dispose([x, y]);
    });
  }

  for (const c of casesOf('geo_elastic')) {
    it(`${c.name}: Keras's displacement of the same noise`, () => {
      const layer = layers.deserialize(c.json) as layers.RandomElasticTransform;
      const channelsFirst = layer.dataFormat === 'channelsFirst';
      const x = tensor(c.input) as tf.Tensor4D;
      const noise = tensor(c.noise) as tf.Tensor3D;
      const settings = { interpolation: layer.interpolation, fillMode: layer.fillMode, fillValue: layer.fillValue };
      const y = tf.tidy(() => {
        const nhwc = channelsFirst ? (tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D) : x;
        let out: tf.Tensor = elasticDisplace(nhwc, noise, c.distortion, settings);
        if (channelsFirst) out = tf.transpose(out, [0, 3, 1, 2]);
        const apply = tf.reshape(tf.tensor1d(c.apply, 'bool'), [c.apply.length, 1, 1, 1]);
        return tf.clipByValue(tf.where(apply, out, x), ...layer.valueRange);
      });
      assertAllClose(y, c.output.values, { rtol: 1e-5, atol: 1e-5 }, c.name);
      tf.dispose([x, noise, y]);
    });
  }
});

describe('geometric layers: bad options and inputs', () => {
  it('a factor out of range names the argument, the range and the value', () => {
    expectValueError(
      () => new layers.RandomRotation({ factor: 1.5 }),
      'The `factor` argument should be a number (or a list of two numbers) in the range [-1, 1]. Received: factor=1.5',
    );
    expectValueError(
      () => new layers.RandomZoom({ heightFactor: [-1, 0.2] }),
      'The `heightFactor` argument should be a number (or a list of two numbers) in the range (-1.0, 1.0]. Received: heightFactor=[-1,0.2]',
    );
    expectValueError(
      () => new layers.RandomZoom({ heightFactor: 0.2, widthFactor: 2 }),
      'The `widthFactor` argument should be a number (or a list of two numbers) in the range (-1.0, 1.0]. Received: widthFactor=2',
    );
    expectValueError(
      () => new layers.RandomTranslation({ heightFactor: 0.1, widthFactor: [0.1, 1.2] }),
      'The `widthFactor` argument should be a number (or a list of two numbers) in the range [-1.0, 1.0]. Received: widthFactor=[0.1,1.2]',
    );
    expectValueError(
      () => new layers.RandomShear({ xFactor: -0.2 }),
      'The `xFactor` argument should be a number (or a list of two numbers) in the range [0, 1.0]. Received: xFactor=-0.2',
    );
    expectValueError(
      () => new layers.RandomPerspective({ scale: 1.5 }),
      'Invalid value for argument scale: expected a number in [0, 1]. Received: scale=1.5',
    );
    expectValueError(
      () => new layers.RandomElasticTransform({ scale: [1.2, 2] }),
      'The `scale` argument should be a number (or a list of two numbers) in the range [0, 1]. Received: scale=[1.2,2]',
    );
  });

  it('a bad fill mode or interpolation names the argument, the choices and the value', () => {
    expectValueError(
      () => new layers.RandomRotation({ factor: 0.1, fillMode: 'mirror' as never }),
      `Unknown \`fillMode\` "mirror". Expected one of ('reflect', 'wrap', 'constant', 'nearest'). Received: fillMode="mirror"`,
    );
    expectValueError(
      () => new layers.RandomZoom({ heightFactor: 0.1, interpolation: 'bicubic' as never }),
      `Unknown \`interpolation\` "bicubic". Expected one of ('nearest', 'bilinear'). Received: interpolation="bicubic"`,
    );
    expectValueError(
      () => new layers.RandomElasticTransform({ fillMode: 'edge' as never }),
      `Unknown \`fillMode\` "edge". Expected one of ('constant', 'nearest', 'wrap', 'mirror', 'reflect'). Received: fillMode="edge"`,
    );
    expectValueError(
      () => new layers.RandomFlip({ mode: 'diagonal' as never }),
      `Unknown value for \`mode\` argument of RandomFlip. Allowed values are: ('horizontal', 'vertical', 'horizontal_and_vertical'). Received: mode="diagonal"`,
    );
    expectValueError(
      () => new layers.RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fillValue: Number.NaN }),
      'Invalid value for argument fillValue: expected a finite number. Received: fillValue=NaN',
    );
  });

  it('a crop size that is not a positive integer, a rank-2 input, a bad seed', () => {
    expectValueError(
      () => new layers.RandomCrop({ height: 0, width: 3 }),
      'Invalid value for argument height: expected a positive integer. Received: height=0',
    );
    expectValueError(
      () => new layers.RandomCrop({ height: 3, width: 2.5 }),
      'Invalid value for argument width: expected a positive integer. Received: width=2.5',
    );
    const x = tf.zeros([4, 4]);
    expectValueError(
      () => new layers.RandomRotation({ factor: 0.1 }).apply(x, { training: true }),
      'Expected image tensor to have rank 3 (single image) or 4 (batch of images). Received: data.shape=[4, 4]',
    );
    x.dispose();
    expectValueError(
      () => new layers.RandomFlip({ seed: -1 }),
      'Argument `seed` must be an integer in [0, 2**32). Received: seed=-1',
    );
  });

  it('the errors carry the argument, what was expected and what was received as fields', () => {
    const caught = (body: () => unknown) => {
      try {
        body();
      } catch (error) {
        return error as { argument?: string; expected?: string; received?: string };
      }
      assert.fail('no error');
    };
    const zoom = caught(() => new layers.RandomZoom({ heightFactor: 1.5 }));
    assert.deepEqual(
      [zoom.argument, zoom.expected, zoom.received],
      ['heightFactor', 'a number or a list of two numbers in (-1.0, 1.0]', '1.5'],
    );
    const fill = caught(
      () => new layers.RandomTranslation({ heightFactor: 0, widthFactor: 0, fillMode: 'edge' as never }),
    );
    assert.deepEqual(
      [fill.argument, fill.expected, fill.received],
      ['fillMode', 'one of "reflect", "wrap", "constant", "nearest"', '"edge"'],
    );
    const crop = caught(() => new layers.RandomCrop({ height: -2, width: 2 }));
    assert.deepEqual([crop.argument, crop.expected, crop.received], ['height', 'a positive integer', '-2']);
  });

  it('a crop larger than the image is enlarged, as Keras does (not refused): RandomCrop(6, 6) on 4x5', () => {
    const c = casesOf('geo_layer').find((k) => k.name.startsWith('RandomCrop(6, 6)')) as FixtureCase;
    assert.deepEqual(c.output.shape, [2, 6, 6, 1]);
  });
});
