/**
 * Stateful metrics against real Keras 3.15.1 (scripts/generate_keras_metrics_fixtures.py):
 * top-k accuracies, the IoU family, R2Score, RMSE, Mean/Sum, the losses as
 * metrics and the correlations, accumulated over uneven weighted batches as
 * Keras accumulates them, their variables (names, order, values), configs as
 * Keras writes them, reset, bad input and leaks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { metrics, saving, ValueError } from 'keras-regularizers';
import { configToCamel, configToSnake } from '../src/serialization/case.js';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { decodeAll } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';

interface Values {
  shape: number[];
  dtype: string;
  values: (number | string)[];
}
interface MetricCase {
  name: string;
  class_name: string;
  kwargs: Record<string, unknown>;
  batches: { y_true?: Values; y_pred?: Values; values?: Values; sample_weight: Values | null }[];
  results: Values[];
  variables: { path: string; name: string; shape: number[]; values: (number | string)[] }[];
  config: Record<string, unknown>;
  result_after_reset?: Values;
}
const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-metrics.json', import.meta.url), 'utf8')) as {
  cases: MetricCase[];
  errors: { name: string; type: string | null; message: string | null }[];
};

const {
  BinaryCrossentropy,
  BinaryIoU,
  CategoricalCrossentropy,
  CategoricalHinge,
  ConcordanceCorrelation,
  CosineSimilarity,
  Hinge,
  IoU,
  KLDivergence,
  LogCoshError,
  Mean,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanIoU,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  OneHotIoU,
  OneHotMeanIoU,
  PearsonCorrelation,
  Poisson,
  R2Score,
  RootMeanSquaredError,
  SparseCategoricalCrossentropy,
  SparseTopKCategoricalAccuracy,
  SquaredHinge,
  Sum,
  TopKCategoricalAccuracy,
} = metrics;
type Metric = metrics.Metric;
type Mean = metrics.Mean;

// biome-ignore lint/suspicious/noExplicitAny: each class takes its own options.
const CLASSES: Record<string, new (options?: any) => Metric> = {
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  IoU,
  MeanIoU,
  BinaryIoU,
  OneHotIoU,
  OneHotMeanIoU,
  R2Score,
  RootMeanSquaredError,
  Mean,
  Sum,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  KLDivergence,
  Poisson,
  CosineSimilarity,
  LogCoshError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  MeanSquaredError,
  MeanAbsoluteError,
  PearsonCorrelation,
  ConcordanceCorrelation,
};

function tensor(v: Values): tf.Tensor {
  const dtype = v.dtype.startsWith('int') ? 'int32' : v.dtype === 'bool' ? 'bool' : 'float32';
  return tf.tensor(decodeAll(v.values), v.shape, dtype);
}

/** Keras names a second metric of a class `io_u_1`; ours keeps the class's default name. */
const kerasName = (c: MetricCase) =>
  (c.kwargs.name as string | undefined) ?? String(c.config.name).replace(/_\d+$/, '');

function build(c: MetricCase): Metric {
  const Class = CLASSES[c.class_name];
  assert.ok(Class, `no class for ${c.class_name}`);
  return new Class(configToCamel(c.kwargs));
}

function update(metric: Metric, batch: MetricCase['batches'][number]): void {
  const sw = batch.sample_weight == null ? null : tensor(batch.sample_weight);
  if (batch.values != null) {
    const values = tensor(batch.values);
    (metric as Mean).updateState(values, sw);
    tf.dispose([values, sw ?? []]);
    return;
  }
  const yTrue = tensor(batch.y_true as Values);
  const yPred = tensor(batch.y_pred as Values);
  metric.updateState(yTrue, yPred, sw);
  tf.dispose([yTrue, yPred, sw ?? []]);
}

function resultOf(metric: Metric): number[] {
  const r = metric.result();
  const values = Array.from(r.dataSync());
  r.dispose();
  return values;
}

describeEachBackend('metrics against Keras', () => {
  for (const c of FIXTURE.cases) {
    it(`${c.class_name}: ${c.name}`, async () => {
      await assertNoLeak(() => {
        const metric = build(c);
        c.batches.forEach((batch, i) => {
          update(metric, batch);
          assertAllClose(
            resultOf(metric),
            decodeAll((c.results[i] as Values).values),
            { rtol: 1e-5, atol: 1e-6 },
            `batch ${i}`,
          );
        });
        assert.deepEqual(
          metric.variableNames,
          c.variables.map((v) => v.name),
        );
        metric.variables.forEach((v, i) => {
          const expected = c.variables[i] as MetricCase['variables'][number];
          assert.deepEqual(v.shape, expected.shape);
          assertAllClose(v, decodeAll(expected.values), { rtol: 1e-5, atol: 1e-6 }, expected.name);
        });
        assert.deepEqual(configToSnake(metric.getConfig()), { ...c.config, name: kerasName(c) });
        if (c.result_after_reset != null) {
          metric.resetState();
          assertAllClose(resultOf(metric), decodeAll(c.result_after_reset.values), {}, 'after reset');
        }
        metric.dispose();
      });
    });
  }

  it('configs round-trip through fromConfig (CosineSimilarity loses its axis, as in Keras)', () => {
    for (const c of FIXTURE.cases) {
      const metric = build(c);
      const Class = CLASSES[c.class_name] as unknown as { fromConfig(config: Record<string, unknown>): Metric };
      const again = Class.fromConfig(metric.getConfig());
      assert.deepEqual(again.getConfig(), metric.getConfig(), c.name);
      metric.dispose();
      again.dispose();
    }
  });

  it('a metric accumulates the same over any split of the batches (uneven splits, weighted)', () => {
    const yTrue = tf.tensor2d([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const yPred = tf.tensor2d([
      [0.5, 0.3, 0.2],
      [0.1, 0.2, 0.7],
      [0.3, 0.3, 0.4],
      [0.6, 0.3, 0.1],
      [0.2, 0.5, 0.3],
    ]);
    const w = tf.tensor1d([1, 2, 0.5, 0, 3]);
    const whole = new TopKCategoricalAccuracy({ k: 2 });
    whole.updateState(yTrue, yPred, w);
    const split = new TopKCategoricalAccuracy({ k: 2 });
    for (const [from, size] of [
      [0, 2],
      [2, 0],
      [2, 3],
    ] as const) {
      const parts = [yTrue, yPred, w].map((t) => tf.slice(t, [from], [size]));
      split.updateState(parts[0] as tf.Tensor, parts[1] as tf.Tensor, parts[2] as tf.Tensor);
      tf.dispose(parts);
    }
    // in the top 2: rows 0 (w 1), 1 (w 2), 2 (w 0.5), 3 (w 0); row 4's label is third (w 3). Total weight 6.5.
    assertAllClose(resultOf(whole), [(1 + 2 + 0.5) / 6.5]);
    assertAllClose(resultOf(split), [(1 + 2 + 0.5) / 6.5]);
    tf.dispose([yTrue, yPred, w]);
    whole.dispose();
    split.dispose();
  });
});

const FUNCTIONS = (
  JSON.parse(readFileSync(new URL('./fixtures/keras-metrics.json', import.meta.url), 'utf8')) as {
    functions: {
      name: string;
      kwargs: Record<string, number | boolean>;
      y_true: Values;
      y_pred: Values;
      result: Values;
    }[];
  }
).functions;

describeEachBackend("the keras.metrics functions (per sample, as Keras's)", () => {
  for (const f of FUNCTIONS) {
    it(`${f.name}(${JSON.stringify(f.kwargs)})`, async () => {
      const yTrue = tensor(f.y_true);
      const yPred = tensor(f.y_pred);
      await assertNoLeak(() => {
        const {
          k,
          from_sorted_ids: sorted,
          axis,
        } = f.kwargs as { k?: number; from_sorted_ids?: boolean; axis?: number };
        const result =
          f.name === 'top_k_categorical_accuracy'
            ? metrics.topKCategoricalAccuracy(yTrue, yPred, k)
            : f.name === 'sparse_top_k_categorical_accuracy'
              ? metrics.sparseTopKCategoricalAccuracy(yTrue, yPred, k, sorted)
              : f.name === 'pearson_correlation'
                ? metrics.pearsonCorrelation(yTrue, yPred, axis)
                : metrics.concordanceCorrelation(yTrue, yPred, axis);
        assert.deepEqual(result.shape, f.result.shape);
        assertAllClose(result, decodeAll(f.result.values));
        result.dispose();
      });
      tf.dispose([yTrue, yPred]);
    });
  }
});

describeEachBackend('metric names compile accepts (Keras ALL_OBJECTS_DICT)', () => {
  it('class names, their snake_case and the aliases give the class, named by the string', () => {
    const cases: [string, new (options?: never) => Metric][] = [
      ['TopKCategoricalAccuracy', TopKCategoricalAccuracy],
      ['top_k_categorical_accuracy', TopKCategoricalAccuracy],
      ['sparse_top_k_categorical_accuracy', SparseTopKCategoricalAccuracy],
      ['r2_score', R2Score],
      ['root_mean_squared_error', RootMeanSquaredError],
      ['bce', BinaryCrossentropy],
      ['BCE', BinaryCrossentropy],
      ['binary_crossentropy', BinaryCrossentropy],
      ['mape', MeanAbsolutePercentageError],
      ['MSLE', MeanSquaredLogarithmicError],
      ['kl_divergence', KLDivergence],
      ['log_cosh_error', LogCoshError],
      ['cosine_similarity', CosineSimilarity],
      ['squared_hinge', SquaredHinge],
      ['pearson_correlation', PearsonCorrelation],
      ['ConcordanceCorrelation', ConcordanceCorrelation],
    ];
    for (const [name, Class] of cases) {
      const metric = metrics.toMetric(name);
      assert.ok(metric instanceof Class, name);
      assert.equal(metric.name, name);
      metric.dispose();
    }
    const topK = metrics.toMetric('top_k_categorical_accuracy') as InstanceType<typeof TopKCategoricalAccuracy>;
    assert.equal(topK.k, 5);
    topK.dispose();
  });

  it('an IoU by name needs numClasses, as in Keras (TypeError there)', () => {
    for (const name of ['io_u', 'MeanIoU', 'one_hot_mean_io_u']) {
      assert.throws(() => metrics.toMetric(name), /numClasses/, name);
    }
  });

  it("serialize and deserialize use Keras's JSON", () => {
    const original = new MeanIoU({ numClasses: 3, sparseYPred: false });
    const json = metrics.serialize(original);
    assert.deepEqual(json, {
      module: 'keras.metrics',
      class_name: 'MeanIoU',
      config: {
        num_classes: 3,
        name: 'mean_io_u',
        dtype: 'int32',
        ignore_class: null,
        sparse_y_true: true,
        sparse_y_pred: false,
        axis: -1,
      },
      registered_name: null,
    });
    const back = metrics.deserialize(json);
    assert.ok(back instanceof MeanIoU);
    assert.deepEqual(back.getConfig(), original.getConfig());
    original.dispose();
    back.dispose();
  });
});

describeEachBackend('metrics: an empty batch', () => {
  it('changes no result (Keras adds zero to every sum and count)', async () => {
    const make: [() => Metric, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor][] = [
      [
        () => new MeanIoU({ numClasses: 3 }),
        tf.tensor1d([0, 1, 2, 1], 'int32'),
        tf.tensor1d([0, 2, 2, 1], 'int32'),
        tf.zeros([0], 'int32'),
        tf.zeros([0], 'int32'),
      ],
      [
        () => new TopKCategoricalAccuracy({ k: 1 }),
        tf.tensor2d([
          [1, 0],
          [0, 1],
        ]),
        tf.tensor2d([
          [0.7, 0.3],
          [0.8, 0.2],
        ]),
        tf.zeros([0, 2]),
        tf.zeros([0, 2]),
      ],
      [
        () => new R2Score(),
        tf.tensor2d([[1], [2], [4]]),
        tf.tensor2d([[1.5], [2], [3]]),
        tf.zeros([0, 1]),
        tf.zeros([0, 1]),
      ],
      [() => new RootMeanSquaredError(), tf.tensor1d([1, 2]), tf.tensor1d([2, 2]), tf.zeros([0]), tf.zeros([0])],
      [() => new Hinge(), tf.tensor2d([[0, 1]]), tf.tensor2d([[0.3, 0.4]]), tf.zeros([0, 2]), tf.zeros([0, 2])],
      [
        () => new PearsonCorrelation(),
        tf.tensor2d([[1, 2, 4]]),
        tf.tensor2d([[1, 3, 3]]),
        tf.zeros([0, 3]),
        tf.zeros([0, 3]),
      ],
    ];
    for (const [build, yTrue, yPred, emptyTrue, emptyPred] of make) {
      const metric = build();
      metric.updateState(yTrue, yPred);
      const before = resultOf(metric);
      await assertNoLeak(() => metric.updateState(emptyTrue, emptyPred), metric.name);
      assertAllClose(resultOf(metric), before, {}, metric.name);
      metric.dispose();
      tf.dispose([yTrue, yPred, emptyTrue, emptyPred]);
    }
  });
});

describeEachBackend('metrics: bad input', () => {
  const kerasError = (name: string) => FIXTURE.errors.find((e) => e.name === name);

  it('numClasses missing or not a positive integer', () => {
    assert.equal(kerasError('IoU num_classes missing')?.type, 'TypeError');
    assert.throws(
      () => new IoU({ targetClassIds: [0] }),
      (e: Error) => e instanceof ValueError && /numClasses/.test(e.message),
    );
    assert.throws(
      () => new MeanIoU(),
      (e: Error) => e instanceof ValueError && /numClasses/.test(e.message),
    );
    assert.throws(() => new OneHotMeanIoU({ numClasses: 0 }), /numClasses/);
    assert.throws(() => new MeanIoU({ numClasses: 2.5 }), /numClasses/);
  });

  it('a target class id out of range (Keras: "Target class id 2 is out of range, which is [0, 2).")', () => {
    assert.match(kerasError('IoU target class id out of range')?.message ?? '', /Target class id 2 is out of range/);
    assert.throws(
      () => new IoU({ numClasses: 2, targetClassIds: [0, 2] }),
      (e: Error) =>
        e instanceof ValueError &&
        /targetClassIds/.test(e.message) &&
        /target class id 2 is out of range/.test(e.message),
    );
    assert.throws(() => new BinaryIoU({ targetClassIds: [2] }), /targetClassIds/);
    assert.throws(() => new IoU({ numClasses: 3, targetClassIds: [] }), /targetClassIds/);
  });

  it('a label out of range for the top-k and sparse crossentropy metrics (Keras silently counts it a miss or 0)', () => {
    const p = tf.tensor2d([
      [0.2, 0.8],
      [0.6, 0.4],
    ]);
    const bad = tf.tensor1d([0, 2], 'int32');
    const topK = new SparseTopKCategoricalAccuracy({ k: 1 });
    assert.throws(
      () => topK.updateState(bad, p),
      (e: Error) => e instanceof ValueError && /yTrue/.test(e.message) && /class id 2/.test(e.message),
    );
    const sce = new SparseCategoricalCrossentropy();
    assert.throws(() => sce.updateState(tf.tensor1d([-1, 0], 'int32'), p), /class id -1/);
    const ignoring = new SparseCategoricalCrossentropy({ ignoreClass: -1 });
    ignoring.updateState(tf.tensor1d([-1, 0], 'int32'), p); // the ignored class is allowed
    tf.dispose([p, bad]);
    for (const m of [topK, sce, ignoring]) m.dispose();
  });

  it('label shapes that do not fit', () => {
    const p = tf.tensor2d([
      [0.2, 0.8],
      [0.6, 0.4],
    ]);
    const topK = new TopKCategoricalAccuracy({ k: 1 });
    assert.throws(() => topK.updateState(tf.tensor2d([[1, 0, 0]]), p), /yTrue/);
    const sparse = new SparseTopKCategoricalAccuracy({ k: 1 });
    assert.throws(() => sparse.updateState(tf.tensor1d([0, 1, 1], 'int32'), p), /yTrue/);
    const iou = new MeanIoU({ numClasses: 2 });
    assert.throws(() => iou.updateState(tf.tensor1d([0, 1, 1], 'int32'), tf.tensor1d([0, 1], 'int32')), /yTrue/);
    const cce = new CategoricalCrossentropy();
    assert.throws(() => cce.updateState(tf.tensor1d([0, 1]), p), /yTrue/);
    const sce = new SparseCategoricalCrossentropy();
    assert.throws(() => sce.updateState(tf.tensor1d([0, 1, 0], 'int32'), p), /yTrue/);
    const r2 = new R2Score();
    assert.match(kerasError('R2Score 3D input')?.message ?? '', /R2Score expects 2D inputs/);
    assert.throws(() => r2.updateState(tf.zeros([2, 2, 2]), tf.zeros([2, 2, 2])), /R2Score expects 2D inputs/);
    r2.updateState(tf.zeros([2, 2]), tf.ones([2, 2]));
    assert.throws(() => r2.updateState(tf.zeros([2, 3]), tf.ones([2, 3])), /as at its first update/);
    tf.dispose(p);
    for (const m of [topK, sparse, iou, cce, sce, r2]) m.dispose();
  });

  it('k < 1, bad R2 options, unknown options (Keras accepts k=0 and counts nothing)', () => {
    assert.equal(kerasError('TopK k=0 (Keras accepts it: nothing is in the top 0)')?.type, null);
    for (const k of [0, -1, 1.5, '2']) {
      assert.throws(
        () => new TopKCategoricalAccuracy({ k: k as number }),
        (e: Error) => e instanceof ValueError && /argument k/.test(e.message),
      );
      assert.throws(() => new SparseTopKCategoricalAccuracy({ k: k as number }), /argument k/);
    }
    assert.match(kerasError('R2Score bad class_aggregation')?.message ?? '', /class_aggregation/);
    assert.throws(() => new R2Score({ classAggregation: 'mean' as 'uniform_average' }), /classAggregation/);
    assert.throws(() => new R2Score({ numRegressors: -1 }), /numRegressors/);
    assert.throws(() => new TopKCategoricalAccuracy({ K: 3 } as never), /Did you mean "k"\?/);
    assert.throws(() => new MeanIoU({ num_classes: 3 } as never), /Did you mean "numClasses"\?/);
    assert.throws(() => new BinaryCrossentropy({ labelSmoothing: 2 }), /labelSmoothing/);
    assert.throws(() => new CategoricalCrossentropy({ axis: 1 }), /axis/);
    assert.throws(() => new MeanIoU({ numClasses: 2, dtype: 'float16' as 'int32' }), /dtype/);
  });

  it('refused updates leave no tensors behind', async () => {
    const p = tf.tensor2d([
      [0.2, 0.8],
      [0.6, 0.4],
    ]);
    const bad = tf.tensor1d([0, 5], 'int32');
    const rank4 = tf.zeros([2, 2, 1, 1]);
    const metrics = [new SparseTopKCategoricalAccuracy({ k: 1 }), new SparseCategoricalCrossentropy(), new R2Score()];
    await assertNoLeak(() => {
      for (const m of metrics) assert.throws(() => m.updateState(bad, m instanceof R2Score ? rank4 : p));
    });
    tf.dispose([p, bad, rank4]);
    for (const m of metrics) m.dispose();
  });
});

const COMPILED = (
  JSON.parse(readFileSync(new URL('./fixtures/keras-metrics.json', import.meta.url), 'utf8')) as {
    compiled: {
      file: string;
      x: Values;
      y: Values;
      sample_weight: Values;
      evaluate_batch_size_2: Record<string, number>;
      evaluate_weighted_batch_size_2: Record<string, number>;
      compile_config: { metrics: unknown[] };
    };
  }
).compiled;
const COMPILED_MASKED = (
  JSON.parse(readFileSync(new URL('./fixtures/keras-metrics.json', import.meta.url), 'utf8')) as {
    compiled_masked: { file: string; x: Values; y: Values; evaluate_batch_size_2: Record<string, number> };
  }
).compiled_masked;

describeEachBackend('a Keras-compiled .keras with TopKCategoricalAccuracy and MeanIoU', () => {
  it("loads compiled, writes Keras's metric configs back, and evaluate gives Keras's logs", async () => {
    const model = await saving.loadModel(new URL(`./fixtures/${COMPILED.file}`, import.meta.url).pathname);
    assert.deepEqual((model.getCompileConfig() as { metrics: unknown[] }).metrics, COMPILED.compile_config.metrics);
    const x = tensor(COMPILED.x);
    const y = tensor(COMPILED.y);
    const sw = tensor(COMPILED.sample_weight);
    const check = (logs: Record<string, unknown>, expected: Record<string, number>, label: string) => {
      // Our logs add `regularization_loss` (the penalties' part of the loss: none in this model).
      const { regularization_loss: penalties, ...rest } = logs;
      assert.equal(penalties ?? 0, 0, label);
      assert.deepEqual(Object.keys(rest).sort(), Object.keys(expected).sort(), label);
      for (const [key, value] of Object.entries(expected))
        assertAllClose(logs[key] as number, value, {}, `${label} ${key}`);
    };
    check(model.evaluate(x, y, { batchSize: 2 }), COMPILED.evaluate_batch_size_2, 'evaluate');
    // Keras 3 gives compiled `metrics` no sample weight (only `weighted_metrics`): only the loss changes.
    check(
      model.evaluate(x, y, { batchSize: 2, sampleWeight: sw }),
      COMPILED.evaluate_weighted_batch_size_2,
      'weighted',
    );
    tf.dispose([x, y, sw]);
    model.dispose();
  });

  it('a Keras mask reaches the metrics as in Keras: the mean metrics leave padded steps out, IoU counts them', async () => {
    // Embedding(mask_zero) -> LSTM(return_sequences) -> Dense(softmax), evaluated over 5 rows in batches of 2;
    // the sparse crossentropy metric (a mean over unmasked steps of all batches) differs from the loss (a
    // mean of batch means), which Keras's numbers pin.
    const model = await saving.loadModel(new URL(`./fixtures/${COMPILED_MASKED.file}`, import.meta.url).pathname);
    const x = tensor(COMPILED_MASKED.x);
    const y = tensor(COMPILED_MASKED.y);
    const logs = model.evaluate(x, y, { batchSize: 2 });
    for (const [key, value] of Object.entries(COMPILED_MASKED.evaluate_batch_size_2)) {
      assertAllClose(logs[key] as number, value, {}, key);
    }
    tf.dispose([x, y]);
    model.dispose();
  });
});
