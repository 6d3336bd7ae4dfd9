/**
 * Every case of the real-Keras fixture files, on cpu and on wasm. Where
 * SEMANTICS.md deliberately differs from Keras, the test asserts our rule
 * and says so.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { layers, ops, regularizers } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { buildFixtureLayer } from './helpers/build-layer.js';
import { casesOf, decode, decodeAll, type FixtureCase, KERAS_EXTRA } from './helpers/fixtures.js';

const passed = new Map<string, number>();
const declared = new Map<string, number>();

/** A fixture test: counted per backend so the run reports how many cases passed where. */
function fixtureIt(backendName: string, fixture: FixtureCase, body: () => void): void {
  declared.set(backendName, (declared.get(backendName) ?? 0) + 1);
  it(`${fixture.kind}: ${fixture.name}`, () => {
    body();
    passed.set(backendName, (passed.get(backendName) ?? 0) + 1);
  });
}

after(() => {
  for (const [name, total] of declared) {
    console.log(`keras fixture cases passed on ${name}: ${passed.get(name) ?? 0}/${total}`);
  }
});

function regularizerOf(spec: { class_name: string; config: Record<string, unknown> }): regularizers.RegularizerLike {
  return regularizers.deserialize({ module: 'keras.regularizers', registered_name: null, ...spec }) as regularizers.RegularizerLike;
}

function tensorOf(input: { shape: number[]; values: (number | string)[] }): tf.Tensor {
  return tf.tensor(decodeAll(input.values), input.shape, 'float32');
}

/** Values of `losses`, freeing the tensors. */
function lossValues(losses: tf.Tensor[]): number[] {
  const values = losses.map((l) => l.dataSync()[0] as number);
  tf.dispose(losses);
  return values;
}

/** Keras gives NaN when there is no pair of rows/columns; SEMANTICS §1 gives 0. */
function isOrthogonalWithoutPairs(fixture: FixtureCase): boolean {
  if (fixture.regularizer.class_name !== 'OrthogonalRegularizer') return false;
  const [rows, columns] = fixture.input.shape as number[];
  return (fixture.regularizer.config.mode ?? 'rows') === 'rows' ? rows === 1 : columns === 1;
}

describeEachBackend('Keras parity', (backendName) => {
  for (const fixture of casesOf('regularizer_call')) {
    fixtureIt(backendName, fixture, () => {
      const reg = regularizerOf(fixture.regularizer);
      tf.tidy(() => {
        const value = regularizers.computePenalty(reg, tensorOf(fixture.input));
        if (isOrthogonalWithoutPairs(fixture)) {
          assert.ok(Number.isNaN(decode(fixture.expected.value)), 'Keras gives NaN here');
          assertAllClose(value, 0); // differs from Keras: no pair -> 0, not NaN
          return;
        }
        assert.equal(value.dtype, 'float32');
        assertAllClose(value, decode(fixture.expected.value));
      });
    });
  }

  for (const fixture of casesOf('gradient')) {
    fixtureIt(backendName, fixture, () => {
      const reg = regularizerOf(fixture.regularizer);
      tf.tidy(() => {
        const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => regularizers.computePenalty(reg, x))(
          tensorOf(fixture.input),
        );
        assertAllClose(value, fixture.expected.value);
        assertAllClose(grad, fixture.expected.grad);
      });
    });
  }

  for (const fixture of [...casesOf('layer'), ...casesOf('layer', KERAS_EXTRA)]) {
    fixtureIt(backendName, fixture, () => {
      const layer = buildFixtureLayer(fixture);
      tf.tidy(() => {
        const output = layer.apply(tensorOf(fixture.input)) as tf.Tensor;
        assert.deepEqual(output.shape, fixture.output.shape);
        assertAllClose(output, decodeAll(fixture.output.values), { atol: 1e-5 }, 'output');
      });
      assertAllClose(lossValues(layer.losses), fixture.expected_losses, {}, 'losses');
      layer.dispose();
    });
  }

  class Identity extends layers.Layer {
    override call(inputs: layers.LayerInputs): layers.LayerOutputs {
      return inputs;
    }
  }

  for (const fixture of casesOf('custom_layer_activity')) {
    fixtureIt(backendName, fixture, () => {
      const layer = new Identity({ activityRegularizer: 'l2' });
      const x = tensorOf(fixture.input);
      if (fixture.name.includes("'l1'")) layer.activityRegularizer = 'l1';
      tf.tidy(() => layer.apply(x));
      assertAllClose(lossValues(layer.losses), fixture.expected_losses);
      x.dispose();
      layer.dispose();
    });
  }

  for (const fixture of casesOf('layer_losses_unbuilt')) {
    fixtureIt(backendName, fixture, () => {
      const layer = new layers.Dense({ units: 2, kernelRegularizer: 'l2', activityRegularizer: 'l1' });
      assert.deepEqual(layer.losses, fixture.expected_losses);
    });
  }

  for (const fixture of casesOf('add_weight_base_regularizer')) {
    fixtureIt(backendName, fixture, () => {
      // Keras puts the Python float 0.0 in `losses`; ours is a float32 scalar tensor 0 (SEMANTICS §1).
      class WithWeight extends layers.Layer {
        override build(): void {
          this.addWeight({ name: 'w', shape: [2, 2], initializer: 'ones', regularizer: new regularizers.Regularizer() });
        }
      }
      const layer = new WithWeight();
      layer.ensureBuilt([1, 2]);
      const losses = layer.losses;
      assert.equal(losses.length, fixture.expected_losses_repr.length);
      assert.ok(losses[0] instanceof tf.Tensor && losses[0].rank === 0 && losses[0].dtype === 'float32');
      assertAllClose(lossValues(losses), [0]);
      layer.dispose();
    });
  }

  for (const fixture of casesOf('model_losses')) {
    fixtureIt(backendName, fixture, () => {
      // The fixture's Sequential: d1 = Dense(2, kernel L2(0.1), activity L1(0.01)),
      // d2 = Dense(2, bias L1(0.2), activity L2(0.02)); here as a container layer.
      class TwoDense extends layers.Layer {
        d1 = new layers.Dense({ units: 2, name: 'd1', kernelRegularizer: new regularizers.L2(0.1), activityRegularizer: new regularizers.L1(0.01) });
        d2 = new layers.Dense({ units: 2, name: 'd2', biasRegularizer: new regularizers.L1(0.2), activityRegularizer: new regularizers.L2(0.02) });
        override call(inputs: layers.LayerInputs): layers.LayerOutputs {
          return this.d2.apply(this.d1.apply(inputs));
        }
      }
      const model = new TwoDense();
      model.ensureBuilt(fixture.input.shape);
      model.d1.ensureBuilt(fixture.input.shape);
      model.d2.ensureBuilt([fixture.input.shape[0], 2]);
      model.setWeights([fixture.weights['d1/kernel'], fixture.weights['d1/bias'], fixture.weights['d2/kernel'], fixture.weights['d2/bias']]);
      tf.tidy(() => {
        const output = model.apply(tensorOf(fixture.input)) as tf.Tensor;
        assertAllClose(output, fixture.output, { atol: 1e-6 }, 'output');
      });
      assertAllClose(lossValues(model.losses), fixture.expected_losses, {}, 'model.losses');
      assertAllClose(lossValues(model.d1.losses), fixture.expected_layer_losses.d1, {}, 'd1.losses');
      assertAllClose(lossValues(model.d2.losses), fixture.expected_layer_losses.d2, {}, 'd2.losses');
      assertAllClose(ops.sum([]), 0);
      model.dispose();
    });
  }
});
