/**
 * The whole models of issues 12 and 13, saved by real Keras as .keras files
 * (test/fixtures/keras-whole-models/, scripts/generate_keras_whole_models.py):
 * loaded here, each gives Keras's predictions, `losses` and evaluate() loss;
 * fit() over three batches (three optimizer steps, no shuffling) gives
 * Keras's epoch loss and every weight after it, BatchNormalization's moving
 * statistics included; and the trained model again gives Keras's
 * predictions, `losses` and evaluate(). One table drives all ten models.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { type models, saving } from 'keras-regularizers';
import { assertAllClose, FLOAT32, type Tolerance } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';

interface Values {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}
interface Snapshot {
  prediction: Values;
  losses: number[];
  evaluate: number;
}
interface WholeModel {
  issue: number;
  file: string;
  layers: string[];
  optimizer: string;
  x: Values;
  y: Values;
  batch_size: number;
  before: Snapshot;
  fit: { loss: number; weights: (Values & { path: string })[] };
  after: Snapshot;
}

const FOLDER = new URL('./fixtures/keras-whole-models/', import.meta.url);
const FIXTURE = JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as {
  models: Record<string, WholeModel>;
};

/** What each issue asks its whole models to contain: the test fails if a fixture loses one. */
const INGREDIENTS: Record<string, string[]> = {
  bn_classifier: ['Conv2D', 'BatchNormalization', 'GlobalAveragePooling2D', 'Dense'],
  mobilenet_residual: ['DepthwiseConv2D', 'SeparableConv2D', 'Add', 'BatchNormalization'],
  decoder: ['Conv2DTranspose', 'UpSampling2D'],
  encoder_block: ['MultiHeadAttention', 'LayerNormalization', 'Add'],
  prelu_net: ['PReLU'],
  embedding_lstm: ['Embedding', 'LSTM'],
  stacked_gru: ['GRU'],
  bidirectional_simple_rnn: ['Bidirectional', 'Masking'],
  conv1d_timeseries: ['Conv1D', 'MaxPooling1D', 'GlobalAveragePooling1D'],
  time_distributed_dense: ['TimeDistributed'],
};

/** The issues' rtol 1e-5, with float32's atol for values near zero. */
const OUTPUTS: Tolerance = FLOAT32;
/** Penalties are sums over whole weights: float32 summation order differs between backends. */
const LOSSES: Tolerance = { rtol: 1e-5, atol: 1e-7 };

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype);

function assertSnapshot(model: models.Model, x: tf.Tensor, y: tf.Tensor, expected: Snapshot, label: string): void {
  const prediction = model.predict(x, { batchSize: 4 }) as tf.Tensor;
  assert.deepEqual(prediction.shape, expected.prediction.shape, `${label} prediction shape`);
  assertAllClose(prediction, expected.prediction.values, OUTPUTS, `${label} prediction`);
  prediction.dispose();
  // `losses` holds the activity penalties of the latest call: run the whole input once, as
  // Keras's generator did. In tidy: an eager model call leaves its intermediate outputs to the
  // caller, as any chain of tfjs ops does (the recorded losses are kept by the layers).
  tf.tidy(() => {
    model.apply(x);
  });
  const losses = tf.tidy(() => model.losses.map((l) => l.dataSync()[0] as number));
  assertAllClose(losses, expected.losses, LOSSES, `${label} losses`);
  const evaluated = model.evaluate(x, y, { batchSize: 4 });
  assertAllClose(evaluated.loss as number, expected.evaluate, OUTPUTS, `${label} evaluate`);
}

describeEachBackend('whole models saved by Keras (issues 12 and 13)', () => {
  for (const [name, expected] of Object.entries(FIXTURE.models)) {
    it(`${name} (issue ${expected.issue}): predictions, losses, evaluate; 3 fit steps give Keras's weights`, async () => {
      for (const layer of INGREDIENTS[name] ?? ['(no ingredient list)']) {
        assert.ok(expected.layers.includes(layer), `${name} holds a ${layer}: ${expected.layers.join(', ')}`);
      }
      const tensors = tf.memory().numTensors;
      const model = await saving.loadModel(new URL(expected.file, FOLDER).pathname);
      const x = tensorOf(expected.x);
      const y = tensorOf(expected.y);

      assertSnapshot(model, x, y, expected.before, 'before fit');
      const history = await model.fit(x, y, { batchSize: expected.batch_size, epochs: 1, shuffle: false, verbose: 0 });
      assertAllClose(history.history.loss?.[0] as number, expected.fit.loss, OUTPUTS, 'fit epoch loss');
      const records = model.weightRecords();
      assert.deepEqual(
        records.map((w) => w.variable.shape),
        expected.fit.weights.map((w) => w.shape),
        'weights in Keras order',
      );
      records.forEach((record, i) => {
        const want = expected.fit.weights[i] as Values & { path: string };
        assertAllClose(record.variable, want.values, OUTPUTS, `weight ${want.path} (ours ${record.path})`);
      });
      assertSnapshot(model, x, y, expected.after, 'after fit');

      tf.dispose([x, y]);
      model.dispose();
      assert.equal(tf.memory().numTensors, tensors, 'the model, its optimizer, fit and evaluate leave no tensor');
    });
  }
});
