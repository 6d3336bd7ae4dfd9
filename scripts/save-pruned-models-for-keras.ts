/**
 * Saves pruned models (models.prune, issue 25) as .keras files for
 * scripts/check_keras_loads_pruned.py to load in real Keras. Each case
 * starts from a model with groups zeroed by hand (real Keras's whole-model
 * files from test/fixtures/keras-whole-models, and models built here) or
 * trained here with proximal group lasso (its regularizers, classes of this
 * package, are dropped by prune: the file is plain Keras),
 * prunes it, and saves the pruned model, `<name>.keras`. expected.json holds
 * per file: the input x (already restricted to the kept input features when
 * the inputs were pruned), the unpruned model's predictions on the full x,
 * and the pruned model's predictions here.
 *
 *   TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/save-pruned-models-for-keras.ts reports/keras-pruned-interop [cpu|wasm]
 *   KERAS_BACKEND=jax .keras-venv/bin/python scripts/check_keras_loads_pruned.py reports/keras-pruned-interop
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers as L, models, optimizers, regularizers, saving, utils } from 'keras-regularizers';

const WHOLE = new URL('../test/fixtures/keras-whole-models/', import.meta.url);

/** Sets slice `index` of axis -1 or -2 of a weight to `value`. */
function zero(model: models.Model, layer: string, weight: string, axis: number, index: number, value = 0): void {
  const record = model.layers
    .find((l) => l.name === layer)
    ?.weightRecords()
    .find((w) => w.name === weight);
  if (record == null) throw new Error(`no weight ${layer}/${weight}`);
  const shape = record.variable.shape;
  const values = Float32Array.from(record.variable.dataSync() as Float32Array);
  const a = shape.length + axis;
  const inner = shape.slice(a + 1).reduce((x, y) => x * y, 1);
  for (let i = 0; i < values.length; i++) if (Math.floor(i / inner) % (shape[a] as number) === index) values[i] = value;
  record.variable.assign(tf.tensor(values, shape));
}

interface Case {
  model: () => Promise<models.Model>;
  x: () => tf.Tensor;
  inputs?: boolean;
}

const CASES: Record<string, Case> = {
  group_lasso_trained: {
    model: groupLassoTrained,
    x: () => tf.randomNormal([5, 10], 0, 1, 'float32', 12),
    inputs: true,
  },
  mlp: {
    model: async () => {
      const model = new models.Sequential([
        L.Input({ shape: [6] }),
        new L.Dense({ units: 8, activation: 'relu', biasInitializer: 'ones', name: 'd1' }),
        new L.Dense({ units: 5, activation: 'tanh', name: 'd2' }),
        new L.Dense({ units: 3, name: 'out' }),
      ]);
      zero(model, 'd1', 'kernel', -1, 1);
      zero(model, 'd1', 'bias', -1, 1);
      zero(model, 'd1', 'kernel', -1, 6);
      zero(model, 'd2', 'kernel', -2, 7);
      zero(model, 'd1', 'kernel', -2, 0);
      return model;
    },
    x: () => tf.randomNormal([5, 6], 0, 1, 'float32', 3),
    inputs: true,
  },
  bn_classifier: {
    model: async () => {
      const model = await saving.loadModel(new URL('bn_classifier.keras', WHOLE).pathname);
      zero(model, 'conv2d', 'kernel', -1, 0);
      zero(model, 'conv2d', 'kernel', -1, 3);
      zero(model, 'conv2d_1', 'kernel', -1, 5);
      return model;
    },
    x: () => tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 4),
  },
  mobilenet_residual: {
    model: async () => {
      const model = await saving.loadModel(new URL('mobilenet_residual.keras', WHOLE).pathname);
      zero(model, 'expand', 'kernel', -1, 2);
      zero(model, 'project', 'depthwise_kernel', -2, 2);
      zero(model, 'expand', 'kernel', -2, 1);
      zero(model, 'project', 'pointwise_kernel', -1, 1);
      zero(model, 'project', 'bias', -1, 1);
      zero(model, 'logits', 'kernel', -2, 1);
      return model;
    },
    x: () => tf.randomNormal([3, 6, 6, 4], 0, 1, 'float32', 5),
    inputs: true,
  },
  embedding_lstm: {
    model: async () => {
      const model = await saving.loadModel(new URL('embedding_lstm.keras', WHOLE).pathname);
      const [, lstm, dense] = model.layers.map((l) => l.name) as [string, string, string];
      for (const g of [0, 1, 2, 3]) {
        zero(model, lstm, 'kernel', -1, g * 6 + 2);
        zero(model, lstm, 'recurrent_kernel', -1, g * 6 + 2);
      }
      zero(model, lstm, 'bias', -1, 2 * 6 + 2);
      zero(model, lstm, 'recurrent_kernel', -2, 4);
      zero(model, dense, 'kernel', -2, 4);
      zero(model, 'embedding', 'embeddings', -1, 1);
      return model;
    },
    x: () =>
      tf.tensor2d(
        [
          [1, 5, 7, 0, 0, 0, 0],
          [3, 3, 9, 19, 2, 0, 0],
          [4, 8, 15, 16, 2, 3, 1],
        ],
        [3, 7],
        'int32',
      ),
  },
  stacked_gru: {
    model: async () => {
      const model = await saving.loadModel(new URL('stacked_gru.keras', WHOLE).pathname);
      const gru = model.layers[0]?.name as string;
      for (const g of [0, 1, 2]) {
        zero(model, gru, 'kernel', -1, g * 6 + 3);
        zero(model, gru, 'recurrent_kernel', -1, g * 6 + 3);
      }
      zero(model, gru, 'bias', -1, 2 * 6 + 3);
      return model;
    },
    x: () => tf.randomNormal([3, 7, 3], 0, 1, 'float32', 6),
  },
  conv_flatten_dense: {
    model: async () => {
      const model = new models.Sequential([
        L.Input({ shape: [6, 6, 2] }),
        new L.Conv2D({ filters: 4, kernelSize: 3, activation: 'relu', biasInitializer: 'ones', name: 'conv' }),
        new L.MaxPooling2D({ poolSize: 2, name: 'pool' }),
        new L.Flatten({ name: 'flat' }),
        new L.Dense({ units: 3, name: 'out' }),
      ]);
      zero(model, 'conv', 'kernel', -1, 1);
      zero(model, 'conv', 'bias', -1, 1);
      zero(model, 'conv', 'kernel', -1, 2);
      return model;
    },
    x: () => tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 7),
  },
};

/** An MLP trained with proximal group lasso on every kernel's input rows until whole rows are 0. */
async function groupLassoTrained(): Promise<models.Model> {
  utils.setRandomSeed(7);
  const rows = () =>
    new regularizers.GroupLasso({ factor: 0.02, ...regularizers.groupAxis('Dense', 'inputs'), proximal: true });
  const model = new models.Sequential([
    L.Input({ shape: [10] }),
    new L.Dense({ units: 16, activation: 'relu', kernelRegularizer: rows(), name: 'h1' }),
    new L.Dense({ units: 8, activation: 'relu', kernelRegularizer: rows(), name: 'h2' }),
    new L.Dense({ units: 3, activation: 'softmax', kernelRegularizer: rows(), name: 'out' }),
  ]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.2 }), loss: 'sparse_categorical_crossentropy' });
  const x = tf.randomNormal([64, 10], 0, 1, 'float32', 11);
  // Only the first three features carry the label: group lasso drops the others.
  const y = tf.tidy(() => tf.argMax(tf.slice(x, [0, 0], [64, 3]), 1).toFloat());
  await model.fit(x, y, { epochs: 40, batchSize: 16, verbose: 0 });
  tf.dispose([x, y]);
  return model;
}

const values = (t: tf.Tensor) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) });

const folder = resolve(process.argv[2] ?? 'reports/keras-pruned-interop');
mkdirSync(folder, { recursive: true });
if (process.argv[3] != null) await backend.setBackend(process.argv[3]);
else await backend.ready();
const expected: Record<string, unknown> = {};
for (const [name, c] of Object.entries(CASES)) {
  const model = await c.model();
  const x = c.x();
  const { model: pruned, report } = models.prune(model, { inputs: c.inputs ?? false });
  const kept = report.inputs[0]?.kept ?? [];
  const xPruned = c.inputs ? tf.gather(x, kept, x.rank - 1) : x;
  const before = model.predict(x) as tf.Tensor;
  const after = pruned.predict(xPruned) as tf.Tensor;
  await saving.saveModel(pruned, join(folder, `${name}.keras`));
  expected[name] = {
    x: values(xPruned),
    unpruned: values(before),
    pruned: values(after),
    params: [report.paramsBefore, report.paramsAfter],
  };
  console.log(`${name}: ${report.paramsBefore} -> ${report.paramsAfter} parameters`);
}
writeFileSync(join(folder, 'expected.json'), JSON.stringify(expected));
console.log(`Saved ${Object.keys(expected).length} pruned models to ${folder} (backend ${backend.getBackend()})`);
