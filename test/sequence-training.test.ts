/**
 * Training through Embedding and the recurrent layers: gradients of the
 * kernels, biases, inputs and initial states against float64 finite
 * differences of a reference forward pass (test/helpers/reference-rnn.ts),
 * the Embedding's scatter gradient, and `.keras` classifiers saved by real
 * Keras (scripts/generate_keras_sequence_fixtures.py) loading here with
 * Keras's predictions, evaluate() and one SGD step; dropout in training;
 * no leaks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L2, layers, models, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertNoLeak } from './helpers/leaks.js';
import { numericGradient, randomValues } from './helpers/reference.js';
import { type RnnSpec, rnnForward } from './helpers/reference-rnn.js';

interface Values {
  shape: number[];
  dtype?: string;
  values: number[];
}

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-sequence.json', import.meta.url), 'utf8')) as {
  keras_files: Record<
    string,
    {
      input: Values;
      targets: Values;
      prediction: Values;
      evaluate: Record<string, number>;
      losses: number[];
      train_on_batch: Record<string, number>;
      weights_after: Values[];
    }
  >;
};
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype === 'int32' ? 'int32' : 'float32');
const GRADIENT = { rtol: 1e-3, atol: 2e-5 };

interface GradientCase {
  label: string;
  spec: RnnSpec;
  make: () => layers.RNN;
  mask: boolean[] | null;
  initialStates: boolean;
}

const [B, T, D, U] = [2, 3, 2, 2];
const MASK = [true, false, true, false, true, true];
const GRADIENT_CASES: GradientCase[] = [
  {
    label: 'SimpleRNN, goBackwards, mask, initial state',
    spec: { kind: 'simple', units: U, goBackwards: true },
    make: () => new layers.SimpleRNN({ units: U, returnSequences: true, returnState: true, goBackwards: true }),
    mask: MASK,
    initialStates: true,
  },
  {
    label: 'LSTM, mask, initial states (the fused recurrence)',
    spec: { kind: 'lstm', units: U },
    make: () => new layers.LSTM({ units: U, returnSequences: true, returnState: true }),
    mask: MASK,
    initialStates: true,
  },
  {
    label: 'LSTM, goBackwards, zeroOutputForMask',
    spec: { kind: 'lstm', units: U, goBackwards: true, zeroOutputForMask: true },
    make: () =>
      new layers.LSTM({
        units: U,
        returnSequences: true,
        returnState: true,
        goBackwards: true,
        zeroOutputForMask: true,
      }),
    mask: MASK,
    initialStates: false,
  },
  {
    label: 'GRU resetAfter, mask, initial state (the fused recurrence)',
    spec: { kind: 'gru', units: U },
    make: () => new layers.GRU({ units: U, returnSequences: true, returnState: true }),
    mask: MASK,
    initialStates: true,
  },
  {
    label: 'GRU resetAfter: false, goBackwards (the loop of backend ops)',
    spec: { kind: 'gru', units: U, resetAfter: false, goBackwards: true },
    make: () =>
      new layers.GRU({ units: U, returnSequences: true, returnState: true, resetAfter: false, goBackwards: true }),
    mask: MASK,
    initialStates: true,
  },
];

describeEachBackend('recurrent layers: gradients against float64 finite differences', () => {
  for (const c of GRADIENT_CASES) {
    it(c.label, async () => {
      const layer = c.make();
      layer.ensureBuilt([B, T, D]);
      const weights = layer.weights.map((w, i) => randomValues(w.size, 11 + i, 0.8));
      layer.setWeights(weights);
      const stateCount = c.spec.kind === 'lstm' ? 2 : 1;
      const x = randomValues(B * T * D, 3);
      const states = c.initialStates
        ? Array.from({ length: stateCount }, (_, i) => randomValues(B * U, 5 + i, 0.5))
        : [];
      const outputs = B * T * U + stateCount * B * U;
      const coefficients = randomValues(outputs, 7);
      const reference = (w: number[][], input: ArrayLike<number>, initial: ArrayLike<number>[]) => {
        const y = rnnForward(
          c.spec,
          input,
          [B, T, D],
          { kernel: w[0] as number[], recurrent: w[1] as number[], bias: w[2] ?? null },
          c.mask,
          initial.length > 0 ? initial : null,
        );
        return y.reduce((sum, v, i) => sum + v * (coefficients[i] as number), 0);
      };
      const expected = [
        ...weights.map((_, k) =>
          numericGradient(
            (p) =>
              reference(
                weights.map((w, j) => (j === k ? Array.from(p) : w)),
                x,
                states,
              ),
            weights[k] as number[],
          ),
        ),
        numericGradient((p) => reference(weights, p, states), x),
        ...states.map((s, k) =>
          numericGradient(
            (p) =>
              reference(
                weights,
                x,
                states.map((t, j) => (j === k ? p : t)),
              ),
            s,
          ),
        ),
      ];
      await assertNoLeak(() => {
        const xs = tf.tensor3d(x, [B, T, D]);
        const initial = states.map((s) => tf.tensor2d(s, [B, U]));
        const mask = c.mask == null ? null : tf.tensor2d(c.mask.map(Number), [B, T], 'bool');
        const weighted = tf.tensor1d(coefficients);
        const loss = (input: tf.Tensor, ...given: tf.Tensor[]) => {
          const result = layer.apply(
            given.length > 0 ? [input, ...given] : input,
            mask == null ? {} : { mask },
          ) as tf.Tensor[];
          const flat = tf.concat(result.map((t) => tf.reshape(t, [-1])));
          return tf.sum(tf.mul(flat, weighted)) as tf.Scalar;
        };
        const actual = tf.tidy(() => {
          const { grads } = tf.variableGrads(() => loss(xs, ...initial), layer.trainableWeights);
          const inputGrads = tf.grads((input: tf.Tensor, ...given: tf.Tensor[]) => loss(input, ...given))([
            xs,
            ...initial,
          ]);
          return [...layer.trainableWeights.map((w) => grads[w.name] as tf.Tensor), ...inputGrads].map((g) =>
            Array.from(g.dataSync()),
          );
        });
        layer.clearLosses();
        assert.equal(actual.length, expected.length);
        actual.forEach((g, i) => {
          assertAllClose(g, expected[i] as number[], GRADIENT, `gradient ${i}`);
        });
        tf.dispose([xs, ...initial, weighted, ...(mask == null ? [] : [mask])]);
      });
      layer.dispose();
    });
  }

  it('Embedding: the gradient reaches only the rows used, repeats summed (wasm has no gather gradient of its own)', async () => {
    const embedding = new layers.Embedding({ inputDim: 6, outputDim: 3 });
    embedding.ensureBuilt([null, 4]);
    const table = randomValues(18, 1);
    embedding.setWeights([table]);
    const ids = [1, 4, 1, 0, 4, 4, 2, 1];
    const coefficients = randomValues(ids.length * 3, 2);
    const reference = (t: ArrayLike<number>) =>
      ids.reduce(
        (sum, id, n) =>
          sum + [0, 1, 2].reduce((s, k) => s + (t[id * 3 + k] as number) * (coefficients[n * 3 + k] as number), 0),
        0,
      );
    const expected = numericGradient(reference, table);
    await assertNoLeak(() => {
      const x = tf.tensor2d(ids, [2, 4], 'int32');
      const weighted = tf.tensor3d(coefficients, [2, 4, 3]);
      const gradient = tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => tf.sum(tf.mul(embedding.apply(x) as tf.Tensor, weighted)) as tf.Scalar,
          embedding.trainableWeights,
        );
        return Array.from((grads[(embedding.embeddings as tf.Variable).name] as tf.Tensor).dataSync());
      });
      assertAllClose(gradient, expected, GRADIENT, 'embeddings');
      assert.deepEqual(gradient.slice(9, 12), [0, 0, 0], 'row 3 is never used: zero gradient');
      tf.dispose([x, weighted]);
    });
    embedding.dispose();
  });
});

describeEachBackend('.keras classifiers saved by Keras: Embedding(maskZero) with LSTM or Bidirectional GRU', () => {
  for (const [name, expected] of Object.entries(FIXTURE.keras_files)) {
    it(`${name}: Keras's predictions, evaluate() and one SGD step; saved again, the same predictions`, async () => {
      const path = new URL(`./fixtures/keras-sequence/${name}.keras`, import.meta.url).pathname;
      const model = await saving.loadModel(path);
      const x = tensorOf(expected.input);
      const y = tensorOf(expected.targets);
      await assertNoLeak(async () => {
        const prediction = model.predict(x) as tf.Tensor;
        assertAllClose(prediction, expected.prediction.values, { rtol: 1e-5, atol: 1e-6 }, 'prediction');
        const evaluated = model.evaluate(x, y);
        assertAllClose(evaluated.loss as number, expected.evaluate.loss as number, { rtol: 1e-5 }, 'evaluate loss');
        const losses = tf.tidy(() => model.losses.map((l) => l.dataSync()[0] as number));
        assertAllClose(losses, expected.losses, { rtol: 1e-5, atol: 1e-7 }, 'losses');
        const copy = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
        const again = copy.predict(x) as tf.Tensor;
        assertAllClose(again, prediction, { rtol: 0, atol: 0 }, 'saved and loaded again');
        copy.dispose();
        const step = model.trainOnBatch(x, y);
        assertAllClose(
          step.loss as number,
          expected.train_on_batch.loss as number,
          { rtol: 1e-5 },
          'train_on_batch loss',
        );
        const after = model.getWeights();
        assert.equal(after.length, expected.weights_after.length);
        after.forEach((w, i) => {
          assertAllClose(w, (expected.weights_after[i] as Values).values, { rtol: 1e-4, atol: 2e-6 }, `weight ${i}`);
        });
        tf.dispose([prediction, again, ...after]);
      });
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});

describeEachBackend('recurrent layers in training', () => {
  it('dropout and recurrentDropout drop in training only; fit trains with them, leaking nothing per step', async () => {
    const make = (Layer: typeof layers.LSTM | typeof layers.GRU | typeof layers.SimpleRNN) =>
      new models.Sequential([
        layers.Input({ shape: [5], dtype: 'int32' }),
        new layers.Embedding({ inputDim: 8, outputDim: 3, maskZero: true, embeddingsRegularizer: new L2(1e-3) }),
        new Layer({ units: 4, dropout: 0.3, recurrentDropout: 0.3, kernelRegularizer: new L2(1e-3) }),
        new layers.Dense({ units: 1 }),
      ]);
    const x = tf.tensor2d(
      [
        [1, 2, 3, 0, 0],
        [4, 5, 6, 7, 1],
        [2, 0, 0, 0, 0],
        [7, 7, 1, 3, 0],
      ],
      [4, 5],
      'int32',
    );
    const y = tf.tensor2d([[1], [0], [1], [0]]);
    for (const Layer of [layers.LSTM, layers.GRU, layers.SimpleRNN]) {
      const model = make(Layer);
      model.compile({ optimizer: 'adam', loss: 'mse' });
      tf.tidy(() => {
        const inference = model.apply(x, { training: false }) as tf.Tensor;
        const training = model.apply(x, { training: true }) as tf.Tensor;
        assertAllClose(model.apply(x) as tf.Tensor, inference, { rtol: 0, atol: 0 }, 'inference is the default');
        assert.notDeepEqual(Array.from(training.dataSync()), Array.from(inference.dataSync()), 'dropout in training');
        model.clearLosses();
      });
      model.trainOnBatch(x, y);
      await assertNoLeak(async () => {
        const history = await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0 });
        for (const loss of history.history.loss ?? []) assert.ok(Number.isFinite(loss), `${Layer.name}: finite loss`);
      }, `${Layer.name} fit`);
      model.dispose();
    }
    tf.dispose([x, y]);
  });
});
