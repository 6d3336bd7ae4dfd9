/**
 * BatchNormalization, LayerNormalization, GroupNormalization and
 * UnitNormalization against real Keras (test/fixtures/keras-normalization.json
 * and keras-normalization/*.keras, scripts/generate_keras_normalization_fixtures.py):
 * outputs, moving statistics, `losses` with gamma and beta regularizers, the
 * penalties' gradients and the layers' gradients; three training steps of a
 * Conv2D + BatchNormalization CNN (weights and moving statistics); .keras
 * files both ways; configs and JSON; gradients against float64 finite
 * differences; error texts; leaks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, unzipSync } from 'fflate';
import { KerasTypeError, L1, L1L2, L2, layers, models, optimizers, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import { expectValueError } from './helpers/errors.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';
import { numericGradient, randomValues } from './helpers/reference.js';
import {
  type NormalizationSpec,
  normalizeReference,
  unitNormalizeReference,
} from './helpers/reference-normalization.js';

interface Values {
  shape: number[];
  values: number[];
}
const read = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
const CASES = read(new URL('./fixtures/keras-normalization.json', import.meta.url)).cases as FixtureCase[];
const CALLS = CASES.filter((c) => c.kind === 'call');
const TRAINING = CASES.filter((c) => c.kind === 'training');
const FOLDER = new URL('./fixtures/keras-normalization/', import.meta.url);
const FILES = read(new URL('expected.json', FOLDER)).models as Record<
  string,
  { input: Values; output: Values; losses: number[]; weights: Values[] }
>;

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape);
const lossValues = (layer: layers.Layer) => tf.tidy(() => layer.losses.map((l) => l.dataSync()[0] as number));
const TOLERANCE = { rtol: 1e-5, atol: 1e-5 };

/** A variable holding `make()`'s values (the tensor itself is freed). */
function variableOf(make: () => tf.Tensor): tf.Variable {
  const initial = make();
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}

/** The case's layer from Keras's JSON, built, with the case's weights. */
function kerasLayer(fixture: FixtureCase): layers.Layer {
  const layer = layers.deserialize(fixture.json);
  layer.ensureBuilt(fixture.input.shape);
  tf.tidy(() => layer.setWeights(fixture.weights_before.map(tensorOf)));
  return layer;
}

const BN = (options: layers.BatchNormalizationOptions) => new layers.BatchNormalization(options);
const LN = (options: layers.LayerNormalizationOptions) => new layers.LayerNormalization(options);
const GN = (options: layers.GroupNormalizationOptions) => new layers.GroupNormalization(options);

/** Each case's layer built with the TypeScript API: it must serialize to the JSON Keras wrote. */
const OURS: Record<string, (name: string) => layers.Layer> = {
  'BatchNormalization defaults, inference': (name) => BN({ name }),
  'BatchNormalization defaults, training': (name) => BN({ name }),
  'BatchNormalization gamma L2, beta L1, momentum 0.9, epsilon 0.01, training, rank 4': (name) =>
    BN({ name, momentum: 0.9, epsilon: 0.01, gammaRegularizer: new L2(0.1), betaRegularizer: new L1(0.05) }),
  'BatchNormalization gamma L1L2, beta L2, inference, rank 4': (name) =>
    BN({ name, gammaRegularizer: new L1L2(0.01, 0.02), betaRegularizer: new L2(0.3) }),
  'BatchNormalization axis 1 (channels first), training': (name) => BN({ name, axis: 1 }),
  'BatchNormalization axis -2, rank 3, inference': (name) => BN({ name, axis: -2 }),
  'BatchNormalization center=False, training': (name) => BN({ name, center: false, gammaRegularizer: new L2(0.2) }),
  'BatchNormalization scale=False, inference': (name) => BN({ name, scale: false, betaRegularizer: new L1(0.1) }),
  'BatchNormalization center=False scale=False, training': (name) => BN({ name, center: false, scale: false }),
  'BatchNormalization with an activity regularizer, training': (name) =>
    BN({ name, activityRegularizer: new L2(0.01) }),
  'BatchNormalization training with a mask, rank 3': (name) => BN({ name, momentum: 0.5 }),
  'BatchNormalization inference with a mask (unused)': (name) => BN({ name }),
  'LayerNormalization defaults': (name) => LN({ name }),
  'LayerNormalization gamma L2, beta L1, epsilon 0.01, rank 3': (name) =>
    LN({ name, epsilon: 0.01, gammaRegularizer: new L2(0.1), betaRegularizer: new L1(0.05) }),
  'LayerNormalization axis [1, 2], rank 3': (name) => LN({ name, axis: [1, 2], gammaRegularizer: new L1(0.02) }),
  'LayerNormalization axis [-1, 1] (Keras reshapes gamma)': (name) => LN({ name, axis: [-1, 1] }),
  'LayerNormalization axis 1 of rank 3': (name) => LN({ name, axis: 1 }),
  'LayerNormalization center=False': (name) => LN({ name, center: false }),
  'LayerNormalization scale=False': (name) => LN({ name, scale: false }),
  'LayerNormalization rms_scaling': (name) => LN({ name, rmsScaling: true, gammaRegularizer: new L2(0.1) }),
  'GroupNormalization groups 2': (name) => GN({ name, groups: 2 }),
  'GroupNormalization groups 2, rank 4, gamma L2, beta L1': (name) =>
    GN({ name, groups: 2, gammaRegularizer: new L2(0.1), betaRegularizer: new L1(0.05) }),
  'GroupNormalization groups -1 (instance normalization), rank 3': (name) => GN({ name, groups: -1 }),
  'GroupNormalization groups 1, axis 1 (channels first)': (name) => GN({ name, groups: 1, axis: 1 }),
  'GroupNormalization groups 3, axis -2, rank 4': (name) => GN({ name, groups: 3, axis: -2, epsilon: 0.01 }),
  'GroupNormalization center=False scale=False': (name) => GN({ name, groups: 2, center: false, scale: false }),
  'UnitNormalization defaults': (name) => new layers.UnitNormalization({ name }),
  'UnitNormalization axis [1, 2]': (name) => new layers.UnitNormalization({ name, axis: [1, 2] }),
  'UnitNormalization axis 1, rank 3': (name) => new layers.UnitNormalization({ name, axis: 1 }),
};

describeEachBackend('normalization layers against Keras: outputs, moving statistics, losses, gradients', () => {
  for (const fixture of CALLS) {
    it(fixture.name, async () => {
      await assertNoLeak(() => {
        const layer = kerasLayer(fixture);
        const trainable = layer.trainableWeights;
        assert.deepEqual(
          layer.weightRecords().map((w) => w.name),
          fixture.weight_names,
          "Keras's weights, in Keras's order",
        );
        assert.deepEqual(
          layer.trainableWeightRecords().map((w) => w.name),
          fixture.trainable_names,
        );
        // One call, under the tape: output, moving statistics after it, and d sum(y * r) / d(x, weights).
        const x = variableOf(() => tensorOf(fixture.input));
        const r = tensorOf(fixture.r);
        const mask = fixture.mask == null ? null : tf.tensor(fixture.mask.values, fixture.mask.shape, 'bool');
        let y: tf.Tensor | null = null;
        const { value, grads } = tf.variableGrads(() => {
          const out = layer.apply(x, { training: fixture.training, mask }) as tf.Tensor;
          y = tf.keep(out);
          return tf.sum(tf.mul(out, r)) as tf.Scalar;
        }, [x, ...trainable]);
        const output = y as unknown as tf.Tensor;
        assert.deepEqual(output.shape, fixture.output.shape);
        assertAllClose(output, fixture.output.values, TOLERANCE, 'output');
        assertAllClose(grads[x.name] as tf.Tensor, fixture.input_grad.values, { rtol: 1e-4, atol: 1e-4 }, 'dx');
        trainable.forEach((v, i) => {
          const expected = fixture.weight_grads[i].values;
          assertAllClose(
            grads[v.name] as tf.Tensor,
            expected,
            { rtol: 1e-4, atol: 1e-4 },
            `d${fixture.trainable_names[i]}`,
          );
        });
        layer.weights.forEach((v, i) => {
          assertAllClose(v, fixture.weights_after[i].values, TOLERANCE, `${fixture.weight_names[i]} after`);
        });
        assertAllClose(lossValues(layer), fixture.losses, {}, 'losses');
        tf.dispose([value, output, r, x, ...Object.values(grads), ...(mask == null ? [] : [mask])]);

        // Each weight penalty's gradient.
        const penalized = Object.keys(fixture.penalty_grads);
        if (penalized.length > 0) {
          const weightLosses = () =>
            tf.addN(layer.lossesByLayer().flatMap((e) => (e.kind === 'weight' ? [e.loss] : []))) as tf.Scalar;
          const penalties = tf.variableGrads(weightLosses, trainable);
          for (const name of penalized) {
            const index = fixture.trainable_names.indexOf(name);
            const v = trainable[index] as tf.Variable;
            assertAllClose(
              penalties.grads[v.name] as tf.Tensor,
              fixture.penalty_grads[name].values,
              {},
              `penalty d${name}`,
            );
          }
          tf.dispose([penalties.value, ...Object.values(penalties.grads)]);
        }
        layer.dispose();
      });
    });
  }
});

describe('normalization layers: configs and JSON', () => {
  for (const fixture of CALLS) {
    it(`${fixture.name}: ours serializes to Keras's JSON; Keras's JSON round-trips`, () => {
      const make = OURS[fixture.name];
      assert.ok(make != null, `no TypeScript construction for ${fixture.name}`);
      const ours = make(fixture.json.config.name);
      ours.ensureBuilt(fixture.input.shape);
      // Close, not equal: Keras writes L1's factor float32-rounded, we write the exact number.
      const { build_config: _, ...json } = layers.serialize(ours);
      assertConfigClose(json, fixture.json);
      assert.deepEqual(Object.keys(json.config), Object.keys(fixture.json.config), "Keras's key order");
      const rebuilt = layers.deserialize(fixture.json);
      rebuilt.ensureBuilt(fixture.input.shape);
      const { build_config: __, ...again } = layers.serialize(rebuilt);
      assertConfigClose(again, fixture.json);
      assert.deepEqual(rebuilt.computeOutputShape([null, ...fixture.input.shape.slice(1)]), fixture.output_shape);
      ours.dispose();
      rebuilt.dispose();
    });
  }

  it('LayerNormalization keeps an int axis until built, then writes a sorted list (as Keras)', () => {
    const layer = new layers.LayerNormalization({ axis: [2, -1, 1] });
    assert.deepEqual(layer.getConfig().axis, [2, -1, 1]);
    layer.ensureBuilt([2, 3, 4, 5]);
    assert.deepEqual(layer.getConfig().axis, [-1, 1, 2]);
    assert.deepEqual(layer.gamma?.shape, [5, 3, 4]);
    layer.dispose();
    assert.equal(new layers.LayerNormalization().getConfig().axis, -1);
  });

  it('GroupNormalization writes groups -1 until built, then the number of channels (as Keras)', () => {
    const layer = new layers.GroupNormalization({ groups: -1 });
    assert.equal(layer.getConfig().groups, -1);
    layer.ensureBuilt([null, 7]);
    assert.equal(layer.getConfig().groups, 7);
    layer.dispose();
  });
});

/** The model of a training case, from Keras's layer configs, with its initial weights, compiled. */
function trainingModel(fixture: FixtureCase): models.Sequential {
  const model = new models.Sequential([
    layers.Input({ shape: fixture.input_shape }),
    ...fixture.layers.map((l: { class_name: string; config: Record<string, unknown> }) =>
      layers.deserialize({ module: 'keras.layers', class_name: l.class_name, config: l.config, registered_name: null }),
    ),
  ]);
  tf.tidy(() =>
    model.setWeights(fixture.initial_weights.map((w: number[], i: number) => tf.tensor(w, model.weights[i]?.shape))),
  );
  const { class_name, ...config } = fixture.optimizer;
  model.compile({ optimizer: optimizers.deserialize({ class_name, config }), loss: fixture.loss });
  return model;
}

const weightValues = (model: models.Model) => model.weights.map((v) => Array.from(v.dataSync()));

describeEachBackend(
  'a Conv2D + BatchNormalization CNN trained 3 steps: the weights and moving statistics Keras has',
  () => {
    for (const fixture of TRAINING) {
      it(fixture.name, async () => {
        const model = trainingModel(fixture);
        assert.equal(model.weights.length, fixture.weight_paths.length);
        const x = tensorOf(fixture.x);
        const y = tensorOf(fixture.y);
        const tolerance = { rtol: 1e-4, atol: 2e-5 };
        if (fixture.mode === 'train_on_batch') {
          const [xb, yb] = [tf.slice(x, 0, 4), tf.slice(y, 0, 4)];
          for (const [step, expected] of fixture.steps.entries()) {
            const logs = model.trainOnBatch(xb, yb);
            assertAllClose(logs.loss as number, expected.loss, tolerance, `loss of step ${step + 1}`);
            weightValues(model).forEach((w, i) => {
              assertAllClose(w, expected.weights[i], tolerance, `${fixture.weight_paths[i]} after step ${step + 1}`);
            });
          }
          tf.dispose([xb, yb]);
        } else {
          const history = await model.fit(x, y, {
            epochs: 1,
            batchSize: fixture.batch_size,
            shuffle: false,
            verbose: 0,
          });
          assertAllClose(history.history.loss as number[], fixture.history.loss, tolerance, 'fit loss');
          weightValues(model).forEach((w, i) => {
            assertAllClose(w, fixture.final_weights[i], tolerance, `${fixture.weight_paths[i]} after fit`);
          });
        }
        // evaluate and predict use the moving statistics, and move nothing.
        const before = weightValues(model);
        assertAllClose(
          model.evaluate(x, y, { batchSize: 4 }).loss as number,
          fixture.evaluate.loss,
          tolerance,
          'evaluate',
        );
        const firstRows = tf.slice(x, 0, 3);
        const predicted = model.predict(firstRows);
        assertAllClose(predicted, fixture.predict.values, tolerance, 'predict');
        assert.deepEqual(weightValues(model), before, 'evaluate and predict leave the weights alone');
        tf.dispose([x, y, firstRows, predicted]);
        model.dispose();
      });
    }

    it('a training step with BatchNormalization leaves no tensor behind', async () => {
      const model = trainingModel(TRAINING[0] as FixtureCase);
      const x = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 1);
      const y = tf.tensor1d([0, 1, 2, 1]);
      model.trainOnBatch(x, y); // creates the optimizer's slots
      await assertNoLeak(() => {
        model.trainOnBatch(x, y);
        model.evaluate(x, y);
        model.predict(x).dispose();
      }, 'trainOnBatch, evaluate, predict');
      tf.dispose([x, y]);
      model.dispose();
    });
  },
);

/** `value` without the `shared_object_id` keys Keras's saver adds to objects it writes more than once (dtype policies). */
function withoutSharedIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSharedIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'shared_object_id')
      .map(([key, v]) => [key, withoutSharedIds(v)]),
  );
}

/** `config.json`'s layers of a .keras archive's bytes. */
function archiveLayers(bytes: Uint8Array): { class_name: string; config: Record<string, unknown> }[] {
  const config = JSON.parse(strFromU8(unzipSync(bytes)['config.json'] as Uint8Array));
  return config.config.layers;
}

describeEachBackend('.keras files with normalization layers, both ways', () => {
  for (const [name, expected] of Object.entries(FILES)) {
    it(`${name}.keras saved by Keras loads with Keras's predictions, losses and weights; ours reads back in Keras's form`, async () => {
      const path = new URL(`${name}.keras`, FOLDER).pathname;
      const model = await saving.loadModel(path);
      const x = tensorOf(expected.input);
      const run = (m: models.Model) =>
        tf.tidy(() => ({
          output: Array.from((m.apply(x, { training: false }) as tf.Tensor).dataSync()),
          losses: m.losses.map((l) => l.dataSync()[0] as number),
        }));
      const result = run(model);
      assertAllClose(result.output, expected.output.values, TOLERANCE, 'predictions');
      assertAllClose(result.losses, expected.losses, {}, 'losses');
      // Moving statistics included, in Keras's order.
      weightValues(model).forEach((w, i) => {
        assertAllClose(w, (expected.weights[i] as Values).values, {}, `weight ${i}`);
      });

      // Saved here: the same layer configs as Keras's file, and the same model when read back.
      const bytes = await saving.saveModelToBytes(model);
      const keras = archiveLayers(new Uint8Array(readFileSync(path)));
      const ours = archiveLayers(bytes);
      const layerConfigs = (list: typeof ours) =>
        list.filter((l) => l.class_name !== 'InputLayer').map((l) => [l.class_name, l.config]);
      assertConfigClose(layerConfigs(ours), withoutSharedIds(layerConfigs(keras)));
      const again = await saving.loadModelFromBytes(bytes);
      assert.deepEqual(run(again), result);
      tf.dispose(x);
      model.dispose();
      again.dispose();
    });
  }
});

describeEachBackend('BatchNormalization: training and inference modes, frozen layers, weights', () => {
  const x = () =>
    tf.tensor([
      [1, 2],
      [3, 6],
      [5, 1],
      [7, 3],
    ]);

  it('training updates the moving statistics with the biased batch variance; inference uses them', () => {
    const bn = new layers.BatchNormalization({ momentum: 0.5, epsilon: 0 });
    const input = x();
    tf.tidy(() => bn.apply(input, { training: true }));
    // Batch mean [4, 3], biased variance [5, 3.5]: moving = 0.5 * initial + 0.5 * batch.
    assertAllClose(bn.movingMean as tf.Variable, [2, 1.5]);
    assertAllClose(bn.movingVariance as tf.Variable, [3, 2.25]);
    const inference = tf.tidy(() => Array.from((bn.apply(input) as tf.Tensor).dataSync()));
    assertAllClose(
      inference,
      [1, 2, 3, 6, 5, 1, 7, 3].map((v, i) => (i % 2 === 0 ? (v - 2) / Math.sqrt(3) : (v - 1.5) / 1.5)),
    );
    assertAllClose(bn.movingMean as tf.Variable, [2, 1.5], {}, 'inference moves nothing');
    input.dispose();
    bn.dispose();
  });

  it("a frozen layer (trainable = false) runs in inference mode in training calls and moves nothing (Keras 3's rule)", () => {
    const bn = new layers.BatchNormalization({ gammaRegularizer: new L2(0.1) });
    const input = x();
    bn.ensureBuilt([null, 2]);
    bn.trainable = false;
    const inference = tf.tidy(() => Array.from((bn.apply(input, { training: false }) as tf.Tensor).dataSync()));
    const training = tf.tidy(() => Array.from((bn.apply(input, { training: true }) as tf.Tensor).dataSync()));
    assert.deepEqual(training, inference);
    assertAllClose(bn.movingMean as tf.Variable, [0, 0]);
    assert.deepEqual(bn.trainableWeights, []);
    assert.equal(bn.nonTrainableWeights.length, 4);
    assert.deepEqual(lossValues(bn), [], 'frozen layers add no penalty');
    bn.trainable = true;
    assertAllClose(lossValues(bn), [0.2]);
    input.dispose();
    bn.dispose();
  });

  it('a trainOnBatch refused for its labels leaves the moving statistics where they were', async () => {
    const bn = new layers.BatchNormalization();
    const model = new models.Sequential([
      layers.Input({ shape: [2] }),
      bn,
      new layers.Dense({ units: 3, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const input = x();
    const labels = tf.tensor1d([0, 7, 1, 2]);
    await assertNoLeak(() => {
      expectValueError(() => model.trainOnBatch(input, labels), /expects integer class labels in \[0, 3\)/);
    });
    assertAllClose(bn.movingMean as tf.Variable, [0, 0]);
    assertAllClose(bn.movingVariance as tf.Variable, [1, 1]);
    tf.dispose([input, labels]);
    model.dispose();
  });

  it('moving statistics are non-trainable weights: no gradient, no penalty, saved after gamma and beta', () => {
    const bn = new layers.BatchNormalization({ name: 'bn' });
    bn.ensureBuilt([null, 3]);
    assert.deepEqual(
      bn.weightRecords().map((w) => [w.path, w.trainable]),
      [
        ['bn/gamma', true],
        ['bn/beta', true],
        ['bn/moving_mean', false],
        ['bn/moving_variance', false],
      ],
    );
    assert.deepEqual(bn.trainableWeights, [bn.gamma, bn.beta]);
    assert.deepEqual(bn.nonTrainableWeights, [bn.movingMean, bn.movingVariance]);
    bn.dispose();
  });

  it('gammaRegularizer and betaRegularizer take effect at once on a built layer', () => {
    const bn = new layers.BatchNormalization();
    bn.ensureBuilt([null, 2]);
    assert.deepEqual(lossValues(bn), []);
    bn.gammaRegularizer = 'l2';
    bn.betaRegularizer = new L1(1);
    tf.tidy(() => (bn.beta as tf.Variable).assign(tf.tensor([1, -2])));
    assertAllClose(lossValues(bn), [0.02, 3]);
    assert.ok(bn.gammaRegularizer instanceof L2);
    bn.dispose();
  });

  it('a Functional graph and a Sequential infer the shapes without running the layers', () => {
    const input = layers.Input({ shape: [5, 4] });
    let h = new layers.BatchNormalization({ axis: 1 }).apply(input) as layers.KerasTensor;
    h = new layers.LayerNormalization({ axis: [1, 2] }).apply(h) as layers.KerasTensor;
    h = new layers.GroupNormalization({ groups: 2 }).apply(h) as layers.KerasTensor;
    h = new layers.UnitNormalization().apply(h) as layers.KerasTensor;
    assert.deepEqual(h.shape, [null, 5, 4]);
    const model = new models.Model({ inputs: input, outputs: h });
    assert.equal(model.weights.length, 4 + 2 + 2);
    model.dispose();
  });
});

interface GradientCase {
  label: string;
  make: () => layers.Layer;
  shape: number[];
  training?: boolean;
  /** The float64 forward pass, from the input and the layer's weights (`w(i)`: weight `i` in `weights` order). */
  reference: (x: Float64Array, w: (i: number) => Float64Array) => Float64Array;
}

const spec = (
  s: Partial<NormalizationSpec> & Pick<NormalizationSpec, 'statAxes' | 'paramAxes'>,
): NormalizationSpec => ({
  gamma: null,
  beta: null,
  epsilon: 1e-3,
  ...s,
});

const GRADIENT_CASES: GradientCase[] = [
  {
    label: 'BatchNormalization training, rank 4 (the one-op path)',
    make: () => new layers.BatchNormalization(),
    shape: [2, 3, 2, 4],
    training: true,
    reference: (x, w) =>
      normalizeReference(x, [2, 3, 2, 4], spec({ statAxes: [0, 1, 2], paramAxes: [3], gamma: w(0), beta: w(1) })),
  },
  {
    label: 'BatchNormalization training, center=False, epsilon 0.1',
    make: () => new layers.BatchNormalization({ center: false, epsilon: 0.1 }),
    shape: [5, 3],
    training: true,
    reference: (x, w) =>
      normalizeReference(x, [5, 3], spec({ statAxes: [0], paramAxes: [1], gamma: w(0), epsilon: 0.1 })),
  },
  {
    label: 'BatchNormalization training, axis 1 of rank 4 (composed ops)',
    make: () => new layers.BatchNormalization({ axis: 1 }),
    shape: [3, 2, 2, 3],
    training: true,
    reference: (x, w) =>
      normalizeReference(x, [3, 2, 2, 3], spec({ statAxes: [0, 2, 3], paramAxes: [1], gamma: w(0), beta: w(1) })),
  },
  {
    label: 'BatchNormalization inference (moving statistics)',
    make: () => new layers.BatchNormalization(),
    shape: [4, 3],
    reference: (x, w) =>
      normalizeReference(
        x,
        [4, 3],
        spec({ statAxes: [0], paramAxes: [1], gamma: w(0), beta: w(1), fixed: { mean: w(2), variance: w(3) } }),
      ),
  },
  {
    label: 'BatchNormalization inference, rank 5 (after a Conv3D)',
    make: () => new layers.BatchNormalization(),
    shape: [2, 2, 1, 2, 3],
    reference: (x, w) =>
      normalizeReference(
        x,
        [2, 2, 1, 2, 3],
        spec({
          statAxes: [0, 1, 2, 3],
          paramAxes: [4],
          gamma: w(0),
          beta: w(1),
          fixed: { mean: w(2), variance: w(3) },
        }),
      ),
  },
  {
    label: 'BatchNormalization inference, axis -2 of rank 3',
    make: () => new layers.BatchNormalization({ axis: -2, scale: false }),
    shape: [2, 3, 2],
    reference: (x, w) =>
      normalizeReference(
        x,
        [2, 3, 2],
        spec({ statAxes: [0, 2], paramAxes: [1], beta: w(0), fixed: { mean: w(1), variance: w(2) } }),
      ),
  },
  {
    label: 'LayerNormalization, last axis',
    make: () => new layers.LayerNormalization(),
    shape: [3, 5],
    reference: (x, w) =>
      normalizeReference(x, [3, 5], spec({ statAxes: [1], paramAxes: [1], gamma: w(0), beta: w(1) })),
  },
  {
    label: 'LayerNormalization, axes [1, 2] of rank 3',
    make: () => new layers.LayerNormalization({ axis: [1, 2], epsilon: 0.01 }),
    shape: [2, 3, 4],
    reference: (x, w) =>
      normalizeReference(
        x,
        [2, 3, 4],
        spec({ statAxes: [1, 2], paramAxes: [1, 2], gamma: w(0), beta: w(1), epsilon: 0.01 }),
      ),
  },
  {
    label: 'LayerNormalization rmsScaling',
    make: () => new layers.LayerNormalization({ rmsScaling: true }),
    shape: [3, 4],
    reference: (x, w) => normalizeReference(x, [3, 4], spec({ statAxes: [1], paramAxes: [1], gamma: w(0), rms: true })),
  },
  {
    label: 'GroupNormalization groups 2, rank 4',
    make: () => new layers.GroupNormalization({ groups: 2 }),
    shape: [2, 2, 3, 4],
    // Seen as [2, 2, 3, 2 groups, 2 channels each]: statistics per sample and group.
    reference: (x, w) =>
      normalizeReference(x, [2, 2, 3, 2, 2], spec({ statAxes: [1, 2, 4], paramAxes: [3, 4], gamma: w(0), beta: w(1) })),
  },
  {
    label: 'GroupNormalization groups 3, axis 1',
    make: () => new layers.GroupNormalization({ groups: 3, axis: 1 }),
    shape: [2, 6, 2],
    reference: (x, w) =>
      normalizeReference(x, [2, 3, 2, 2], spec({ statAxes: [2, 3], paramAxes: [1, 2], gamma: w(0), beta: w(1) })),
  },
  {
    label: 'UnitNormalization, axes [1, 2]',
    make: () => new layers.UnitNormalization({ axis: [1, 2] }),
    shape: [2, 3, 2],
    reference: (x) => unitNormalizeReference(x, [2, 3, 2], [1, 2]),
  },
];

describeEachBackend('normalization layers: gradients against float64 finite differences', () => {
  for (const testCase of GRADIENT_CASES) {
    it(testCase.label, async () => {
      await assertNoLeak(() => {
        const layer = testCase.make();
        layer.ensureBuilt(testCase.shape);
        // Weights away from their initial values; variances positive.
        const weightValues = layer
          .weightRecords()
          .map((w, i) =>
            randomValues(w.variable.size, 20 + i).map((v) =>
              w.name === 'moving_variance' || w.name === 'gamma' ? 1 + 0.5 * v : v,
            ),
          );
        tf.tidy(() => layer.setWeights(weightValues.map((v, i) => tf.tensor(v, layer.weights[i]?.shape))));
        const size = testCase.shape.reduce((a, b) => a * b, 1);
        const xValues = randomValues(size, 1, 2);
        const r = randomValues(size, 2);
        const weights64 = weightValues.map((v) => Float64Array.from(v));
        const trainableIndexes = layer.weightRecords().flatMap((w, i) => (w.trainable ? [i] : []));
        const loss = (x: Float64Array, weights: Float64Array[]) =>
          testCase.reference(x, (i) => weights[i] as Float64Array).reduce((sum, y, i) => sum + y * (r[i] as number), 0);
        const x = variableOf(() => tf.tensor(xValues, testCase.shape));
        const rt = tf.tensor(r, testCase.shape);
        const trainable = layer.trainableWeights;
        const { value, grads } = tf.variableGrads(
          () => tf.sum(tf.mul(layer.apply(x, { training: testCase.training ?? false }) as tf.Tensor, rt)) as tf.Scalar,
          [x, ...trainable],
        );
        const tolerance = { rtol: 1e-3, atol: 1e-4 };
        const x64 = Float64Array.from(xValues);
        assertAllClose(
          grads[x.name] as tf.Tensor,
          numericGradient((xi) => loss(xi, weights64), x64),
          tolerance,
          'input',
        );
        trainable.forEach((v, k) => {
          const index = trainableIndexes[k] as number;
          const numeric = numericGradient(
            (wi) =>
              loss(
                x64,
                weights64.map((w, j) => (j === index ? wi : w)),
              ),
            weights64[index] as Float64Array,
          );
          assertAllClose(grads[v.name] as tf.Tensor, numeric, tolerance, layer.weightRecords()[index]?.name);
        });
        tf.dispose([value, x, rt, ...Object.values(grads)]);
        layer.dispose();
      });
    });
  }
});

/** Asserts that `body` throws KerasTypeError with exactly `message`. */
function expectTypeError(body: () => unknown, message: string): void {
  assert.throws(body, (error: Error) => {
    assert.ok(error instanceof KerasTypeError, `expected KerasTypeError, got ${error.name}: ${error.message}`);
    assert.equal(error.message, message);
    return true;
  });
}

describeEachBackend('normalization layers: errors', () => {
  /** Runs `body` on fresh zero tensors, freeing them even when it throws. */
  const withZeros = (shape: number[], body: (x: tf.Tensor) => unknown) => () =>
    tf.tidy(() => void body(tf.zeros(shape)));

  it('BatchNormalization: options', () => {
    expectValueError(
      () => new layers.BatchNormalization({ synchronized: true }),
      'Argument synchronized=True is only supported with the TensorFlow backend.',
    );
    expectValueError(
      () => new layers.BatchNormalization({ renorm: true }),
      'Invalid value for argument renorm: batch renormalization is not supported, expected false. Received: renorm=true',
    );
    expectValueError(
      () => new layers.BatchNormalization({ momentum: '0.9' as never }),
      'Invalid value for argument momentum: expected a finite number. Received: momentum="0.9"',
    );
    expectValueError(
      () => new layers.BatchNormalization({ epsilon: Number.NaN }),
      'Invalid value for argument epsilon: expected a finite number. Received: epsilon=NaN',
    );
    expectValueError(
      () => new layers.BatchNormalization({ gammaConstraint: 2 as never }),
      'Invalid value for argument gammaConstraint: Could not interpret constraint identifier: 2',
    );
    expectValueError(
      () => new layers.BatchNormalization({ center: 1 as never }),
      'Invalid value for argument center: expected a boolean. Received: center=1',
    );
    expectTypeError(
      () => new layers.BatchNormalization({ axis: [1] as never }),
      'Invalid type for argument axis: expected an integer. Received: axis=[1]',
    );
    expectTypeError(
      () => new layers.BatchNormalization({ gamma_regularizer: 'l2' } as never),
      'BatchNormalization got an unexpected option "gamma_regularizer". Expected: name, trainable, dtype, activityRegularizer, inputShape, inputDim, batchInputShape, batchSize, axis, momentum, epsilon, center, scale, betaInitializer, gammaInitializer, betaRegularizer, gammaRegularizer, betaConstraint, gammaConstraint, movingMeanInitializer, movingVarianceInitializer, synchronized, renorm, renormClipping, renormMomentum. Received: {"gamma_regularizer":"l2"}. Did you mean "gammaRegularizer"?',
    );
  });

  it('BatchNormalization: inputs', () => {
    expectValueError(
      withZeros([2, 3], (x) => new layers.BatchNormalization({ axis: 2 }).apply(x)),
      'Axis 2 is out of bounds for input shape [2, 3]. Received: axis=2',
    );
    const bn = new layers.BatchNormalization({ name: 'bn' });
    tf.tidy(() => bn.apply(tf.zeros([2, 3])));
    expectValueError(
      withZeros([2, 4], (x) => bn.apply(x)),
      'Input 0 of layer "bn" is incompatible with the layer: expected axis -1 of input shape to have value 3, but received input with shape [2, 4]',
    );
    expectValueError(
      withZeros([2, 2, 3], (x) => bn.apply(x)),
      'Input 0 of layer "bn" is incompatible with the layer: expected ndim=2, found ndim=3. Full shape received: [2, 2, 3]',
    );
    bn.dispose();
    expectValueError(
      () =>
        tf.tidy(() => {
          const masked = new layers.BatchNormalization({ name: 'bn_mask' });
          masked.apply(tf.zeros([2, 3, 4]), { training: true, mask: tf.ones([2, 3, 4], 'bool') });
        }),
      'The mask provided should be one dimension less than the inputs. Received: mask.shape=[2, 3, 4], inputs.shape=[2, 3, 4]',
    );
    expectValueError(
      () => new layers.BatchNormalization({ name: 'bn_unknown' }).apply(layers.Input({ batchShape: [null, null] })),
      'Axis -1 of input tensor should have a defined dimension but the layer "bn_unknown" received an input with shape [null, null].',
    );
  });

  it('LayerNormalization and UnitNormalization: axes', () => {
    expectTypeError(
      () => new layers.LayerNormalization({ axis: 'a' as never }),
      'Invalid type for argument axis: expected an integer or a non-empty array of integers. Received: axis="a"',
    );
    expectTypeError(
      () => new layers.UnitNormalization({ axis: [] }),
      'Invalid type for argument axis: expected an integer or a non-empty array of integers. Received: axis=[]',
    );
    expectValueError(
      withZeros([2, 3], (x) => new layers.LayerNormalization({ axis: [1, -1] }).apply(x)),
      'Invalid value for argument axis: expected distinct axes of inputs of rank 2. Received: axis=[1,-1]',
    );
    expectValueError(
      withZeros([2, 3], (x) => new layers.UnitNormalization({ axis: -3 }).apply(x)),
      'Axis -3 is out of bounds for input shape [2, 3]. Received: axis=-3',
    );
    const ln = new layers.LayerNormalization({ name: 'ln', axis: [1, 2] });
    tf.tidy(() => ln.apply(tf.zeros([2, 3, 4])));
    expectValueError(
      withZeros([2, 3, 5], (x) => ln.apply(x)),
      'Input 0 of layer "ln" is incompatible with the layer: expected inputs of shape [null, 3, 4] (null: any size). Received: input shape [2, 3, 5]',
    );
    ln.dispose();
  });

  it('GroupNormalization: groups', () => {
    for (const groups of [0, -2, 2.5]) {
      expectValueError(
        () => new layers.GroupNormalization({ groups }),
        `Received an invalid value for argument \`groups\`, expected a positive integer (or \`-1\` for instance normalization). Received: groups=${groups}`,
      );
    }
    expectValueError(
      withZeros([2, 4], (x) => new layers.GroupNormalization({ groups: 5 }).apply(x)),
      'Number of groups (5) cannot be more than the number of channels (4).',
    );
    expectValueError(
      withZeros([2, 4], (x) => new layers.GroupNormalization({ groups: 3 }).apply(x)),
      'Number of channels (4) must be a multiple of the number of groups (3). Received: groups=3',
    );
    expectValueError(
      withZeros([2, 4], (x) => new layers.GroupNormalization({ groups: 2, axis: 0 }).apply(x)),
      'Invalid value for argument axis: expected a channels axis after the batch axis. Received: axis=0',
    );
  });

  it('errors leave no tensor behind', async () => {
    await assertNoLeak(() => {
      assert.throws(withZeros([2, 4], (x) => new layers.GroupNormalization({ groups: 3 }).apply(x)));
      assert.throws(withZeros([2, 3], (x) => new layers.BatchNormalization({ axis: 2 }).apply(x)));
    });
  });
});
