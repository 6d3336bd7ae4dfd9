/**
 * STFTSpectrogram and MelSpectrogram as Keras 3.15.1
 * (keras/src/layers/preprocessing/stft_spectrogram.py, mel_spectrogram.py):
 * real-Keras cases from scripts/generate_keras_text_audio_fixtures.py
 * (every STFT mode, both paddings and data formats, expand_dims, windows,
 * scalings; mel spectrograms with and without decibels), Keras's kernels,
 * configs, Keras-made .keras files loading with Keras's predictions and
 * saving back, and Keras's errors for bad arguments.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, layers, optimizers, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import { expectValueError } from './helpers/errors.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-text-audio.json', import.meta.url), 'utf8')) as {
  stft: FixtureCase[];
  mel: FixtureCase[];
  errors: Record<string, string>;
  models: Record<string, FixtureCase>;
};
const FOLDER = new URL('./fixtures/keras-text-audio/', import.meta.url);

type Values = { shape: number[]; values: number[] };
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, 'float32');
const withoutName = (config: Record<string, unknown>) => ({ ...config, name: undefined });
/** rtol 1e-5 with an atol of 1e-6 of the output's largest value (a spectrum's empty bins are sums that cancel). */
function tolerance(values: readonly number[]): { rtol: number; atol: number } {
  return { rtol: 1e-5, atol: 1e-6 * Math.max(1, ...values.map(Math.abs)) };
}
/** Keras's error text without its exception class name. */
const kerasText = (key: string) => (FIXTURE.errors[key] as string).replace(/^\w+: /, '');

describeEachBackend("STFTSpectrogram gives Keras's kernels and outputs", () => {
  for (const c of FIXTURE.stft) {
    it(`${c.name}: Keras's kernels, output and config`, async () => {
      const layer = layers.deserialize(c.json) as layers.STFTSpectrogram;
      const x = tensorOf(c.input);
      await assertNoLeak(() => {
        const y = layer.apply(x) as tf.Tensor;
        assert.deepEqual(y.shape, c.output.shape);
        assert.deepEqual(layer.computeOutputShape(c.input.shape), c.output.shape);
        const tol = tolerance(c.output.values);
        assertAllClose(y, c.output.values, tol, c.name);
        y.dispose();
      });
      for (const [name, expected] of Object.entries(c.weights as Record<string, Values>)) {
        const variable = name === 'real_kernel' ? layer.realKernel : layer.imagKernel;
        assert.ok(variable != null, name);
        assertAllClose(variable, expected.values, { rtol: 1e-5, atol: 2e-6 }, `${c.name} ${name}`);
      }
      assert.deepEqual(
        layer.weights.map((w) => w.shape),
        c.json.config.mode === 'real' || c.json.config.mode === 'imag'
          ? [[c.json.config.frame_length, 1, layer.bins]]
          : [
              [c.json.config.frame_length, 1, layer.bins],
              [c.json.config.frame_length, 1, layer.bins],
            ],
      );
      const json = layers.serialize(layer);
      assert.equal(json.class_name, 'STFTSpectrogram');
      assertConfigClose(withoutName(json.config), withoutName(c.json.config), c.name);
      x.dispose();
      layer.dispose();
    });
  }
});

describeEachBackend("MelSpectrogram gives Keras's outputs", () => {
  for (const c of FIXTURE.mel) {
    it(`${c.name}: Keras's output and config`, async () => {
      const layer = layers.deserialize(c.json) as layers.MelSpectrogram;
      const x = tensorOf(c.input);
      await assertNoLeak(() => {
        for (const training of [false, true]) {
          const y = layer.apply(x, { training }) as tf.Tensor;
          assert.deepEqual(y.shape, c.output.shape);
          assert.deepEqual(layer.computeOutputShape(c.input.shape), c.output.shape);
          assertAllClose(y, c.output.values, tolerance(c.output.values), c.name);
          y.dispose();
        }
      });
      assert.equal(layer.weights.length, 0);
      assertConfigClose(withoutName(layers.serialize(layer).config), withoutName(c.json.config), c.name);
      x.dispose();
      layer.dispose();
    });
  }
});

describeEachBackend('Keras-made .keras files with the audio layers', () => {
  for (const name of ['stft_dense', 'mel_dense']) {
    const expected = FIXTURE.models[name] as FixtureCase;
    it(`${name}.keras loads with Keras's weights and predictions and saves back`, async () => {
      const model = await saving.loadModel(new URL(`${name}.keras`, FOLDER).pathname);
      assert.deepEqual(
        model.weightRecords().map((r) => r.path.split('/').slice(-2).join('/')),
        expected.weight_paths.map((p: string) => p.split('/').slice(-2).join('/')),
      );
      assert.deepEqual(
        model.weightRecords().map((r) => r.trainable && r.layer.trainable),
        expected.trainable,
      );
      const x = tensorOf(expected.input);
      const y = model.predict(x) as tf.Tensor;
      assertAllClose(y, expected.output.values, tolerance(expected.output.values), name);
      const again = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
      const y2 = again.predict(x) as tf.Tensor;
      assertAllClose(y2, expected.output.values, tolerance(expected.output.values), `${name} saved here`);
      tf.dispose([x, y, y2]);
      model.dispose();
      again.dispose();
    });
  }
});

describeEachBackend("a trainable STFTSpectrogram trains as Keras's", () => {
  it("stft_train.keras: 2 SGD steps give Keras's losses, kernels and Dense weights", async () => {
    const expected = FIXTURE.models.stft_train as FixtureCase;
    const model = await saving.loadModel(new URL('stft_train.keras', FOLDER).pathname);
    assert.deepEqual(
      model.trainableWeights.map((w) => w.shape),
      expected.weights_after.map((w: Values) => w.shape),
    );
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
    const x = tensorOf(expected.input);
    const y = tensorOf(expected.target);
    const losses = [0, 1].map(() => model.trainOnBatch(x, y).loss as number);
    assertAllClose(losses, expected.losses, { rtol: 1e-5, atol: 1e-7 }, 'losses');
    model.weights.forEach((w, i) => {
      assertAllClose(w, expected.weights_after[i].values, { rtol: 1e-5, atol: 1e-6 }, expected.weight_paths[i]);
    });
    tf.dispose([x, y]);
    model.dispose();
  });
});

describeEachBackend('the audio layers refuse bad input with Keras words', () => {
  it("STFTSpectrogram's arguments: Keras's texts", () => {
    expectValueError(() => new layers.STFTSpectrogram({ frameLength: 8, frameStep: 9 }), kerasText('stft_frame_step'));
    expectValueError(() => new layers.STFTSpectrogram({ frameLength: 8, fftLength: 4 }), kerasText('stft_fft_length'));
    expectValueError(() => new layers.STFTSpectrogram({ mode: 'power' as never }), kerasText('stft_mode'));
    expectValueError(() => new layers.STFTSpectrogram({ scaling: 'l2' as never }), kerasText('stft_scaling'));
    expectValueError(() => new layers.STFTSpectrogram({ padding: 'causal' as never }), kerasText('stft_padding'));
    expectValueError(
      () => new layers.MelSpectrogram({ fftLength: 8, sequenceLength: 16 }),
      kerasText('mel_fft_length'),
    );
  });
  it('each error names the argument, what was expected and what was received', () => {
    const cases: [() => unknown, string, string, string][] = [
      [() => new layers.STFTSpectrogram({ frameLength: 8, frameStep: 9 }), 'frameStep', 'an integer in [1, 8]', '9'],
      [() => new layers.STFTSpectrogram({ window: 'kaiser' }), 'window', 'one of', '"kaiser"'],
      [
        () => new layers.MelSpectrogram({ window: 'blackman' as never }),
        'window',
        '"hann", "hamming" or null',
        '"blackman"',
      ],
      [() => new layers.MelSpectrogram({ numMelBins: 0 }), 'numMelBins', 'a positive integer', '0'],
    ];
    for (const [make, argument, expected, received] of cases) {
      try {
        make();
        assert.fail(`${argument}: no error`);
      } catch (error) {
        const e = error as { argument?: string; expected?: string; received?: string };
        assert.equal(e.argument, argument);
        assert.ok(e.expected?.startsWith(expected), `${argument}: expected ${e.expected}`);
        assert.equal(e.received, received);
      }
    }
  });
  it("an integer signal gets Keras's TypeError; a signal of the wrong rank names its shape", () => {
    const layer = new layers.STFTSpectrogram({ frameLength: 4 });
    const ints = tf.ones([1, 8, 1], 'int32');
    assert.throws(
      () => layer.apply(ints),
      (e: Error) =>
        e instanceof KerasTypeError &&
        e.message === 'Invalid input type. Expected `float16`, `float32` or `float64`. Received: input type=int32',
    );
    const flat = tf.ones([8, 1]);
    expectValueError(() => layer.apply(flat), /expected ndim=3, found ndim=2/);
    const short = tf.ones([1, 4]);
    expectValueError(
      () => new layers.MelSpectrogram({ fftLength: 16 }).apply(short),
      /more than 8 samples|fft_length \/\/ 2 = 8/,
    );
    tf.dispose([ints, flat, short]);
  });
});
