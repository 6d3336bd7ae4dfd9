/**
 * SpectralNormalization against real Keras 3.15.1 on JAX
 * (test/fixtures/keras-noise.json and keras-noise/, made by
 * scripts/generate_keras_noise_fixtures.py): over Dense, Conv2D and
 * Embedding with fixed kernel, bias and vector_u, the inference output, a
 * training step's output, gradients and vector_u (jax.grad through
 * stateless_call), an eager training call's output and the kernel and
 * vector_u it assigns; models trained 3 steps with SGD and Adam; a .keras
 * file with the noise layers. Gradients also against float64 finite
 * differences.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, unzipSync } from 'fflate';
import { layers, models, optimizers, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import { expectValueError } from './helpers/errors.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';
import { numericGradient, randomValues } from './helpers/reference.js';

const CASES = (
  JSON.parse(readFileSync(new URL('./fixtures/keras-noise.json', import.meta.url), 'utf8')) as {
    cases: FixtureCase[];
  }
).cases;
const CALLS = CASES.filter((c) => c.kind === 'spectral_call');
const TRAINING = CASES.filter((c) => c.kind === 'spectral_training');
const FOLDER = new URL('./fixtures/keras-noise/', import.meta.url);
type Values = { shape: number[]; values: number[] };
const FILES = (
  JSON.parse(readFileSync(new URL('expected.json', FOLDER), 'utf8')) as { models: Record<string, FixtureCase> }
).models;
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

const tensorOf = (v: Values, dtype: 'float32' | 'int32' = 'float32') => tf.tensor(v.values, v.shape, dtype);
const valuesOf = (variables: readonly tf.Variable[]) => variables.map((v) => Array.from(v.dataSync()));

/** The layer of a call case, from Keras's JSON (built by its build_config), with the case's weights. */
function callLayer(fixture: FixtureCase): layers.SpectralNormalization {
  const layer = layers.deserialize(fixture.json) as layers.SpectralNormalization;
  tf.tidy(() => layer.setWeights(fixture.weights_before.map((w: Values) => tensorOf(w))));
  return layer;
}

/** The case's weights put back (a training call moves vector_u and maybe the kernel). */
function reset(layer: layers.SpectralNormalization, fixture: FixtureCase): void {
  tf.tidy(() => layer.setWeights(fixture.weights_before.map((w: Values) => tensorOf(w))));
}

function weightPaths(layer: layers.Layer): string[] {
  return layer.weightRecords().map((r) => r.path);
}

describe('SpectralNormalization: weights, configs and errors as Keras', () => {
  for (const fixture of CALLS) {
    it(`${fixture.name}: Keras's JSON builds here with Keras's weights, paths and order (kernel, vector_u, bias), and writes it back`, () => {
      const layer = callLayer(fixture);
      assert.deepEqual(weightPaths(layer), fixture.weight_paths);
      assert.deepEqual(
        layer.trainableWeightRecords().map((r) => r.path),
        fixture.trainable_paths,
      );
      assert.deepEqual(layer.nonTrainableWeights, [layer.vectorU]);
      assertConfigClose(layers.serialize(layer), fixture.json);
      assert.equal(layer.supportsMasking, false);
      layer.dispose();
    });
  }

  it('getConfig and fromConfig round-trip, the wrapped layer as Keras JSON', () => {
    const layer = new layers.SpectralNormalization({
      layer: new layers.Conv2D({ filters: 2, kernelSize: 3, name: 'c' }),
      powerIterations: 4,
      name: 'sn_conv',
    });
    const config = layer.getConfig();
    assert.equal(config.powerIterations, 4);
    assert.equal((config.layer as { class_name: string }).class_name, 'Conv2D');
    const again = layers.SpectralNormalization.fromConfig(config);
    assert.deepEqual(again.getConfig(), config);
    assert.ok(again.layer instanceof layers.Conv2D);
    const json = layers.serialize(layer);
    assert.deepEqual(layers.serialize(layers.deserialize(json)), json);
  });

  it('a layer with no kernel nor embeddings is refused, naming it (Keras refuses it at build)', () => {
    expectValueError(
      () => new layers.SpectralNormalization({ layer: new layers.Dropout({ rate: 0.1 }) }),
      "Dropout object has no attribute 'kernel' nor 'embeddings'",
    );
    expectValueError(
      () => new layers.SpectralNormalization({ layer: new layers.BatchNormalization() }),
      "BatchNormalization object has no attribute 'kernel' nor 'embeddings'",
    );
    expectValueError(
      () => new layers.SpectralNormalization({ layer: 'dense' as unknown as layers.Layer }),
      `Layer "dense" supplied to Wrapper isn't a supported layer type. Please ensure wrapped layer is a valid Keras layer.`,
    );
  });

  it('SeparableConv2D (depthwise and pointwise kernels, no kernel) is refused too', () => {
    expectValueError(
      () => new layers.SpectralNormalization({ layer: new layers.SeparableConv2D({ filters: 2, kernelSize: 2 }) }),
      "SeparableConv2D object has no attribute 'kernel' nor 'embeddings'",
    );
  });

  it('over EinsumDense, Conv1D, Conv2DTranspose, Conv3D and DepthwiseConv2D an eager training call divides the kernel by its float64 spectral-norm estimate', () => {
    const made: [layers.Layer, number[]][] = [
      [new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: [3] }), [2, 4]],
      [new layers.Conv1D({ filters: 2, kernelSize: 2 }), [2, 5, 3]],
      [new layers.Conv2DTranspose({ filters: 2, kernelSize: 2 }), [1, 3, 3, 2]],
      [new layers.Conv3D({ filters: 2, kernelSize: 2 }), [1, 3, 3, 3, 1]],
      [new layers.DepthwiseConv2D({ kernelSize: 2 }), [1, 3, 3, 2]],
    ];
    for (const [inner, shape] of made) {
      const layer = new layers.SpectralNormalization({ layer: inner, powerIterations: 2 });
      layer.build([null, ...shape.slice(1)]);
      const kernel = layer.kernel as tf.Variable;
      const units = kernel.shape[kernel.rank - 1] as number;
      const rows = kernel.size / units;
      const w = Array.from(kernel.dataSync());
      let u = Array.from((layer.vectorU as tf.Variable).dataSync());
      let v: number[] = [];
      const normalize = (a: number[]) => {
        const n = Math.sqrt(a.reduce((t, e) => t + e * e, 0));
        return a.map((e) => e / n);
      };
      for (let i = 0; i < 2; i++) {
        v = normalize(
          Array.from({ length: rows }, (_, r) => u.reduce((t, ue, c) => t + ue * (w[r * units + c] as number), 0)),
        );
        u = normalize(
          Array.from({ length: units }, (_, c) => v.reduce((t, ve, r) => t + ve * (w[r * units + c] as number), 0)),
        );
      }
      let sigma = 0;
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < units; c++) sigma += (v[r] as number) * (w[r * units + c] as number) * (u[c] as number);
      const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
      tf.dispose(layer.apply(x, { training: true }));
      assertAllClose(
        kernel,
        w.map((e) => e / sigma),
        { rtol: 1e-5, atol: 1e-6 },
        `${inner.name} kernel`,
      );
      assertAllClose(layer.vectorU as tf.Variable, u, { rtol: 1e-5, atol: 1e-6 }, `${inner.name} vector_u`);
      x.dispose();
      layer.dispose();
    }
  });

  it('powerIterations must be an integer >= 1', () => {
    for (const powerIterations of [0, -1, 1.5, Number.NaN]) {
      expectValueError(
        () => new layers.SpectralNormalization({ layer: new layers.Dense({ units: 2 }), powerIterations }),
        `\`power_iterations\` should be an integer greater than zero. Received: \`power_iterations=${powerIterations}\``,
      );
    }
  });
});

describeEachBackend('SpectralNormalization: outputs, steps and gradients equal Keras', () => {
  for (const fixture of CALLS) {
    it(`${fixture.name}`, async () => {
      const layer = callLayer(fixture);
      const x = tensorOf(fixture.input, fixture.ids ? 'int32' : 'float32');
      const r = tensorOf(fixture.r);
      const [kernel, vectorU] = [layer.kernel as tf.Variable, layer.vectorU as tf.Variable];
      const before = fixture.weights_before.map((w: Values) => w.values);

      // Keras casts the output to the inputs' dtype: for Embedding's int32 ids, to whole numbers
      // (and zero gradients); ours stays float, and equals Keras's once truncated.
      const asKeras = (y: tf.Tensor) => (fixture.ids ? tf.tidy(() => tf.cast(y, 'int32')) : y);
      const expectOutput = (y: tf.Tensor, expected: Values, label: string) => {
        const seen = asKeras(y);
        assertAllClose(seen, expected.values, TOLERANCE, label);
        if (seen !== y) seen.dispose();
      };

      // Inference: the kernel as it is; nothing moves.
      const inference = layer.apply(x, { training: false }) as tf.Tensor;
      expectOutput(inference, fixture.inference_output, 'inference output');
      inference.dispose();
      assert.deepEqual(
        valuesOf(layer.weights),
        before.map((v: number[]) => Array.from(Float32Array.from(v))),
      );

      // A training step (under a gradient): the normalized kernel for this call, the gradient through it.
      const trainable = layer.trainableWeights;
      const { value, grads } = tf.variableGrads(() => {
        const y = layer.apply(x, { training: true }) as tf.Tensor;
        expectOutput(y, fixture.step_output, 'training step output');
        return tf.sum(tf.mul(y, r)) as tf.Scalar;
      }, trainable);
      if (!fixture.ids) {
        trainable.forEach((v, i) => {
          assertAllClose(grads[v.name] as tf.Tensor, fixture.weight_grads[i].values, TOLERANCE, `gradient ${i}`);
        });
      }
      assertAllClose(vectorU, fixture.step_vector_u.values, TOLERANCE, 'vector_u after the step');
      assertAllClose(kernel, before[0], { rtol: 0, atol: 0 }, 'the step leaves the kernel variable as it was');
      tf.dispose([value, ...Object.values(grads)]);

      if (!fixture.ids) {
        reset(layer, fixture);
        const inputGrad = tf.grad((input: tf.Tensor) =>
          tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, r)),
        );
        const g = inputGrad(x);
        assertAllClose(g, fixture.input_grad.values, TOLERANCE, 'input gradient');
        g.dispose();
      }

      // An eager training call: Keras assigns the normalized kernel and the new vector_u.
      reset(layer, fixture);
      const training = layer.apply(x, { training: true }) as tf.Tensor;
      expectOutput(training, fixture.training_output, 'eager training output');
      training.dispose();
      valuesOf(layer.weights).forEach((w, i) => {
        assertAllClose(
          w,
          fixture.weights_after_training_call[i].values,
          TOLERANCE,
          `${fixture.weight_paths[i]} after the call`,
        );
      });

      reset(layer, fixture);
      await assertNoLeak(() => {
        tf.dispose(layer.apply(x, { training: true }));
        tf.dispose(layer.apply(x));
        const { value: v, grads: g } = tf.variableGrads(
          () => tf.sum(layer.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
          trainable,
        );
        tf.dispose([v, ...Object.values(g)]);
      }, 'training calls and steps');
      tf.dispose([x, r]);
      layer.dispose();
    });
  }

  it('the gradient through the normalization equals float64 finite differences (u and v held constant, as stop_gradient)', () => {
    const [inputDim, units, batch] = [4, 3, 2];
    const x = randomValues(batch * inputDim, 1);
    const k0 = randomValues(inputDim * units, 2, 0.8);
    const u0 = randomValues(units, 3);
    const r = randomValues(batch * units, 4);
    const layer = new layers.SpectralNormalization({
      layer: new layers.Dense({ units, useBias: false }),
      powerIterations: 2,
    });
    layer.build([null, inputDim]);
    const at = (w: Float64Array | number[], i: number, j: number) => w[i * units + j] as number;
    // u and v from the power iteration at k0 (float64), then held constant.
    const normalize = (v: number[]) => {
      const n = Math.sqrt(v.reduce((s, e) => s + e * e, 0));
      return v.map((e) => e * Math.min(1 / n, 1e7));
    };
    let u = [...u0];
    let v: number[] = [];
    for (let it = 0; it < 2; it++) {
      v = normalize(Array.from({ length: inputDim }, (_, i) => u.reduce((s, ue, j) => s + ue * at(k0, i, j), 0)));
      u = normalize(Array.from({ length: units }, (_, j) => v.reduce((s, ve, i) => s + ve * at(k0, i, j), 0)));
    }
    const objective = (k: Float64Array) => {
      let sigma = 0;
      for (let i = 0; i < inputDim; i++)
        for (let j = 0; j < units; j++) sigma += (v[i] as number) * at(k, i, j) * (u[j] as number);
      let total = 0;
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < units; j++) {
          let y = 0;
          for (let i = 0; i < inputDim; i++) y += (x[b * inputDim + i] as number) * (at(k, i, j) / sigma);
          total += y * (r[b * units + j] as number);
        }
      }
      return total;
    };
    const expected = numericGradient(objective, k0);
    tf.tidy(() => layer.setWeights([tf.tensor(k0, [inputDim, units]), tf.tensor(u0, [1, units])]));
    const xt = tf.tensor(x, [batch, inputDim]);
    const rt = tf.tensor(r, [batch, units]);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(layer.apply(xt, { training: true }) as tf.Tensor, rt)) as tf.Scalar,
      layer.trainableWeights,
    );
    assertAllClose(
      grads[(layer.kernel as tf.Variable).name] as tf.Tensor,
      expected,
      { rtol: 1e-4, atol: 1e-5 },
      'kernel gradient',
    );
    tf.dispose([xt, rt, value, ...Object.values(grads)]);
    layer.dispose();
  });
});

/** The model of a training case, from Keras's layer JSON, with its initial weights, compiled. */
function trainingModel(fixture: FixtureCase): models.Sequential {
  const model = new models.Sequential([
    layers.Input({ shape: fixture.input_shape }),
    ...fixture.layers.map((json: Record<string, unknown>) => {
      const { build_config: _, ...rest } = json;
      return layers.deserialize(rest);
    }),
  ]);
  tf.tidy(() =>
    model.setWeights(fixture.initial_weights.map((w: number[], i: number) => tf.tensor(w, model.weights[i]?.shape))),
  );
  const { class_name, ...config } = fixture.optimizer;
  model.compile({ optimizer: optimizers.deserialize({ class_name, config }), loss: fixture.loss });
  return model;
}

/** A Keras path without its model's name (`sequential_3/...`): ours start at the layer. */
const inModel = (path: string) => path.split('/').slice(1).join('/');

describeEachBackend('SpectralNormalization trained 3 steps: the weights Keras has (kernel, vector_u, bias)', () => {
  for (const fixture of TRAINING) {
    it(fixture.name, async () => {
      const model = trainingModel(fixture);
      assert.deepEqual(
        model.weightRecords().map((r) => r.path),
        fixture.weight_paths.map(inModel),
      );
      assert.deepEqual(
        model.trainableWeightRecords().map((r) => r.path),
        fixture.trainable_paths.map(inModel),
      );
      const x = tensorOf(fixture.x);
      const y = tensorOf(fixture.y);
      for (const [step, expected] of fixture.steps.entries()) {
        const logs = model.trainOnBatch(x, y);
        assertAllClose(logs.loss as number, expected.loss, TOLERANCE, `loss of step ${step + 1}`);
        valuesOf(model.weights).forEach((w, i) => {
          assertAllClose(w, expected.weights[i], TOLERANCE, `${fixture.weight_paths[i]} after step ${step + 1}`);
        });
        // Outside a step, a penalty on the wrapped kernel is computed on the variable, as Keras's eager losses.
        const losses = tf.tidy(() => model.losses.map((l) => l.dataSync()[0] as number));
        assertAllClose(losses, expected.losses, TOLERANCE, `losses after step ${step + 1}`);
      }
      const predicted = model.predict(x);
      // A sum of 54 products of weights that each match to rtol 1e-5: an absolute 1e-5 where terms cancel.
      assertAllClose(predicted, fixture.predict.values, { rtol: 1e-5, atol: 1e-5 }, 'predict (the kernel as trained)');
      predicted.dispose();
      await assertNoLeak(() => {
        model.trainOnBatch(x, y);
        model.predict(x).dispose();
      }, 'trainOnBatch and predict');
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});

/** `value` without the `shared_object_id` keys Keras's saver adds to objects it writes more than once. */
function withoutSharedIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSharedIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'shared_object_id' && key !== 'build_config')
      .map(([key, v]) => [key, withoutSharedIds(v)]),
  );
}

function archive(bytes: Uint8Array): { layers: { class_name: string; config: Record<string, unknown> }[] } {
  return JSON.parse(strFromU8(unzipSync(bytes)['config.json'] as Uint8Array)).config;
}

describeEachBackend('a .keras file with SpectralNormalization and the noise layers, both ways', () => {
  const expected = FILES.noise_mlp as FixtureCase;
  it("noise_mlp.keras saved by Keras loads with Keras's predictions and weights, trains, and saves back in Keras's form", async () => {
    const path = new URL('noise_mlp.keras', FOLDER).pathname;
    const model = await saving.loadModel(path);
    assert.deepEqual(
      model.weightRecords().map((r) => r.path),
      expected.weight_paths.map(inModel),
    );
    valuesOf(model.weights).forEach((w, i) => {
      assertAllClose(w, expected.weights[i].values, { rtol: 0, atol: 0 }, expected.weight_paths[i]);
    });
    const x = tensorOf(expected.input);
    const predict = (m: models.Model) =>
      tf.tidy(() => Array.from((m.apply(x, { training: false }) as tf.Tensor).dataSync()));
    assertAllClose(predict(model), expected.output.values, TOLERANCE, 'predictions');

    // Saved here: Keras's layer configs, the same weights and predictions when read back.
    const bytes = await saving.saveModelToBytes(model);
    const keras = archive(new Uint8Array(readFileSync(path)));
    const ours = archive(bytes);
    const configs = (list: typeof ours.layers) =>
      list.filter((l) => l.class_name !== 'InputLayer').map((l) => [l.class_name, l.config]);
    assertConfigClose(withoutSharedIds(configs(ours.layers)), withoutSharedIds(configs(keras.layers)));
    const again = await saving.loadModelFromBytes(bytes);
    assert.deepEqual(predict(again), predict(model));

    // Trains: vector_u moves in a step, the noise is drawn, the loss is finite.
    model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
    const target = tf.zeros([x.shape[0] as number, 3]);
    const u = (m: models.Model) => Array.from((m.nonTrainableWeights[0] as tf.Variable).dataSync());
    const uBefore = u(model);
    const logs = model.trainOnBatch(x, target);
    assert.ok(Number.isFinite(logs.loss), `loss ${logs.loss}`);
    assert.notDeepEqual(u(model), uBefore);
    const trained = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
    assert.deepEqual(predict(trained), predict(model));
    tf.dispose([x, target]);
    for (const m of [model, again, trained]) m.dispose();
  });
});
