/**
 * Every Keras loss against real Keras 3.15.1 (scripts/generate_keras_losses_fixtures.py,
 * JAX backend): the loss of each sample (`call`), each reduction, sample
 * weights, a Keras mask on the predictions and both, on random inputs and
 * edge cases (one class only, logits of +-50, an empty batch); configs as
 * Keras writes them and their round trips; every name `keras.losses.get`
 * accepts; the compile_config Keras writes; and the errors for bad options
 * and targets.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, layers, losses, models } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

interface Values {
  shape: number[];
  values: number[];
}
interface Case {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  kwargs: Record<string, unknown>;
  y_true: Values;
  y_pred: Values;
  call: Values;
  reductions: Record<string, Values>;
  sample_weight?: Values;
  mask?: Values;
  weighted?: Record<string, { weights: Values; mask: Values; both: Values }>;
}
interface KerasJson {
  module: string;
  class_name: string;
  config: Record<string, unknown>;
  registered_name: string | null;
}
interface Fixture {
  keras_version: string;
  cases: Case[];
  configs: { class_name: string; kwargs: Record<string, unknown>; json: KerasJson }[];
  names: {
    name: string;
    kind: 'class' | 'function';
    class_name: string | null;
    function: string | null;
    loss_name: string;
    serialized: unknown;
  }[];
  compile_losses: unknown[];
}

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-losses.json', import.meta.url), 'utf8')) as Fixture;

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, 'float32');

/** Our loss for a Keras config and the arguments it was made with (Keras leaves Huber's delta and CosineSimilarity's axis out of its config). */
function lossOf(
  c: { class_name: string; config: Record<string, unknown>; kwargs: Record<string, unknown> },
  reduction?: string | null,
) {
  const config = { ...c.config, ...c.kwargs, ...(reduction === undefined ? {} : { reduction }) };
  return losses.deserialize({ module: 'keras.losses', class_name: c.class_name, config, registered_name: null });
}

function assertValues(actual: tf.Tensor, expected: Values, label: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  assertAllClose(actual, expected.values, {}, label);
}

/** Keras's extra config keys we write so that a non-default value survives a round trip (Keras accepts them too). */
const EXTRA_KEYS: Record<string, Record<string, unknown>> = {
  Huber: { delta: 1 },
  CosineSimilarity: { axis: -1 },
};

describeEachBackend('losses as real Keras computes them', () => {
  it(`covers every Keras loss class (Keras ${FIXTURE.keras_version})`, () => {
    const covered = new Set(FIXTURE.cases.map((c) => c.class_name));
    assert.equal(covered.size, 22);
    for (const c of covered) {
      assert.ok(FIXTURE.cases.filter((x) => x.class_name === c).length >= 3, `${c}: at least 3 input sets`);
    }
  });

  for (const c of FIXTURE.cases) {
    it(c.name, async () => {
      await assertNoLeak(() => {
        const yTrue = tensorOf(c.y_true);
        const yPred = tensorOf(c.y_pred);
        const perSample = lossOf(c).call(yTrue, yPred);
        assertValues(perSample, c.call, 'call');
        perSample.dispose();
        for (const [reduction, expected] of Object.entries(c.reductions)) {
          const value = lossOf(c, reduction).compute(yTrue, yPred);
          assertValues(value, expected, reduction);
          value.dispose();
        }
        if (c.weighted != null && c.sample_weight != null && c.mask != null) {
          const weight = tensorOf(c.sample_weight);
          const mask = tf.tensor(c.mask.values, c.mask.shape, 'bool');
          for (const [reduction, expected] of Object.entries(c.weighted)) {
            const loss = lossOf(c, reduction);
            const weighted = loss.compute(yTrue, yPred, weight);
            assertValues(weighted, expected.weights, `${reduction} with sample weights`);
            yPred.kerasMask = mask;
            const masked = loss.compute(yTrue, yPred);
            assertValues(masked, expected.mask, `${reduction} with a mask`);
            const both = loss.compute(yTrue, yPred, weight);
            assertValues(both, expected.both, `${reduction} with both`);
            yPred.kerasMask = undefined;
            tf.dispose([weighted, masked, both]);
          }
          tf.dispose([weight, mask]);
        }
        // apply() is compute() as a scalar (compile's form); an empty batch gives 0.
        const reduced = lossOf(c).apply(yTrue, yPred);
        const expected = c.reductions.sum_over_batch_size as Values;
        assertAllClose(reduced, expected.values.length === 0 ? [0] : expected.values, {}, 'apply');
        tf.dispose([reduced, yTrue, yPred]);
      });
    });
  }
});

describeEachBackend('loss configs, names and compile_config as Keras writes them', () => {
  it('serialize writes what keras.losses.serialize writes (plus Huber delta and CosineSimilarity axis), and the JSON round-trips', () => {
    for (const entry of FIXTURE.configs) {
      const loss = lossOf({ class_name: entry.class_name, config: entry.json.config, kwargs: entry.kwargs });
      const json = losses.serialize(loss);
      const extra = Object.fromEntries(
        Object.entries(EXTRA_KEYS[entry.class_name] ?? {}).map(([key, value]) => [key, entry.kwargs[key] ?? value]),
      );
      assert.deepEqual(json, { ...entry.json, config: { ...entry.json.config, ...extra } }, entry.class_name);
      const again = losses.deserialize(JSON.parse(JSON.stringify(json)));
      assert.equal(again.constructor, loss.constructor);
      assert.deepEqual(again.getConfig(), loss.getConfig());
      // Keras's own JSON (without the extra keys) loads with Keras's defaults.
      const fromKeras = losses.deserialize(entry.json);
      assert.equal(fromKeras.name, entry.json.config.name);
    }
  });

  it('losses.get and toLoss take every name keras.losses.get takes, resolving as Keras does', () => {
    assert.equal(FIXTURE.names.length, 54);
    const yTrue = tf.tensor2d([[0, 1]]);
    const yPred = tf.tensor2d([[0.25, 0.75]]);
    for (const entry of FIXTURE.names) {
      const loss = losses.toLoss(entry.name);
      assert.equal(loss.name, entry.loss_name, entry.name);
      if (entry.kind === 'class') {
        assert.equal((loss.constructor as unknown as { className: string }).className, entry.class_name, entry.name);
        assert.ok(losses.LOSS_CLASS_NAMES.includes(entry.name));
      } else {
        assert.ok(losses.LOSS_NAMES.includes(entry.name), entry.name);
        // What Keras writes for the function loads as the same loss.
        const loaded = losses.deserialize(entry.serialized);
        assert.equal(loaded.constructor, loss.constructor, entry.name);
      }
      assert.equal(typeof losses.get(entry.name as losses.LossName), 'function');
    }
    // A Keras config, as Keras's get takes one.
    const fromConfig = losses.toLoss({ class_name: 'Huber', config: { delta: 2, name: 'h' } });
    assert.ok(fromConfig instanceof losses.Huber && fromConfig.delta === 2 && fromConfig.name === 'h');
    const value = losses.get('kld')(yTrue, yPred);
    assertAllClose(value, Math.log(1 / 0.75));
    tf.dispose([yTrue, yPred, value]);
    expectValueError(
      () => losses.get('CategoricalGeneralizedCrossEntropy'),
      /^Could not interpret loss identifier: "CategoricalGeneralizedCrossEntropy"\./,
    );
    expectValueError(() => losses.get('huber_loss'), /^Could not interpret loss identifier: "huber_loss"\./);
  });

  it("compile() writes the loss in compile_config as Keras does, and Keras's loads", () => {
    const made: unknown[] = [
      'mse',
      'huber',
      new losses.Huber({ delta: 2 }),
      new losses.BinaryFocalCrossentropy({ applyClassBalancing: true }),
      new losses.SparseCategoricalCrossentropy({ ignoreClass: 1, fromLogits: true }),
    ];
    FIXTURE.compile_losses.forEach((expected, i) => {
      const model = new models.Sequential([layers.Input({ shape: [3] }), new layers.Dense({ units: 2 })]);
      model.compile({ optimizer: 'sgd', loss: made[i] as losses.LossIdentifier });
      const written = (model.getCompileConfig() as { loss: unknown }).loss;
      const extra = made[i] instanceof losses.Huber ? { delta: 2 } : {};
      const keras = expected as KerasJson | string;
      assert.deepEqual(
        written,
        typeof keras === 'string' ? keras : { ...keras, config: { ...keras.config, ...extra } },
      );
      model.dispose();
    });
  });
});

describeEachBackend('the new losses in compile()', () => {
  it('evaluate and trainOnBatch report the loss that apply() gives on the predictions; reduction "none" is refused by compile', () => {
    const x = tf.tensor2d([
      [0.1, 0.5, -0.3],
      [1.2, -0.7, 0.4],
      [0.3, 0.3, 0.9],
      [-1, 0.2, 0.6],
    ]);
    const yBinary = tf.tensor2d([
      [1, 0],
      [0, 0],
      [1, 1],
      [0, 1],
    ]);
    const yLabels = tf.tensor1d([0, 1, 1, 0]);
    const cases: [losses.LossIdentifier, tf.Tensor, string][] = [
      ['huber', yBinary, 'linear'],
      [new losses.BinaryFocalCrossentropy({ applyClassBalancing: true, fromLogits: true }), yBinary, 'linear'],
      [new losses.Dice({ axis: 1 }), yBinary, 'sigmoid'],
      [new losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 1 }), yLabels, 'linear'],
      ['categorical_hinge', yBinary, 'linear'],
    ];
    for (const [loss, y, activation] of cases) {
      const model = new models.Sequential([
        layers.Input({ shape: [3] }),
        new layers.Dense({ units: 2, activation, kernelInitializer: 'ones', biasInitializer: 'zeros' }),
      ]);
      model.compile({ optimizer: 'sgd', loss });
      const predicted = model.predict(x) as tf.Tensor;
      const expected = losses.toLoss(loss).apply(y, predicted);
      const logs = model.evaluate(x, y, { batchSize: 4 }) as Record<string, number>;
      assertAllClose([logs.loss as number], expected.dataSync(), {}, String(loss));
      const step = model.trainOnBatch(x, y) as unknown;
      const stepLoss =
        typeof step === 'number' ? step : Array.isArray(step) ? step[0] : (step as { loss: number }).loss;
      assertAllClose([stepLoss as number], expected.dataSync(), {}, `${String(loss)} trainOnBatch`);
      tf.dispose([predicted, expected]);
      model.dispose();
    }
    const model = new models.Sequential([layers.Input({ shape: [3] }), new layers.Dense({ units: 2 })]);
    expectValueError(
      () => model.compile({ optimizer: 'sgd', loss: new losses.MeanSquaredError({ reduction: 'none' }) }),
      'Loss "mean_squared_error" has reduction "none": compile() needs a loss reduced to a scalar ("sum_over_batch_size", "sum", "mean" or "mean_with_sample_weight"). Received: reduction="none"',
    );
    model.dispose();
    tf.dispose([x, yBinary, yLabels]);
  });
});

describeEachBackend('loss options and targets: clear errors', () => {
  it('refuses bad options, naming them', () => {
    expectValueError(
      () => new losses.Huber({ delta: 0 }),
      'Invalid value for argument delta: expected a number > 0. Received: delta=0',
    );
    expectValueError(
      () => new losses.Huber({ delta: -1 }),
      'Invalid value for argument delta: expected a number > 0. Received: delta=-1',
    );
    for (const q of [0, 1, 1.5, -0.1]) {
      expectValueError(
        () => new losses.CategoricalGeneralizedCrossEntropy({ q }),
        `Invalid value for argument q: expected a number in the interval (0, 1). Received: q=${q}`,
      );
    }
    expectValueError(
      () => new losses.MeanSquaredError({ reduction: 'avg' as 'sum' }),
      'Invalid value for argument reduction: expected one of "sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", null. Received: reduction="avg"',
    );
    expectValueError(
      () => new losses.MeanSquaredError({ dtype: 'float16' as 'float32' }),
      'Invalid value for argument dtype: expected "float32" or null (tfjs computes losses in float32). Received: dtype="float16"',
    );
    expectValueError(
      () => new losses.BinaryCrossentropy({ labelSmoothing: 2 }),
      'Invalid value for argument labelSmoothing: expected a number in [0, 1]. Received: labelSmoothing=2',
    );
    expectValueError(
      () => new losses.CategoricalCrossentropy({ axis: 1.5 }),
      'Invalid value for argument axis: expected an integer. Received: axis=1.5',
    );
    expectValueError(
      () => new losses.Dice({ axis: 'all' as never }),
      'Invalid value for argument axis: expected an integer, a non-empty list of integers, or null. Received: axis="all"',
    );
    expectValueError(
      () => new losses.SparseCategoricalCrossentropy({ ignoreClass: 0.5 }),
      'Invalid value for argument ignoreClass: expected an integer or null. Received: ignoreClass=0.5',
    );
    expectValueError(
      () => new losses.BinaryFocalCrossentropy({ gamma: Number.NaN }),
      'Invalid value for argument gamma: expected a finite number. Received: gamma=NaN',
    );
    expectValueError(
      () => new losses.Circle({ removeDiagonal: 1 as never }),
      'Invalid value for argument removeDiagonal: expected a boolean. Received: removeDiagonal=1',
    );
    assert.throws(
      () => new losses.Huber({ delta: 1, alpha: 2 } as never),
      (error: Error) => error instanceof KerasTypeError && /Huber got an unexpected option "alpha"/.test(error.message),
    );
  });

  it('refuses targets whose shape does not fit, and apply() with reduction "none"', async () => {
    // Inside tidy: the test's own inline tensors go; what is left would be the library's.
    await assertNoLeak(() =>
      tf.tidy(() => {
        const p = tf.tensor2d([
          [0.2, 0.8],
          [0.6, 0.4],
        ]);
        expectValueError(
          () => new losses.Huber().compute(tf.tensor2d([[1, 0, 1]]), p),
          "huber_loss: y must have the shape of the model's output. Received: y.shape=[1, 3], output shape=[2, 2]",
        );
        expectValueError(
          () => new losses.CategoricalFocalCrossentropy().compute(tf.tensor1d([0, 1]), p),
          "categorical_focal_crossentropy expects one-hot labels of the model's output shape [2, 2], but y has shape [2]: integer class labels. Use sparse_categorical_crossentropy for integer labels.",
        );
        expectValueError(
          () => new losses.CategoricalGeneralizedCrossEntropy().compute(p, p),
          "categorical_generalized_cross_entropy expects integer class labels of shape [2] or [2, 1], but y has the model's output shape [2, 2]: one-hot labels. Use categorical_crossentropy for one-hot labels.",
        );
        expectValueError(
          () =>
            new losses.SparseCategoricalCrossentropy({ ignoreClass: -1 }).checkTargetValues(
              tf.tensor1d([0, 2]),
              [2, 2],
            ),
          'sparse_categorical_crossentropy expects integer class labels in [0, 2) for a model output of 2 classes. Received: y[1]=2',
        );
        expectValueError(
          () => new losses.CTC().compute(tf.tensor2d([[1, 0]]), p),
          'ctc: logits yPred are expected to be a tensor of shape (batch_size, max_length, num_classes). Received: yPred.shape=[2, 2]',
        );
        expectValueError(
          () => new losses.CTC().compute(tf.tensor1d([1, 0]), tf.zeros([2, 3, 4])),
          'ctc: targets y are expected to be a tensor of shape (batch_size, max_length) in integer format, with the batch of the logits (2). Received: y.shape=[2]',
        );
        expectValueError(
          () => new losses.Circle().compute(tf.tensor1d([0, 1, 1]), p),
          'circle expects embeddings of shape [batch, dim] and integer labels of shape [batch] or [batch, 1]. Received: y.shape=[3], output shape=[2, 2]',
        );
        expectValueError(
          () => new losses.MeanSquaredError().compute(p, p, tf.tensor1d([1, 2, 3])),
          "mean_squared_error: sampleWeight must weigh the loss of each sample of the model's output (shape [2, 2]): expected shape [2], one weight per sample. Received: sampleWeight.shape=[3]",
        );
        const none = new losses.MeanSquaredError({ reduction: 'none' });
        expectValueError(
          () => none.apply(p, p),
          'mean_squared_error: apply() returns a scalar, but reduction is "none": use compute() for the loss of each sample, or a reducing reduction ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight") to compile.',
        );
        // Keras broadcasts labels of shape [batch, 1] against the one-hot of
        // themselves (a [batch, batch] loss); we read them as [batch] labels.
        const gce = new losses.CategoricalGeneralizedCrossEntropy();
        const column = gce.call(tf.tensor2d([[1], [0]]), p);
        assertAllClose(column, [(1 - Math.sqrt(0.8)) / 0.5, (1 - Math.sqrt(0.6)) / 0.5]);
        column.dispose();
        const values = none.compute(p, tf.zerosLike(p));
        assertAllClose(values, [(0.04 + 0.64) / 2, (0.36 + 0.16) / 2]);
        tf.dispose([p, values]);
      }),
    );
  });

  it('the function forms are reduced; the crossentropy ones also build a function from options', () => {
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const logits = tf.tensor2d([
      [2, -1],
      [0.5, 1],
    ]);
    const direct = losses.categoricalCrossentropy(y, logits, { fromLogits: true });
    const built = losses.categoricalCrossentropy({ fromLogits: true })(y, logits);
    assertAllClose(direct, built.dataSync());
    const huber = losses.huber(y, logits, { delta: 0.5 });
    assertAllClose(huber, new losses.Huber({ delta: 0.5 }).apply(y, logits).dataSync());
    tf.dispose([y, logits, direct, built, huber]);
  });
});
