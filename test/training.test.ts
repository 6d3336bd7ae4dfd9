/** Training semantics of SEMANTICS §5 beyond the Keras fixtures, and memory over 1000 steps. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  callbacks,
  L1,
  L1L2,
  L2,
  layers,
  metrics,
  models,
  OrthogonalRegularizer,
  ops,
  optimizers,
  Regularizer,
  utils,
} from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { randomValues } from './helpers/reference.js';

function data(n: number, inputs: number, outputs: number, seed: number): [tf.Tensor, tf.Tensor] {
  return [
    tf.tensor(randomValues(n * inputs, seed), [n, inputs]),
    tf.tensor(randomValues(n * outputs, seed + 1), [n, outputs]),
  ];
}

/** mse of `x @ kernel + bias` against `y`, in float64 from the model's current weights. */
function mseByHand(x: tf.Tensor, y: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): number {
  const [xs, ys, k, b] = [x, y, kernel, bias].map((t) => Array.from(t.dataSync())) as number[][];
  const [n, inputs] = x.shape as [number, number];
  const outputs = (b as number[]).length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < outputs; o++) {
      let pred = (b as number[])[o] as number;
      for (let j = 0; j < inputs; j++)
        pred += ((xs as number[])[i * inputs + j] as number) * ((k as number[])[j * outputs + o] as number);
      sum += (pred - ((ys as number[])[i * outputs + o] as number)) ** 2;
    }
  }
  return sum / (n * outputs);
}

const sumOfSquares = (t: tf.Tensor) => Array.from(t.dataSync()).reduce((s, v) => s + v * v, 0);

describeEachBackend('the loss training minimises', () => {
  it('a factor changed between steps changes the next step loss exactly as computed by hand', () => {
    const l2 = new L2(0.1);
    const dense = new layers.Dense({ units: 2, kernelRegularizer: l2 });
    const model = new models.Sequential([layers.Input({ shape: [3] }), dense]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
    const [x, y] = data(6, 3, 2, 10);
    model.trainOnBatch(x, y);
    l2.l2 = 0.7;
    const penalty = 0.7 * sumOfSquares(dense.kernel as tf.Tensor);
    const expected = mseByHand(x, y, dense.kernel as tf.Tensor, dense.bias as tf.Tensor) + penalty;
    const logs = model.trainOnBatch(x, y);
    assertAllClose(logs.loss as number, expected);
    assertAllClose(logs.regularization_loss as number, penalty);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a regularizer added to a built layer enters the next step', () => {
    const dense = new layers.Dense({ units: 2 });
    const model = new models.Sequential([layers.Input({ shape: [3] }), dense]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = data(4, 3, 2, 20);
    assert.equal(model.trainOnBatch(x, y).regularization_loss, 0);
    dense.kernelRegularizer = new L1(0.5);
    const kernelL1 = Array.from((dense.kernel as tf.Tensor).dataSync()).reduce((s, v) => s + Math.abs(v), 0);
    assertAllClose(model.trainOnBatch(x, y).regularization_loss as number, 0.5 * kernelL1);
    tf.dispose([x, y]);
    model.dispose();
  });

  it("a frozen layer's penalty is not in the loss, and its weights do not move", () => {
    const frozen = new layers.Dense({ units: 3, kernelRegularizer: new L2(10), trainable: false });
    const model = new models.Sequential([layers.Input({ shape: [3] }), frozen, new layers.Dense({ units: 2 })]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
    const [x, y] = data(5, 3, 2, 30);
    const before = Array.from((frozen.kernel as tf.Tensor).dataSync());
    const logs = model.trainOnBatch(x, y);
    assert.equal(logs.regularization_loss, 0);
    assert.deepEqual(Array.from((frozen.kernel as tf.Tensor).dataSync()), before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it("a shared layer's weight penalty is counted once, its activity penalty once per call", () => {
    class Twice extends models.Model {
      shared = new layers.Dense({ units: 2, kernelRegularizer: new L2(1), activityRegularizer: new L1(0.1) });
      override call(inputs: layers.LayerInputs): layers.LayerOutputs {
        return this.shared.apply(this.shared.apply(inputs));
      }
    }
    const model = new Twice();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = data(4, 2, 2, 40);
    const logs = model.testOnBatch(x, y);
    const expected = tf.tidy(() => {
      const kernel = model.shared.kernel as tf.Tensor;
      const h = model.shared.apply(x) as tf.Tensor;
      const out = model.shared.apply(h) as tf.Tensor;
      const activity =
        (0.1 * (tf.sum(tf.abs(h)).dataSync()[0] as number)) / 4 +
        (0.1 * (tf.sum(tf.abs(out)).dataSync()[0] as number)) / 4;
      return sumOfSquares(kernel) + activity;
    });
    assertAllClose(logs.regularization_loss as number, expected);
    assertAllClose(logs[`regularization_loss/${model.shared.name}`] as number, expected);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('evaluate and fit agree on the same data and weights', async () => {
    const model = new models.Sequential([
      layers.Input({ shape: [4] }),
      new layers.Dense({
        units: 3,
        activation: 'relu',
        kernelRegularizer: new L1L2(0.01, 0.02),
        activityRegularizer: new L2(0.01),
      }),
      new layers.Dense({ units: 2, kernelRegularizer: new OrthogonalRegularizer(0.1) }),
    ]);
    // A learning rate of 0 keeps the weights: fit's epoch mean is then evaluate's answer.
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
    const [x, y] = data(10, 4, 2, 50);
    const history = await model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    const evaluated = model.evaluate(x, y, { batchSize: 4 });
    for (const key of ['loss', 'regularization_loss']) {
      assertAllClose((history.history[key] as number[])[0] as number, evaluated[key] as number, {}, key);
    }
    tf.dispose([x, y]);
    model.dispose();
  });

  it('logs carry the penalty total and each layer share, which add up', () => {
    const a = new layers.Dense({ units: 3, name: 'first', kernelRegularizer: new L2(0.1) });
    const b = new layers.Dense({
      units: 2,
      name: 'second',
      biasRegularizer: new L1(1),
      activityRegularizer: new L2(0.5),
    });
    const model = new models.Sequential([layers.Input({ shape: [3] }), a, b]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const [x, y] = data(4, 3, 2, 60);
    const logs = model.trainOnBatch(x, y);
    assertAllClose(
      (logs['regularization_loss/first'] as number) + (logs['regularization_loss/second'] as number),
      logs.regularization_loss as number,
    );
    assert.ok((logs.regularization_loss as number) > 0 && (logs.loss as number) > (logs.regularization_loss as number));
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a custom loop with computeLoss and applyGradients takes the same step as trainOnBatch', () => {
    const make = () => {
      utils.setRandomSeed(7);
      const model = new models.Sequential([
        layers.Input({ shape: [3] }),
        new layers.Dense({ units: 2, kernelRegularizer: new L2(0.2), activityRegularizer: new L1(0.1) }),
      ]);
      model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
      return model;
    };
    const [x, y] = data(4, 3, 2, 70);
    const reference = make();
    const reported = reference.trainOnBatch(x, y).loss as number;
    const model = make();
    const optimizer = new optimizers.SGD({ learningRate: 0.1 });
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const yPred = model.apply(x, { training: true }) as tf.Tensor;
        return model.computeLoss({ y, yPred });
      }, model.trainableWeights);
      optimizer.applyGradients(model.trainableWeights.map((v) => [grads[v.name], v] as const));
      return value.dataSync()[0] as number;
    });
    assertAllClose(loss, reported);
    model.weights.forEach((v, i) => {
      assertAllClose(v, reference.weights[i] as tf.Tensor);
    });
    const total = models.regularizationLoss(model);
    assertAllClose(total, ops.sum(model.losses));
    tf.dispose([x, y, total]);
    model.dispose();
    reference.dispose();
    optimizer.dispose();
  });

  it('a RegularizerSchedule sets the factor at each epoch start', async () => {
    const l2 = new L2(0.001);
    const model = new models.Sequential([
      layers.Input({ shape: [3] }),
      new layers.Dense({ units: 2, kernelRegularizer: l2 }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
    const [x, y] = data(4, 3, 2, 80);
    const seen: number[] = [];
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 4,
      verbose: 0,
      callbacks: [
        new callbacks.RegularizerSchedule({ regularizer: l2, factor: 'l2', schedule: (epoch) => 0.1 * (epoch + 1) }),
        new (class extends callbacks.Callback {
          override onEpochEnd(): void {
            seen.push(l2.l2);
          }
        })(),
      ],
    });
    assert.deepEqual(seen, [0.1, 0.2, 0.30000000000000004]);
    const kernelSquares = sumOfSquares(model.weights[0] as tf.Tensor);
    assertAllClose(
      history.history.regularization_loss as number[],
      seen.map((f) => f * kernelSquares),
    );
    assert.throws(
      () => new callbacks.RegularizerSchedule({ regularizer: l2, factor: 'l3' as 'l2', schedule: () => 1 }),
      /Invalid value for argument factor: expected a numeric property of the regularizer\. Received: factor="l3"/,
    );
    tf.dispose([x, y]);
    model.dispose();
  });
});

describeEachBackend('memory over 1000 training steps', () => {
  it('with every regularizer kind, numTensors after step 10 equals that after step 1000', () => {
    class Scaled extends Regularizer {
      override apply(x: tf.Tensor): tf.Scalar {
        return ops.multiply(0.001, ops.sum(ops.square(x))) as tf.Scalar;
      }
    }
    const model = new models.Sequential([
      layers.Input({ shape: [6, 2] }),
      new layers.Conv1D({
        filters: 3,
        kernelSize: 2,
        kernelRegularizer: new OrthogonalRegularizer(0.01),
        activityRegularizer: 'l1',
      }),
      new layers.Flatten(),
      new layers.Dense({
        units: 4,
        kernelRegularizer: new L1(0.01),
        biasRegularizer: new L2(0.01),
        activityRegularizer: new L1L2(0.01, 0.01),
      }),
      new layers.Dropout({ rate: 0.2 }),
      new layers.Dense({
        units: 2,
        kernelRegularizer: (w: tf.Tensor) => ops.multiply(0.01, ops.sum(ops.absolute(w))),
        biasRegularizer: new Scaled(),
      }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = tf.tensor(randomValues(8 * 12, 1), [8, 6, 2]);
    const y = tf.tensor(randomValues(8 * 2, 2), [8, 2]);
    let atStep10 = 0;
    for (let step = 1; step <= 1000; step++) {
      model.trainOnBatch(x, y);
      if (step === 10) atStep10 = tf.memory().numTensors;
    }
    assert.equal(tf.memory().numTensors, atStep10);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('training arguments', () => {
  it('are checked, with errors that name them', async () => {
    const model = new models.Sequential([layers.Input({ shape: [2] }), new layers.Dense({ units: 1 })]);
    const [x, y] = data(3, 2, 1, 90);
    expectValueError(() => model.trainOnBatch(x, y), 'You must call compile() before trainOnBatch().');
    expectValueError(
      () => model.compile({ optimizer: 'adagradd', loss: 'mse' }),
      'Could not interpret optimizer identifier: "adagradd". Expected one of "sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "lion", "ftrl", "adafactor", "lamb" or an Optimizer.',
    );
    expectValueError(
      () => model.compile({ optimizer: 'sgd', loss: 'hinge_loss' }),
      /^Could not interpret loss identifier: "hinge_loss"/,
    );
    expectValueError(
      () => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['f1'] }),
      /^Could not interpret metric identifier: "f1"/,
    );
    expectValueError(
      () => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [new metrics.Accuracy({ name: 'loss' })] }),
      'Invalid metric name "loss": "loss", "regularization_loss…" and "val_…" would collide in the logs.',
    );
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [, y4] = data(4, 2, 1, 91);
    expectValueError(
      () => model.trainOnBatch(x, y4),
      'x and y must have the same number of samples. Received: x.shape=[3, 2] and y.shape=[4, 1]',
    );
    await assert.rejects(
      () => model.fit(x, y, { epochs: 0 }),
      /Invalid value for argument epochs: expected a positive integer\. Received: epochs=0/,
    );
    await assert.rejects(
      () => model.fit(x, y, { validationSplit: 1.5 }),
      /validationSplit: expected a number in \(0, 1\)/,
    );
    await assert.rejects(
      () => model.fit(x, y, { verbose: 3 as 1 }),
      /verbose: expected "auto", 0, 1 or 2\. Received: verbose=3/,
    );
    expectValueError(
      () => new optimizers.SGD({ learningRate: -1 }),
      'Invalid value for argument learningRate: expected a non-negative number. Received: learningRate=-1',
    );
    expectValueError(
      () => new optimizers.Adam({ beta1: 1 }),
      'Invalid value for argument beta1: expected a number in [0, 1). Received: beta1=1',
    );
    expectValueError(
      () => model.apply(tf.zeros([2, 3])),
      'Input of model is incompatible with its input layer: expected shape [null,2], but received input with shape [2,3]',
    );
    tf.dispose([x, y, y4]);
    model.dispose();
  });
});

describe('layers for real models', () => {
  it('Dropout drops only in training, scaling the rest; Flatten, pooling and Activation compute as defined', () => {
    utils.setRandomSeed(3);
    const dropout = new layers.Dropout({ rate: 0.5 });
    const ones = tf.ones([200, 10]);
    const inference = dropout.apply(ones) as tf.Tensor;
    assert.equal(tf.sum(inference).dataSync()[0], 2000);
    const training = Array.from((dropout.apply(ones, { training: true }) as tf.Tensor).dataSync());
    assert.ok(training.every((v) => v === 0 || v === 2));
    const kept = training.filter((v) => v === 2).length / training.length;
    assert.ok(kept > 0.45 && kept < 0.55, `kept ${kept}`);
    const image = tf.tensor([1, 5, 2, 3, 4, 0, 7, 1, 2, 8, 1, 1, 0, 0, 3, 9], [1, 4, 4, 1]);
    assert.deepEqual(Array.from((new layers.MaxPooling2D().apply(image) as tf.Tensor).dataSync()), [5, 7, 8, 9]);
    assert.deepEqual(Array.from((new layers.GlobalAveragePooling2D().apply(image) as tf.Tensor).dataSync()), [47 / 16]);
    assert.deepEqual((new layers.Flatten().apply(image) as tf.Tensor).shape, [1, 16]);
    assert.deepEqual(
      Array.from((new layers.Activation({ activation: 'relu' }).apply(tf.tensor([-1, 2])) as tf.Tensor).dataSync()),
      [0, 2],
    );
    expectValueError(
      () => new layers.Flatten({ dataFormat: 'channels_first' as 'channelsLast' }),
      'Flatten supports dataFormat "channelsLast" only. Received: dataFormat="channels_first"',
    );
    expectValueError(
      () => new layers.MaxPooling2D({ dataFormat: 'NCHW' as 'channelsLast' }),
      'The `dataFormat` argument must be one of "channelsLast", "channelsFirst" (or Keras\'s "channels_last", "channels_first"). Received: dataFormat="NCHW"',
    );
    expectValueError(
      () => new layers.Dropout({ rate: 1 }),
      'Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=1',
    );
  });

  it('summary prints the layers, output shapes and parameter counts', () => {
    const model = new models.Sequential(
      [
        layers.Input({ shape: [28, 28, 1] }),
        new layers.Conv2D({ filters: 4, kernelSize: 3, name: 'conv' }),
        new layers.MaxPooling2D({ name: 'pool' }),
        new layers.Flatten({ name: 'flat' }),
        new layers.Dense({ units: 10, name: 'out' }),
      ],
      { name: 'small_cnn' },
    );
    const lines: string[] = [];
    model.summary((line) => lines.push(line));
    const text = lines.join('\n');
    assert.match(text, /Model: "small_cnn"/);
    assert.match(text, /conv \(Conv2D\)\s+\(None, 26, 26, 4\)\s+40/);
    assert.match(text, /pool \(MaxPooling2D\)\s+\(None, 13, 13, 4\)\s+0/);
    assert.match(text, /out \(Dense\)\s+\(None, 10\)\s+6,770/);
    assert.match(text, /Total params: 6,810/);
    model.dispose();
  });

  it('the progress bar prints one line per epoch off a terminal', async () => {
    const written: string[] = [];
    const bar = new callbacks.ProgressBar(2, 3, 1, { write: (t: string) => written.push(t), isTTY: false });
    for (const epoch of [0, 1]) {
      bar.onEpochBegin(epoch);
      for (const batch of [0, 1, 2]) bar.onBatchEnd(batch, { loss: 0.5 });
      bar.onEpochEnd(epoch, { loss: 0.25, regularization_loss: 0.125, 'regularization_loss/dense': 0.125 });
    }
    assert.equal(written.length, 4);
    assert.equal(written[0], 'Epoch 1/2\n');
    assert.match(written[1] as string, /^3\/3 ━+ \d+s \d+ms\/step - loss: 0\.2500 - regularization_loss: 0\.1250\n$/);
    assert.ok(!written.join('').includes(String.fromCharCode(27)), 'no control codes off a terminal');
  });

  it("verbose 2 prints Keras's one line per epoch, without a bar or control codes, even on a terminal", () => {
    const written: string[] = [];
    const bar = new callbacks.ProgressBar(1, 4, 2, { write: (t: string) => written.push(t), isTTY: true });
    bar.onEpochBegin(0);
    for (const batch of [0, 1, 2, 3]) bar.onBatchEnd(batch, { loss: 1 });
    bar.onEpochEnd(0, { loss: 0.5 });
    assert.deepEqual(written.length, 2);
    assert.match(written[1] as string, /^4\/4 - \d+s - \d+ms\/step - loss: 0\.5000\n$/);
  });

  it('verbose 1 on a terminal redraws the bar in place', () => {
    const written: string[] = [];
    const bar = new callbacks.ProgressBar(1, 2, 1, { write: (t: string) => written.push(t), isTTY: true });
    bar.onEpochBegin(0);
    bar.onBatchEnd(0, { loss: 1 });
    bar.onBatchEnd(1, { loss: 1 });
    bar.onEpochEnd(0, { loss: 0.5 });
    const last = written[written.length - 1] as string;
    assert.ok(last.startsWith('\r2/2 ━'), last);
    assert.ok(last.endsWith(`${String.fromCharCode(27)}[K\n`), last);
  });
});
