/**
 * Training Functional graphs against real Keras 3 (issue 11 item 3): each
 * model of test/fixtures/keras-functional, built from Keras's own
 * config.json and compiled from its compile_config, evaluates and takes
 * three train_on_batch steps with Keras's logs and weights; fit with a
 * validation split and batched evaluate match
 * scripts/generate_keras_functional_training_fixtures.py. Inputs and
 * targets go in as tensors, arrays or records by name; predict gives one
 * tensor per output; a symbolic tensor where data belongs is refused by
 * name; 1000 steps of a two-input, two-output graph leak nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L2, layers, models, optimizers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import './helpers/custom-regularizers.js';
import { expectValueError } from './helpers/errors.js';

interface Values {
  shape: number[];
  dtype: string;
  values: number[];
}
type Weights = (Values & { path: string })[];
type LogsRecord = Record<string, number>;
interface FunctionalCase {
  input_names: string[];
  output_names: string[];
  inputs: Record<string, Values>;
  targets: Record<string, Values>;
  predictions: Record<string, Values>;
  losses: number[];
  compile: { optimizer: Record<string, unknown> & { class_name: string } };
  evaluate: LogsRecord;
  initial_weights: Weights;
  train_on_batch: { step: number; logs: LogsRecord }[];
  weights_after_training: Weights;
}
interface TrainingCase {
  evaluate_batched?: LogsRecord;
  fit?: {
    options: { epochs: number; batch_size: number; shuffle: boolean; validation_split: number };
    history: Record<string, number[]>;
    history_keys: string[];
    weights_after: Weights;
  };
  every_call?: { evaluate: LogsRecord; train_on_batch: LogsRecord[]; weights_after_training: Weights };
}

const FOLDER = new URL('./fixtures/keras-functional/', import.meta.url);
const read = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
const CASES = read(new URL('expected.json', FOLDER)).models as Record<string, FunctionalCase>;
const TRAINING = read(new URL('./fixtures/keras-functional-training.json', import.meta.url)).models as Record<
  string,
  TrainingCase
>;

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype.startsWith('int') ? 'int32' : 'float32');
const isPenaltyKey = (key: string) => key.includes('regularization_loss');
/** The keys Keras has, in our order: ours add the penalties, after them. */
const kerasKeys = (logs: LogsRecord) => Object.keys(logs).filter((key) => !isPenaltyKey(key));

/** Keras's model, from its config.json, compiled from its compile_config, at the fixture's initial weights. */
function kerasModel(name: string): models.Model {
  const model = models.modelFromJSON(read(new URL(`${name}.config.json`, FOLDER)));
  setWeightsByPath(model, (CASES[name] as FunctionalCase).initial_weights);
  return model;
}

function setWeightsByPath(model: models.Model, weights: Weights): void {
  const byPath = new Map(weights.map((w) => [w.path, w]));
  const values = model.weightRecords().map((record) => {
    const found = byPath.get(record.path);
    assert.ok(found, `no Keras weight for ${record.path}`);
    return tf.tensor(found.values, found.shape);
  });
  model.setWeights(values);
  tf.dispose(values);
}

function assertWeights(model: models.Model, expected: Weights, label: string): void {
  const byPath = new Map(expected.map((w) => [w.path, w]));
  for (const record of model.weightRecords()) {
    const want = byPath.get(record.path);
    assert.ok(want, `${label}: no Keras weight for ${record.path}`);
    assertAllClose(record.variable, want.values, {}, `${label} ${record.path}`);
  }
}

function assertLogs(actual: LogsRecord, expected: LogsRecord, label: string): void {
  // Keras's keys, in Keras's (sorted) order, then ours: regularization_loss and each layer's share.
  assert.deepEqual(kerasKeys(actual), Object.keys(expected), `${label} keys`);
  for (const [key, value] of Object.entries(expected))
    assertAllClose(actual[key] as number, value, {}, `${label} ${key}`);
}

/** The fixture's data as Keras took it: one tensor for one input or output, else a record by name. */
function dataOf(fixture: FunctionalCase): { x: models.ModelInputs; y: models.Targets; all: tf.Tensor[] } {
  const xs = Object.fromEntries(fixture.input_names.map((n) => [n, tensorOf(fixture.inputs[n] as Values)]));
  const ys = Object.fromEntries(fixture.output_names.map((n) => [n, tensorOf(fixture.targets[n] as Values)]));
  const single = (record: Record<string, tf.Tensor>) => {
    const values = Object.values(record);
    return values.length === 1 ? (values[0] as tf.Tensor) : record;
  };
  return { x: single(xs), y: single(ys), all: [...Object.values(xs), ...Object.values(ys)] };
}

/** Keras's optimizer settings (`optimizer_spec` of the generator) as our optimizer serializes them. */
function assertOptimizer(model: models.Model, spec: FunctionalCase['compile']['optimizer'], label: string): void {
  const optimizer = model.optimizer;
  assert.ok(optimizer != null, `${label}: compiled with an optimizer`);
  const json = optimizers.serialize(optimizer) as { class_name: string; config: Record<string, unknown> };
  assert.equal(json.class_name, spec.class_name, `${label} optimizer`);
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'class_name') continue;
    if (typeof value === 'number') assertAllClose(json.config[key] as number, value, {}, `${label} ${key}`);
    else assert.equal(json.config[key], value, `${label} ${key}`);
  }
}

describeEachBackend('Functional training against real Keras', () => {
  for (const [name, fixture] of Object.entries(CASES)) {
    it(`${name}: evaluate and three trainOnBatch steps give Keras's logs and weights`, () => {
      const before = tf.memory().numTensors;
      const model = kerasModel(name);
      assertOptimizer(model, fixture.compile.optimizer, name);
      const { x, y, all } = dataOf(fixture);
      // shared_layer calls one Dense twice, so it has an activity penalty per call: Keras's
      // numbers with every call's penalty are `every_call`'s (see the test after this loop).
      const everyCall = TRAINING[name]?.every_call;
      assertLogs(model.evaluate(x, y), everyCall?.evaluate ?? fixture.evaluate, `${name} evaluate`);
      const steps = everyCall?.train_on_batch ?? fixture.train_on_batch.map((s) => s.logs);
      steps.forEach((expected, i) => {
        const logs = model.trainOnBatch(x, y);
        assertLogs(logs, expected, `${name} step ${i + 1}`);
        // The loss the optimizer minimised: the weighted output losses plus every penalty.
        const penalties = Object.entries(logs).filter(([key]) => key.startsWith('regularization_loss/'));
        assertAllClose(logs.regularization_loss as number, sum(penalties.map(([, v]) => v)), {}, 'shares');
      });
      assertWeights(model, everyCall?.weights_after_training ?? fixture.weights_after_training, name);
      model.dispose();
      tf.dispose(all);
      assert.equal(tf.memory().numTensors, before, `${name}: the model, its optimizer and the steps leave nothing`);
    });
  }

  it("shared_layer: Keras on JAX leaves out all but the last call's activity penalty; we count each call", () => {
    // Keras's JAX train_step runs model.stateless_call, which calls model.call directly: each
    // layer call is then an outermost call, and clears the losses of the layer's previous call.
    // model.losses after model(x), and the TensorFlow and PyTorch backends (y_pred = self(x)),
    // keep both calls' penalties, as we do: the difference is exactly the first call's penalty.
    const fixture = CASES.shared_layer as FunctionalCase;
    const model = kerasModel('shared_layer');
    const { x, y, all } = dataOf(fixture);
    const firstCallPenalty = fixture.losses[0] as number;
    assertAllClose(model.evaluate(x, y).loss as number, (fixture.evaluate.loss as number) + firstCallPenalty);
    const logs = model.trainOnBatch(x, y);
    const keras = (fixture.train_on_batch[0] as { logs: LogsRecord }).logs;
    assertAllClose(logs.loss as number, (keras.loss as number) + firstCallPenalty);
    model.dispose();
    tf.dispose(all);
  });

  for (const [name, training] of Object.entries(TRAINING)) {
    const { fit, evaluate_batched: evaluateBatched } = training;
    if (fit == null || evaluateBatched == null) continue;
    it(`${name}: batched evaluate, and fit with a validation split, give Keras's history and weights`, async () => {
      const fixture = CASES[name] as FunctionalCase;
      const model = kerasModel(name);
      const { x, y, all } = dataOf(fixture);
      // Batches of 4 and 2: each log is the mean over batches weighted by their sizes.
      assertLogs(model.evaluate(x, y, { batchSize: 4 }), evaluateBatched, `${name} evaluate batchSize 4`);
      const { epochs, batch_size: batchSize, shuffle, validation_split: validationSplit } = fit.options;
      const history = await model.fit(x, y, { epochs, batchSize, shuffle, validationSplit, verbose: 0 });
      assert.deepEqual(kerasKeys(history.history as unknown as LogsRecord), fit.history_keys, `${name} history keys`);
      for (const [key, values] of Object.entries(fit.history)) {
        assertAllClose(history.history[key] as number[], values, {}, `${name} history ${key}`);
      }
      assertWeights(model, fit.weights_after, `${name} after fit`);
      model.dispose();
      tf.dispose(all);
    });
  }
});

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** a (4) -> Dense(5, L1) and b (3) -> Dense(5, L2), concatenated, into a regression head and a softmax head. */
function twoInTwoOut(outputsAsRecord = false): models.Functional {
  const a = layers.Input({ shape: [4], name: 'a' });
  const b = layers.Input({ shape: [3], name: 'b' });
  const ha = new layers.Dense({ units: 5, activation: 'relu', kernelRegularizer: new L1(0.01), name: 'ha' }).apply(a);
  const hb = new layers.Dense({ units: 5, activation: 'tanh', kernelRegularizer: new L2(0.02), name: 'hb' }).apply(b);
  const h = new layers.Concatenate({ name: 'h' }).apply([ha, hb] as layers.KerasTensor[]) as layers.KerasTensor;
  const reg = new layers.Dense({ units: 2, name: 'reg' }).apply(h) as layers.KerasTensor;
  const cls = new layers.Dense({
    units: 3,
    activation: 'softmax',
    activityRegularizer: new L2(0.01),
    name: 'cls',
  }).apply(h) as layers.KerasTensor;
  const outputs = outputsAsRecord ? { score: reg, label: cls } : [reg, cls];
  return new models.Model({ inputs: [a, b], outputs, name: 'two_by_two' }) as models.Functional;
}

function twoByTwoData(n: number) {
  return {
    a: tf.randomNormal([n, 4], 0, 1, 'float32', 1),
    b: tf.randomNormal([n, 3], 0, 1, 'float32', 2),
    reg: tf.randomNormal([n, 2], 0, 1, 'float32', 3),
    cls: tf.tensor1d(
      Array.from({ length: n }, (_, i) => i % 3),
      'int32',
    ),
  };
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describeEachBackend('Functional data layouts', () => {
  it('x as an array or a record by input name, y as an array or a record by output name: the same logs', () => {
    const model = twoInTwoOut();
    model.compile({ optimizer: 'sgd', loss: ['mse', 'sparse_categorical_crossentropy'], metrics: [[], ['accuracy']] });
    const d = twoByTwoData(7);
    const asArrays = model.testOnBatch([d.a, d.b], [d.reg, d.cls]);
    assert.deepEqual(model.testOnBatch({ b: d.b, a: d.a }, { cls: d.cls, reg: d.reg }), asArrays);
    assert.deepEqual(model.evaluate({ a: d.a, b: d.b }, [d.reg, d.cls], { batchSize: 7 }), asArrays);
    // Keras's keys sorted, as Keras sorts its logs; then the penalties, in total and per layer.
    assert.deepEqual(Object.keys(asArrays), [
      'cls_accuracy',
      'cls_loss',
      'loss',
      'reg_loss',
      'regularization_loss',
      'regularization_loss/ha',
      'regularization_loss/hb',
      'regularization_loss/cls',
    ]);
    // The reported loss: both output losses (weight 1) and every penalty.
    assertAllClose(
      asArrays.loss as number,
      (asArrays.reg_loss as number) + (asArrays.cls_loss as number) + (asArrays.regularization_loss as number),
    );
    model.dispose();
    tf.dispose(Object.values(d));
  });

  it('loss weights weigh each output loss in the loss the optimizer minimises; the logs keep them unweighted', () => {
    const model = twoInTwoOut();
    model.compile({
      optimizer: new optimizers.SGD({ learningRate: 0.1 }),
      loss: { reg: 'mse', cls: 'sparse_categorical_crossentropy' },
      lossWeights: { reg: 0.25, cls: 2 },
    });
    const d = twoByTwoData(5);
    const logs = model.trainOnBatch({ a: d.a, b: d.b }, { reg: d.reg, cls: d.cls });
    const [reg, cls, penalties] = ['reg_loss', 'cls_loss', 'regularization_loss'].map((key) => logs[key] as number);
    assertAllClose(logs.loss as number, 0.25 * (reg as number) + 2 * (cls as number) + (penalties as number));
    model.dispose();
    tf.dispose(Object.values(d));
  });

  it('predict gives one tensor per output, batch by batch joined per output; a record for outputs given as one', () => {
    const model = twoInTwoOut();
    const d = twoByTwoData(10);
    const whole = model.predict([d.a, d.b], { batchSize: 32 }) as tf.Tensor[];
    const batched = model.predict({ a: d.a, b: d.b }, { batchSize: 4 }) as tf.Tensor[];
    assert.ok(Array.isArray(whole) && whole.length === 2);
    assert.deepEqual(
      batched.map((t) => t.shape),
      [
        [10, 2],
        [10, 3],
      ],
    );
    batched.forEach((t, i) => {
      assertAllClose(t, whole[i] as tf.Tensor, {}, `output ${i}`);
    });
    const asRecord = twoInTwoOut(true);
    // Keras flattens a dict of outputs by sorted key, so its layers (and weights) come in another order: copy them by layer.
    for (const layer of model.layers)
      asRecord.layers.find((l) => l.name === layer.name)?.setWeights(layer.getWeights());
    const record = asRecord.predict([d.a, d.b], { batchSize: 3 }) as Record<string, tf.Tensor>;
    assert.deepEqual(Object.keys(record), ['label', 'score']);
    assert.deepEqual(values(record.score as tf.Tensor), values(whole[0] as tf.Tensor));
    assert.deepEqual(values(record.label as tf.Tensor), values(whole[1] as tf.Tensor));
    // Outputs given as a list of one: the tensor itself, as Keras's Functional unpacks a singleton.
    // (It shares the layers of `model`, whose dispose frees them.)
    const listOfOne = new models.Model({ inputs: model.inputs, outputs: [model.outputs[0] as layers.KerasTensor] });
    const single = listOfOne.predict([d.a, d.b], { batchSize: 4 }) as tf.Tensor;
    assert.ok(single instanceof tf.Tensor);
    assert.deepEqual(values(single), values(whole[0] as tf.Tensor));
    // No samples: each output, empty, of its shape.
    const empty = model.predict([tf.zeros([0, 4]), tf.zeros([0, 3])]) as tf.Tensor[];
    assert.deepEqual(
      empty.map((t) => t.shape),
      [
        [0, 2],
        [0, 3],
      ],
    );
    tf.dispose([...whole, ...batched, ...Object.values(record), single, ...empty, ...Object.values(d)]);
    for (const m of [model, asRecord]) {
      m.clearLosses();
      m.dispose();
    }
  });

  it("predict matches Keras's predictions of the fixture models, in Keras's output order", () => {
    for (const [name, fixture] of Object.entries(CASES)) {
      const model = kerasModel(name);
      const { x, all } = dataOf(fixture);
      const result = model.predict(x, { batchSize: 4 });
      const outputs = Array.isArray(result) ? result : [result as tf.Tensor];
      fixture.output_names.forEach((output, i) => {
        const want = (fixture.predictions[output] as Values).values;
        assertAllClose(outputs[i] as tf.Tensor, want, { atol: 1e-5 }, `${name} ${output}`);
      });
      tf.dispose([...outputs, ...all]);
      model.clearLosses();
      model.dispose();
    }
  });

  it('validationData and validationSplit take several inputs and outputs', async () => {
    const model = twoInTwoOut();
    model.compile({ optimizer: 'adam', loss: ['mse', 'sparse_categorical_crossentropy'] });
    const d = twoByTwoData(8);
    const v = twoByTwoData(3);
    const history = await model.fit({ a: d.a, b: d.b }, [d.reg, d.cls], {
      epochs: 2,
      batchSize: 3,
      validationData: [
        { a: v.a, b: v.b },
        { reg: v.reg, cls: v.cls },
      ],
      verbose: 0,
    });
    const keys = Object.keys(history.history);
    for (const key of ['loss', 'reg_loss', 'cls_loss', 'val_loss', 'val_reg_loss', 'val_cls_loss']) {
      assert.ok(keys.includes(key), `history has ${key}: ${keys.join(', ')}`);
      assert.equal((history.history[key] as number[]).length, 2);
    }
    // The last epoch's val_ logs are evaluate's on the validation data after training.
    const evaluated = model.evaluate([v.a, v.b], { reg: v.reg, cls: v.cls });
    assertAllClose((history.history.val_loss as number[])[1] as number, evaluated.loss as number);
    const split = await model.fit([d.a, d.b], [d.reg, d.cls], { validationSplit: 0.25, shuffle: false, verbose: 0 });
    // The last 2 of 8 samples of each input and target hold out: evaluate them after.
    const tail = (t: tf.Tensor) => tf.slice(t, 6, 2);
    const held = [d.a, d.b, d.reg, d.cls].map(tail);
    const heldLogs = model.evaluate([held[0], held[1]] as tf.Tensor[], [held[2], held[3]] as tf.Tensor[]);
    assertAllClose((split.history.val_loss as number[])[0] as number, heldLogs.loss as number);
    model.dispose();
    tf.dispose([...held, ...Object.values(d), ...Object.values(v)]);
  });

  it('computeLoss takes targets and predictions by output name too', () => {
    const model = twoInTwoOut();
    model.compile({ optimizer: 'sgd', loss: ['mse', 'sparse_categorical_crossentropy'], lossWeights: [0.5, 1] });
    const d = twoByTwoData(4);
    const [fromArrays, fromRecords, logs] = tf.tidy(() => {
      const [reg, cls] = model.apply([d.a, d.b], { training: false }) as tf.Tensor[];
      const arrays = model.computeLoss({ y: [d.reg, d.cls], yPred: [reg as tf.Tensor, cls as tf.Tensor] });
      const records = model.computeLoss({
        y: { cls: d.cls, reg: d.reg },
        yPred: { reg: reg as tf.Tensor, cls: cls as tf.Tensor },
      });
      return [arrays.dataSync()[0], records.dataSync()[0], model.testOnBatch([d.a, d.b], [d.reg, d.cls])];
    });
    assert.equal(fromArrays, fromRecords);
    assertAllClose(fromArrays as number, logs.loss as number);
    model.dispose();
    tf.dispose(Object.values(d));
  });
});

describeEachBackend('Functional data errors', () => {
  it('a symbolic tensor where data belongs: predict, fit, evaluate and the batch methods name the argument', async () => {
    const model = twoInTwoOut();
    model.compile({ optimizer: 'sgd', loss: ['mse', 'sparse_categorical_crossentropy'] });
    const a = model.inputs[0] as layers.KerasTensor;
    const d = twoByTwoData(2);
    const message = (method: string, argument: string, layer: string) =>
      `${method}() takes real tensors; ${argument} is a symbolic tensor (KerasTensor) from layer "${layer}". Build a model with new models.Model({ inputs, outputs }) and call ${method} on data.`;
    const tensors = tf.memory().numTensors;
    expectValueError(() => model.predict(a as unknown as tf.Tensor), message('predict', 'x', 'a'));
    expectValueError(() => model.predict([d.a, model.inputs[1]] as tf.Tensor[]), message('predict', 'x[1]', 'b'));
    expectValueError(
      () => model.evaluate({ a: d.a, b: model.inputs[1] as unknown as tf.Tensor }, [d.reg, d.cls]),
      message('evaluate', 'x.b', 'b'),
    );
    const symbolicTarget = model.outputs[1] as unknown as tf.Tensor;
    expectValueError(
      () => model.trainOnBatch([d.a, d.b], [d.reg, symbolicTarget]),
      message('trainOnBatch', 'y[1]', 'cls'),
    );
    expectValueError(
      () => model.testOnBatch([d.a, d.b], { reg: d.reg, cls: symbolicTarget }),
      message('testOnBatch', 'y.cls', 'cls'),
    );
    await assert.rejects(
      () =>
        model.fit([d.a, d.b], [d.reg, d.cls], {
          validationData: [[a, d.b] as tf.Tensor[], [d.reg, d.cls]],
          verbose: 0,
        }),
      { message: message('fit', 'validationData[0][0]', 'a') },
    );
    assert.equal(tf.memory().numTensors, tensors, 'refused before anything ran');
    model.dispose();
    tf.dispose(Object.values(d));
  });

  it('inputs that do not fit the model: how many, which names, how many samples', () => {
    const model = twoInTwoOut();
    model.compile({ optimizer: 'sgd', loss: ['mse', 'sparse_categorical_crossentropy'] });
    const d = twoByTwoData(3);
    const y = [d.reg, d.cls];
    expectValueError(
      () => model.evaluate(d.a, y),
      'The model has 2 inputs ["a", "b"]: give x as an array or a record of 2 tensors. Received: x=Tensor(shape=[3, 4], dtype=float32)',
    );
    expectValueError(
      () => model.evaluate([d.a], y),
      'Expected 2 input tensors in x, one per model input ["a", "b"]. Received: x=an array of 1',
    );
    expectValueError(
      () => model.trainOnBatch({ a: d.a, c: d.b }, y),
      'Expected the keys ["a", "b"] in x, one tensor per model input. Received: keys ["a","c"]',
    );
    const short = tf.zeros([2, 3]);
    expectValueError(
      () => model.predict([d.a, short]),
      'x[0] and x[1] must have the same number of samples. Received: x[0].shape=[3, 4] and x[1].shape=[2, 3]',
    );
    expectValueError(
      () => model.evaluate({ a: d.a, b: d.b }, { reg: d.reg, cls: tf.zeros([2]) }),
      'x.a and y.cls must have the same number of samples. Received: x.a.shape=[3, 4] and y.cls.shape=[2]',
    );
    const sequential = new models.Sequential([layers.Input({ shape: [4] }), new layers.Dense({ units: 1 })]);
    expectValueError(
      () => sequential.predict({ x: d.a }),
      'x is a record, but this model has no named inputs: give a tensor. Received: x=a record with keys ["x"]',
    );
    expectValueError(
      () => sequential.predict([d.a, d.a]),
      'Expected 1 input tensor in x, one per model input. Received: x=an array of 2',
    );
    // One tensor in an array is the tensor, as Keras takes [x] for a model of one input.
    const [fromArray, fromTensor] = [sequential.predict([d.a]), sequential.predict(d.a)];
    assert.deepEqual(values(fromArray), values(fromTensor));
    tf.dispose([short, fromArray, fromTensor, ...Object.values(d)]);
    for (const m of [model, sequential]) {
      m.clearLosses();
      m.dispose();
    }
  });
});

describeEachBackend('memory over 1000 Functional training steps', () => {
  it('a two-input, two-output graph: numTensors after step 10 equals that after step 1000', () => {
    const model = twoInTwoOut();
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: 1e-3 }),
      loss: ['mse', 'sparse_categorical_crossentropy'],
      metrics: [[], ['accuracy']],
    });
    const d = twoByTwoData(8);
    const x = { a: d.a, b: d.b };
    const y = { reg: d.reg, cls: d.cls };
    for (let step = 0; step < 10; step++) model.trainOnBatch(x, y);
    const after10 = tf.memory().numTensors;
    for (let step = 10; step < 1000; step++) model.trainOnBatch(x, y);
    assert.equal(tf.memory().numTensors, after10);
    model.dispose();
    tf.dispose(Object.values(d));
  });
});
