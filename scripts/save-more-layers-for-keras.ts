/**
 * Saves models with Attention, AdditiveAttention, RMSNormalization,
 * ReversibleEmbedding and the adaptive poolings as .keras files, with this
 * library's predictions and losses, for scripts/check_keras_loads_more_layers.py
 * to load in real Keras:
 * - the Keras-made files of test/fixtures/keras-more-layers/ (the masked
 *   BiLSTM with Attention among them), loaded here and trained 3 SGD steps;
 * - the same kinds of models built here with the layers API.
 *
 *   npx tsx scripts/save-more-layers-for-keras.ts reports/keras-more-layers-interop
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_more_layers.py reports/keras-more-layers-interop
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { L2, layers, type models, saving, utils } from 'keras-regularizers';

interface Values {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  values: number[];
}
const fixtures = new URL('../test/fixtures/', import.meta.url);
const FIXTURE = JSON.parse(readFileSync(new URL('keras-more-layers.json', fixtures), 'utf8')) as {
  models: Record<string, { file: string; inputs: Values[]; targets: Values }>;
};
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype);

const folder = resolve(process.argv[2] ?? 'reports/keras-more-layers-interop');
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(23);
const expected: Record<string, unknown> = {};

async function record(name: string, model: models.Model, x: tf.Tensor): Promise<void> {
  const y = model.predict(x) as tf.Tensor;
  tf.tidy(() => {
    model.apply(x);
  });
  const losses = tf.tidy(() => model.losses.map((l) => l.dataSync()[0] as number));
  await saving.saveModel(model, join(folder, `${name}.keras`));
  expected[name] = {
    input: { shape: x.shape, dtype: x.dtype, values: Array.from(x.dataSync()) },
    output: Array.from(y.dataSync()),
    losses,
  };
  y.dispose();
}

// Keras's files, trained here 3 SGD steps (compiled as Keras compiled them), saved back.
for (const [name, entry] of Object.entries(FIXTURE.models)) {
  const model = await saving.loadModelFromBytes(
    new Uint8Array(readFileSync(new URL(`keras-more-layers/${entry.file}`, fixtures))),
  );
  const x = tensorOf(entry.inputs[0] as Values);
  const y = tensorOf(entry.targets);
  for (let step = 0; step < 3; step++) model.trainOnBatch(x, y);
  await record(`${name}_trained_here`, model, x);
  tf.dispose([x, y]);
  model.dispose();
}

// Built here.
{
  const ids = layers.Input({ shape: [6], dtype: 'int32', name: 'ids' });
  const e = new layers.Embedding({
    inputDim: 9,
    outputDim: 4,
    maskZero: true,
    embeddingsRegularizer: new L2(0.01),
  }).apply(ids);
  const h = new layers.Bidirectional({ layer: new layers.LSTM({ units: 3, returnSequences: true }) }).apply(
    e,
  ) as layers.KerasTensor;
  const a = new layers.AdditiveAttention().apply([h, h], { useCausalMask: true }) as layers.KerasTensor;
  const p = new layers.GlobalAveragePooling1D().apply(a);
  const out = new layers.Dense({ units: 2, kernelRegularizer: new L2(0.02) }).apply(p);
  const { Model } = await import('keras-regularizers').then((m) => m.models);
  const model = new Model({ inputs: ids, outputs: out, name: 'bilstm_additive_built_here' });
  const x = tf.tensor2d(
    [
      [3, 1, 4, 1, 0, 0],
      [5, 8, 2, 6, 5, 3],
    ],
    [2, 6],
    'int32',
  );
  await record('bilstm_additive_built_here', model, x);
  x.dispose();
  model.dispose();
}
{
  const ids = layers.Input({ shape: [5], dtype: 'int32', name: 'ids' });
  const embed = new layers.ReversibleEmbedding({ inputDim: 12, outputDim: 4, tieWeights: false, logitSoftCap: 5 });
  const h = new layers.RMSNormalization({ epsilon: 1e-5 }).apply(embed.apply(ids));
  const [context] = new layers.Attention({ useScale: true }).apply([h, h], {
    useCausalMask: true,
    returnAttentionScores: true,
  }) as unknown as layers.KerasTensor[];
  const logits = embed.apply(context as layers.KerasTensor, { reverse: true });
  const { Model } = await import('keras-regularizers').then((m) => m.models);
  const model = new Model({ inputs: ids, outputs: logits, name: 'untied_lm_built_here' });
  const x = tf.tensor2d(
    [
      [1, 2, 3, 4, 0],
      [11, 10, 9, 0, 0],
    ],
    [2, 5],
    'int32',
  );
  await record('untied_lm_built_here', model, x);
  x.dispose();
  model.dispose();
}
{
  const image = layers.Input({ shape: [3, 9, 8], name: 'image' });
  const a = new layers.AdaptiveAveragePooling2D({ outputSize: [4, 3], dataFormat: 'channelsFirst' }).apply(image);
  const m = new layers.AdaptiveMaxPooling2D({ outputSize: 2, dataFormat: 'channelsFirst' }).apply(a);
  const v = new layers.AdaptiveMaxPooling3D({ outputSize: [1, 2, 2] }).apply(
    new layers.Reshape({ targetShape: [3, 2, 2, 1] }).apply(m),
  );
  const out = new layers.Dense({ units: 2 }).apply(new layers.Flatten().apply(v));
  const { Model } = await import('keras-regularizers').then((mod) => mod.models);
  const model = new Model({ inputs: image, outputs: out, name: 'adaptive_built_here' });
  const x = tf.randomNormal([2, 3, 9, 8], 0, 1, 'float32', 5);
  await record('adaptive_built_here', model, x);
  x.dispose();
  model.dispose();
}

writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected, null, 1));
console.log(`Saved ${Object.keys(expected).length} models to ${folder}`);
