/**
 * Row-sparse Embedding updates in training steps (plain SGD, no penalty on
 * the table): the step writes only the rows a batch used, with the numbers
 * of the dense update `w -= lr * g`, where g is the table's full gradient
 * computed by the tape; other optimizers and a regularized table take the
 * dense path; a tensor sharing the table's memory is left as it was.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L2, layers, models, optimizers } from 'keras-regularizers';
import { assertAllClose, FLOAT32 } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertNoLeak } from './helpers/leaks.js';
import { randomValues } from './helpers/reference.js';

const VOCABULARY = 12;
const WIDTH = 3;
// Rows 0, 2, 5, 9 are used (5 three times, summed); the other 8 are not.
const IDS = [5, 2, 5, 0, 9, 5];
const TARGETS = [0.5, -1, 0.25, 2];

function classifier(optimizer: optimizers.Optimizer, embeddingsRegularizer: L2 | null = null): models.Sequential {
  const model = new models.Sequential([
    layers.Input({ shape: [3], dtype: 'int32' }),
    new layers.Embedding({ inputDim: VOCABULARY, outputDim: WIDTH, embeddingsRegularizer }),
    new layers.GlobalAveragePooling1D(),
    new layers.Dense({ units: 2 }),
  ]);
  const initial = [
    tf.tensor2d(randomValues(VOCABULARY * WIDTH, 3), [VOCABULARY, WIDTH]),
    tf.tensor2d(randomValues(WIDTH * 2, 4), [WIDTH, 2]),
    tf.tensor1d([0.1, -0.2]),
  ];
  model.setWeights(initial);
  tf.dispose(initial);
  model.compile({ optimizer, loss: 'mse' });
  return model;
}

/** Each weight's values, read without keeping a tensor that shares the weight's memory. */
function weightValues(model: models.Sequential): number[][] {
  return model.weights.map((w) => Array.from(w.dataSync()));
}

/** The dense reference: the tape's full gradient of the same loss, then `w -= lr * g` for every weight. */
function denseStep(model: models.Sequential, x: tf.Tensor, y: tf.Tensor, learningRate: number): number[][] {
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(
      () => tf.mean(tf.square(tf.sub(model.apply(x) as tf.Tensor, y))) as tf.Scalar,
      model.trainableWeights,
    );
    return model.trainableWeights.map((v) =>
      Array.from(tf.sub(v, tf.mul(grads[v.name] as tf.Tensor, learningRate)).dataSync()),
    );
  });
}

const rowsOf = (table: ArrayLike<number>, row: number) => Array.from(table).slice(row * WIDTH, (row + 1) * WIDTH);
const UNUSED = Array.from({ length: VOCABULARY }, (_, r) => r).filter((r) => !IDS.includes(r));

describeEachBackend('Embedding tables updated row by row in SGD steps', () => {
  it('plain SGD: the used rows take the dense update, the unused rows keep their exact bits', async () => {
    await assertNoLeak(async () => {
      const model = classifier(new optimizers.SGD({ learningRate: 0.5 }));
      const x = tf.tensor2d(IDS, [2, 3], 'int32');
      const y = tf.tensor2d(TARGETS, [2, 2]);
      const before = weightValues(model);
      const expected = denseStep(model, x, y, 0.5);
      // No dense (inputDim, outputDim) gradient is made: the dense path's scatter kernel never runs.
      const { kernelNames } = await tf.profile(() => void model.trainOnBatch(x, y));
      assert.ok(!kernelNames.includes('ScatterNd'), `kernels run: ${kernelNames.join(', ')}`);
      const after = weightValues(model);
      after.forEach((values, i) => {
        assertAllClose(values, expected[i] as number[], FLOAT32, `weight ${i}`);
      });
      for (const row of UNUSED) assert.deepEqual(rowsOf(after[0] as number[], row), rowsOf(before[0] as number[], row));
      for (const row of [0, 2, 5, 9]) {
        assert.notDeepEqual(rowsOf(after[0] as number[], row), rowsOf(before[0] as number[], row), `row ${row} moved`);
      }
      tf.dispose([x, y]);
      model.dispose();
    });
  });

  it('three fit epochs equal three dense steps', async () => {
    await assertNoLeak(async () => {
      const model = classifier(new optimizers.SGD({ learningRate: 0.2 }));
      const reference = classifier(new optimizers.SGD({ learningRate: 0.2 }));
      const x = tf.tensor2d(IDS, [2, 3], 'int32');
      const y = tf.tensor2d(TARGETS, [2, 2]);
      for (let step = 0; step < 3; step++) {
        const next = denseStep(reference, x, y, 0.2);
        const tensors = next.map((values, i) => tf.tensor(values, reference.trainableWeights[i]?.shape));
        reference.setWeights(tensors);
        tf.dispose(tensors);
      }
      await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0 });
      const got = weightValues(model);
      weightValues(reference).forEach((w, i) => {
        assertAllClose(got[i] as number[], w, FLOAT32);
      });
      tf.dispose([x, y]);
      model.dispose();
      reference.dispose();
    });
  });

  it('a tensor that shares the table memory keeps the old values', async () => {
    await assertNoLeak(() => {
      const model = classifier(new optimizers.SGD({ learningRate: 0.5 }));
      const table = model.weights[0] as tf.Variable;
      const shared = tf.clone(table);
      const before = Array.from(shared.dataSync());
      const x = tf.tensor2d(IDS, [2, 3], 'int32');
      const y = tf.tensor2d(TARGETS, [2, 2]);
      model.trainOnBatch(x, y);
      assert.deepEqual(Array.from(shared.dataSync()), before);
      assert.notDeepEqual(Array.from(table.dataSync()), before);
      tf.dispose([x, y, shared]);
      model.dispose();
    });
  });

  it('a table with a regularizer, or SGD with momentum, updates every row (the dense path)', async () => {
    for (const [label, make] of [
      ['L2 on the table', () => classifier(new optimizers.SGD({ learningRate: 0.5 }), new L2(0.1))],
      ['momentum 0.9, second step', () => classifier(new optimizers.SGD({ learningRate: 0.5, momentum: 0.9 }))],
    ] as const) {
      await assertNoLeak(async () => {
        const model = make();
        const x = tf.tensor2d(IDS, [2, 3], 'int32');
        const y = tf.tensor2d(TARGETS, [2, 2]);
        model.trainOnBatch(x, y);
        const before = weightValues(model)[0] as number[];
        // With L2 every row shrinks on each step; with momentum, unused rows keep their zero velocity, as in Keras.
        const { kernelNames } = await tf.profile(() => void model.trainOnBatch(x, y));
        assert.ok(kernelNames.includes('ScatterNd'), `${label}: the dense gradient is made`);
        const after = weightValues(model)[0] as number[];
        const unusedMoved = UNUSED.some((row) => rowsOf(after, row).some((v, k) => v !== rowsOf(before, row)[k]));
        assert.equal(unusedMoved, label === 'L2 on the table', label);
        tf.dispose([x, y]);
        model.dispose();
      }, label);
    }
  });
});
