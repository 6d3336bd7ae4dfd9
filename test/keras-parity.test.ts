/**
 * Every case of the real-Keras fixture files, on cpu and on wasm. Where
 * SEMANTICS.md deliberately differs from Keras, the test asserts our rule
 * and says so.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import {
  KerasTypeError,
  L1,
  L1L2,
  L2,
  layers,
  NotImplementedError,
  OrthogonalRegularizer,
  ops,
  Regularizer,
  regularizers,
  saving,
  ValueError,
} from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { buildFixtureLayer, L2Regularizer, my_l1_fn } from './helpers/build-layer.js';
import { assertConfigClose } from './helpers/config-close.js';
import { MyScaledL1 } from './helpers/custom-regularizers.js';
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
  return regularizers.deserialize({
    module: 'keras.regularizers',
    registered_name: null,
    ...spec,
  }) as regularizers.RegularizerLike;
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
      tf.tidy(() => {
        layer.apply(x);
      });
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
          this.addWeight({
            name: 'w',
            shape: [2, 2],
            initializer: 'ones',
            regularizer: new regularizers.Regularizer(),
          });
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
        d1 = new layers.Dense({
          units: 2,
          name: 'd1',
          kernelRegularizer: new regularizers.L2(0.1),
          activityRegularizer: new regularizers.L1(0.01),
        });
        d2 = new layers.Dense({
          units: 2,
          name: 'd2',
          biasRegularizer: new regularizers.L1(0.2),
          activityRegularizer: new regularizers.L2(0.02),
        });
        override call(inputs: layers.LayerInputs): layers.LayerOutputs {
          return this.d2.apply(this.d1.apply(inputs));
        }
      }
      const model = new TwoDense();
      model.ensureBuilt(fixture.input.shape);
      model.d1.ensureBuilt(fixture.input.shape);
      model.d2.ensureBuilt([fixture.input.shape[0], 2]);
      model.setWeights([
        fixture.weights['d1/kernel'],
        fixture.weights['d1/bias'],
        fixture.weights['d2/kernel'],
        fixture.weights['d2/bias'],
      ]);
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

  // --- identifiers, constructors and serialization (SEMANTICS §1-3) ---

  /** What the fixture's `get` identifier stands for, built in TypeScript. */
  function identifierOf(fixture: FixtureCase, original: Map<string, unknown>): unknown {
    const id = fixture.identifier;
    switch (id.type) {
      case 'null':
        return null;
      case 'string':
      case 'dict':
      case 'number':
        return id.value;
      case 'instance': {
        const instance = regularizerOf({ class_name: id.class_name, config: id.config });
        original.set(fixture.name, instance);
        return instance;
      }
      case 'class':
        return { L1, L2, L1L2, OrthogonalRegularizer, Regularizer }[id.class_name as 'L1'];
      case 'function':
        original.set(fixture.name, my_l1_fn);
        return my_l1_fn;
      default:
        throw new Error(`unknown identifier type ${id.type}`);
    }
  }

  /** Our answers where SEMANTICS.md deliberately differs from Keras for `get`. */
  type ErrorClass = new (...args: never[]) => Error;
  const GET_DIFFERENCES: Record<string, { config?: Record<string, unknown>; message?: string; error?: ErrorClass }> = {
    // The Keras page documents l1 = l2 = 0.01 for the L1L2 names; Keras's code gives 0 and rejects 'l1_l2'.
    "get('l1l2')": { config: { l1: 0.01, l2: 0.01 } },
    "get('l1_l2')": { config: { l1: 0.01, l2: 0.01 } },
    // Strings are quoted in our messages, so `"l1_L2"` cannot be misread.
    "get('l1_L2')": {
      message:
        'Could not interpret regularizer identifier: "l1_L2". Did you mean "L1L2"? Valid names: "Regularizer", "regularizer", "L1", "l1", "L2", "l2", "L1L2", "l1l2", "l1_l2", "OrthogonalRegularizer", "orthogonal_regularizer", "GroupLasso", "group_lasso", "SparseGroupLasso", "sparse_group_lasso".',
      error: ValueError,
    },
    // Keras wraps a Python TypeError; ours names the key and what was expected.
    'get(dict {"class_name": "L2", "config": {"bogus": 1.0}})': {
      message: 'L2 got an unexpected option "bogus". Expected: l2. Received: {"bogus":1}',
      error: KerasTypeError,
    },
    'get(dict {"class_name": "Nope", "config": {}})': {
      message:
        'Cannot deserialize regularizer of class_name "Nope": it is not a built-in, registered or custom object. Expected one of the built-in regularizers (Regularizer, L1, L2, L1L2, OrthogonalRegularizer, GroupLasso, SparseGroupLasso), a registered class or a key of customObjects.',
      error: ValueError,
    },
  };

  for (const fixture of casesOf('get')) {
    fixtureIt(backendName, fixture, () => {
      const originals = new Map<string, unknown>();
      const identifier = identifierOf(fixture, originals);
      const difference = GET_DIFFERENCES[fixture.name];
      const expected = fixture.expected;
      if (difference?.message != null || (expected?.error_type != null && difference?.config == null)) {
        const message = difference?.message ?? expected.message;
        const errorClass: ErrorClass = difference?.error ?? (expected.error_type === 'ValueError' ? ValueError : Error);
        assert.throws(
          () => regularizers.get(identifier as string),
          (error: Error) => {
            assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${error.name}`);
            assert.equal(error.message, message);
            return true;
          },
        );
        return;
      }
      const result = regularizers.get(identifier as string);
      if (expected === null) {
        assert.equal(result, null);
        return;
      }
      if (fixture.expected_same_object_as_input) assert.equal(result, originals.get(fixture.name));
      else assert.notEqual(result, identifier);
      if (expected.python_type === 'function') {
        assert.equal(typeof result, 'function');
        return;
      }
      assert.ok(result instanceof Regularizer);
      assert.equal(saving.classNameOf(result), expected.class_name ?? 'L1L2');
      if (expected.get_config_error != null) {
        assert.throws(() => result.getConfig(), NotImplementedError);
        return;
      }
      assertConfigClose(result.getConfig(), difference?.config ?? expected.get_config);
    });
  }

  /** Each constructor case as TypeScript, with our exact error text (SEMANTICS §1 adds the space after "float."). */
  const CONSTRUCTOR_CALLS: Record<string, { make: () => Regularizer; message?: string }> = {
    'L1(None)': { make: () => new L1(null) },
    'L1(0.01)': { make: () => new L1(0.01) },
    'L1(0.3)': { make: () => new L1(0.3) },
    'L1(1)': { make: () => new L1(1) },
    "L1('0.1')": {
      make: () => new L1('0.1' as unknown as number),
      message: 'Invalid value for argument l1: expected a non-negative float. Received: l1="0.1"',
    },
    'L2(0.1)': { make: () => new L2(0.1) },
    "L2('x')": {
      make: () => new L2('x' as unknown as number),
      message: 'Invalid value for argument l2: expected a non-negative float. Received: l2="x"',
    },
    'L1L2()': { make: () => new L1L2() },
    'L1L2(l2=0.1)': { make: () => new L1L2({ l2: 0.1 }) },
    'L1L2(1,2)': { make: () => new L1L2(1, 2) },
    'L1L2(l1=-0.1)': {
      make: () => new L1L2({ l1: -0.1, l2: 0.1 }),
      message: 'Invalid value for argument l1: expected a non-negative float. Received: l1=-0.1',
    },
    'Orth(factor=2)': { make: () => new OrthogonalRegularizer({ factor: 2 }) },
    'Orth(factor=None)': {
      make: () => new OrthogonalRegularizer({ factor: null as unknown as number }),
      message: 'Invalid value for argument factor: expected a non-negative float. Received: factor=null',
    },
    'Orth(factor=nan)': {
      make: () => new OrthogonalRegularizer(Number.NaN),
      message: 'Invalid value for argument factor: expected a non-negative float. Received: factor=NaN',
    },
    'Orth(factor=-1,mode=bad)': {
      make: () => new OrthogonalRegularizer(-1, 'bad' as 'rows'),
      message: 'Invalid value for argument factor: expected a non-negative float. Received: factor=-1',
    },
  };

  for (const fixture of casesOf('constructor')) {
    fixtureIt(backendName, fixture, () => {
      const call = CONSTRUCTOR_CALLS[fixture.name];
      assert.ok(call != null, `no TypeScript call for ${fixture.name}`);
      if (fixture.expected.error_type != null) {
        assert.equal(fixture.expected.error_type, 'ValueError');
        assert.throws(call.make, (error: Error) => error instanceof ValueError && error.message === call.message);
        // Keras's text is ours without the space (and with Python's value formatting).
        if (!String(fixture.call).includes("'") && /=-?\d/.test(fixture.expected.message)) {
          assert.equal(fixture.expected.message.replace('float.Received', 'float. Received'), call.message);
        }
        return;
      }
      const reg = call.make();
      assert.equal(saving.classNameOf(reg), fixture.expected.class_name);
      assertConfigClose(reg.getConfig(), fixture.expected.get_config);
    });
  }

  for (const fixture of casesOf('base_regularizer_get_config')) {
    fixtureIt(backendName, fixture, () => {
      assert.throws(
        () => new Regularizer().getConfig(),
        (error: Error) =>
          error instanceof NotImplementedError && error.message === 'Regularizer does not implement getConfig()',
      );
    });
  }

  const SERIALIZE_OBJECTS: Record<string, () => unknown> = {
    'serialize(None)': () => null,
    'serialize(L1(0.3))': () => new L1(0.3),
    'serialize(L1L2())': () => new L1L2(),
    'serialize(OrthogonalRegularizer())': () => new OrthogonalRegularizer(),
    'serialize(Regularizer())': () => new Regularizer(),
    'serialize(function)': () => my_l1_fn,
    'serialize(registered subclass MyScaledL1(2.0))': () => new MyScaledL1({ scale: 2 }),
  };

  for (const fixture of casesOf('serialize')) {
    fixtureIt(backendName, fixture, () => {
      const make = SERIALIZE_OBJECTS[fixture.name];
      assert.ok(make != null, `no object for ${fixture.name}`);
      const object = make() as regularizers.RegularizerLike | null;
      if (fixture.expected?.error_type === 'NotImplementedError') {
        assert.throws(() => regularizers.serialize(object), NotImplementedError);
        return;
      }
      const json = regularizers.serialize(object);
      if (fixture.name.includes('MyScaledL1')) {
        // SEMANTICS §3: a registered class serializes with its package as module (Keras writes null for __main__).
        assert.deepEqual(json, { ...fixture.expected, module: 'my_pkg' });
      } else {
        assertConfigClose(json, fixture.expected, 'json');
      }
      if (fixture.expected == null) return;
      if (fixture.expected.class_name === 'function') {
        // Keras cannot resolve an unregistered function by name either; with customObjects both can.
        assert.throws(() => regularizers.deserialize(json), ValueError);
        assert.equal(regularizers.deserialize(json, { customObjects: { my_l1_fn } }), my_l1_fn);
        return;
      }
      const back = regularizers.deserialize(json) as Regularizer;
      assert.equal(saving.classNameOf(back), fixture.roundtrip_deserialize.class_name);
      assertConfigClose(back.getConfig(), fixture.roundtrip_deserialize.get_config);
      assert.deepEqual(back.getConfig(), (object as Regularizer).getConfig());
    });
  }

  for (const fixture of casesOf('deserialize')) {
    fixtureIt(backendName, fixture, () => {
      const customObjects = fixture.custom_objects != null ? { L2Regularizer } : undefined;
      const result = regularizers.deserialize(fixture.config, { customObjects });
      if (fixture.expected === null) {
        assert.equal(result, null);
        return;
      }
      if (fixture.expected.python_type === 'str') {
        // Keras returns the unknown string 'l1_l2' as is; ours resolves it as the page documents.
        assert.ok(result instanceof L1L2);
        assert.deepEqual(result.getConfig(), { l1: 0.01, l2: 0.01 });
        return;
      }
      assert.ok(result instanceof Regularizer);
      assert.equal(saving.classNameOf(result), fixture.expected.class_name);
      assertConfigClose(result.getConfig(), fixture.expected.get_config);
    });
  }

  /** The layers behind the fixture's `layer_get_config` cases. */
  const CONFIG_LAYERS: Record<string, () => layers.Layer> = {
    'Dense get_config with string regularizers': () =>
      new layers.Dense({
        units: 3,
        name: 'dense_cfgs',
        kernelRegularizer: 'l1',
        biasRegularizer: 'l2',
        activityRegularizer: 'orthogonal_regularizer',
      }),
    'Conv2D get_config with all regularizers': () =>
      new layers.Conv2D({
        filters: 4,
        kernelSize: 3,
        name: 'conv_cfg',
        kernelRegularizer: new L2(0.1),
        biasRegularizer: new L1(0.3),
        activityRegularizer: new L1L2(0.01, 0.02),
      }),
  };

  for (const fixture of casesOf('layer_get_config')) {
    fixtureIt(backendName, fixture, () => {
      const make = CONFIG_LAYERS[fixture.name];
      assert.ok(make != null, `no layer for ${fixture.name}`);
      const layer = make();
      const json = layers.serialize(layer);
      assertConfigClose(json.config, fixture.expected);
      // Keras's own key order, so the JSON reads the same as Python's.
      assert.deepEqual(Object.keys(json.config), Object.keys(fixture.expected));
      assertConfigClose(saving.configToSnake(layer.getConfig()), fixture.expected);
      // And Keras's config builds the same layer here.
      const rebuilt = layers.deserialize({
        module: 'keras.layers',
        class_name: json.class_name,
        config: fixture.expected,
        registered_name: null,
      });
      assertConfigClose(layers.serialize(rebuilt).config, fixture.expected);
    });
  }

  for (const fixture of casesOf('layer_roundtrip')) {
    fixtureIt(backendName, fixture, () => {
      const layer = new layers.Dense({ units: 2, kernelRegularizer: new L2(0.1), activityRegularizer: new L1(0.2) });
      const copy = layers.Dense.fromConfig(layer.getConfig());
      for (const key of ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer'] as const) {
        const expected = fixture.expected[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
        const got = copy[key];
        if (expected === null) {
          assert.equal(got, null);
          continue;
        }
        assert.ok(got instanceof Regularizer);
        assert.notEqual(got, layer[key], 'fromConfig builds new regularizers');
        assert.equal(saving.classNameOf(got), expected.class_name);
        assertConfigClose(got.getConfig(), expected.get_config);
      }
      assert.equal(fixture.expected.config_equal, true);
      assert.deepEqual(copy.getConfig(), layer.getConfig());
    });
  }
});
