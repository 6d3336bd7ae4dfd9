/**
 * The confusion-matrix metrics against real Keras 3.15.1
 * (scripts/generate_keras_metrics_confusion_fixtures.py): AUC (ROC, PR,
 * PRGAIN, the three summations, thresholds, multi-label, label weights,
 * logits), Precision/Recall (thresholds, top-k, class id), the
 * at-constraint metrics, the four counts and the F-scores, accumulated
 * over uneven weighted batches (one of them empty) as Keras accumulates
 * them; their variables (Keras's names, order, values), configs as Keras
 * writes them, reset, bad input with clear errors, and no leaks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { metrics, ValueError } from 'keras-regularizers';
import { configToCamel } from '../src/serialization/case.js';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { decodeAll } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';

interface Values {
  shape: number[];
  values: (number | string)[];
}
interface ConfusionCase {
  name: string;
  class_name: string;
  kwargs: Record<string, unknown>;
  batches: { y_true: Values; y_pred: Values; sample_weight: Values | null }[];
  results: Values[];
  variables: ({ name: string; shape: number[] } & ({ values: (number | string)[] } | { sum: number }))[];
  config: Record<string, unknown>;
  serialized: Record<string, unknown>;
  result_after_reset: Values;
}
const FIXTURE = JSON.parse(
  readFileSync(new URL('./fixtures/keras-metrics-confusion.json', import.meta.url), 'utf8'),
) as { cases: ConfusionCase[]; errors: { name: string; type: string; message: string }[] };

type Metric = metrics.Metric;
// biome-ignore lint/suspicious/noExplicitAny: each class takes its own options.
const CLASSES: Record<string, new (options?: any) => Metric> = {
  AUC: metrics.AUC,
  Precision: metrics.Precision,
  Recall: metrics.Recall,
  PrecisionAtRecall: metrics.PrecisionAtRecall,
  RecallAtPrecision: metrics.RecallAtPrecision,
  SensitivityAtSpecificity: metrics.SensitivityAtSpecificity,
  SpecificityAtSensitivity: metrics.SpecificityAtSensitivity,
  TruePositives: metrics.TruePositives,
  TrueNegatives: metrics.TrueNegatives,
  FalsePositives: metrics.FalsePositives,
  FalseNegatives: metrics.FalseNegatives,
  F1Score: metrics.F1Score,
  FBetaScore: metrics.FBetaScore,
};

const tensor = (v: Values) => tf.tensor(decodeAll(v.values), v.shape, 'float32');

function build(c: ConfusionCase): Metric {
  const Class = CLASSES[c.class_name];
  assert.ok(Class, `no class for ${c.class_name}`);
  return new Class(configToCamel(c.kwargs));
}

function update(metric: Metric, batch: ConfusionCase['batches'][number]): void {
  const yTrue = tensor(batch.y_true);
  const yPred = tensor(batch.y_pred);
  const sw = batch.sample_weight == null ? null : tensor(batch.sample_weight);
  metric.updateState(yTrue, yPred, sw);
  tf.dispose([yTrue, yPred, sw ?? []]);
}

function resultOf(metric: Metric): { shape: number[]; values: number[] } {
  const r = metric.result();
  const out = { shape: r.shape, values: Array.from(r.dataSync()) };
  r.dispose();
  return out;
}

const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

/** Keras names a second metric of a class `precision_1` (a per-session counter); ours keeps the default name. */
function kerasJson(c: ConfusionCase): Record<string, unknown> {
  const config = c.serialized.config as Record<string, unknown>;
  const name = (c.kwargs.name as string | undefined) ?? String(config.name).replace(/_\d+$/, '');
  // AUC's label_weights: Keras writes a `__tensor__` object its own loader cannot read back; we write the list.
  const weights = config.label_weights as { config?: { value?: number[] } } | null | undefined;
  const labelWeights = weights?.config?.value != null ? { label_weights: weights.config.value } : {};
  return { ...c.serialized, config: { ...config, name, ...labelWeights } };
}

describeEachBackend('confusion-matrix metrics against Keras', () => {
  for (const c of FIXTURE.cases) {
    it(`${c.class_name}: ${c.name}`, async () => {
      await assertNoLeak(() => {
        const metric = build(c);
        c.batches.forEach((batch, i) => {
          update(metric, batch);
          const expected = c.results[i] as Values;
          const actual = resultOf(metric);
          assert.deepEqual(actual.shape, expected.shape, `batch ${i} result shape`);
          assertAllClose(actual.values, decodeAll(expected.values), TOLERANCE, `batch ${i}`);
        });
        assert.deepEqual(
          metric.variableNames,
          c.variables.map((v) => v.name),
        );
        metric.variables.forEach((v, i) => {
          const expected = c.variables[i] as ConfusionCase['variables'][number];
          assert.deepEqual(v.shape, expected.shape, expected.name);
          if ('values' in expected) assertAllClose(v, decodeAll(expected.values), TOLERANCE, expected.name);
          else
            assertAllClose(
              tf.tidy(() => tf.sum(v).dataSync()[0] as number),
              expected.sum,
              TOLERANCE,
              expected.name,
            );
        });
        assert.deepEqual(metrics.serialize(metric), kerasJson(c));
        metric.resetState();
        assertAllClose(resultOf(metric).values, decodeAll(c.result_after_reset.values), {}, 'after reset');
        metric.dispose();
      });
    });
  }

  it("configs round-trip: Keras's JSON gives the same metric back", () => {
    for (const c of FIXTURE.cases) {
      // Keras's own JSON (label_weights as a `__tensor__`) reads back as what we write.
      const metric = metrics.deserialize({
        ...c.serialized,
        config: { ...(c.serialized.config as object), name: (kerasJson(c).config as { name: string }).name },
      }) as Metric;
      assert.deepEqual(metrics.serialize(metric), kerasJson(c), c.name);
      metric.dispose();
    }
  });

  it('accumulating is independent of how the samples are split into batches', () => {
    const yTrue = tf.tensor2d([[1], [0], [1], [1], [0], [0], [1]]);
    const yPred = tf.tensor2d([[0.9], [0.4], [0.35], [0.8], [0.1], [0.65], [0.5]]);
    const w = tf.tensor1d([1, 2, 0.5, 0, 3, 1, 1]);
    for (const make of [
      () => new metrics.AUC({ curve: 'PR' }),
      () => new metrics.Precision({ thresholds: [0.3, 0.6] }),
    ]) {
      const whole = make();
      whole.updateState(yTrue, yPred, w);
      const split = make();
      for (const [a, b] of [
        [0, 2],
        [2, 2],
        [2, 7],
      ] as const) {
        const part = (t: tf.Tensor) => tf.slice(t, a, b - a);
        const [yt, yp, ww] = [part(yTrue), part(yPred), part(w)];
        split.updateState(yt, yp, ww);
        tf.dispose([yt, yp, ww]);
      }
      assertAllClose(resultOf(split).values, resultOf(whole).values, TOLERANCE);
      whole.dispose();
      split.dispose();
    }
    tf.dispose([yTrue, yPred, w]);
  });
});

describeEachBackend('confusion-matrix metrics: bad input', () => {
  const kerasError = (name: string) => {
    const found = FIXTURE.errors.find((e) => e.name === name);
    assert.ok(found, name);
    return found.message;
  };

  it('constructor errors say what Keras says, naming the argument', () => {
    const cases: [string, () => unknown, string][] = [
      ['Precision thresholds out of range', () => new metrics.Precision({ thresholds: [0.5, 1.5] }), 'thresholds'],
      ['Recall negative threshold', () => new metrics.Recall({ thresholds: -0.1 }), 'thresholds'],
      ['TruePositives threshold out of range', () => new metrics.TruePositives({ thresholds: [2] }), 'thresholds'],
      ['AUC num_labels without multi_label', () => new metrics.AUC({ numLabels: 3 }), 'numLabels'],
      ['AUC curve', () => new metrics.AUC({ curve: 'XY' as 'ROC' }), 'curve'],
      [
        'AUC summation_method',
        () => new metrics.AUC({ summationMethod: 'trapezoid' as 'minoring' }),
        'summationMethod',
      ],
      ['PrecisionAtRecall recall 1.5', () => new metrics.PrecisionAtRecall({ recall: 1.5 }), 'recall'],
      ['F1Score threshold 0', () => new metrics.F1Score({ threshold: 0 }), 'threshold'],
    ];
    for (const [name, make, argument] of cases) {
      const keras = kerasError(name);
      assert.throws(make, (error: unknown) => {
        assert.ok(error instanceof ValueError, name);
        // Keras's text, with the library's camelCase argument names and list spelling.
        const ours = error.message.replace(/thresholds=/, '');
        const theirs = keras.replace(/(\d)\.0\b/g, '$1');
        if (argument === 'thresholds') assert.equal(ours, theirs, name);
        else if (argument === 'curve' || argument === 'summationMethod' || argument === 'recall')
          assert.equal(error.message, keras, name);
        assert.equal(error.argument, argument, name);
        return true;
      });
    }
    assert.throws(
      () => new metrics.AUC({ numThresholds: 1 }),
      /Argument `numThresholds` must be an integer > 1. Received: numThresholds=1/,
    );
    assert.throws(
      () => new metrics.SensitivityAtSpecificity({ specificity: 0.5, numThresholds: 0 }),
      /Argument `numThresholds` must be an integer > 0. Received: numThresholds=0/,
    );
    assert.throws(() => new metrics.F1Score({ average: 'samples' as 'macro' }), /Invalid `average` argument value/);
    assert.throws(
      () => new metrics.FBetaScore({ beta: 0 }),
      /Invalid `beta` argument value. It should be > 0. Received: beta=0/,
    );
    assert.throws(() => new metrics.Precision({ topK: 0 }), /topK/);
    assert.throws(() => new metrics.Recall({ classId: -1 }), /classId/);
    assert.throws(
      () => new metrics.AUC({ multiLabel: true, numLabels: 2, labelWeights: [1, 2, 3] }),
      /labelWeights has 3 entries but numLabels is 2/,
    );
    assert.throws(() => new metrics.Precision({ tresholds: 0.5 } as never), /Did you mean "thresholds"/);
  });

  it('update errors: a class id out of range names it and the number of classes; shapes that do not fit; nothing changes', async () => {
    await assertNoLeak(() => {
      const yTrue = tf.tensor2d([
        [1, 0, 0],
        [0, 1, 0],
      ]);
      const yPred = tf.tensor2d([
        [0.7, 0.2, 0.1],
        [0.3, 0.6, 0.1],
      ]);
      const flat = tf.tensor1d([0.3, 0.7]);
      const precision = new metrics.Precision({ classId: 3 });
      assert.throws(
        () => precision.updateState(yTrue, yPred),
        (e: unknown) =>
          e instanceof ValueError &&
          e.argument === 'classId' &&
          e.message ===
            'Precision: classId 3 is out of range for predictions with 3 classes (last axis of shape [2, 3]).',
      );
      const recall = new metrics.Recall({ classId: 0 });
      assert.throws(() => recall.updateState(flat, flat), /when classId is given, yPred must be 2D/);
      const auc = new metrics.AUC();
      assert.throws(
        () => auc.updateState(flat, yPred),
        (e: unknown) =>
          e instanceof ValueError &&
          e.argument === 'yTrue' &&
          /labels of shape \[2\] do not fit predictions of shape \[2, 3\]/.test(e.message),
      );
      const badWeights = tf.tensor1d([1, 2, 3]);
      assert.throws(
        () => auc.updateState(yTrue, yPred, badWeights),
        (e: unknown) => e instanceof ValueError && e.argument === 'sampleWeight',
      );
      assert.equal(resultOf(auc).values[0], 0, 'a refused update changes nothing');
      const multi = new metrics.AUC({ multiLabel: true });
      assert.throws(() => multi.updateState(flat, flat), /`y_pred` must have rank 2 when `multi_label=True`/);
      const f1 = new metrics.F1Score();
      assert.throws(
        () => f1.updateState(flat, flat),
        /FBetaScore expects 2D inputs with shape \(batch_size, output_dim\)/,
      );
      tf.dispose([yTrue, yPred, flat, badWeights]);
      for (const m of [precision, recall, auc, multi, f1]) m.dispose();
      assert.throws(() => auc.updateState(yTrue, yPred), /was disposed/);
    });
  });
});
