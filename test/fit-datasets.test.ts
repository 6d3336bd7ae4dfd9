/**
 * fit, evaluate and predict on datasets (Keras's PyDataset / tf.data role):
 * sync and async iterables, iterators and functions returning one per pass.
 * A dataset gives the numbers the same tensors give in the same order;
 * `stepsPerEpoch` carries a pass over epochs as Keras's EpochIterator does
 * (its three cases, from running Keras 3.15: a generator continues and
 * warns when it runs out; data that starts over ends the epoch where it ran
 * out and starts a new pass; data used up right at an epoch's end starts
 * over at once); batches are checked as they arrive and refused with the
 * batch's index, changing nothing and leaving no tensor; a million rows
 * stream through with flat memory; `resumeAt` and the optimizer's final
 * values are the hooks BackupAndRestore and EMA use.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import { callbacks, layers, models, optimizers, utils, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';

const ROWS = 10;

/** The garbage collector, to read RSS without the garbage a collection would free. */
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const rssMiB = () => {
  gc();
  return process.memoryUsage().rss / 2 ** 20;
};

function mlp(): models.Sequential {
  utils.setRandomSeed(1);
  const model = new models.Sequential([
    layers.Input({ shape: [3] }),
    new layers.Dense({ units: 4, activation: 'relu' }),
    new layers.Dense({ units: 2 }),
  ]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'] });
  return model;
}

/** Row `i` of the data, made on demand so a batch is new tensors each time. */
const xRow = (i: number) => [Math.sin(i), Math.cos(2 * i), (i % 5) / 5];
const yRow = (i: number) => [Math.sin(i) * 0.5, (i % 3) - 1];

function batchAt(start: number, end: number): [tf.Tensor2D, tf.Tensor2D] {
  const ids = Array.from({ length: end - start }, (_, k) => start + k);
  return [tf.tensor2d(ids.map(xRow)), tf.tensor2d(ids.map(yRow))];
}

function* batches(size: number, rows = ROWS): Generator<[tf.Tensor, tf.Tensor]> {
  for (let start = 0; start < rows; start += size) yield batchAt(start, Math.min(start + size, rows));
}

async function* asyncBatches(size: number, rows = ROWS): AsyncGenerator<[tf.Tensor, tf.Tensor]> {
  for (const batch of batches(size, rows)) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    yield batch;
  }
}

const weightsOf = (model: models.Model) => {
  const weights = model.getWeights();
  const values = weights.map((w) => Array.from(w.dataSync()));
  tf.dispose(weights);
  return values;
};

/** Runs `body` with console.warn captured. */
async function warnings<T>(body: () => Promise<T>): Promise<{ result: T; warned: string[] }> {
  const warned: string[] = [];
  const original = console.warn;
  console.warn = (message: string) => warned.push(message);
  try {
    return { result: await body(), warned };
  } finally {
    console.warn = original;
  }
}

/** A callback that records which epoch each batch ran in, and the first x value of each batch (its row). */
class Seen extends callbacks.Callback {
  readonly steps: [number, number][] = [];
  #epoch = 0;
  override onEpochBegin(epoch: number): void {
    this.#epoch = epoch;
  }
  override onBatchBegin(batch: number): void {
    this.steps.push([this.#epoch, batch]);
  }
}

describeEachBackend('datasets in fit, evaluate and predict', () => {
  it('a generator function, an async generator and the same tensors (shuffle off) give the same numbers', async () => {
    const [x, y] = batchAt(0, ROWS);
    const reference = mlp();
    const expected = await reference.fit(x, y, { batchSize: 4, epochs: 3, shuffle: false, verbose: 0 });
    const before = tf.memory().numTensors;
    for (const source of [() => batches(4), () => asyncBatches(4), { [Symbol.iterator]: () => batches(4) }]) {
      const model = mlp();
      const history = await model.fit(source, { epochs: 3, verbose: 0 });
      assert.deepEqual(weightsOf(model), weightsOf(reference), 'weights');
      assert.deepEqual(history.history, expected.history, 'history');
      model.dispose();
    }
    assert.equal(tf.memory().numTensors, before, 'every batch was disposed after its step');
    // evaluate and predict on a dataset equal them on the tensors; fit(dataset, undefined, options) reads the options.
    const logs = await reference.evaluate(() => batches(3));
    assert.deepEqual(logs, reference.evaluate(x, y, { batchSize: 3 }));
    const predicted = (await reference.predict(() => batches(3))) as tf.Tensor;
    const direct = reference.predict(x) as tf.Tensor;
    assertAllClose(predicted, direct.dataSync(), { rtol: 0, atol: 0 });
    const second = mlp();
    await second.fit(asyncBatches(4), undefined, { epochs: 1, verbose: 0 });
    tf.dispose([x, y, predicted, direct]);
    reference.dispose();
    second.dispose();
  });

  it('nested number arrays and typed arrays go where tensors go, with the same numbers', async () => {
    const ids = Array.from({ length: ROWS }, (_, i) => i);
    const [xs, ys] = [ids.map(xRow), ids.map(yRow)];
    const weights = Float32Array.from(ids, (i) => (i % 3) / 2);
    const [x, y, w] = [tf.tensor2d(xs), tf.tensor2d(ys), tf.tensor1d(weights)];
    const before = tf.memory().numTensors;
    const [a, b] = [mlp(), mlp()];
    const options = { batchSize: 4, epochs: 2, shuffle: false, verbose: 0 } as const;
    await a.fit(x, y, { ...options, sampleWeight: w });
    await b.fit(xs, ys, { ...options, sampleWeight: weights });
    assert.deepEqual(weightsOf(b), weightsOf(a));
    assert.deepEqual(b.evaluate(xs, ys), a.evaluate(x, y));
    assert.deepEqual(b.trainOnBatch(xs, ys, Array.from(weights)), a.trainOnBatch(x, y, w));
    const predicted = b.predict(xs);
    assert.deepEqual(predicted.shape, [ROWS, 2]);
    predicted.dispose();
    assert.throws(
      () =>
        b.evaluate(
          [
            [1, 2, 3],
            [4, 5],
          ],
          ys,
        ),
      {
        message:
          'Invalid value for argument x: expected nested arrays of numbers of one shape [2, 3]. Received: x[1]=[4,5], not an array of 3',
      },
    );
    a.dispose();
    b.dispose();
    assert.equal(tf.memory().numTensors, before, 'the tensors made from arrays were freed');
    tf.dispose([x, y, w]);
  });

  it('weights in batches and classWeight give the numbers the same tensors give', async () => {
    const [x, y] = batchAt(0, ROWS);
    const w = tf.tensor1d(Array.from({ length: ROWS }, (_, i) => (i % 4) / 2));
    const weighted = mlp();
    weighted.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05 }), loss: 'mse', weightedMetrics: ['mae'] });
    const expected = weighted.evaluate(x, y, { batchSize: 4, sampleWeight: w });
    function* withWeights() {
      for (let start = 0; start < ROWS; start += 4) {
        const end = Math.min(start + 4, ROWS);
        yield [...batchAt(start, end), tf.slice(w, start, end - start)] as [tf.Tensor, tf.Tensor, tf.Tensor];
      }
    }
    assert.deepEqual(await weighted.evaluate(withWeights), expected);
    // classWeight from the labels of each batch (sparse labels: the class of each row).
    const labels = tf.tensor1d(
      Array.from({ length: ROWS }, (_, i) => i % 3),
      'int32',
    );
    const classifier = () => {
      utils.setRandomSeed(3);
      const model = new models.Sequential([
        layers.Input({ shape: [3] }),
        new layers.Dense({ units: 3, activation: 'softmax' }),
      ]);
      model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
      return model;
    };
    const [a, b] = [classifier(), classifier()];
    const classWeight = { 0: 2, 2: 0.5 };
    await a.fit(x, labels, { batchSize: 5, epochs: 2, shuffle: false, verbose: 0, classWeight });
    await b.fit(
      function* () {
        yield [tf.slice(x, 0, 5), tf.slice(labels, 0, 5)] as [tf.Tensor, tf.Tensor];
        yield [tf.slice(x, 5, 5), tf.slice(labels, 5, 5)] as [tf.Tensor, tf.Tensor];
      },
      { epochs: 2, verbose: 0, classWeight },
    );
    assert.deepEqual(weightsOf(b), weightsOf(a));
    tf.dispose([x, y, w, labels]);
    for (const m of [weighted, a, b]) m.dispose();
  });

  it('stepsPerEpoch: a generator carries on across epochs and warns when it runs out, as Keras does', async () => {
    // Keras 3.15: fit(gen(5 batches), epochs=3, steps_per_epoch=2) runs batches 0,1 | 2,3 | 4, then warns.
    const model = mlp();
    const seen = new Seen();
    const { result: history, warned } = await warnings(() =>
      model.fit(batches(2), { epochs: 3, stepsPerEpoch: 2, callbacks: [seen], verbose: 0 }),
    );
    assert.deepEqual(seen.steps, [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 0],
    ]);
    assert.equal(history.history.loss?.length, 3);
    assert.equal(warned.length, 1);
    assert.match(warned[0] as string, /^Your input ran out of data; interrupting training\./);
    // A used-up generator has nothing for another epoch: the warning, and training stops.
    const more = new Seen();
    const stopped = await warnings(() =>
      model.fit(batches(2), { epochs: 5, stepsPerEpoch: 2, callbacks: [more], verbose: 0 }),
    );
    assert.equal(stopped.result.history.loss?.length, 3);
    assert.equal(stopped.warned.length, 2);
    model.dispose();
  });

  it('stepsPerEpoch: data that starts over (a function) ends the epoch where it ran out, then starts a new pass', async () => {
    // Keras 3.15, a PyDataset of 3 batches, steps_per_epoch=2: 0,1 | 2 (warning) | 0,1.
    const model = mlp();
    const seen = new Seen();
    const starts: number[] = [];
    const source = () => {
      starts.push(seen.steps.length);
      return batches(4);
    };
    const { warned } = await warnings(() =>
      model.fit(source, { epochs: 3, stepsPerEpoch: 2, callbacks: [seen], verbose: 0 }),
    );
    assert.deepEqual(seen.steps, [
      [0, 0],
      [0, 1],
      [1, 0],
      [2, 0],
      [2, 1],
    ]);
    assert.equal(warned.length, 1);
    // Four batches, two per epoch: the pass is used up exactly at the end of epoch 1, and epoch 2 starts over silently.
    const exact = new Seen();
    const quiet = await warnings(() =>
      model.fit(() => batches(3, 12), { epochs: 3, stepsPerEpoch: 2, callbacks: [exact], verbose: 0 }),
    );
    assert.equal(exact.steps.length, 6);
    assert.deepEqual(quiet.warned, []);
    model.dispose();
  });

  it('validationData and validationSteps from a dataset give val_ logs equal to evaluate on the same data', async () => {
    const model = mlp();
    const [vx, vy] = batchAt(20, 26);
    const history = await model.fit(() => batches(5), {
      epochs: 2,
      verbose: 0,
      validationData: async function* () {
        yield batchAt(20, 23);
        yield batchAt(23, 26);
        yield batchAt(0, 100); // beyond validationSteps: never pulled
      },
      validationSteps: 2,
    });
    const expected = model.evaluate(vx, vy, { batchSize: 3 });
    assertAllClose(history.history.val_loss?.[1] as number, expected.loss as number, { rtol: 1e-6 });
    assertAllClose(history.history.val_mae?.[1] as number, expected.mae as number, { rtol: 1e-6 });
    tf.dispose([vx, vy]);
    model.dispose();
  });

  it('ragged batches and bad batches are refused with the batch index; the refused step changes nothing, no tensor is left', async () => {
    const model = mlp();
    const count = tf.memory().numTensors;
    const cases: [() => Generator<unknown>, string][] = [
      [
        function* () {
          yield batchAt(0, 4);
          yield [tf.ones([4, 3]), tf.ones([3, 2])];
        },
        "batch 1's x and batch 1's y must have the same number of samples. Received: batch 1's x.shape=[4, 3] and batch 1's y.shape=[3, 2]",
      ],
      [
        function* () {
          yield batchAt(0, 4);
          yield batchAt(4, 8);
          yield [tf.ones([4, 5]), tf.ones([4, 2])];
        },
        "batch 2's x does not fit the model: inputs of shape [null, 3] expected. Received: batch 2's x.shape=[4, 5]",
      ],
      [
        function* () {
          yield batchAt(0, 4);
          const [x, y] = batchAt(4, 8);
          yield [x, y, tf.ones([4, 2])];
        },
        "mean_squared_error: batch 1's sampleWeight must weigh the loss of each sample of the model's output (shape [4, 2]): expected shape [4], one weight per sample. Received: batch 1's sampleWeight.shape=[4, 2]",
      ],
      [
        function* () {
          yield batchAt(0, 4);
          yield [tf.ones([4, 3])] as unknown as [tf.Tensor, tf.Tensor];
        },
        'Invalid batch 1 of x: expected [x, y] or [x, y, sampleWeight]. Received: an array of 1',
      ],
    ];
    for (const [source, message] of cases) {
      const control = mlp();
      await control.fit(() => batches(4, 4 * Number(message.match(/batch (\d)/)?.[1])), { epochs: 1, verbose: 0 });
      const model = mlp();
      await assert.rejects(
        () => model.fit(source as () => Generator<[tf.Tensor, tf.Tensor]>, { verbose: 0 }),
        (error: Error) => {
          assert.ok(error instanceof ValueError, `${error.name}: ${error.message}`);
          assert.equal(error.message, message);
          return true;
        },
      );
      assert.deepEqual(weightsOf(model), weightsOf(control), 'only the good batches trained');
      model.dispose();
      control.dispose();
    }
    assert.equal(tf.memory().numTensors, count, 'tensors left behind');
    // A first batch that is wrong is refused before any callback or step.
    const seen = new Seen();
    await assert.rejects(
      () =>
        model.fit([[tf.ones([2, 3]), tf.ones([3, 2])] as [tf.Tensor, tf.Tensor]].values(), {
          callbacks: [seen],
          verbose: 0,
        }),
      {
        message:
          "batch 0's x and batch 0's y must have the same number of samples. Received: batch 0's x.shape=[2, 3] and batch 0's y.shape=[3, 2]",
      },
    );
    assert.deepEqual(seen.steps, []);
    // y or sampleWeight beside a dataset, an empty one, a non-iterable from a function.
    const [x, y] = batchAt(0, 4);
    await assert.rejects(() => model.fit(() => batches(2), y, { verbose: 0 }), {
      message:
        "When providing `x` as a dataset, `y` should not be passed. Instead, the targets should be included as part of the dataset's batches.",
    });
    await assert.rejects(() => model.fit(() => batches(2), { sampleWeight: tf.ones([4]), verbose: 0 }), {
      message:
        "When providing `x` as a dataset, `sampleWeight` should not be passed. Instead, the sample weights should be included as part of the dataset's batches.",
    });
    await assert.rejects(() => model.fit(() => batches(2, 0), { verbose: 0 }), {
      message: 'The dataset given as x yielded no batch. fit() needs at least one.',
    });
    await assert.rejects(() => model.fit((() => 42) as never, { verbose: 0 }), {
      message:
        'Invalid value for argument x: expected an iterable or iterator of batches [x, y] or [x, y, sampleWeight], or a function returning one. Received: a function returning 42',
    });
    tf.dispose([x, y]);
    model.dispose();
  });

  it('resumeAt (set in onTrainBegin) starts at its epoch, skips its steps after drawing the same order, then is cleared', async () => {
    const [x, y] = batchAt(0, 8);
    utils.setRandomSeed(5);
    const straight = mlp();
    utils.setRandomSeed(5);
    await straight.fit(x, y, { batchSize: 2, epochs: 2, verbose: 0 });
    // The interrupted run: two steps of epoch 0.
    const interrupted = mlp();
    utils.setRandomSeed(5);
    const stopAt = new (class extends callbacks.Callback {
      override onBatchEnd(batch: number): void {
        if (batch === 1 && this.model != null) this.model.stopTraining = true;
      }
    })();
    await interrupted.fit(x, y, { batchSize: 2, epochs: 2, verbose: 0, callbacks: [stopAt] });
    // Resumed: same weights, same generator state as at the start, told where to resume.
    const resumed = mlp();
    const saved = interrupted.getWeights();
    resumed.setWeights(saved);
    tf.dispose(saved);
    const restore = new (class extends callbacks.Callback {
      override onTrainBegin(): void {
        if (this.model != null) this.model.resumeAt = { epoch: 0, step: 2 };
      }
    })();
    const seen = new Seen();
    utils.setRandomSeed(5);
    await resumed.fit(x, y, { batchSize: 2, epochs: 2, verbose: 0, callbacks: [restore, seen] });
    assert.deepEqual(seen.steps.slice(0, 3), [
      [0, 2],
      [0, 3],
      [1, 0],
    ]);
    assert.deepEqual(weightsOf(resumed), weightsOf(straight));
    assert.equal(resumed.resumeAt, null);
    tf.dispose([x, y]);
    for (const m of [straight, interrupted, resumed]) m.dispose();
  });

  it("fit ends with the optimizer's finalizeVariableValues on the trainable weights, as Keras's fit does", async () => {
    const model = mlp();
    const calls: number[] = [];
    const optimizer = model.optimizer as optimizers.Optimizer & { finalizeVariableValues: (v: tf.Variable[]) => void };
    optimizer.finalizeVariableValues = (variables) => calls.push(variables.length);
    await model.fit(() => batches(5), { epochs: 2, verbose: 0 });
    assert.deepEqual(calls, [4]);
    model.dispose();
  });

  it('a million rows streamed from an async generator train with flat memory', async () => {
    utils.setRandomSeed(2);
    const model = new models.Sequential([
      layers.Input({ shape: [4] }),
      new layers.Dense({ units: 8, activation: 'relu' }),
      new layers.Dense({ units: 1 }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
    // 100 batches of 10,000 rows, made on the fly (tfjs's cpu backend takes ~10 ms a step for 1,000-row batches).
    const [batchRows, batchCount] = [10_000, 100];
    async function* stream() {
      for (let b = 0; b < batchCount; b++) {
        const x = tf.randomUniform([batchRows, 4], -1, 1, 'float32', b);
        yield [x, tf.tidy(() => tf.sum(x, 1, true))] as [tf.Tensor, tf.Tensor];
      }
    }
    const tensors: number[] = [];
    const rss: number[] = [];
    const track = new (class extends callbacks.Callback {
      override onBatchEnd(batch: number): void {
        if (batch % 10 === 9) {
          tensors.push(tf.memory().numTensors);
          rss.push(rssMiB());
        }
      }
    })();
    // The optimizer's own state (Keras's iteration and learning_rate) is made when it is built: before the count.
    model.optimizer?.build(model.trainableWeights);
    const before = tf.memory().numTensors;
    const rssBefore = rssMiB();
    const started = performance.now();
    // Two passes of the generator: 2,000,000 rows. A one-time growth of V8's heap can come at any point of
    // the first pass; a leak grows again in the second (18 MiB of data streams through each pass).
    const history = await model.fit(stream, { epochs: 2, verbose: 0, callbacks: [track] });
    const seconds = (performance.now() - started) / 1000;
    const growth = (rss[rss.length - 1] as number) - (rss[batchCount / 10 - 1] as number);
    console.log(
      `[${tf.getBackend()}] 2 x 1,000,000 rows in ${seconds.toFixed(1)} s; numTensors at every 10th batch: ${[...new Set(tensors)].join(', ')}; RSS ${rssBefore.toFixed(0)} MiB before, ${rss.map((r) => r.toFixed(0)).join(' ')} MiB every 10th batch: growth ${growth.toFixed(1)} MiB over the second pass`,
    );
    assert.equal(new Set(tensors).size, 1, 'numTensors is flat while streaming');
    assert.equal(tf.memory().numTensors, before, 'no tensor left after fit');
    assert.ok(growth < 8, `RSS grew ${growth.toFixed(1)} MiB over the second pass of 1,000,000 rows`);
    assert.ok((history.history.loss?.[0] as number) < 1, 'it learned the sum');
    model.dispose();
  });
});
