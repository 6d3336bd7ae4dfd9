/**
 * Stateful metrics in compile, fit and evaluate (issue 24 part 1): a
 * Keras-compiled .keras with AUC, Precision, Recall, TopKCategoricalAccuracy
 * and MeanIoU loads compiled and evaluate gives Keras's logs; compiled
 * metrics are reset per evaluate and per batch method, accumulate over an
 * evaluate's batches, are named as Keras names them, and are freed with
 * the model.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, metrics, models, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { decodeAll } from './helpers/fixtures.js';

interface Values {
  shape: number[];
  values: (number | string)[];
}
const COMPILED = (
  JSON.parse(readFileSync(new URL('./fixtures/keras-metrics-confusion.json', import.meta.url), 'utf8')) as {
    compiled: {
      file: string;
      x: Values;
      y: Values;
      sample_weight: Values;
      evaluate_batch_size_4: Record<string, Values>;
      evaluate_weighted_batch_size_4: Record<string, Values>;
      compile_config: { metrics: unknown[]; weighted_metrics: unknown[] };
    };
  }
).compiled;

const tensor = (v: Values) => tf.tensor(decodeAll(v.values), v.shape, 'float32');

describeEachBackend('a Keras-compiled .keras with AUC, Precision, Recall, TopK and MeanIoU', () => {
  it("loads compiled, writes Keras's metric configs back, and evaluate gives Keras's logs", async () => {
    const model = await saving.loadModel(new URL(`./fixtures/${COMPILED.file}`, import.meta.url).pathname);
    const config = model.getCompileConfig() as { metrics: unknown[]; weighted_metrics: unknown[] };
    assert.deepEqual(config.metrics, COMPILED.compile_config.metrics);
    assert.deepEqual(config.weighted_metrics, COMPILED.compile_config.weighted_metrics);
    const [x, y, sw] = [tensor(COMPILED.x), tensor(COMPILED.y), tensor(COMPILED.sample_weight)];
    const check = (logs: Record<string, number>, expected: Record<string, Values>, label: string) => {
      const { regularization_loss: penalties, ...rest } = logs;
      assert.equal(penalties ?? 0, 0, label);
      // Keras logs Precision with two thresholds ("wp") as a vector; our logs hold numbers, so it is left out.
      const scalars = Object.entries(expected).filter(([, v]) => v.shape.length === 0);
      assert.deepEqual(Object.keys(rest).sort(), scalars.map(([k]) => k).sort(), label);
      for (const [key, value] of scalars)
        assertAllClose(logs[key] as number, decodeAll(value.values), {}, `${label} ${key}`);
    };
    check(model.evaluate(x, y, { batchSize: 4 }), COMPILED.evaluate_batch_size_4, 'evaluate');
    // Evaluate resets the metrics: the same call gives the same logs.
    check(model.evaluate(x, y, { batchSize: 4 }), COMPILED.evaluate_batch_size_4, 'evaluate again');
    check(
      model.evaluate(x, y, { batchSize: 4, sampleWeight: sw }),
      COMPILED.evaluate_weighted_batch_size_4,
      'weighted',
    );
    tf.dispose([x, y, sw]);
    model.dispose();
  });
});

function smallModel(): models.Sequential {
  const model = new models.Sequential([
    layers.Input({ shape: [3] }),
    new layers.Dense({ units: 1, activation: 'sigmoid', name: 'out' }),
  ]);
  model.setWeights([tf.tensor2d([[0.5], [-1], [0.25]]), tf.tensor1d([0.1])]);
  return model;
}

describeEachBackend('compiled stateful metrics', () => {
  it('names: strings log as given, repeats get _1, an object given twice is not shared', () => {
    const model = smallModel();
    const precision = new metrics.Precision();
    model.compile({
      optimizer: 'sgd',
      loss: 'binary_crossentropy',
      metrics: ['AUC', 'auc', precision, precision, 'recall'],
    });
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, 1, 0],
      [2, 0, 1],
      [1, 1, 1],
    ]);
    const y = tf.tensor2d([[1], [0], [1], [0]]);
    const logs = model.evaluate(x, y, { batchSize: 3 });
    assert.deepEqual(
      Object.keys(logs)
        .filter((k) => !k.startsWith('regularization'))
        .sort(),
      ['AUC', 'auc', 'loss', 'precision', 'precision_1', 'recall'],
    );
    assert.equal(logs.precision, logs.precision_1);
    // The evaluate's metric over all its batches, as a fresh metric on the whole set.
    const whole = new metrics.AUC();
    const p = model.predict(x) as tf.Tensor;
    whole.updateState(y, p);
    const r = whole.result();
    assertAllClose(logs.auc as number, r.dataSync()[0] as number);
    tf.dispose([p, r]);
    whole.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });

  it('trainOnBatch and testOnBatch report that batch alone (Keras resets the metrics per call)', () => {
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: [new metrics.Recall()] });
    const x1 = tf.tensor2d([[1, 2, 3]]);
    const y1 = tf.tensor2d([[1]]);
    const x2 = tf.tensor2d([[1, 2, 3]]);
    const y2 = tf.tensor2d([[0]]);
    assert.equal(model.testOnBatch(x1, y1).recall, 0);
    assert.equal(model.testOnBatch(x2, y2).recall, 0);
    const x3 = tf.tensor2d([[3, -2, 0]]);
    assert.equal(model.testOnBatch(x3, y1).recall, 1);
    assert.equal(model.testOnBatch(x2, y2).recall, 0);
    tf.dispose([x1, y1, x2, y2, x3]);
    model.dispose();
  });

  it('metric variables are freed by compile again and by dispose: a fit with metrics leaves what one without leaves', async () => {
    const run = async (metricList: string[]) => {
      const before = tf.memory().numTensors;
      const model = smallModel();
      const x = tf.tensor2d([
        [1, 2, 3],
        [0, 1, 0],
        [2, 0, 1],
        [1, 1, 1],
        [3, -2, 0],
      ]);
      const y = tf.tensor2d([[1], [0], [1], [0], [1]]);
      model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: metricList });
      model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: metricList });
      const history = await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, shuffle: false });
      tf.dispose([x, y]);
      model.dispose();
      return { left: tf.memory().numTensors - before, history: history.history };
    };
    const without = await run([]);
    const withMetrics = await run(['accuracy', 'auc', 'precision']);
    assert.equal(withMetrics.left, without.left);
    // Each epoch's accuracy is a fraction of that epoch's 5 samples (reset per epoch, not a running value).
    for (const acc of withMetrics.history.accuracy as number[])
      assert.ok(Math.abs(acc * 5 - Math.round(acc * 5)) < 1e-5);
  });
});
