/**
 * Bad input to the preprocessing layers gets the library's ValueError,
 * naming the argument, with Keras's own words where Keras has an error
 * (test/fixtures/keras-preprocessing.json 'pre_error' cases hold Keras's
 * texts, made by scripts/generate_keras_preprocessing_fixtures.py), and a
 * clear one where Keras has none or crashes: a Normalization used before
 * adapt, an interpolation tfjs lacks, sparse outputs. Also: Rescaling's
 * and Normalization's gradients with respect to their inputs, config round
 * trips, and no tensor left behind by a refused call.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';

const KERAS_ERRORS = new Map(
  (
    JSON.parse(readFileSync(new URL('./fixtures/keras-preprocessing.json', import.meta.url), 'utf8')) as {
      cases: FixtureCase[];
    }
  ).cases
    .filter((c) => c.kind === 'pre_error')
    .map((c) => [c.name, c.message as string]),
);

/** Keras's message without the call wrapper and terminal colours Keras adds around errors raised in `call`. */
function kerasCore(name: string): string {
  const message = KERAS_ERRORS.get(name);
  assert.ok(message != null, `no Keras case ${name}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Keras colours the inner message with ANSI codes.
  const inner = /\u001b\[1m([\s\S]*?)\u001b\[0m/.exec(message);
  return inner != null ? (inner[1] as string) : message;
}

/** Both texts with Python's spellings made ours: `(2,)` as `[2]`, `1.0` as `1`, `None` as `null`. */
const pythonic = (text: string) =>
  text
    .replace(/\((\d+),\)/g, '[$1]')
    .replace(/(\d)\.0\b/g, '$1')
    .replaceAll('None', 'null');

function throwsValueError(body: () => unknown): ValueError {
  try {
    body();
  } catch (error) {
    assert.ok(
      error instanceof ValueError,
      `expected ValueError, got ${(error as Error).name}: ${(error as Error).message}`,
    );
    return error;
  }
  assert.fail('expected a ValueError');
}

describe("the preprocessing layers refuse what Keras refuses, with Keras's words", () => {
  // Inputs made once, outside the leak checks.
  const x = tf.zeros([2, 5, 7, 3]);
  const [x23, x24, x2] = [tf.zeros([2, 3]), tf.zeros([2, 4]), tf.zeros([2])];
  const cases: [string, () => unknown, string][] = [
    ['Normalization mean without variance', () => new layers.Normalization({ mean: [1] }), 'variance'],
    [
      'Normalization mean and variance of different shapes',
      () => new layers.Normalization({ mean: [1, 2], variance: [1] }),
      'variance',
    ],
    ['Normalization axis out of range', () => new layers.Normalization({ axis: 3 }).apply(x23), 'axis'],
    [
      'Resizing crop and pad',
      () => new layers.Resizing({ height: 2, width: 2, cropToAspectRatio: true, padToAspectRatio: true }),
      'padToAspectRatio',
    ],
    ['Discretization negative num_bins', () => new layers.Discretization({ numBins: -1 }), 'numBins'],
    ['Discretization both', () => new layers.Discretization({ numBins: 2, binBoundaries: [0] }), 'binBoundaries'],
    ['Discretization neither', () => new layers.Discretization(), 'numBins'],
    ['Discretization not adapted', () => new layers.Discretization({ numBins: 2 }).apply(x24), 'binBoundaries'],
    [
      'Discretization adapt with boundaries',
      () => new layers.Discretization({ binBoundaries: [0] }).adapt(x2),
      'binBoundaries',
    ],
    [
      'CategoryEncoding no num_tokens',
      () => new layers.CategoryEncoding({} as layers.CategoryEncodingOptions),
      'numTokens',
    ],
    ['CategoryEncoding num_tokens 0', () => new layers.CategoryEncoding({ numTokens: 0 }), 'numTokens'],
  ];
  for (const [name, body, argument] of cases) {
    it(`${name}: Keras's message, the argument named`, async () => {
      await assertNoLeak(() => {
        const error = throwsValueError(body);
        // Keras prints Python values (None, tuples); we print JSON-like ones.
        const ours = error.message.replaceAll('null', 'None');
        assert.equal(
          pythonic(ours),
          pythonic(kerasCore(name)).replace(
            'Received: `num_bins=2` and `bin_boundaries=[0.0]`',
            'Received: `num_bins=2` and `bin_boundaries=[0]`',
          ),
        );
        assert.equal(error.argument, argument);
      }, name);
    });
  }
  it("Discretization's output_mode: Keras's message with our spelling of the value", () => {
    expectValueError(
      () => new layers.Discretization({ numBins: 2, outputMode: 'tf_idf' as 'int' }),
      "Unknown value for `output_mode` argument of Discretization. Allowed values are: ('int', 'one_hot', 'multi_hot', 'count'). Received: output_mode=\"tf_idf\"",
    );
    assert.ok(kerasCore('Discretization bad output_mode').endsWith('Received: output_mode=tf_idf'));
  });
  it("CategoryEncoding's output_mode: Keras's message, with the valid ones", () => {
    expectValueError(
      () => new layers.CategoryEncoding({ numTokens: 3, outputMode: 'int' as 'count' }),
      'Unknown arg for output_mode: "int". Expected one of "one_hot", "multi_hot", "count".',
    );
    assert.equal(kerasCore('CategoryEncoding bad output_mode'), 'Unknown arg for output_mode: int');
  });
  it("Resizing's interpolation: Keras's names that tfjs lacks are refused at construction, saying so", () => {
    expectValueError(
      () => new layers.Resizing({ height: 2, width: 2, interpolation: 'cubic' as 'nearest' }),
      "Invalid value for argument `interpolation`. Expected one of ('bilinear', 'nearest'). Received: interpolation=\"cubic\"",
    );
    expectValueError(
      () => new layers.Resizing({ height: 2, width: 2, interpolation: 'bicubic' as 'nearest' }),
      "Invalid value for argument `interpolation`. Expected one of ('bilinear', 'nearest') (Keras also has it, but tfjs has no such kernel). Received: interpolation=\"bicubic\"",
    );
    // Keras refuses the unknown name only when called.
    assert.match(kerasCore('Resizing bad interpolation'), /Received: interpolation=cubic$/);
    tf.dispose([x, x23, x24, x2]);
  });
});

describeEachBackend('clear errors where Keras has none', () => {
  it('a Normalization used before adapt, without mean and variance, refuses to run (Keras divides by its initial variance of 1)', async () => {
    const norm = new layers.Normalization({ name: 'norm' });
    const x = tf.ones([2, 3]);
    norm.build([null, 3]);
    await assertNoLeak(() => {
      expectValueError(
        () => norm.apply(x),
        'Normalization layer "norm" has no statistics: call adapt(data) before using it, or pass mean and variance to its constructor.',
      );
    });
    // Weights set (as a loaded file sets them) make it usable.
    norm.setWeights([tf.tensor1d([1, 1, 1]), tf.tensor1d([4, 4, 4]), tf.scalar(0)]);
    const y = norm.apply(x) as tf.Tensor;
    assertAllClose(y, [0, 0, 0, 0, 0, 0]);
    tf.dispose([x, y]);
    norm.dispose();
  });
  it('a Normalization given mean and variance cannot adapt', () => {
    expectValueError(
      () => new layers.Normalization({ mean: 1, variance: 1, name: 'fixed' }).adapt(tf.zeros([2, 1])),
      'Normalization "fixed" was given mean and variance; adapt() has no statistics to set. Make it without them to adapt it.',
    );
  });
  it('adapt on data of another feature size than the built layer names both', () => {
    const norm = new layers.Normalization();
    norm.adapt(tf.zeros([4, 3]));
    expectValueError(
      () => norm.adapt(tf.zeros([4, 2])),
      'The layer was built with input_shape=[4, 3], but adapt() is being called with data with an incompatible shape, data.shape=[4, 2]',
    );
    norm.dispose();
  });
  it('images of the wrong rank, sizes that are not positive integers, antialias and sparse outputs', () => {
    expectValueError(
      () => new layers.CenterCrop({ height: 2, width: 2 }).apply(tf.zeros([2, 3])),
      'CenterCrop expects an image tensor of rank 3 (single image) or 4 (batch of images). Received: inputs.shape=[2, 3]',
    );
    expectValueError(
      () => new layers.Resizing({ height: 0, width: 2 }),
      'Invalid value for argument height: expected a positive integer. Received: height=0',
    );
    expectValueError(
      () => new layers.Resizing({ height: 2, width: 2, antialias: true }),
      'Resizing cannot antialias: tfjs has no antialiased resize kernel, so only antialias=false is supported. Received: antialias=true',
    );
    expectValueError(
      () => new layers.Resizing({ height: 2, width: 2, dataFormat: 'channels_middle' as 'channelsLast' }),
      "Unknown value for `dataFormat` argument of Resizing. Allowed values are: ('channelsLast', 'channelsFirst'). Received: dataFormat=\"channels_middle\"",
    );
    expectValueError(
      () => new layers.CategoryEncoding({ numTokens: 3, sparse: true }),
      'CategoryEncoding cannot output sparse tensors: tfjs has no sparse tensor type, so only sparse=false is supported. Received: sparse=true',
    );
    expectValueError(
      () => new layers.Rescaling({ scale: Number.NaN }),
      'Invalid value for argument scale: expected a finite number or a non-empty array of finite numbers. Received: scale=NaN',
    );
  });
});

describeEachBackend('gradients and round trips', () => {
  it('the gradient of Rescaling with respect to its inputs is scale (per channel too)', async () => {
    const x = tf.randomNormal([2, 3, 3], 0, 1, 'float32', 1);
    await assertNoLeak(() => {
      const scalar = tf.grad((t: tf.Tensor) =>
        tf.sum(new layers.Rescaling({ scale: 0.25, offset: 3 }).apply(t) as tf.Tensor),
      )(x);
      assertAllClose(scalar, new Array(18).fill(0.25));
      const channel = tf.grad((t: tf.Tensor) =>
        tf.sum(new layers.Rescaling({ scale: [1, -2, 0.5] }).apply(t) as tf.Tensor),
      )(x);
      assertAllClose(channel, new Array(6).fill([1, -2, 0.5]).flat());
      tf.dispose([scalar, channel]);
    });
    x.dispose();
  });
  it('the gradient of Normalization is 1 / max(sqrt(variance), 1e-7), and sqrt(variance) inverted', () => {
    const x = tf.randomNormal([4, 2], 0, 1, 'float32', 2);
    const norm = new layers.Normalization({ mean: [1, 2], variance: [4, 0] });
    const inverse = new layers.Normalization({ mean: [1, 2], variance: [4, 9], invert: true });
    const g = tf.grad((t: tf.Tensor) => tf.sum(norm.apply(t) as tf.Tensor))(x);
    assertAllClose(g, new Array(4).fill([0.5, 1e7]).flat(), { rtol: 1e-6 });
    const gi = tf.grad((t: tf.Tensor) => tf.sum(inverse.apply(t) as tf.Tensor))(x);
    assertAllClose(gi, new Array(4).fill([2, 3]).flat());
    tf.dispose([x, g, gi]);
    norm.dispose();
    inverse.dispose();
  });
  it('configs of layers made here round-trip through Keras JSON', () => {
    const made = [
      new layers.Rescaling({ scale: [0.5, 2], offset: 1 }),
      new layers.Normalization({ axis: [1, 2], mean: [[1, 2]], variance: [[3, 4]], invert: true }),
      new layers.Normalization({ axis: null }),
      new layers.Resizing({
        height: 3,
        width: 5,
        interpolation: 'nearest',
        padToAspectRatio: true,
        fillValue: 2,
        dataFormat: 'channelsFirst',
      }),
      new layers.CenterCrop({ height: 2, width: 9 }),
      new layers.Discretization({ binBoundaries: [0, 1], outputMode: 'count' }),
      new layers.Discretization({ numBins: 3, epsilon: 0.1 }),
      new layers.CategoryEncoding({ numTokens: 6, outputMode: 'one_hot' }),
      new layers.Hashing({ numBins: 4, outputMode: 'multi_hot', maskValue: 'x' }),
      new layers.IntegerLookup({ vocabulary: [3, 1], maskToken: 0, outputMode: 'count' }),
    ];
    for (const layer of made) {
      const json = layers.serialize(layer);
      const again = layers.deserialize(json);
      assert.equal(again.constructor, layer.constructor);
      assert.deepEqual(layers.serialize(again), json);
      layer.dispose();
      again.dispose();
    }
    // Keras writes channels_first in snake_case, and axis as a list.
    const resizing = layers.serialize(made[3] as layers.Layer).config as Record<string, unknown>;
    assert.equal(resizing.data_format, 'channels_first');
    assert.deepEqual((layers.serialize(made[2] as layers.Layer).config as Record<string, unknown>).axis, []);
  });
});
