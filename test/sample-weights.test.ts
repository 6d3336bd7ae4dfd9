/**
 * Sample and class weights as real Keras 3 applies them
 * (scripts/generate_keras_sample_weight_fixtures.py): losses reduced as
 * `sum(loss * w) / count` (and Keras's other reductions), per output and
 * per time step, under a mask; class weights for binary, one-hot and
 * sparse labels; `weightedMetrics` with Keras's names; evaluate, two
 * trainOnBatch steps and fit over two epochs give Keras's numbers. Bad
 * weights are refused with clear errors, changing nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, losses, models, optimizers, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

interface Values {
  shape: number[];
  dtype: string;
  values: number[];
}
type Data = Values | Record<string, Values>;
interface Case {
  name: string;
  compile: Record<string, unknown>;
  initial: Values[];
  x: Data;
  y: Data;
  sample_weight: Data | null;
  class_weight: Record<string, number> | null;
  evaluate: Record<string, number> | null;
  train_on_batch: Record<string, number>[];
  weights_after_steps: Values[];
  history: Record<string, number[]>;
  weights_after_fit: Values[];
}
const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-sample-weights.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  refusals: Record<string, string>;
};

const isValues = (d: Data): d is Values => Array.isArray((d as Values).shape);
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype === 'int32' ? 'int32' : 'float32');
function dataOf(d: Data): tf.Tensor | Record<string, tf.Tensor> {
  return isValues(d) ? tensorOf(d) : Object.fromEntries(Object.entries(d).map(([k, v]) => [k, tensorOf(v)]));
}
const tensorsIn = (d: tf.Tensor | Record<string, tf.Tensor> | null) =>
  d == null ? [] : d instanceof tf.Tensor ? [d] : Object.values(d);

function build(name: string): models.Model {
  const dense = (units: number, activation?: 'sigmoid' | 'softmax') =>
    new models.Sequential([layers.Input({ shape: [3] }), new layers.Dense({ units, activation })]);
  if (name.startsWith('dense_')) return dense(2);
  if (name === 'binary_class_weight') return dense(1, 'sigmoid');
  if (name.startsWith('categorical_') || name.startsWith('sparse_')) return dense(3, 'softmax');
  if (name === 'sequence_per_timestep') {
    return new models.Sequential([layers.Input({ shape: [4, 2] }), new layers.Dense({ units: 1 })]);
  }
  if (name === 'masked_lstm_sample_weight') {
    return new models.Sequential([
      layers.Input({ shape: [4], dtype: 'int32' }),
      new layers.Embedding({ inputDim: 6, outputDim: 2, maskZero: true }),
      new layers.LSTM({ units: 2, returnSequences: true }),
      new layers.Dense({ units: 1 }),
    ]);
  }
  const x = layers.Input({ shape: [3], name: 'x' });
  const a = new layers.Dense({ units: 2, name: 'a' }).apply(x);
  const b = new layers.Dense({ units: 1, activation: 'sigmoid', name: 'b' }).apply(x);
  return new models.Model({ inputs: x, outputs: { a, b } });
}

function compiled(c: Case): models.Model {
  const model = build(c.name);
  const initial = c.initial.map(tensorOf);
  model.setWeights(initial);
  tf.dispose(initial);
  const { loss, loss_weights, metrics, weighted_metrics } = c.compile as Record<string, never>;
  model.compile({
    optimizer: new optimizers.SGD({ learningRate: 0.1 }),
    loss: typeof loss === 'object' && loss != null && 'class_name' in loss ? losses.deserialize(loss) : loss,
    lossWeights: loss_weights,
    metrics,
    weightedMetrics: weighted_metrics,
  });
  return model;
}

/** Our logs without the library's own penalty keys, which Keras does not have. */
const kerasKeys = (logs: Record<string, number>) =>
  Object.fromEntries(Object.entries(logs).filter(([k]) => !k.startsWith('regularization_loss')));

function assertLogs(actual: Record<string, number>, expected: Record<string, number>, label: string): void {
  const ours = kerasKeys(actual);
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(expected).sort(), `${label}: log names`);
  for (const [key, value] of Object.entries(expected)) {
    assertAllClose(ours[key] as number, value, { rtol: 2e-5, atol: 1e-6 }, `${label} ${key}`);
  }
}

function assertWeights(model: models.Model, expected: Values[], label: string): void {
  const weights = model.getWeights();
  weights.forEach((w, i) => {
    assertAllClose(w, (expected[i] as Values).values, { rtol: 1e-4, atol: 2e-6 }, `${label} weight ${i}`);
  });
  tf.dispose(weights);
}

/**
 * Keras on JAX loses the prediction's mask in a training step (the output
 * comes back through jax.value_and_grad without its _keras_mask), so its
 * training metrics count masked steps; its evaluate, and we, leave them
 * out. For that case the training logs are compared on the loss alone.
 */
const TRAINING_METRICS_UNMASKED = new Set(['masked_lstm_sample_weight']);
const lossesOnly = (logs: Record<string, number>) =>
  Object.fromEntries(Object.entries(logs).filter(([k]) => k === 'loss' || k.endsWith('_loss')));

describeEachBackend('sample and class weights give real Keras numbers', () => {
  for (const c of FIXTURE.cases) {
    const trainLogs = TRAINING_METRICS_UNMASKED.has(c.name) ? lossesOnly : (logs: Record<string, number>) => logs;
    it(`${c.name}: evaluate, two trainOnBatch steps and fit for 2 epochs`, async () => {
      const x = dataOf(c.x) as tf.Tensor;
      const y = dataOf(c.y);
      const sampleWeight = c.sample_weight == null ? null : dataOf(c.sample_weight);
      const classWeight = c.class_weight;
      await assertNoLeak(async () => {
        const model = compiled(c);
        if (c.evaluate != null) {
          assertLogs(model.evaluate(x, y, { batchSize: 2, sampleWeight }), c.evaluate, 'evaluate');
        }
        c.train_on_batch.forEach((expected, i) => {
          const logs = model.trainOnBatch(x, y, sampleWeight, classWeight);
          assertLogs(trainLogs(logs), trainLogs(expected), `trainOnBatch ${i}`);
        });
        assertWeights(model, c.weights_after_steps, 'after 2 steps');
        model.dispose();
        const fitted = compiled(c);
        const history = await fitted.fit(x, y, {
          batchSize: 3,
          epochs: 2,
          shuffle: false,
          verbose: 0,
          sampleWeight,
          classWeight,
        });
        assert.deepEqual(
          Object.keys(kerasKeys(Object.fromEntries(Object.keys(history.history).map((k) => [k, 0])))).sort(),
          Object.keys(c.history).sort(),
          'history names',
        );
        const compared = Object.keys(trainLogs(Object.fromEntries(Object.keys(c.history).map((k) => [k, 0]))));
        for (const [key, values] of Object.entries(c.history).filter(([k]) => compared.includes(k))) {
          assertAllClose(history.history[key] as number[], values, { rtol: 2e-5, atol: 1e-6 }, `history ${key}`);
        }
        assertWeights(fitted, c.weights_after_fit, 'after fit');
        fitted.dispose();
      }, c.name);
      tf.dispose([x, ...tensorsIn(y), ...tensorsIn(sampleWeight)]);
    });
  }

  it('the loss alone: sum(loss * w) / count, masks times weights, and the reductions', () => {
    const yTrue = tf.tensor2d([[1], [2], [3], [4]]);
    const yPred = tf.tensor2d([[0], [0], [0], [0]]);
    const w = tf.tensor1d([1, 0, 2, 0.5]);
    const perSample = [1, 4, 9, 16];
    const weighted = perSample.reduce((s, v, i) => s + v * ([1, 0, 2, 0.5][i] as number), 0);
    assertAllClose(new losses.MeanSquaredError().apply(yTrue, yPred, w).dataSync()[0] as number, weighted / 4);
    assertAllClose(
      new losses.MeanSquaredError({ reduction: 'sum' }).apply(yTrue, yPred, w).dataSync()[0] as number,
      weighted,
    );
    assertAllClose(
      new losses.MeanSquaredError({ reduction: 'mean_with_sample_weight' })
        .apply(yTrue, yPred, w)
        .dataSync()[0] as number,
      weighted / 3.5,
    );
    tf.dispose([yTrue, yPred, w]);
  });
});

describe('bad sample and class weights are refused with clear errors, changing nothing', () => {
  const setup = () => {
    const model = new models.Sequential([layers.Input({ shape: [4, 2] }), new layers.Dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    return { model, x: tf.ones([5, 4, 2]), y: tf.ones([5, 4, 1]) };
  };

  it('a 1-D weight against a loss per time step (Keras fails in its broadcast), too few rows, a bad class weight', async () => {
    const { model, x, y } = setup();
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const oneD = tf.ones([5]);
    const short = tf.ones([4, 4]);
    const count = tf.memory().numTensors;
    assert.match(FIXTURE.refusals.sequence_1d_sample_weight as string, /Incompatible shapes for broadcasting/);
    const message =
      "mean_squared_error: sampleWeight must weigh the loss of each sample of the model's output (shape [5, 4, 1]): expected shape [5, 4] (one weight per sample and step) or [5, 1]. Received: sampleWeight.shape=[5]";
    expectValueError(() => model.trainOnBatch(x, y, oneD), message);
    expectValueError(() => model.evaluate(x, y, { sampleWeight: oneD }), message);
    await assert.rejects(() => model.fit(x, y, { sampleWeight: oneD, verbose: 0 }), { message });
    expectValueError(
      () => model.trainOnBatch(x, y, short),
      'sampleWeight must have one row per sample: 5. Received: sampleWeight.shape=[4, 4]',
    );
    await assert.rejects(
      () => model.fit(x, y, { sampleWeight: oneD, classWeight: { 0: 1 }, verbose: 0 }),
      (error: Error) =>
        error instanceof ValueError &&
        error.message === 'You cannot use `classWeight` and `sampleWeight` at the same time.',
    );
    await assert.rejects(
      () => model.fit(x, y, { classWeight: { a: 1 } as never, verbose: 0 }),
      (error: Error) =>
        error instanceof ValueError &&
        error.message ===
          'Invalid value for argument classWeight: expected class indices (non-negative integers) as keys. Received: classWeight="a"',
    );
    assert.equal(tf.memory().numTensors, count, 'tensors leaked');
    assert.deepEqual(
      model.getWeights().map((w) => Array.from(w.dataSync())),
      before,
      'weights changed',
    );
    tf.dispose([x, y, oneD, short]);
    model.dispose();
  });

  it('several outputs: a single weight array must be one per sample; classWeight needs one output', async () => {
    const input = layers.Input({ shape: [3] });
    const model = new models.Model({
      inputs: input,
      outputs: [new layers.Dense({ units: 2 }).apply(input), new layers.Dense({ units: 1 }).apply(input)],
    });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y1, y2, wide] = [tf.ones([4, 3]), tf.ones([4, 2]), tf.ones([4, 1]), tf.ones([4, 2])];
    expectValueError(
      () => model.trainOnBatch(x, [y1, y2], wide),
      'For a model with several outputs, a single sampleWeight must have one weight per sample (shape [n] or [n, 1]); to weigh the outputs otherwise, give one array per output. Received: sampleWeight.shape=[4, 2]',
    );
    await assert.rejects(() => model.fit(x, [y1, y2], { classWeight: { 0: 2 }, verbose: 0 }), {
      message:
        '`classWeight` is only supported for models with a single output; this one has 2. Give sampleWeight per output instead.',
    });
    tf.dispose([x, y1, y2, wide]);
    model.dispose();
  });
});

describe('weightedMetrics in compile and compile_config', () => {
  it("are named as Keras names them and written to compile_config; a config's weighted_metrics compiles back", () => {
    const model = new models.Sequential([layers.Input({ shape: [3] }), new layers.Dense({ units: 2 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'], weightedMetrics: ['mae', 'mse'] });
    assert.deepEqual((model.getCompileConfig() as Record<string, unknown>).weighted_metrics, ['mae', 'mse']);
    const [x, y] = [tf.ones([2, 3]), tf.zeros([2, 2])];
    assert.deepEqual(Object.keys(kerasKeys(model.testOnBatch(x, y))), ['loss', 'mae', 'mse', 'weighted_mae']);
    const copy = models.modelFromJSON(model.toJSON());
    assert.deepEqual((copy.getCompileConfig() as Record<string, unknown>).weighted_metrics, ['mae', 'mse']);
    assert.deepEqual(Object.keys(kerasKeys(copy.testOnBatch(x, y))), ['loss', 'mae', 'mse', 'weighted_mae']);
    tf.dispose([x, y]);
    model.dispose();
    copy.dispose();
  });
});
