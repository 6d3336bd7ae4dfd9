/**
 * Functional models: graphs built from Input() tensors, with Keras's numbers
 * (scripts/generate_keras_functional_fixtures.py), JSON both ways, cloning
 * (scripts/generate_keras_clone_fixtures.py), and the errors of bad graphs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L2, layers, models, Regularizer, saving, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { MyScaledL1 } from './helpers/custom-regularizers.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

interface Values {
  shape: number[];
  values: number[];
}
interface FunctionalCase {
  input_names: string[];
  output_names: string[];
  inputs: Record<string, Values>;
  predictions: Record<string, Values>;
  losses: number[];
  initial_weights: (Values & { path: string })[];
}
const FOLDER = new URL('./fixtures/keras-functional/', import.meta.url);
const read = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
const CASES = read(new URL('expected.json', FOLDER)).models as Record<string, FunctionalCase>;
const CLONE = read(new URL('./fixtures/keras-clone.json', import.meta.url)).cases as Record<
  string,
  { weights: (Values & { path: string })[]; inputs: Values[]; output: Values; clone_losses: number[] }
>;

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape);
const lossValues = (layer: layers.Layer) => tf.tidy(() => layer.losses.map((l) => l.dataSync()[0] as number));

/** Sets weights by Keras path (`dense/kernel`), the order-independent way. */
function setWeightsByPath(model: models.Model, weights: (Values & { path: string })[]): void {
  const byPath = new Map(weights.map((w) => [w.path, w]));
  const values = model.weightRecords().map((record) => {
    const found = byPath.get(record.path);
    assert.ok(found, `no Keras weight for ${record.path}`);
    return tf.tensor(found.values, found.shape);
  });
  model.setWeights(values);
  tf.dispose(values);
}

function predictions(model: models.Model, inputs: tf.Tensor[]): number[][] {
  return tf.tidy(() => {
    const result = model.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs, { training: false });
    return (Array.isArray(result) ? result : [result]).map((t) => Array.from(t.dataSync()));
  });
}

describeEachBackend('Functional models from Keras JSON', () => {
  for (const [name, fixture] of Object.entries(CASES)) {
    it(`${name}: Keras's config builds here with Keras's predictions and losses, and round-trips`, async () => {
      const model = models.modelFromJSON(read(new URL(`${name}.config.json`, FOLDER)), { compile: false });
      assert.ok(model instanceof models.Functional);
      setWeightsByPath(model, fixture.initial_weights);
      const inputs = fixture.input_names.map((n) => tensorOf(fixture.inputs[n] as Values));
      await assertNoLeak(() => {
        const outputs = predictions(model, inputs);
        fixture.output_names.forEach((n, i) => {
          assertAllClose(outputs[i] as number[], (fixture.predictions[n] as Values).values, { atol: 1e-5 }, n);
        });
        assertAllClose(lossValues(model), fixture.losses, {}, 'losses');
        model.clearLosses();
      }, name);
      // Our JSON of it is Keras's layout and builds the same model again.
      const json = model.toJSON();
      assert.equal(json.class_name, 'Functional');
      assert.equal(json.module, 'keras.src.models.functional');
      const again = models.modelFromJSON(JSON.stringify(json), { compile: false });
      again.setWeights(model.getWeights());
      assert.deepEqual(predictions(again, inputs), predictions(model, inputs));
      assert.deepEqual(models.modelToJSON(again).config, json.config);
      tf.dispose(inputs);
      for (const m of [model, again]) {
        m.clearLosses();
        m.dispose();
      }
    });
  }
});

describeEachBackend('Functional models built here', () => {
  it('two inputs, a shared layer, two outputs: weight penalty once, activity penalty per call', () => {
    const a = layers.Input({ shape: [4], name: 'a' });
    const b = layers.Input({ shape: [4], name: 'b' });
    const shared = new layers.Dense({
      units: 3,
      name: 'shared',
      kernelInitializer: 'ones',
      biasInitializer: 'zeros',
      kernelRegularizer: new L2(0.1),
      activityRegularizer: new L1(0.5),
    });
    const left = shared.apply(a) as layers.KerasTensor;
    const right = shared.apply(b) as layers.KerasTensor;
    const sum = new layers.Add({ name: 'sum' }).apply([left, right]) as layers.KerasTensor;
    const model = new models.Model({ inputs: { a, b }, outputs: [sum, left], name: 'two' }) as models.Functional;
    assert.deepEqual(model.inputNames, ['a', 'b']);
    assert.deepEqual(model.outputNames, ['sum', 'shared']);
    assert.deepEqual(
      model.layers.map((l) => l.name),
      ['a', 'b', 'shared', 'sum'],
    );
    assert.equal(model.getLayer('shared'), shared);
    const [first, second] = tf.tidy(() => {
      const outputs = model.apply({ a: tf.ones([2, 4]), b: tf.fill([2, 4], 2) }) as tf.Tensor[];
      return outputs.map((t) => Array.from(t.dataSync()));
    });
    // Kernel of ones: each unit sums the row: 4 for a, 8 for b.
    assert.deepEqual(first, [12, 12, 12, 12, 12, 12]);
    assert.deepEqual(second, [4, 4, 4, 4, 4, 4]);
    // Activity L1(0.5) / batch 2 for each call: 0.5 * 24 / 2 = 6 and 0.5 * 48 / 2 = 12; kernel L2(0.1) * 12 ones = 1.2.
    assertAllClose(lossValues(model), [6, 12, 1.2]);
    model.dispose();
  });

  it("Keras's spelling new Model(inputs, outputs), and a model used as a layer of another", () => {
    const x = layers.Input({ shape: [3] });
    const inner = new models.Model(x, new layers.Dense({ units: 2, kernelInitializer: 'ones' }).apply(x), {
      name: 'inner',
    }) as models.Functional;
    const y = layers.Input({ shape: [3] });
    const z = inner.apply(y) as layers.KerasTensor;
    assert.deepEqual(z.shape, [null, 2]);
    const outer = new models.Model(y, new layers.Dense({ units: 1, kernelInitializer: 'ones' }).apply(z));
    const value = tf.tidy(() => (outer.apply(tf.ones([1, 3])) as tf.Tensor).dataSync()[0]);
    assert.equal(value, 6);
    assert.equal(outer.weights.length, 4);
    outer.dispose();
  });

  it("summary() lists each layer with Keras's output shape, parameters and connections", () => {
    const a = layers.Input({ shape: [4], name: 'sa' });
    const b = layers.Input({ shape: [4], name: 'sb' });
    const shared = new layers.Dense({ units: 3, name: 'sshared' });
    const sum = new layers.Add({ name: 'ssum' }).apply([
      shared.apply(a) as layers.KerasTensor,
      shared.apply(b) as layers.KerasTensor,
    ]);
    const model = new models.Model([a, b], sum, { name: 'summarised' });
    const lines: string[] = [];
    model.summary((line) => lines.push(line.trimEnd()));
    const rows = lines.slice(4, 8).map((line) => line.split(/\s{2,}/));
    assert.deepEqual(rows, [
      ['sa (InputLayer)', '(None, 4)', '0', '-'],
      ['sb (InputLayer)', '(None, 4)', '0', '-'],
      ['sshared (Dense)', '(None, 3)', '15', 'sa[0][0], sb[0][0]'],
      ['ssum (Add)', '(None, 3)', '0', 'sshared[0][0], sshared[1][0]'],
    ]);
    model.dispose();
  });

  it('a symbolic call runs no kernel and records the call', () => {
    const x = layers.Input({ shape: [5], name: 'in' });
    const dense = new layers.Dense({ units: 2, name: 'probe' });
    const before = tf.memory().numTensors;
    const y = dense.apply(x) as layers.KerasTensor;
    assert.equal(tf.memory().numTensors - before, 2, 'only the new kernel and bias');
    assert.deepEqual(y.shape, [null, 2]);
    assert.equal(y.sourceLayer, dense);
    assert.equal(dense.inboundNodes.length, 1);
    assert.equal(y.toString(), '<KerasTensor shape=[null, 2], dtype=float32, source=probe/0/0>');
    dense.dispose();
  });
});

describe_errors();

function describe_errors(): void {
  describeEachBackend('bad graphs', () => {
    it('an output computed from an Input that is not among the inputs: graph disconnected', () => {
      const a = layers.Input({ shape: [3], name: 'da' });
      const b = layers.Input({ shape: [3], name: 'db' });
      const sum = new layers.Add({ name: 'dsum' }).apply([a, b]) as layers.KerasTensor;
      expectValueError(
        () => new models.Model(a, sum),
        'Graph disconnected: cannot obtain value for tensor <KerasTensor shape=[null, 3], dtype=float32, source=db/0/0> at layer "dsum": it comes from Input "db", which is not among the model\'s inputs ("da").',
      );
    });

    it('an output that does not depend on the inputs', () => {
      const a = layers.Input({ shape: [3], name: 'ia' });
      const b = layers.Input({ shape: [3], name: 'ib' });
      expectValueError(
        () => new models.Model(a, b),
        "Output <KerasTensor shape=[null, 3], dtype=float32, source=ib/0/0> (outputs[0]) does not depend on the model's inputs: it is not computed from any of them.",
      );
    });

    it('a name used twice', () => {
      const x = layers.Input({ shape: [3], name: 'twice_in' });
      const y = new layers.Dense({ units: 3, name: 'same' }).apply(x) as layers.KerasTensor;
      const z = new layers.Dense({ units: 3, name: 'same' }).apply(y) as layers.KerasTensor;
      expectValueError(
        () => new models.Model(x, z),
        'The name "same" is used 2 times in the model. All operation names should be unique.',
      );
    });

    it('real tensors as outputs, and a layer output as an input', () => {
      const x = layers.Input({ shape: [3], name: 'real_in' });
      const t = tf.ones([1, 3]);
      expectValueError(
        () => new models.Model({ inputs: x, outputs: t as unknown as layers.KerasTensor }),
        /^Functional model outputs must be symbolic tensors: from layers.Input\(\) or a layer applied to one. Received: /,
      );
      const y = new layers.Dense({ units: 3, name: 'mid' }).apply(x) as layers.KerasTensor;
      expectValueError(
        () => new models.Model(y, y),
        'Functional model inputs must come from layers.Input(). Received inputs[0]: the output of layer "mid" (mid/0/0).',
      );
      t.dispose();
    });

    it('inputs that do not match the model', () => {
      const a = layers.Input({ shape: [3], name: 'ma' });
      const b = layers.Input({ shape: [2], name: 'mb' });
      const model = new models.Model([a, b], new layers.Concatenate().apply([a, b]), { name: 'needs_two' });
      expectValueError(
        () => model.apply(tf.ones([1, 3])),
        'Model "needs_two" expects 2 input tensor(s) (ma, mb). Received: Tensor(shape=[1, 3], dtype=float32)',
      );
      expectValueError(
        () => model.apply({ ma: tf.ones([1, 3]), mc: tf.ones([1, 2]) } as unknown as tf.Tensor[]),
        'Model "needs_two" has no input named "mc". Its inputs are: ma, mb.',
      );
      expectValueError(
        () => model.apply([tf.ones([1, 3]), tf.ones([1, 4])]),
        'Input of model is incompatible with its input layer: expected shape [null,2], but received input with shape [1,4]',
      );
      assert.throws(() => model.getLayer('nope'), ValueError);
    });
  });
}

describeEachBackend('cloneModel', () => {
  const addL2 = (layer: layers.Layer): layers.Layer => {
    const config = layer.getConfig();
    if ('kernelRegularizer' in config) config.kernelRegularizer = new L2(1e-4);
    return (layer.constructor as typeof layers.Layer).fromConfig(config);
  };

  function functionalOriginal(): models.Functional {
    const a = layers.Input({ shape: [4], name: 'a' });
    const b = layers.Input({ shape: [3], name: 'b' });
    const shared = new layers.Dense({
      units: 5,
      activation: 'relu',
      name: 'shared',
      activityRegularizer: new L1(0.01),
    });
    const pa = new layers.Dense({ units: 5, name: 'pa' }).apply(a) as layers.KerasTensor;
    const pb = new layers.Dense({ units: 5, name: 'pb' }).apply(b) as layers.KerasTensor;
    const x = new layers.Concatenate({ name: 'concat' }).apply([
      shared.apply(pa) as layers.KerasTensor,
      shared.apply(pb) as layers.KerasTensor,
    ]) as layers.KerasTensor;
    const y = new layers.Dense({ units: 2, name: 'head', kernelRegularizer: new L1(0.05) }).apply(x);
    return new models.Model([a, b], y, { name: 'graph' }) as models.Functional;
  }

  function sequentialOriginal(): models.Sequential {
    return new models.Sequential(
      [
        layers.Input({ shape: [4], name: 'x' }),
        new layers.Dense({ units: 3, name: 'd1', kernelRegularizer: new L1(0.02) }),
        new layers.Dropout({ rate: 0.1 }),
        new layers.Dense({ units: 2, name: 'd2' }),
      ],
      { name: 'stack' },
    );
  }

  for (const [name, make] of [
    ['functional', functionalOriginal],
    ['sequential', sequentialOriginal],
  ] as const) {
    it(`${name}: a cloneFunction that adds L2(1e-4) to every kernel gives Keras's losses for the same weights`, () => {
      const fixture = CLONE[name] as (typeof CLONE)[string];
      const model = make();
      const weights = fixture.weights.map(tensorOf);
      model.setWeights(weights);
      const clone = models.cloneModel(model, { cloneFunction: addL2 });
      assert.notEqual(clone.weights[0], model.weights[0], 'new weights');
      clone.setWeights(weights);
      const output = predictions(clone, fixture.inputs.map(tensorOf));
      assertAllClose(output[0] as number[], fixture.output.values, { atol: 1e-5 }, 'output');
      assertAllClose(lossValues(clone), fixture.clone_losses, {}, 'clone losses');
      tf.dispose(weights);
      clone.dispose();
      model.dispose();
    });
  }

  it('keeps shared layers shared, and carries a registered custom regularizer', () => {
    class Tagged extends Regularizer {
      readonly factor: number;
      constructor({ factor = 1 }: { factor?: number } = {}) {
        super();
        this.factor = factor;
      }
      override apply(x: tf.Tensor): tf.Scalar {
        return tf.mul(this.factor, tf.sum(x)) as tf.Scalar;
      }
      override getConfig() {
        return { factor: this.factor };
      }
    }
    const model = functionalOriginal();
    (model.getLayer('head') as layers.Dense).kernelRegularizer = new Tagged({ factor: 2 });
    const clone = models.cloneModel(model, { customObjects: { Tagged } }) as models.Functional;
    assert.equal(clone.getLayer('shared').inboundNodes.length, 2);
    const regularizer = (clone.getLayer('head') as layers.Dense).kernelRegularizer;
    assert.ok(regularizer instanceof Tagged && regularizer.factor === 2);
    clone.dispose();
    model.dispose();
  });

  it('a clone of a model with a registered custom regularizer round-trips through .keras with the same losses', async () => {
    const model = functionalOriginal();
    (model.getLayer('head') as layers.Dense).kernelRegularizer = new MyScaledL1({ scale: 3 });
    const clone = models.cloneModel(model);
    const loaded = await saving.loadModelFromBytes(await saving.saveModelToBytes(clone));
    const regularizer = (loaded.getLayer('head') as layers.Dense).kernelRegularizer;
    assert.ok(regularizer instanceof MyScaledL1 && regularizer.scale === 3);
    const expected = lossValues(clone);
    assert.ok(expected.length > 0);
    assertAllClose(lossValues(loaded), expected);
    for (const m of [loaded, clone, model]) m.dispose();
  });

  it('bad arguments name the option', () => {
    const model = sequentialOriginal();
    expectValueError(
      () => models.cloneModel(model, { cloneFunction: () => 3 as unknown as layers.Layer }),
      'cloneFunction must return a layer. For layer "d1" it returned 3.',
    );
    model.dispose();
  });
});
