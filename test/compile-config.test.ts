/**
 * compile() as Keras takes it (loss and metric objects, lists and records
 * per output, loss weights, the defaults) and `compile_config` as Keras
 * writes and reads it: Keras's own files load compiled and evaluate to
 * Keras's numbers, and what we write is what Keras writes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, L2, layers, losses, metrics, models, optimizers, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import './helpers/custom-regularizers.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

const FOLDER = new URL('./fixtures/keras-usage/', import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is read as data.
const EXPECTED = JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as any;

/** Keras writes `jit_compile: true` (its "auto" on jax); we never jit and write false. */
function withoutJit(config: Record<string, unknown> | null): Record<string, unknown> {
  const { jit_compile: _jit, ...rest } = config ?? {};
  return rest;
}

/** The logs' keys that Keras also reports, with our values. */
function kerasKeys(logs: Record<string, number>, keras: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(keras).map((key) => [key, logs[key] as number]));
}

function assertLogsClose(logs: Record<string, number>, keras: Record<string, number>, label: string): void {
  const ours = kerasKeys(logs, keras);
  for (const key of Object.keys(keras)) {
    assert.ok(Object.hasOwn(logs, key), `${label}: no ${key} in ${JSON.stringify(logs)}`);
    assertAllClose(ours[key] as number, keras[key] as number, { rtol: 1e-5 }, `${label}.${key}`);
  }
}

const KERAS_FILES = [
  'compiled_loss_objects',
  'compiled_mse_object',
  'compiled_loss_list_weights',
  'compiled_loss_dict_weights',
];

describeEachBackend('compile_config written by Keras', () => {
  for (const name of KERAS_FILES) {
    it(`${name}.keras loads compiled as Keras compiled it, and evaluate gives Keras's numbers`, async () => {
      const fixture = EXPECTED.models[name];
      const model = await saving.loadModel(new URL(fixture.file, FOLDER).pathname);
      assertConfigClose(withoutJit(model.getCompileConfig()), withoutJit(fixture.compile_config), name);
      assert.equal(model.getCompileConfig()?.jit_compile, false);
      const x = tf.tensor(fixture.input.values, fixture.input.shape);
      const y = tf.tensor(fixture.target.values, fixture.target.shape);
      const logs = model.evaluate(x, y, { batchSize: x.shape[0] });
      assertLogsClose(logs, fixture.evaluate, name);
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it("the loss objects are Keras's classes with Keras's configs", async () => {
    const model = await saving.loadModel(new URL('compiled_loss_objects.keras', FOLDER).pathname);
    assert.ok(model.optimizer instanceof optimizers.SGD);
    assertAllClose(model.optimizer.learningRate, 0.1);
    const config = model.getCompileConfig() as { loss: { config: Record<string, unknown> } };
    assert.deepEqual(config.loss.config, {
      name: 'sparse_categorical_crossentropy',
      reduction: 'sum_over_batch_size',
      from_logits: true,
      ignore_class: null,
    });
    // From logits: the fixture's crossentropy worked out by hand, plus the penalties.
    const fixture = EXPECTED.models.compiled_loss_objects;
    const x = tf.tensor(fixture.input.values, fixture.input.shape);
    const y = tf.tensor(fixture.target.values, fixture.target.shape);
    const logs = model.evaluate(x, y);
    assertAllClose(
      logs.loss as number,
      fixture.crossentropy_without_penalties + fixture.losses[0] + fixture.losses[1],
      { rtol: 1e-5 },
    );
    assertAllClose(logs.accuracy as number, fixture.accuracy_by_hand);
    tf.dispose([x, y]);
    model.dispose();
  });

  it("Keras's other single-output forms give Keras's numbers; a loss record works where Keras fails", async () => {
    // Every form was tried on the model, data and weights of compiled_loss_list_weights.keras.
    const fixture = EXPECTED.models.compiled_loss_list_weights;
    const model = await saving.loadModel(new URL(fixture.file, FOLDER).pathname);
    const x = tf.tensor(fixture.input.values, fixture.input.shape);
    const y = tf.tensor(fixture.target.values, fixture.target.shape);
    const forms = EXPECTED.single_output_compile_forms;
    const cases: [string, object][] = [
      ['sequential_loss_list_flat_metrics', { loss: ['mse'], lossWeights: [0.5], metrics: ['mae'] }],
      ['sequential_scalar_loss_weight', { loss: 'mse', lossWeights: 0.5, metrics: ['mae'] }],
      ['sequential_string_loss_dict_weights', { loss: 'mse', lossWeights: { out: 0.5 } }],
      ['no_loss_weights', { loss: 'mse', metrics: ['mae'] }],
    ];
    for (const [form, options] of cases) {
      assert.equal(forms[form].model, 'sequential', form);
      model.compile({ optimizer: 'sgd', ...options });
      assertLogsClose(model.evaluate(x, y), forms[form].evaluate, form);
    }
    // Keras compiles a loss record for a Sequential but fails to evaluate it ("'NoneType' object is
    // not iterable"); here the Sequential's output is named after its last layer, and the record
    // means what the list means, the numbers of Keras's Functional model with the same record.
    assert.match(forms.sequential_loss_dict_weights.evaluate_error, /^TypeError/);
    assert.deepEqual(model.outputNames, ['out']);
    model.compile({ optimizer: 'sgd', loss: { out: 'mse' }, lossWeights: { out: 0.5 }, metrics: { out: ['mae'] } });
    assertLogsClose(model.evaluate(x, y), forms.compiled_loss_dict_weights.evaluate, 'records');
    const config = model.getCompileConfig() as Record<string, unknown>;
    assert.deepEqual(
      { loss: config.loss, loss_weights: config.loss_weights, metrics: config.metrics },
      { loss: { out: 'mse' }, loss_weights: { out: 0.5 }, metrics: { out: ['mae'] } },
    );
    tf.dispose([x, y]);
    model.dispose();
  });

  it("model.to_json()'s text builds a compiled model (Keras writes compile_config there too)", () => {
    const text = readFileSync(new URL('to_json.json', FOLDER), 'utf8');
    assert.equal(EXPECTED.to_json.to_json_has_compile_config, true);
    const model = models.modelFromJSON(text);
    assert.ok(model.optimizer instanceof optimizers.Adam);
    assertAllClose(model.optimizer.learningRate, 0.01);
    const written = JSON.parse(text).compile_config;
    assertConfigClose(withoutJit(model.getCompileConfig()), withoutJit(written), 'to_json');
    model.dispose();
  });
});

/** A Dense(3) on 2 inputs with fixed weights and an L2(0.01) kernel penalty, as in the Keras script below. */
function fixedModel(activation: 'linear' | 'sigmoid' = 'linear'): models.Sequential {
  const model = new models.Sequential([
    layers.Input({ shape: [2] }),
    new layers.Dense({ units: 3, activation, name: 'out', kernelRegularizer: new L2(0.01) }),
  ]);
  model.setWeights([
    tf.tensor([
      [0.5, -0.25, 0.75],
      [-1.0, 0.5, 0.25],
    ]),
    tf.tensor([0.1, -0.2, 0.05]),
  ]);
  return model;
}

const X = [
  [1, 2],
  [0.5, -1],
  [-1.5, 0.25],
  [2, 0],
];
const ONE_HOT = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [0, 1, 0],
];
const BINARY = [
  [1, 0, 1],
  [0, 0, 1],
  [1, 1, 0],
  [0, 1, 0],
];

/**
 * Real Keras 3.15.1 (jax): the model above, `model.compile(optimizer=SGD(0.1), **kwargs)`,
 * `model.evaluate(x, y, batch_size=4, return_dict=True)` and `model.get_compile_config()`.
 */
const KERAS_CASES = [
  {
    name: 'CategoricalCrossentropy(from_logits=True, label_smoothing=0.2), [CategoricalAccuracy(), "accuracy"]',
    activation: 'linear' as const,
    y: ONE_HOT,
    compile: () => ({
      loss: new losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
      metrics: [new metrics.CategoricalAccuracy(), 'accuracy'],
    }),
    evaluate: { accuracy: 0.0, categorical_accuracy: 0.0, loss: 2.3572793006896973 } as Record<string, number>,
    config: {
      loss: {
        module: 'keras.losses',
        class_name: 'CategoricalCrossentropy',
        config: {
          name: 'categorical_crossentropy',
          reduction: 'sum_over_batch_size',
          from_logits: true,
          label_smoothing: 0.2,
          axis: -1,
        },
        registered_name: null,
      },
      loss_weights: null,
      metrics: [
        {
          module: 'keras.metrics',
          class_name: 'CategoricalAccuracy',
          config: { name: 'categorical_accuracy', dtype: 'float32' },
          registered_name: null,
        },
        'accuracy',
      ],
    },
  },
  {
    name: 'sigmoid, BinaryCrossentropy(label_smoothing=0.1), [BinaryAccuracy(threshold=0.3), Accuracy()]',
    activation: 'sigmoid' as const,
    y: BINARY,
    compile: () => ({
      loss: new losses.BinaryCrossentropy({ labelSmoothing: 0.1 }),
      metrics: [new metrics.BinaryAccuracy({ threshold: 0.3 }), new metrics.Accuracy()],
    }),
    evaluate: { accuracy: 0.0, binary_accuracy: 0.4166666865348816, loss: 0.9853635430335999 } as Record<
      string,
      number
    >,
    config: {
      loss: {
        module: 'keras.losses',
        class_name: 'BinaryCrossentropy',
        config: {
          name: 'binary_crossentropy',
          reduction: 'sum_over_batch_size',
          from_logits: false,
          label_smoothing: 0.1,
          axis: -1,
        },
        registered_name: null,
      },
      loss_weights: null,
      metrics: [
        {
          module: 'keras.metrics',
          class_name: 'BinaryAccuracy',
          config: { name: 'binary_accuracy', dtype: 'float32', threshold: 0.3 },
          registered_name: null,
        },
        {
          module: 'keras.metrics',
          class_name: 'Accuracy',
          config: { name: 'accuracy', dtype: 'float32' },
          registered_name: null,
        },
      ],
    },
  },
  {
    name: 'BinaryCrossentropy(from_logits=True), [BinaryAccuracy()]',
    activation: 'linear' as const,
    y: BINARY,
    compile: () => ({
      loss: new losses.BinaryCrossentropy({ fromLogits: true }),
      metrics: [new metrics.BinaryAccuracy()],
    }),
    evaluate: { binary_accuracy: 0.25, loss: 1.0017696619033813 } as Record<string, number>,
    config: {
      loss: {
        module: 'keras.losses',
        class_name: 'BinaryCrossentropy',
        config: {
          name: 'binary_crossentropy',
          reduction: 'sum_over_batch_size',
          from_logits: true,
          label_smoothing: 0,
          axis: -1,
        },
        registered_name: null,
      },
      loss_weights: null,
      metrics: [
        {
          module: 'keras.metrics',
          class_name: 'BinaryAccuracy',
          config: { name: 'binary_accuracy', dtype: 'float32', threshold: 0.5 },
          registered_name: null,
        },
      ],
    },
  },
  {
    name: 'MeanSquaredError(reduction="sum"), loss_weights=0.5, [MeanSquaredError(name="my_mse"), MeanAbsoluteError()]',
    activation: 'linear' as const,
    y: ONE_HOT,
    compile: () => ({
      loss: new losses.MeanSquaredError({ reduction: 'sum' }),
      lossWeights: 0.5,
      metrics: [new metrics.MeanSquaredError({ name: 'my_mse' }), new metrics.MeanAbsoluteError()],
    }),
    evaluate: { loss: 4.086692810058594, mean_absolute_error: 1.2635418176651, my_mse: 2.0324089527130127 } as Record<
      string,
      number
    >,
    config: {
      loss: {
        module: 'keras.losses',
        class_name: 'MeanSquaredError',
        config: { name: 'mean_squared_error', reduction: 'sum' },
        registered_name: null,
      },
      loss_weights: 0.5,
      metrics: [
        {
          module: 'keras.metrics',
          class_name: 'MeanSquaredError',
          config: { name: 'my_mse', dtype: 'float32' },
          registered_name: null,
        },
        {
          module: 'keras.metrics',
          class_name: 'MeanAbsoluteError',
          config: { name: 'mean_absolute_error', dtype: 'float32' },
          registered_name: null,
        },
      ],
    },
  },
];

describeEachBackend('compile() with loss and metric objects', () => {
  for (const c of KERAS_CASES) {
    it(`${c.name}: Keras's logs and compile_config, and again after a save and load`, async () => {
      const model = fixedModel(c.activation);
      model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), ...c.compile() });
      const x = tf.tensor(X);
      const y = tf.tensor(c.y);
      assertLogsClose(model.evaluate(x, y), c.evaluate, c.name);
      const config = model.getCompileConfig() as Record<string, unknown>;
      assert.deepEqual(
        { loss: config.loss, loss_weights: config.loss_weights, metrics: config.metrics },
        c.config,
        'compile_config',
      );
      const loaded = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
      assert.deepEqual(loaded.getCompileConfig(), model.getCompileConfig());
      assertLogsClose(loaded.evaluate(x, y), c.evaluate, `${c.name} after load`);
      tf.dispose([x, y]);
      model.dispose();
      loaded.dispose();
    });
  }
});

describe('compile() defaults and forms', () => {
  it("compile() with no arguments uses Keras's default optimizer, rmsprop, and no loss", () => {
    const model = fixedModel();
    model.compile();
    assert.ok(model.optimizer instanceof optimizers.RMSprop);
    const config = model.getCompileConfig() as Record<string, unknown>;
    assert.equal((config.optimizer as { class_name: string }).class_name, 'RMSprop');
    assert.equal(config.loss, null);
    assert.equal(config.metrics, null);
    model.dispose();
  });

  it('metrics: [] is written as [], as Keras writes it; none given is null', () => {
    const model = fixedModel();
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [] });
    assert.deepEqual(model.getCompileConfig()?.metrics, []);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    assert.equal(model.getCompileConfig()?.metrics, null);
    model.dispose();
  });

  it('a Keras built-in function reference in compile_config loads as that loss or metric', () => {
    const model = fixedModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const json = model.toJSON();
    json.compile_config = {
      ...json.compile_config,
      // What Keras writes for compile(loss=keras.losses.mean_squared_error, metrics=[keras.metrics.mean_absolute_error]).
      loss: { module: 'builtins', class_name: 'function', config: 'mean_squared_error', registered_name: 'function' },
      metrics: [
        { module: 'builtins', class_name: 'function', config: 'mean_absolute_error', registered_name: 'function' },
      ],
    };
    const loaded = models.modelFromJSON(json);
    loaded.setWeights(model.weights);
    const x = tf.tensor(X);
    const y = tf.tensor(ONE_HOT);
    const logs = loaded.evaluate(x, y);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const expected = model.evaluate(x, y);
    assertAllClose(logs.loss as number, expected.loss as number);
    assertAllClose(logs.mean_absolute_error as number, expected.mae as number);
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  });

  it('a compile_config without an optimizer gets rmsprop; with optimizer null, evaluate works and fit refuses', async () => {
    const model = fixedModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const json = model.toJSON();
    const { optimizer: _optimizer, ...withoutOptimizer } = json.compile_config as Record<string, unknown>;
    const rmsprop = models.modelFromJSON({ ...json, compile_config: withoutOptimizer });
    assert.ok(rmsprop.optimizer instanceof optimizers.RMSprop);
    const none = models.modelFromJSON({ ...json, compile_config: { ...withoutOptimizer, optimizer: null } });
    none.setWeights(model.weights);
    assert.equal(none.optimizer, null);
    assert.equal(none.getCompileConfig()?.optimizer, null);
    const x = tf.tensor(X);
    const y = tf.tensor(ONE_HOT);
    assertAllClose(none.evaluate(x, y).loss as number, model.evaluate(x, y).loss as number);
    await assert.rejects(
      () => none.fit(x, y, { verbose: 0 }),
      (error: Error) =>
        error.message ===
        'fit() needs an optimizer, but the model was compiled with optimizer null. Call compile() with an optimizer.',
    );
    tf.dispose([x, y]);
    for (const m of [model, rmsprop, none]) m.dispose();
  });

  it('what a compile_config asks that we cannot honour is an error naming the field; { compile: false } loads anyway', () => {
    const model = fixedModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const json = model.toJSON();
    const withConfig = (changes: Record<string, unknown>) => ({
      ...json,
      compile_config: { ...json.compile_config, ...changes },
    });
    const cases: [Record<string, unknown>, string][] = [
      [
        { weighted_metrics: ['f1'] },
        'compile_config: Could not interpret metric identifier: "f1". Expected one of accuracy, acc, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, mean_squared_error, mse, MSE, mean_absolute_error, mae, MAE, mean_absolute_percentage_error, mape, MAPE, mean_squared_logarithmic_error, msle, MSLE, cosine_similarity, huber, log_cosh, kl_divergence, kld, KLD, poisson, hinge, squared_hinge, categorical_hinge, binary_crossentropy, bce, BCE, binary_focal_crossentropy, categorical_crossentropy, categorical_focal_crossentropy, sparse_categorical_crossentropy, dice, tversky, circle, ctc, a class name (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, MeanSquaredError, MeanAbsoluteError, Mean, Sum, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU, R2Score, RootMeanSquaredError, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson, CosineSimilarity, LogCoshError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Hinge, SquaredHinge, CategoricalHinge, PearsonCorrelation, ConcordanceCorrelation, AUC, Precision, Recall, PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity, TruePositives, TrueNegatives, FalsePositives, FalseNegatives, F1Score, FBetaScore) or its Keras alias, a Metric object or a function.',
      ],
      [
        { loss: { module: 'keras.losses', class_name: 'MyLoss', config: {}, registered_name: null } },
        'compile_config.loss: Cannot deserialize loss of class_name "MyLoss": it is not a built-in, registered or custom object. Expected one of the built-in losss (MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, Huber, LogCosh, KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge, BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy, CategoricalFocalCrossentropy, SparseCategoricalCrossentropy, CategoricalGeneralizedCrossEntropy, Dice, Tversky, Circle, CTC), a registered class or a key of customObjects.',
      ],
      [
        { loss: 'hinge_loss' },
        'compile_config: Could not interpret loss identifier: "hinge_loss". Expected one of mean_squared_error, mse, MSE, mean_absolute_error, mae, MAE, mean_absolute_percentage_error, mape, MAPE, mean_squared_logarithmic_error, msle, MSLE, cosine_similarity, huber, log_cosh, kl_divergence, kld, KLD, poisson, hinge, squared_hinge, categorical_hinge, binary_crossentropy, bce, BCE, binary_focal_crossentropy, categorical_crossentropy, categorical_focal_crossentropy, sparse_categorical_crossentropy, dice, tversky, circle, ctc, a class name (MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, Huber, LogCosh, KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge, BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy, CategoricalFocalCrossentropy, SparseCategoricalCrossentropy, Dice, Tversky, Circle, CTC), a Loss object or a function.',
      ],
      [
        { steps_per_execution: 0 },
        'Unsupported compile_config.steps_per_execution: expected a positive integer. Received: steps_per_execution=0',
      ],
      [
        { sample_weight_mode: 'temporal' },
        'Unknown field "sample_weight_mode" in compile_config. Expected: optimizer, loss, loss_weights, metrics, weighted_metrics, run_eagerly, steps_per_execution, jit_compile, auto_scale_loss.',
      ],
      [
        { loss: { out: 'mse', other: 'mae' } },
        'compile_config: Unknown output name "other" in loss: the model\'s outputs are ["out"]. Received: loss={"out":"mse","other":"mae"}',
      ],
    ];
    for (const [changes, message] of cases) {
      expectValueError(() => models.modelFromJSON(withConfig(changes)), message);
      const uncompiled = models.modelFromJSON(withConfig(changes), { compile: false });
      assert.equal(uncompiled.optimizer, null);
      uncompiled.dispose();
    }
    assert.throws(
      () =>
        models.modelFromJSON(
          withConfig({
            loss: {
              module: 'keras.losses',
              class_name: 'MeanSquaredError',
              config: { nme: 'x' },
              registered_name: null,
            },
          }),
        ),
      (error: Error) =>
        error instanceof KerasTypeError &&
        error.message ===
          'compile_config.loss: MeanSquaredError got an unexpected option "nme". Expected: name, reduction, dtype. Received: {"nme":"x"}. Did you mean "name"?',
    );
    model.dispose();
  });

  it('per-output forms are checked against the output names', () => {
    const model = fixedModel();
    expectValueError(
      () => model.compile({ loss: ['mse', 'mae'] }),
      'Expected 1 losses in loss, one per model output ["out"]. Received: loss=["mse","mae"]',
    );
    expectValueError(
      () => model.compile({ loss: 'mse', lossWeights: [1, 2] }),
      'Expected 1 weights in lossWeights, one per model output ["out"]. Received: lossWeights=[1,2]',
    );
    expectValueError(
      () => model.compile({ loss: 'mse', lossWeights: 'a' as never }),
      'Expected `lossWeights` to be a number (single output case) or an array or a record by output name (multiple output case). Received instead: lossWeights="a"',
    );
    expectValueError(
      () => model.compile({ loss: 'mse', metrics: { nope: ['mae'] } }),
      'Unknown output name "nope" in metrics: the model\'s outputs are ["out"]. Received: metrics={"nope":["mae"]}',
    );
    expectValueError(
      () => model.compile({ loss: {} }),
      'Expected keys ["out"] in the loss record, one per model output, but found []. Give null for an output without a loss.',
    );
    assert.equal(model.optimizer, null, 'a refused compile changes nothing');
    model.dispose();
  });

  it('loss classes: configs, option checks, and values worked out by hand', async () => {
    await assertNoLeak(() => {
      const yTrue = tf.tensor([
        [1, 0],
        [0, 1],
      ]);
      const yPred = tf.tensor([
        [0.8, 0.2],
        [0.4, 0.6],
      ]);
      const value = (t: tf.Scalar) => {
        const v = t.dataSync()[0] as number;
        t.dispose();
        return v;
      };
      // Label smoothing 0.2 over 2 classes: targets 0.9 / 0.1.
      const smoothed = -(0.9 * Math.log(0.8) + 0.1 * Math.log(0.2) + 0.1 * Math.log(0.4) + 0.9 * Math.log(0.6)) / 2;
      assertAllClose(value(new losses.CategoricalCrossentropy({ labelSmoothing: 0.2 }).apply(yTrue, yPred)), smoothed);
      // reduction "sum": the per-sample losses added up.
      assertAllClose(
        value(new losses.MeanAbsoluteError({ reduction: 'sum' }).apply(yTrue, yPred)),
        (0.2 + 0.2) / 2 + (0.4 + 0.4) / 2,
      );
      // Labels of shape [batch] against predictions [batch, 1] are expanded, as in Keras.
      const [labels, column] = [tf.tensor([1, 0]), tf.tensor([[0.5], [0.25]])];
      assertAllClose(value(new losses.MeanSquaredError().apply(labels, column)), (0.25 + 0.0625) / 2);
      tf.dispose([yTrue, yPred, labels, column]);
    });
    assert.deepEqual(losses.serialize(new losses.SparseCategoricalCrossentropy({ fromLogits: true })), {
      module: 'keras.losses',
      class_name: 'SparseCategoricalCrossentropy',
      config: {
        name: 'sparse_categorical_crossentropy',
        reduction: 'sum_over_batch_size',
        from_logits: true,
        ignore_class: null,
      },
      registered_name: null,
    });
    expectValueError(
      () => new losses.MeanSquaredError({ reduction: 'avg' as 'sum' }),
      'Invalid value for argument reduction: expected one of "sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", null. Received: reduction="avg"',
    );
    expectValueError(
      () => new losses.SparseCategoricalCrossentropy({ ignoreClass: 0.5 }),
      'Invalid value for argument ignoreClass: expected an integer or null. Received: ignoreClass=0.5',
    );
    expectValueError(
      () => new losses.CategoricalCrossentropy({ axis: 1.5 }),
      'Invalid value for argument axis: expected an integer. Received: axis=1.5',
    );
    assert.throws(
      () => new losses.BinaryCrossentropy({ from_logits: true } as never),
      (error: Error) =>
        error instanceof KerasTypeError &&
        error.message ===
          'BinaryCrossentropy got an unexpected option "from_logits". Expected: name, reduction, dtype, fromLogits, labelSmoothing, axis. Received: {"from_logits":true}. Did you mean "fromLogits"?',
    );
  });
});

describeEachBackend('compile() per output of a model with two outputs', () => {
  it("records of losses, weights and metrics by output name give Keras's logs and compile_config", () => {
    const input = layers.Input({ shape: [3] });
    const hidden = new layers.Dense({ units: 4, activation: 'relu', name: 'h', kernelRegularizer: new L2(0.01) });
    const h = hidden.apply(input as never);
    const a = new layers.Dense({ units: 2, name: 'a' }).apply(h as never);
    const b = new layers.Dense({ units: 3, name: 'b' }).apply(h as never);
    const model = new models.Model({ inputs: input as never, outputs: [a, b] as never });
    assert.deepEqual(model.outputNames, ['a', 'b']);
    // np.linspace(-1, 1, size) for each weight, in Keras's order h, a, b (kernel, bias).
    const values = model.weights.map((w) =>
      tf.tensor(
        Array.from({ length: w.size }, (_, i) => -1 + (2 * i) / (w.size - 1)),
        w.shape,
      ),
    );
    model.setWeights(values);
    tf.dispose(values);
    model.compile({
      optimizer: new optimizers.SGD({ learningRate: 0.1 }),
      loss: { a: 'mse', b: new losses.SparseCategoricalCrossentropy({ fromLogits: true }) },
      lossWeights: { a: 1, b: 0.5 },
      metrics: { b: ['accuracy'], a: [new metrics.MeanAbsoluteError()] },
    });
    const x = tf.tensor([
      [1, 2, 3],
      [-1, 0.5, 2],
      [0, 1, -1],
      [2, -2, 1],
    ]);
    const ya = tf.tensor([
      [1, 0],
      [0, 1],
      [0.5, 0.5],
      [-1, 1],
    ]);
    const yb = tf.tensor([0, 2, 1, 2]);
    // Real Keras 3.15.1 (jax): keras.Model(x, [a, b]), the same compile, evaluate(x, [ya, yb]).
    const keras = {
      a_loss: 6.939146041870117,
      a_mean_absolute_error: 1.79978346824646,
      b_accuracy: 0.5,
      b_loss: 1.6337662935256958,
      loss: 7.803301811218262,
    };
    assertLogsClose(model.evaluate(x, [ya, yb]), keras, 'array targets');
    assertLogsClose(model.evaluate(x, { a: ya, b: yb }), keras, 'record targets');
    const config = model.getCompileConfig() as Record<string, unknown>;
    assert.deepEqual(
      { loss: config.loss, loss_weights: config.loss_weights, metrics: config.metrics },
      {
        loss: {
          a: 'mse',
          b: {
            module: 'keras.losses',
            class_name: 'SparseCategoricalCrossentropy',
            config: {
              name: 'sparse_categorical_crossentropy',
              reduction: 'sum_over_batch_size',
              from_logits: true,
              ignore_class: null,
            },
            registered_name: null,
          },
        },
        loss_weights: { a: 1, b: 0.5 },
        metrics: {
          b: ['accuracy'],
          a: [
            {
              module: 'keras.metrics',
              class_name: 'MeanAbsoluteError',
              config: { name: 'mean_absolute_error', dtype: 'float32' },
              registered_name: null,
            },
          ],
        },
      },
    );
    expectValueError(
      () => model.evaluate(x, ya),
      'The model has 2 outputs ["a", "b"]: give y as an array or a record of 2 target tensors. Received: y=Tensor(shape=[4, 2], dtype=float32)',
    );
    tf.dispose([x, ya, yb]);
    model.dispose();
  });
});
