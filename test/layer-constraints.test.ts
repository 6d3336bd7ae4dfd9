/**
 * Every layer's constraint arguments against real Keras: each layer family
 * with a constraint on each constrained weight trains three steps (SGD and
 * Adam, with and without an L2 penalty on the same weights) to Keras's
 * weights; a .keras file with MaxNorm, NonNeg and UnitNorm loads, trains and
 * saves; options are checked and settable on built layers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { constraints, KerasTypeError, layers, models, optimizers, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is read as data.
type Case = { name: string; kind: string } & Record<string, any>;
const FIXTURES = new URL('./fixtures/keras-constraints/', import.meta.url);
const CASES = (
  JSON.parse(readFileSync(new URL('./fixtures/keras-constraints.json', import.meta.url), 'utf8')) as { cases: Case[] }
).cases;
const TRAINING = CASES.filter((c) => c.kind === 'training');
const FILE = JSON.parse(readFileSync(new URL('expected.json', FIXTURES), 'utf8'));

function tensorOf(spec: { shape: number[]; values: number[]; dtype?: string }): tf.Tensor {
  return tf.tensor(spec.values, spec.shape, spec.dtype === 'int32' ? 'int32' : 'float32');
}

function optimizerOf(spec: { name: string; config: Record<string, number> }): optimizers.Optimizer {
  const learningRate = spec.config.learning_rate as number;
  if (spec.name === 'SGD') return new optimizers.SGD({ learningRate });
  return new optimizers.Adam({ learningRate, epsilon: spec.config.epsilon as number });
}

function trainAndCompare(model: models.Model, fixture: Case, x: tf.Tensor, y: tf.Tensor, label: string): void {
  for (let index = 0; index < fixture.weights_after_each_step.length; index++) {
    const logs = model.trainOnBatch(x, y);
    if (fixture.losses != null) {
      assertAllClose(logs.loss as number, fixture.losses[index], { rtol: 1e-5 }, `${label} loss at step ${index}`);
    }
    model.weights.forEach((w, i) => {
      assertAllClose(
        w,
        fixture.weights_after_each_step[index][i],
        { rtol: 1e-5, atol: 1e-6 },
        `${label} weight ${i} (${w.name}) after step ${index}`,
      );
    });
  }
}

describeEachBackend('constrained layers train as in Keras', () => {
  for (const fixture of TRAINING) {
    it(fixture.name, async () => {
      const model = models.modelFromJSON(fixture.model) as models.Model;
      model.setWeights(fixture.initial_weights.map((w: number[], i: number) => tf.tensor(w, model.weights[i]?.shape)));
      model.compile({ optimizer: optimizerOf(fixture.optimizer), loss: 'mse' });
      const x = tensorOf(fixture.x);
      const y = tensorOf(fixture.y);
      // The first step creates the optimizer's state; later steps leave no tensor behind.
      const first = { ...fixture, weights_after_each_step: fixture.weights_after_each_step.slice(0, 1) };
      trainAndCompare(model, first, x, y, fixture.name);
      const rest = {
        ...fixture,
        losses: fixture.losses.slice(1),
        weights_after_each_step: fixture.weights_after_each_step.slice(1),
      };
      await assertNoLeak(() => trainAndCompare(model, rest, x, y, fixture.name));
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});

describeEachBackend('a Keras file with MaxNorm, NonNeg and UnitNorm', () => {
  it('loads with its constraints, predicts, trains 3 steps to Keras and saves back', async () => {
    const bytes = readFileSync(new URL('constrained.keras', FIXTURES));
    const model = (await saving.loadModelFromBytes(bytes)) as models.Sequential;
    const [first, dropout, second] = model.layers as [layers.Dense, layers.Dropout, layers.Dense];
    assert.ok(first.kernelConstraint instanceof constraints.MaxNorm);
    assert.deepEqual((first.kernelConstraint as constraints.MaxNorm).getConfig(), { maxValue: 0.7, axis: 0 });
    assert.ok(first.biasConstraint instanceof constraints.NonNeg);
    assert.ok(second.kernelConstraint instanceof constraints.UnitNorm);
    assert.deepEqual((second.biasConstraint as constraints.MaxNorm).getConfig(), { maxValue: 0.5, axis: null });
    // Our configs write the constraints as Keras's own did.
    for (const index of [0, 2]) {
      const ours = saving.configToSnake(model.layers[index]?.getConfig() as Record<string, unknown>);
      const keras = FILE.configs[index];
      for (const key of ['kernel_constraint', 'bias_constraint']) assert.deepEqual(ours[key], keras[key], key);
    }
    const x = tensorOf(FILE.x);
    const y = tensorOf(FILE.y);
    tf.tidy(() => assertAllClose(model.predict(x) as tf.Tensor, FILE.predictions, {}, 'predictions'));
    // Keras trained with the Dropout's rate at 0 (its mask is random).
    (dropout as unknown as { rate: number }).rate = 0;
    trainAndCompare(model, FILE, x, y, 'constrained.keras');
    const saved = await saving.saveModelToBytes(model);
    const again = (await saving.loadModelFromBytes(saved)) as models.Sequential;
    assert.deepEqual(
      saving.configToSnake(again.layers[0]?.getConfig() as Record<string, unknown>).kernel_constraint,
      FILE.configs[0].kernel_constraint,
    );
    for (const [i, w] of again.weights.entries()) {
      assertAllClose(w, model.weights[i] as tf.Variable, { rtol: 0, atol: 0 });
    }
    tf.dispose([x, y]);
    model.dispose();
    again.dispose();
  });
});

describe('constraint options of layers', () => {
  it('are stored, written to configs as Keras writes them, and read back', () => {
    const dense = new layers.Dense({
      units: 3,
      kernelConstraint: 'max_norm',
      biasConstraint: new constraints.NonNeg(),
    });
    assert.ok(dense.kernelConstraint instanceof constraints.MaxNorm);
    const config = saving.configToSnake(dense.getConfig());
    assert.deepEqual(config.kernel_constraint, {
      module: 'keras.constraints',
      class_name: 'MaxNorm',
      config: { max_value: 2, axis: 0 },
      registered_name: null,
    });
    assert.deepEqual(config.bias_constraint, {
      module: 'keras.constraints',
      class_name: 'NonNeg',
      config: {},
      registered_name: null,
    });
    const rebuilt = layers.Dense.fromConfig(dense.getConfig()) as layers.Dense;
    assert.ok(rebuilt.biasConstraint instanceof constraints.NonNeg);
    assert.equal(saving.configToSnake(new layers.Dense({ units: 1 }).getConfig()).kernel_constraint, null);
  });

  it('are accepted by every layer that has the weight', () => {
    const max = () => new constraints.MaxNorm(1);
    const made: layers.Layer[] = [
      new layers.EinsumDense({
        equation: 'ab,bc->ac',
        outputShape: 3,
        biasAxes: 'c',
        kernelConstraint: max(),
        biasConstraint: max(),
      }),
      new layers.Embedding({ inputDim: 5, outputDim: 2, embeddingsConstraint: max() }),
      new layers.Conv1D({ filters: 2, kernelSize: 2, kernelConstraint: max(), biasConstraint: max() }),
      new layers.Conv3D({ filters: 2, kernelSize: 2, kernelConstraint: max() }),
      new layers.Conv1DTranspose({ filters: 2, kernelSize: 2, kernelConstraint: max() }),
      new layers.Conv3DTranspose({ filters: 2, kernelSize: 2, biasConstraint: max() }),
      new layers.DepthwiseConv1D({ kernelSize: 2, depthwiseConstraint: max(), biasConstraint: max() }),
      new layers.SeparableConv1D({ filters: 2, kernelSize: 2, depthwiseConstraint: max(), pointwiseConstraint: max() }),
      new layers.SimpleRNN({ units: 2, kernelConstraint: max(), recurrentConstraint: max(), biasConstraint: max() }),
      new layers.LSTMCell({ units: 2, recurrentConstraint: max() }),
      new layers.GRUCell({ units: 2, kernelConstraint: max() }),
      new layers.ConvLSTM1D({ filters: 2, kernelSize: 2, kernelConstraint: max(), recurrentConstraint: max() }),
      new layers.ConvLSTM3D({ filters: 2, kernelSize: 2, biasConstraint: max() }),
      new layers.LayerNormalization({ gammaConstraint: max(), betaConstraint: max() }),
      new layers.GroupNormalization({ groups: 1, gammaConstraint: max() }),
      new layers.PReLU({ alphaConstraint: max() }),
      new layers.GroupedQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1, kernelConstraint: max() }),
    ];
    for (const layer of made) {
      const config = saving.configToSnake(layer.getConfig());
      const written = Object.entries(config).filter(([key, value]) => key.endsWith('_constraint') && value != null);
      assert.ok(written.length > 0, `${layer.constructor.name} writes its constraint`);
      for (const [, value] of written) assert.equal((value as { class_name: string }).class_name, 'MaxNorm');
    }
  });

  it('are applied after each update, and a setter on a built layer changes the recorded constraint', () => {
    const model = new models.Sequential([
      layers.Input({ shape: [2] }),
      new layers.Dense({ units: 2, kernelInitializer: 'ones', biasInitializer: 'ones' }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
    const dense = model.layers[0] as layers.Dense;
    const x = tf.ones([1, 2]);
    const y = tf.zeros([1, 2]);
    model.trainOnBatch(x, y);
    assertAllClose(dense.kernel as tf.Variable, [1, 1, 1, 1]);
    dense.kernelConstraint = new constraints.MaxNorm(1);
    dense.biasConstraint = (w: tf.Tensor) => tf.mul(w, -1);
    model.trainOnBatch(x, y);
    const r = Math.SQRT1_2;
    assertAllClose(dense.kernel as tf.Variable, [r, r, r, r], { rtol: 1e-6 });
    assertAllClose(dense.bias as tf.Variable, [-1, -1]);
    dense.kernelConstraint = null;
    dense.biasConstraint = null;
    dense.kernel?.assign(tf.fill([2, 2], 3));
    model.trainOnBatch(x, y);
    assertAllClose(dense.kernel as tf.Variable, [3, 3, 3, 3]);
    assertAllClose(dense.bias as tf.Variable, [-1, -1]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a constrained Embedding table takes the dense update, constrained (not the row-sparse path)', () => {
    const model = new models.Sequential([
      layers.Input({ shape: [1] }),
      new layers.Embedding({
        inputDim: 4,
        outputDim: 2,
        embeddingsInitializer: 'ones',
        embeddingsConstraint: new constraints.MaxNorm(1, 1),
      }),
      new layers.Flatten(),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
    model.trainOnBatch(tf.tensor([[0]], [1, 1], 'int32'), tf.zeros([1, 2]));
    // Every row, used or not, is projected to norm 1.
    const r = Math.SQRT1_2;
    const table = (model.layers[0] as layers.Embedding).embeddings as tf.Variable;
    assertAllClose(table, [r, r, r, r, r, r, r, r], { rtol: 1e-6 });
    model.dispose();
  });

  it('refuse values that are no constraint, naming the option', () => {
    expectValueError(
      () => new layers.Dense({ units: 2, kernelConstraint: 3 as never }),
      'Invalid value for argument kernelConstraint: Could not interpret constraint identifier: 3',
    );
    expectValueError(
      () => new layers.Conv2D({ filters: 2, kernelSize: 2, biasConstraint: 'l2' }),
      /^Invalid value for argument biasConstraint: Could not interpret constraint identifier: "l2"/,
    );
    expectValueError(
      () => new layers.DepthwiseConv2D({ kernelSize: 2, depthwiseConstraint: {} as never }),
      /^Invalid value for argument depthwiseConstraint: Could not interpret constraint identifier: \{\}/,
    );
    expectValueError(
      () => new layers.LSTM({ units: 2, recurrentConstraint: 'nonneg!' }),
      /^Invalid value for argument recurrentConstraint: /,
    );
    expectValueError(
      () => new layers.BatchNormalization({ gammaConstraint: true as never }),
      /^Invalid value for argument gammaConstraint: /,
    );
    expectValueError(
      () => new layers.MultiHeadAttention({ numHeads: 1, keyDim: 2, biasConstraint: [] as never }),
      /^Invalid value for argument biasConstraint: /,
    );
    const dense = new layers.Dense({ units: 2 });
    expectValueError(() => {
      dense.kernelConstraint = 'maxnorm2';
    }, /^Invalid value for argument kernelConstraint: /);
  });

  it('refuse a constraint for a weight the layer does not have', () => {
    assert.throws(
      () => new layers.Dense({ units: 2, recurrentConstraint: 'max_norm' } as never),
      (error: Error) =>
        error instanceof KerasTypeError && /unexpected option "recurrentConstraint"/.test(error.message),
    );
    assert.throws(
      () => new layers.Conv2D({ filters: 2, kernelSize: 2, depthwiseConstraint: 'max_norm' } as never),
      KerasTypeError,
    );
    assert.throws(() => new layers.BatchNormalization({ kernelConstraint: 'max_norm' } as never), KerasTypeError);
    assert.throws(() => new layers.PReLU({ gammaConstraint: 'non_neg' } as never), KerasTypeError);
  });

  it('an axis out of range fails at build, naming the weight, its rank and the axis', async () => {
    await assertNoLeak(() => {
      const dense = new layers.Dense({ units: 2, kernelConstraint: new constraints.MaxNorm(1, 2) });
      expectValueError(
        () => dense.build([null, 3]),
        'Invalid value for argument axis of MaxNorm: axis 2 is out of range for weight kernel of layer "' +
          dense.name +
          '" of rank 2: expected an axis in [-2, 1]. Received: axis=2',
      );
      const conv = new layers.Conv2D({ filters: 2, kernelSize: 2, biasConstraint: new constraints.UnitNorm([0, 1]) });
      expectValueError(
        () => conv.build([null, 4, 4, 1]),
        /axis 1 is out of range for weight bias of layer "[^"]+" of rank 1/,
      );
      conv.dispose();
      dense.dispose();
      const built = new layers.Dense({ units: 2 });
      built.build([null, 3]);
      expectValueError(() => {
        built.kernelConstraint = new constraints.UnitNorm(-3);
      }, /axis -3 is out of range for weight kernel/);
      built.dispose();
    });
  });
});
