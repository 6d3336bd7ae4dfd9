/**
 * Saves models with Keras's text and audio preprocessing layers as .keras
 * files for scripts/check_keras_loads_text_audio.py to load in real Keras:
 * the two Keras-made audio files of test/fixtures/keras-text-audio/ loaded
 * here and saved again, an STFT model and a mel model built here, and a
 * Sequential with an adapted TextVectorization (Keras needs TensorFlow to
 * load that one), and a HashedCrossing model (that one too). Each with this
 * library's outputs.
 *
 *   TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/save-text-audio-for-keras.ts reports/keras-interop-text-audio
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_text_audio.py reports/keras-interop-text-audio
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers, type models, models as modelsNs, saving, utils } from 'keras-regularizers';

const folder = resolve(process.argv[2] ?? 'reports/keras-interop-text-audio');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(11);
const fixtures = new URL('../test/fixtures/keras-text-audio/', import.meta.url);
const expected: Record<string, unknown> = {};

async function save(name: string, model: models.Model, x: tf.Tensor, kind: string): Promise<void> {
  const y = model.apply(x) as tf.Tensor;
  writeFileSync(join(folder, `${name}.keras`), await saving.saveModelToBytes(model));
  expected[name] = {
    kind,
    input: { shape: x.shape, values: Array.from(x.dataSync() as ArrayLike<number | string>) },
    output: { shape: y.shape, values: Array.from(y.dataSync()) },
  };
  tf.dispose(y);
}

const signal = (shape: number[]) => tf.randomUniform(shape, -1, 1, 'float32', 5);
for (const [name, shape] of [
  ['stft_dense', [3, 20, 2]],
  ['mel_dense', [3, 40]],
] as const) {
  const model = await saving.loadModelFromBytes(readFileSync(new URL(`${name}.keras`, fixtures)));
  await save(`${name}_resaved`, model, signal([...shape]), 'audio');
}
const stft = new modelsNs.Sequential([
  layers.Input({ shape: [24, 1] }),
  new layers.STFTSpectrogram({ mode: 'psd', frameLength: 8, frameStep: 3, window: 'hamming', padding: 'same' }),
  new layers.Flatten(),
  new layers.Dense({ units: 2 }),
]);
await save('stft_built_here', stft, signal([2, 24, 1]), 'audio');
const mel = new modelsNs.Sequential([
  layers.Input({ shape: [48] }),
  new layers.MelSpectrogram({ fftLength: 16, sequenceStride: 8, numMelBins: 4, samplingRate: 1000, powerToDb: false }),
  new layers.Flatten(),
  new layers.Dense({ units: 1 }),
]);
await save('mel_built_here', mel, signal([2, 48]), 'audio');
const text = new layers.TextVectorization({ outputSequenceLength: 4 });
text.adapt(['the cat sat', 'the dog ran', 'a cat ran']);
const textModel = new modelsNs.Sequential([
  text,
  new layers.Embedding({ inputDim: 8, outputDim: 2 }),
  new layers.GlobalAveragePooling1D(),
  new layers.Dense({ units: 1 }),
]);
await save('text_adapted', textModel, tf.tensor2d([['the cat ran'], ['a bird']], undefined, 'string'), 'text');
const a = layers.Input({ shape: [1], dtype: 'int32' });
const b = layers.Input({ shape: [1], dtype: 'int32' });
const crossed = new layers.HashedCrossing({ numBins: 4, outputMode: 'one_hot' }).apply([a, b]);
const crossModel = new modelsNs.Functional({ inputs: [a, b], outputs: new layers.Dense({ units: 1 }).apply(crossed) });
const xa = tf.tensor2d([[1], [2], [3]], undefined, 'int32');
const xb = tf.tensor2d([[7], [7], [9]], undefined, 'int32');
const yCross = crossModel.apply([xa, xb]) as tf.Tensor;
writeFileSync(join(folder, 'crossed.keras'), await saving.saveModelToBytes(crossModel));
expected.crossed = {
  kind: 'cross',
  input: [xa, xb].map((x) => ({ shape: x.shape, values: Array.from(x.dataSync()) })),
  output: { shape: yCross.shape, values: Array.from(yCross.dataSync()) },
};
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected));
console.log(`saved ${Object.keys(expected).length} models to ${folder}`);
