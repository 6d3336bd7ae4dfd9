/**
 * Saves the whole models of issues 12 and 13 from this library as .keras
 * files, with this library's numbers, for
 * scripts/check_keras_loads_whole_models.py to load in real Keras and compare.
 * Each of the ten models is saved twice, both after three fit steps here
 * (so BatchNormalization's moving statistics and every weight have moved):
 *
 * - `built_<name>.keras`: built with the TypeScript API (constructors,
 *   symbolic calls for the Functional ones), compiled and trained here;
 * - `resaved_<name>.keras`: Keras's own file (test/fixtures/keras-whole-models,
 *   scripts/generate_keras_whole_models.py) loaded, trained here, saved again.
 *
 * expected.json holds, per file: the data (x, y), our predictions, `losses`
 * (after one call on all of x), evaluate() loss (batch size 4) and every
 * weight with its path.
 *
 *   npm run build && npx tsx scripts/save-whole-models-for-keras.ts reports/keras-whole-models-interop [cpu|wasm]
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_whole_models.py reports/keras-whole-models-interop
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers as L, L1, L1L2, L2, losses, models, optimizers, saving, utils } from 'keras-regularizers';

interface Values {
  shape: number[];
  dtype: string;
  values: number[];
}
const FIXTURES = new URL('../test/fixtures/keras-whole-models/', import.meta.url);
const KERAS = JSON.parse(readFileSync(new URL('expected.json', FIXTURES), 'utf8')).models as Record<
  string,
  { file: string; x: Values; y: Values; batch_size: number }
>;
const t = (x: unknown) => x as L.KerasTensor;
const sequential = (name: string, stack: (L.Layer | L.KerasTensor)[]) => new models.Sequential(stack, { name });

/** The same architectures as the Keras generator, built here, compiled as Keras compiled them. */
const BUILT: Record<string, () => models.Model> = {
  bn_classifier: () => {
    const model = sequential('bn_classifier', [
      L.Input({ shape: [8, 8, 3] }),
      new L.Conv2D({ filters: 6, kernelSize: 3, padding: 'same', useBias: false, kernelRegularizer: new L2(0.01) }),
      new L.BatchNormalization({ momentum: 0.9, gammaRegularizer: new L2(0.05), betaRegularizer: new L1(0.02) }),
      new L.Activation({ activation: 'relu' }),
      new L.Conv2D({ filters: 8, kernelSize: 3, strides: 2, useBias: false }),
      new L.BatchNormalization({ epsilon: 0.01 }),
      new L.Activation({ activation: 'relu' }),
      new L.GlobalAveragePooling2D(),
      new L.Dense({ units: 3, activation: 'softmax', kernelRegularizer: new L2(0.01) }),
    ]);
    model.compile({
      optimizer: new optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }),
      loss: 'sparse_categorical_crossentropy',
    });
    return model;
  },
  mobilenet_residual: () => {
    const x = L.Input({ shape: [6, 6, 4], name: 'image' });
    let h = t(
      new L.Conv2D({
        filters: 8,
        kernelSize: 1,
        useBias: false,
        kernelRegularizer: new L2(0.01),
        name: 'expand',
      }).apply(x),
    );
    h = t(new L.BatchNormalization({ name: 'expand_bn' }).apply(h));
    h = t(new L.ReLU({ maxValue: 6, name: 'expand_relu6' }).apply(h));
    h = t(
      new L.DepthwiseConv2D({
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        depthwiseRegularizer: new L2(0.02),
        activityRegularizer: new L1(1e-3),
        name: 'depthwise',
      }).apply(h),
    );
    h = t(new L.BatchNormalization({ momentum: 0.8, name: 'depthwise_bn' }).apply(h));
    h = t(new L.ReLU({ maxValue: 6, name: 'depthwise_relu6' }).apply(h));
    h = t(
      new L.SeparableConv2D({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        depthwiseRegularizer: new L1(0.01),
        pointwiseRegularizer: new L2(0.02),
        biasRegularizer: new L2(0.05),
        name: 'project',
      }).apply(h),
    );
    h = t(new L.Add({ name: 'residual' }).apply([x, h]));
    h = t(new L.GlobalAveragePooling2D({ name: 'pool' }).apply(h));
    const y = t(new L.Dense({ units: 3, name: 'logits' }).apply(h));
    const model = new models.Model({ inputs: x, outputs: y, name: 'mobilenet_residual' });
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: 0.01 }),
      loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    });
    return model;
  },
  decoder: () => {
    const model = sequential('decoder', [
      L.Input({ shape: [2, 2, 4] }),
      new L.Conv2DTranspose({
        filters: 6,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelRegularizer: new L2(0.02),
        activityRegularizer: new L2(1e-3),
      }),
      new L.UpSampling2D({ size: 2 }),
      new L.Conv2DTranspose({
        filters: 3,
        kernelSize: 2,
        kernelRegularizer: new L1L2(0.01, 0.01),
        biasRegularizer: new L1(0.05),
      }),
      new L.Conv2DTranspose({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: new optimizers.RMSprop({ learningRate: 0.01 }), loss: 'binary_crossentropy' });
    return model;
  },
  encoder_block: () => {
    const x = L.Input({ shape: [6, 8], name: 'tokens' });
    const a = t(
      new L.MultiHeadAttention({
        numHeads: 2,
        keyDim: 4,
        kernelRegularizer: new L2(1e-2),
        biasRegularizer: new L1(1e-2),
        activityRegularizer: new L2(1e-3),
        name: 'self_attention',
      }).apply([x, x]),
    );
    const norm1 = new L.LayerNormalization({ epsilon: 1e-6, gammaRegularizer: new L2(0.01), name: 'norm_1' });
    const h = t(norm1.apply(t(new L.Add({ name: 'residual_1' }).apply([x, a]))));
    let f = t(new L.Dense({ units: 16, activation: 'relu', kernelRegularizer: new L2(1e-2), name: 'ffn_1' }).apply(h));
    f = t(new L.Dense({ units: 8, name: 'ffn_2' }).apply(f));
    const h2 = t(
      new L.LayerNormalization({ epsilon: 1e-6, name: 'norm_2' }).apply(
        t(new L.Add({ name: 'residual_2' }).apply([h, f])),
      ),
    );
    const pooled = t(new L.GlobalAveragePooling1D({ name: 'pool' }).apply(h2));
    const y = t(new L.Dense({ units: 1, name: 'head' }).apply(pooled));
    const model = new models.Model({ inputs: x, outputs: y, name: 'encoder_block' });
    model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.005 }), loss: 'mse' });
    return model;
  },
  prelu_net: () => {
    const model = sequential('prelu_net', [
      L.Input({ shape: [6, 6, 2] }),
      new L.Conv2D({ filters: 4, kernelSize: 3 }),
      new L.PReLU({ sharedAxes: [1, 2], alphaRegularizer: new L2(0.1) }),
      new L.MaxPooling2D({ poolSize: 2 }),
      new L.Flatten(),
      new L.Dense({ units: 6, kernelRegularizer: new L1(0.01) }),
      new L.PReLU({ alphaRegularizer: new L1(0.05) }),
      new L.Dense({ units: 3, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
    return model;
  },
  embedding_lstm: () => {
    const model = sequential('embedding_lstm', [
      L.Input({ shape: [7], dtype: 'int32' }),
      new L.Embedding({ inputDim: 20, outputDim: 5, maskZero: true, embeddingsRegularizer: new L2(1e-2) }),
      new L.LSTM({
        units: 6,
        kernelRegularizer: new L2(1e-2),
        recurrentRegularizer: new L2(1e-2),
        biasRegularizer: new L1(1e-2),
        activityRegularizer: new L2(1e-3),
      }),
      new L.Dense({ units: 3, activation: 'softmax' }),
    ]);
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: 0.01 }),
      loss: 'sparse_categorical_crossentropy',
    });
    return model;
  },
  stacked_gru: () => {
    const model = sequential('stacked_gru', [
      L.Input({ shape: [7, 3] }),
      new L.GRU({
        units: 6,
        returnSequences: true,
        kernelRegularizer: new L2(1e-2),
        recurrentRegularizer: new L1(1e-2),
      }),
      new L.GRU({ units: 4, biasRegularizer: new L2(0.05), recurrentRegularizer: new L2(1e-2) }),
      new L.Dense({ units: 2 }),
    ]);
    model.compile({ optimizer: new optimizers.RMSprop({ learningRate: 0.005 }), loss: 'mse' });
    return model;
  },
  bidirectional_simple_rnn: () => {
    const model = sequential('bidirectional_simple_rnn', [
      L.Input({ shape: [6, 3] }),
      new L.Masking(),
      new L.Bidirectional({
        layer: new L.SimpleRNN({ units: 4, kernelRegularizer: new L2(1e-2), recurrentRegularizer: new L2(1e-2) }),
      }),
      new L.Dense({ units: 1, activation: 'sigmoid' }),
    ]);
    model.compile({
      optimizer: new optimizers.SGD({ learningRate: 0.1, momentum: 0.5, nesterov: true }),
      loss: 'binary_crossentropy',
    });
    return model;
  },
  conv1d_timeseries: () => {
    const model = sequential('conv1d_timeseries', [
      L.Input({ shape: [16, 2] }),
      new L.Conv1D({
        filters: 6,
        kernelSize: 3,
        activation: 'relu',
        kernelRegularizer: new L2(1e-2),
        biasRegularizer: new L1(1e-2),
      }),
      new L.MaxPooling1D({ poolSize: 2 }),
      new L.Conv1D({
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        activityRegularizer: new L1(1e-3),
      }),
      new L.AveragePooling1D({ poolSize: 2 }),
      new L.GlobalAveragePooling1D(),
      new L.Dense({ units: 1 }),
    ]);
    model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mae' });
    return model;
  },
  time_distributed_dense: () => {
    const model = sequential('time_distributed_dense', [
      L.Input({ shape: [5, 4] }),
      new L.TimeDistributed({
        layer: new L.Dense({ units: 6, activation: 'relu', kernelRegularizer: new L2(1e-2) }),
      }),
      new L.LSTM({ units: 4, returnSequences: true }),
      new L.TimeDistributed({
        layer: new L.Dense({ units: 2, kernelRegularizer: new L1(1e-2) }),
        activityRegularizer: new L2(1e-3),
      }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
    return model;
  },
};

const valuesOf = (x: tf.Tensor): Values => ({ shape: [...x.shape], dtype: x.dtype, values: Array.from(x.dataSync()) });
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype === 'int32' ? 'int32' : 'float32');

/** Trains `model` three steps on the Keras fixture's data, saves it, and returns our numbers. */
async function trainAndSave(model: models.Model, data: (typeof KERAS)[string], path: string) {
  const x = tensorOf(data.x);
  const y = tensorOf(data.y);
  await model.fit(x, y, { batchSize: data.batch_size, epochs: 1, shuffle: false, verbose: 0 });
  await saving.saveModel(model, path);
  const prediction = model.predict(x, { batchSize: data.batch_size }) as tf.Tensor;
  tf.tidy(() => {
    model.apply(x);
  });
  const result = {
    x: data.x,
    y: data.y,
    batch_size: data.batch_size,
    prediction: valuesOf(prediction),
    losses: tf.tidy(() => model.losses.map((l) => l.dataSync()[0] as number)),
    evaluate: model.evaluate(x, y, { batchSize: data.batch_size }).loss as number,
    weights: model.weightRecords().map((w) => ({ path: w.path, ...valuesOf(w.variable) })),
  };
  tf.dispose([x, y, prediction]);
  return result;
}

const folder = resolve(process.argv[2] ?? 'reports/keras-whole-models-interop');
// The engine's default (wasm in Node, started by ready()) unless a backend is named.
if (process.argv[3] != null) await backend.setBackend(process.argv[3]);
else await backend.ready();
mkdirSync(folder, { recursive: true });
utils.setRandomSeed(13);
const expected: Record<string, unknown> = {};
for (const [name, make] of Object.entries(BUILT)) {
  const data = KERAS[name];
  if (data == null) throw new Error(`No Keras fixture for ${name}`);
  const built = make();
  expected[`built_${name}`] = await trainAndSave(built, data, join(folder, `built_${name}.keras`));
  built.dispose();
  const loaded = await saving.loadModel(new URL(data.file, FIXTURES).pathname);
  expected[`resaved_${name}`] = await trainAndSave(loaded, data, join(folder, `resaved_${name}.keras`));
  loaded.dispose();
}
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected));
console.log(`Saved ${Object.keys(expected).length} models to ${folder} (backend ${backend.getBackend()})`);
