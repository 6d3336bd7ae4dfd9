/**
 * Careless input to training (issues 10 and 16): each mistake is the
 * library's error with a pinned text, raised before the first step, so
 * the weights, the optimizer and the tensor count are as before the call.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { callbacks, KerasTypeError, L2, layers, models, optimizers, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';

/** Input(3) -> Dense(4, relu, L2) -> Dense(units), fixed weights. */
function smallModel(units = 3, name = 'small'): models.Sequential {
  const model = new models.Sequential(
    [
      layers.Input({ shape: [3] }),
      new layers.Dense({ units: 4, activation: 'relu', kernelRegularizer: new L2(0.01), name: 'hidden' }),
      new layers.Dense({ units, name: 'out' }),
    ],
    { name },
  );
  const values = model.weights.map((w, i) => tf.fill(w.shape, 0.1 * (i + 1)));
  model.setWeights(values);
  tf.dispose(values);
  return model;
}

const X = () =>
  tf.tensor([
    [1, 2, 3],
    [-1, 0.5, 2],
    [0, 1, -1],
    [2, -2, 1],
  ]);

const weightsOf = (model: models.Model) => model.weights.map((w) => Array.from(w.dataSync()));

/** Asserts `body` rejects with the library's `errorClass` and exactly `message`. */
async function rejectsWith(
  body: () => Promise<unknown>,
  errorClass: typeof ValueError | typeof KerasTypeError,
  message: string,
): Promise<void> {
  await assert.rejects(body, (error: Error) => {
    assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${error.name}: ${error.message}`);
    assert.equal(error.message, message);
    return true;
  });
}

function throwsTypeError(body: () => unknown, message: string): void {
  assert.throws(body, (error: Error) => {
    assert.ok(error instanceof KerasTypeError, `expected KerasTypeError, got ${error.name}: ${error.message}`);
    assert.equal(error.message, message);
    return true;
  });
}

/**
 * Runs `body` (a refused call) and asserts that it changed nothing: same
 * weights, optimizer iterations and number of tensors.
 */
async function unchanged(model: models.Model, body: () => Promise<void> | void): Promise<void> {
  const weights = weightsOf(model);
  const iterations = model.optimizer?.iterations;
  const tensors = tf.memory().numTensors;
  await body();
  assert.deepEqual(weightsOf(model), weights, 'weights changed');
  assert.equal(model.optimizer?.iterations, iterations, 'an optimizer step was taken');
  assert.equal(tf.memory().numTensors, tensors, 'tensors leaked');
}

describe('options objects are as strict as layer constructors', () => {
  it('an unknown key is a TypeError naming it and the spelling meant', async () => {
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [X(), tf.ones([4, 3])];
    const fitKeys =
      'epochs, batchSize, shuffle, validationData, validationSplit, callbacks, verbose, initialEpoch, sampleWeight, classWeight, stepsPerEpoch, validationSteps, validationBatchSize, allowNonFinite';
    await unchanged(model, async () => {
      await rejectsWith(
        () => model.fit(x, y, { validation_split: 0.2 } as never),
        KerasTypeError,
        `fit() got an unexpected option "validation_split". Expected: ${fitKeys}. Received: {"validation_split":0.2}. Did you mean "validationSplit"?`,
      );
      await rejectsWith(
        () => model.fit(x, y, { epoch: 5 } as never),
        KerasTypeError,
        `fit() got an unexpected option "epoch". Expected: ${fitKeys}. Received: {"epoch":5}. Did you mean "epochs"?`,
      );
      await rejectsWith(
        () => model.fit(x, y, { steps_per_epoch: 5 } as never),
        KerasTypeError,
        `fit() got an unexpected option "steps_per_epoch". Expected: ${fitKeys}. Received: {"steps_per_epoch":5}. Did you mean "stepsPerEpoch"?`,
      );
      throwsTypeError(
        () => model.evaluate(x, y, { batch_size: 2 } as never),
        'evaluate() got an unexpected option "batch_size". Expected: batchSize, sampleWeight, steps, allowNonFinite. Received: {"batch_size":2}. Did you mean "batchSize"?',
      );
      throwsTypeError(
        () => model.predict(x, { batchsize: 2 } as never),
        'predict() got an unexpected option "batchsize". Expected: batchSize, steps. Received: {"batchsize":2}. Did you mean "batchSize"?',
      );
    });
    throwsTypeError(
      () => model.compile({ optimizer: 'sgd', loss: 'mse', metric: ['accuracy'] } as never),
      'compile() got an unexpected option "metric". Expected: optimizer, loss, lossWeights, metrics, weightedMetrics. Received: {"optimizer":"sgd","loss":"mse","metric":["accuracy"]}. Did you mean "metrics"?',
    );
    throwsTypeError(
      () => model.compile({ optimizer: 'sgd', loss: 'mse', loss_weights: [1] } as never),
      'compile() got an unexpected option "loss_weights". Expected: optimizer, loss, lossWeights, metrics, weightedMetrics. Received: {"optimizer":"sgd","loss":"mse","loss_weights":[1]}. Did you mean "lossWeights"?',
    );
    throwsTypeError(
      () => new optimizers.SGD({ learning_rate: 0.1 } as never),
      'SGD got an unexpected option "learning_rate". Expected: learningRate, momentum, nesterov, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency, lossScaleFactor, gradientAccumulationSteps, name. Received: {"learning_rate":0.1}. Did you mean "learningRate"?',
    );
    throwsTypeError(
      () => new optimizers.AdamW({ beta_1: 0.8 } as never),
      'AdamW got an unexpected option "beta_1". Expected: learningRate, weightDecay, beta1, beta2, epsilon, amsgrad, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency, lossScaleFactor, gradientAccumulationSteps, name. Received: {"beta_1":0.8}. Did you mean "beta1"?',
    );
    throwsTypeError(
      () => new callbacks.TerminateOnNaN({ raise_error: true } as never),
      'TerminateOnNaN got an unexpected option "raise_error". Expected: raiseError, print. Received: {"raise_error":true}. Did you mean "raiseError"?',
    );
    const l2 = new L2(0.1);
    throwsTypeError(
      () =>
        new callbacks.RegularizerSchedule({ regularizer: l2, factor: 'l2', schedule: () => 1, shedule: 1 } as never),
      'RegularizerSchedule got an unexpected option "shedule". Expected: regularizer, factor, schedule. Received: {"regularizer":{},"factor":"l2","shedule":1}. Did you mean "schedule"?',
    );
    tf.dispose([x, y]);
    model.dispose();
  });

  it('learningRate null is refused, in the constructor and in Keras JSON', () => {
    expectValueError(
      () => new optimizers.SGD({ learningRate: null as never }),
      'Invalid value for argument learningRate: expected a non-negative number. Received: learningRate=null',
    );
    expectValueError(
      () => new optimizers.Adam({ beta1: null as never }),
      'Invalid value for argument beta1: expected a number in [0, 1). Received: beta1=null',
    );
    // Keras: "Argument `weight_decay` must be a float. Received: weight_decay=None".
    expectValueError(
      () => new optimizers.AdamW({ weightDecay: null }),
      'Invalid value for argument weightDecay: expected a non-negative number. Received: weightDecay=null',
    );
    expectValueError(
      () => optimizers.deserialize({ class_name: 'SGD', config: { name: 'sgd', learning_rate: null } }),
      'Invalid value for argument learning_rate in the SGD config: expected a number. Received: learning_rate=null',
    );
    // weight_decay null is Keras's "off".
    assert.equal(optimizers.deserialize({ class_name: 'SGD', config: { weight_decay: null } }).weightDecay, null);
  });
});

describe('a disposed model refuses to come back', () => {
  it('predict, fit, evaluate, the batch methods and compile throw, naming the model', async () => {
    const model = smallModel(3, 'gone');
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [X(), tf.ones([4, 3])];
    model.dispose();
    const message = (method: string) =>
      `Model "gone" was disposed; ${method}() needs its weights. Build or load the model again.`;
    const tensors = tf.memory().numTensors;
    expectValueError(() => model.predict(x), message('predict'));
    expectValueError(() => model.evaluate(x, y), message('evaluate'));
    expectValueError(() => model.trainOnBatch(x, y), message('trainOnBatch'));
    expectValueError(() => model.testOnBatch(x, y), message('testOnBatch'));
    expectValueError(() => model.compile({ optimizer: 'sgd', loss: 'mse' }), message('compile'));
    await rejectsWith(() => model.fit(x, y, { verbose: 0 }), ValueError, message('fit'));
    assert.equal(tf.memory().numTensors, tensors, 'no weights were made again');
    tf.dispose([x, y]);
  });

  it('its weights, losses, summary, JSON and layers refuse too, instead of answering empty', () => {
    const model = smallModel(3, 'emptied');
    // getLayer's type parameter: a Dense's own fields without a cast.
    const hidden = model.getLayer<layers.Dense>('hidden');
    assert.equal(hidden.units, 4);
    model.dispose();
    const message = (method: string, kind = 'Model', name = 'emptied') =>
      `${kind} "${name}" was disposed; ${method}() needs its weights. Build or load the ${kind.toLowerCase()} again.`;
    const tensors = tf.memory().numTensors;
    expectValueError(() => model.getWeights(), message('getWeights'));
    expectValueError(() => model.weights, message('getWeights'));
    expectValueError(() => model.trainableWeights, message('getWeights'));
    expectValueError(() => model.losses, message('getWeights'));
    expectValueError(() => model.countParams(), message('countParams'));
    expectValueError(() => model.setWeights([]), message('getWeights'));
    expectValueError(() => model.summary(() => {}), message('summary'));
    expectValueError(() => model.toJSON(), message('toJSON'));
    expectValueError(() => hidden.getWeights(), message('getWeights', 'Layer', 'hidden'));
    const x = X();
    expectValueError(() => hidden.apply(x), message('apply', 'Layer', 'hidden'));
    x.dispose();
    model.dispose(); // a second dispose is harmless
    assert.equal(tf.memory().numTensors, tensors);
  });

  it('a fit whose model a callback disposes stops with that error, leaving no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const [x, y] = [X(), tf.ones([4, 3])];
    const model = smallModel(3, 'dropped');
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const batches: number[] = [];
    const disposer = new (class extends callbacks.Callback {
      override onBatchEnd(batch: number): void {
        batches.push(batch);
        if (batch === 1) this.model?.dispose();
      }
    })();
    await rejectsWith(
      () => model.fit(x, y, { epochs: 3, batchSize: 1, verbose: 0, callbacks: [disposer] }),
      ValueError,
      'Model "dropped" was disposed; fit() needs its weights. Build or load the model again.',
    );
    assert.deepEqual(batches, [0, 1]);
    tf.dispose([x, y]);
    assert.equal(tf.memory().numTensors, before);
  });
});

describeEachBackend('compile() replacing an optimizer', () => {
  it('frees the slots of the optimizer it replaces; the same optimizer again keeps them', () => {
    const model = smallModel();
    const [x, y] = [X(), tf.ones([4, 3])];
    const adam = new optimizers.Adam();
    model.compile({ optimizer: adam, loss: 'mse' });
    model.trainOnBatch(x, y);
    const trained = tf.memory().numTensors;
    // The same object again: its moments stay.
    model.compile({ optimizer: adam, loss: 'mse' });
    assert.equal(tf.memory().numTensors, trained);
    assert.equal(adam.iterations, 1);
    for (let i = 0; i < 5; i++) {
      model.compile({ optimizer: 'adam', loss: 'mse' });
      model.trainOnBatch(x, y);
      assert.equal(tf.memory().numTensors, trained, `recompile ${i}`);
    }
    // Two moments for each of 4 weights, and Keras's `iteration` and `learning_rate`, go with the last Adam.
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    assert.equal(tf.memory().numTensors, trained - 10);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describeEachBackend('bad training data', () => {
  it('NaN or an infinity in fit or evaluate data is refused, naming the array and the index, before any step', async () => {
    const x = tf.tensor([
      [1, 2, 3],
      [-1, 0.5, 2],
      [0, 1, Number.POSITIVE_INFINITY],
      [2, -2, 1],
    ]);
    const y = tf.ones([4, 3]);
    const yNaN = tf.tensor2d([
      [1, 1, 1],
      [1, Number.NaN, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
    const clean = tf.ones([4, 3]);
    const model = smallModel();
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
    const before = model.getWeights();
    const tensors = tf.memory().numTensors;
    const message = (method: string, name: string, value: string, at: string) =>
      `${method}(): ${name} holds a non-finite value (${value}) at index ${at} of shape [4, 3]; one such value makes the loss NaN (and, in fit, every weight). Clean the data, or pass allowNonFinite: true to ${method}() to use it as it is.`;
    await rejectsWith(() => model.fit(x, y, { verbose: 0 }), ValueError, message('fit', 'x', 'Infinity', '[2, 2]'));
    await rejectsWith(() => model.fit(clean, yNaN, { verbose: 0 }), ValueError, message('fit', 'y', 'NaN', '[1, 1]'));
    await rejectsWith(
      () => model.fit(clean, y, { verbose: 0, validationData: [x, y] }),
      ValueError,
      message('fit', 'validationData[0]', 'Infinity', '[2, 2]'),
    );
    expectValueError(() => model.evaluate(clean, yNaN), message('evaluate', 'y', 'NaN', '[1, 1]'));
    // A dataset's batches are checked as they come (the first before any step); it hands them over: fresh copies.
    const batches = function* () {
      yield [x.clone(), y.clone()];
    };
    await rejectsWith(
      () => model.fit(() => batches(), { verbose: 0 }),
      ValueError,
      message('fit', "batch 0's x", 'Infinity', '[2, 2]'),
    );
    assert.equal(tf.memory().numTensors, tensors - 0, 'nothing left behind by the refusals');
    await rejectsWith(
      () => model.fit(clean, y, { verbose: 0, allowNonFinite: 'yes' as never }),
      ValueError,
      'Invalid value for argument allowNonFinite: expected a boolean. Received: allowNonFinite="yes"',
    );
    const after = model.getWeights();
    for (const [i, w] of before.entries()) assertAllClose(after[i] as tf.Tensor, w, { rtol: 0, atol: 0 });
    tf.dispose([x, y, yNaN, clean, ...before, ...after]);
    model.dispose();
  });

  it('with allowNonFinite, NaN in x gives a NaN loss (relu layers included); TerminateOnNaN stops with Keras message', async () => {
    const x = tf.tensor([
      [1, Number.NaN, 3],
      [-1, 0.5, 2],
      [0, 1, -1],
      [2, -2, 1],
    ]);
    const y = tf.ones([4, 3]);
    const model = smallModel();
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
    assert.ok(Number.isNaN(model.evaluate(x, y, { allowNonFinite: true }).loss), 'evaluate');
    const printed: string[] = [];
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      allowNonFinite: true,
      callbacks: [new callbacks.TerminateOnNaN({ print: (line) => printed.push(line) })],
    });
    // Keras 3.15 prints the same line and stops after the batch (its history: {'loss': [nan]}).
    assert.deepEqual(printed, ['Batch 0: Invalid loss, terminating training']);
    assert.deepEqual(history.epoch, [0]);
    assert.ok(Number.isNaN((history.history.loss as number[])[0]));
    await assert.rejects(
      () =>
        model.fit(x, y, {
          verbose: 0,
          shuffle: false,
          allowNonFinite: true,
          callbacks: [new callbacks.TerminateOnNaN({ raiseError: true })],
        }),
      (error: Error) =>
        error instanceof callbacks.RuntimeError &&
        error.message === 'NaN or Inf loss encountered at batch 0. Loss value: NaN. Terminating training immediately.',
    );
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a relu convolution keeps NaN too', () => {
    const conv = new layers.Conv2D({ filters: 1, kernelSize: 2, activation: 'relu', kernelInitializer: 'ones' });
    const image = tf.tensor([Number.NaN, 1, 2, 3, 4, 5, 6, 7, 8], [1, 3, 3, 1]);
    const out = conv.apply(image) as tf.Tensor;
    assert.deepEqual(Array.from(out.dataSync()), [Number.NaN, 12, 20, 24]);
    tf.dispose([image, out]);
    conv.dispose();
  });

  it('sparse labels out of range, fractional or NaN are refused before the first step', async () => {
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const x = X();
    const cases: [number[], string][] = [
      [[0, 1, 3, 2], 'y[2]=3'],
      [[0, -1, 1, 2], 'y[1]=-1'],
      [[0, 1, 1.5, 2], 'y[2]=1.5'],
      [[Number.NaN, 1, 1, 2], 'y[0]=NaN'],
    ];
    for (const [labels, received] of cases) {
      const y = tf.tensor(labels);
      const message = `sparse_categorical_crossentropy expects integer class labels in [0, 3) for a model output of 3 classes. Received: ${received}`;
      await unchanged(model, async () => {
        // allowNonFinite lets the NaN label through to the loss's own check.
        await rejectsWith(() => model.fit(x, y, { verbose: 0, allowNonFinite: true }), ValueError, message);
        expectValueError(() => model.trainOnBatch(x, y), message);
        expectValueError(() => model.evaluate(x, y, { allowNonFinite: true }), message);
      });
      y.dispose();
    }
    // In the validation data too, before the first epoch.
    const [good, bad] = [tf.tensor([0, 1, 2, 1]), tf.tensor([0, 7, 2, 1])];
    await unchanged(model, () =>
      rejectsWith(
        () => model.fit(x, good, { verbose: 0, validationData: [x, bad] }),
        ValueError,
        'sparse_categorical_crossentropy expects integer class labels in [0, 3) for a model output of 3 classes. Received: validationData[1][1]=7',
      ),
    );
    // int32 labels are what Keras users pass: accepted.
    const ints = tf.tensor([0, 1, 2, 1], undefined, 'int32');
    assertAllClose(model.evaluate(x, ints).loss as number, model.evaluate(x, good).loss as number);
    tf.dispose([x, good, bad, ints]);
    model.dispose();
  });

  it('no samples: fit, the batch methods and evaluate refuse; predict gives an empty output', async () => {
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [tf.zeros([0, 3]), tf.zeros([0, 3])];
    await unchanged(model, async () => {
      await rejectsWith(
        () => model.fit(x, y, { verbose: 0 }),
        ValueError,
        'No samples in x: x.shape=[0, 3]. fit() needs at least one sample.',
      );
      expectValueError(
        () => model.trainOnBatch(x, y),
        'No samples in x: x.shape=[0, 3]. trainOnBatch() needs at least one sample.',
      );
      expectValueError(
        () => model.evaluate(x, y),
        'No samples in x: x.shape=[0, 3]. evaluate() needs at least one sample.',
      );
      const predicted = model.predict(x);
      assert.deepEqual(predicted.shape, [0, 3]);
      predicted.dispose();
      model.clearLosses();
    });
    // A split that leaves one side empty: Keras's error.
    const [one, target] = [tf.ones([1, 3]), tf.ones([1, 3])];
    await unchanged(model, () =>
      rejectsWith(
        () => model.fit(one, target, { validationSplit: 0.5, verbose: 0 }),
        ValueError,
        'Training data contains 1 samples, which is not sufficient to split it into a validation and training set as specified by `validationSplit=0.5`. Either provide more data, or a different value for the `validationSplit` argument.',
      ),
    );
    tf.dispose([x, y, one, target]);
    model.dispose();
  });
});

describeEachBackend('careless input', () => {
  it('int32 and bool x are cast to float32, as Keras casts inputs; a string x is refused', async () => {
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const y = tf.ones([4, 3]);
    const floats = X();
    const ints = tf.cast(floats, 'int32');
    const intsAsFloats = tf.cast(ints, 'float32');
    assertAllClose(model.evaluate(ints, y).loss as number, model.evaluate(intsAsFloats, y).loss as number);
    const bools = tf.tensor([[true, false, true]], undefined, 'bool');
    const boolsAsFloats = tf.tensor([[1, 0, 1]]);
    const predicted = model.predict(bools);
    const expected = model.predict(boolsAsFloats);
    assert.deepEqual(Array.from(predicted.dataSync()), Array.from(expected.dataSync()));
    const strings = tf.tensor([['a', 'b', 'c']]);
    const target = tf.ones([1, 3]);
    await unchanged(model, async () => {
      expectValueError(
        () => model.predict(strings),
        'Invalid value for argument x: expected a numeric tensor (float32, int32 or bool). Received: x=Tensor(shape=[1, 3], dtype=string)',
      );
      await rejectsWith(
        () => model.fit(strings, target, { verbose: 0 }),
        ValueError,
        'Invalid value for argument x: expected a numeric tensor (float32, int32 or bool). Received: x=Tensor(shape=[1, 3], dtype=string)',
      );
    });
    tf.dispose([y, floats, ints, intsAsFloats, bools, boolsAsFloats, predicted, expected, strings, target]);
    model.dispose();
  });

  it('one-hot labels with a sparse loss, integer labels with categorical_crossentropy: errors saying which to use', async () => {
    const x = X();
    const sparse = smallModel();
    sparse.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const oneHot = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    await unchanged(sparse, () =>
      rejectsWith(
        () => sparse.fit(x, oneHot, { verbose: 0 }),
        ValueError,
        "sparse_categorical_crossentropy expects integer class labels of shape [4] or [4, 1], but y has the model's output shape [4, 3]: one-hot labels. Use categorical_crossentropy for one-hot labels.",
      ),
    );
    const categorical = smallModel();
    categorical.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    const labels = tf.tensor([0, 1, 2, 1]);
    const column = tf.tensor([[0], [1], [2], [1]]);
    await unchanged(categorical, async () => {
      await rejectsWith(
        () => categorical.fit(x, labels, { verbose: 0 }),
        ValueError,
        "categorical_crossentropy expects one-hot labels of the model's output shape [4, 3], but y has shape [4]: integer class labels. Use sparse_categorical_crossentropy for integer labels.",
      );
      expectValueError(
        () => categorical.trainOnBatch(x, column),
        "categorical_crossentropy expects one-hot labels of the model's output shape [4, 3], but y has shape [4, 1]: integer class labels. Use sparse_categorical_crossentropy for integer labels.",
      );
    });
    const mse = smallModel();
    mse.compile({ optimizer: 'sgd', loss: 'mse' });
    const wide = tf.ones([4, 2]);
    await unchanged(mse, () =>
      rejectsWith(
        () => mse.fit(x, wide, { verbose: 0 }),
        ValueError,
        "mean_squared_error: y must have the shape of the model's output. Received: y.shape=[4, 2], output shape=[4, 3]",
      ),
    );
    tf.dispose([x, oneHot, labels, column, wide]);
    for (const m of [sparse, categorical, mse]) m.dispose();
  });

  it('disposed tensors, callbacks [null] and bad validationData are refused before the first step', async () => {
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [X(), tf.ones([4, 3])];
    const gone = X();
    gone.dispose();
    await unchanged(model, async () => {
      await rejectsWith(
        () => model.fit(gone, y, { verbose: 0 }),
        ValueError,
        'Invalid value for argument x: expected a tensor that has not been disposed. Received: x=Tensor(shape=[4, 3], dtype=float32), disposed',
      );
      expectValueError(
        () => model.evaluate(x, gone),
        'Invalid value for argument y: expected a tensor that has not been disposed. Received: y=Tensor(shape=[4, 3], dtype=float32), disposed',
      );
      await rejectsWith(
        () => model.fit(x, y, { verbose: 0, callbacks: [null as never] }),
        ValueError,
        'Invalid value for argument callbacks[0]: expected a Callback. Received: callbacks[0]=null',
      );
      await rejectsWith(
        () => model.fit(x, y, { verbose: 0, validationData: [x] as never }),
        ValueError,
        'Invalid value for argument validationData: expected [x, y] or [x, y, sampleWeight], or a dataset. Received: an array of 1',
      );
    });
    const [wideX, wideY, shortY] = [tf.ones([2, 5]), tf.ones([2, 3]), tf.ones([3, 3])];
    await unchanged(model, async () => {
      await rejectsWith(
        () => model.fit(x, y, { verbose: 0, validationData: [wideX, wideY] }),
        ValueError,
        'Input of model is incompatible with its input layer: expected shape [null,3], but received input with shape [2,5]',
      );
      await rejectsWith(
        () => model.fit(x, y, { verbose: 0, validationData: [x, shortY] }),
        ValueError,
        'validationData[0] and validationData[1] must have the same number of samples. Received: validationData[0].shape=[4, 3] and validationData[1].shape=[3, 3]',
      );
    });
    tf.dispose([x, y, wideX, wideY, shortY]);
    model.dispose();
  });

  it('validationData takes precedence over validationSplit, as in Keras: every sample trains', async () => {
    const model = smallModel();
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
    const [x, y, vx, vy] = [X(), tf.ones([4, 3]), tf.ones([2, 3]), tf.zeros([2, 3])];
    const history = await model.fit(x, y, { batchSize: 2, validationSplit: 0.5, validationData: [vx, vy], verbose: 0 });
    assert.equal(model.optimizer?.iterations, 2, 'two batches of 2: no sample held out');
    assertAllClose((history.history.val_loss as number[])[0] as number, model.evaluate(vx, vy).loss as number);
    tf.dispose([x, y, vx, vy]);
    model.dispose();
  });

  it("compile() with no loss: a model without penalties has Keras's error; with penalties it trains on them", async () => {
    const plain = new models.Sequential([layers.Input({ shape: [3] }), new layers.Dense({ units: 2 })]);
    plain.compile();
    const [x, y] = [X(), tf.ones([4, 2])];
    await unchanged(plain, async () => {
      await rejectsWith(
        () => plain.fit(x, y, { verbose: 0 }),
        ValueError,
        'No loss to compute. Provide a `loss` argument in `compile()`.',
      );
      expectValueError(() => plain.trainOnBatch(x, y), 'No loss to compute. Provide a `loss` argument in `compile()`.');
    });
    // Only an L2(0.5) kernel penalty: an SGD step of 0.1 scales the kernel by 1 - 0.1 * 2 * 0.5.
    const dense = new layers.Dense({ units: 2, kernelRegularizer: new L2(0.5) });
    const penalized = new models.Sequential([layers.Input({ shape: [3] }), dense]);
    penalized.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }) });
    const kernel = Array.from((dense.kernel as tf.Tensor).dataSync());
    const logs = penalized.trainOnBatch(x, y);
    assertAllClose(logs.loss as number, 0.5 * kernel.reduce((s, v) => s + v * v, 0));
    assertAllClose(
      dense.kernel as tf.Tensor,
      kernel.map((v) => 0.9 * v),
    );
    tf.dispose([x, y]);
    plain.dispose();
    penalized.dispose();
  });

  it('metrics given as a string instead of an array: Keras refuses it, so do we', () => {
    const model = smallModel();
    expectValueError(
      () => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: 'accuracy' as never }),
      'Expected `metrics` argument to be an array or a record by output name. Received instead: metrics="accuracy"',
    );
    model.dispose();
  });
});
