/**
 * What a Keras user types: `build` then `setWeights` then a call, `inputDim`
 * and `inputShape` on a first layer, a batch size recorded in a file, and a
 * custom regularizer written the README's way. Numbers from real Keras
 * (scripts/generate_keras_usage_fixtures.py).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L1L2, L2, layers, models, ops, Regularizer, regularizers, saving, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { L2Regularizer } from './helpers/build-layer.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';

const FOLDER = new URL('./fixtures/keras-usage/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, FOLDER), 'utf8'));

interface Values {
  shape: number[];
  values: number[];
}
interface BuildCase {
  name: string;
  build_shape: (number | null)[];
  weights: (Values & { path: string })[];
  x: Values;
  y: Values;
  losses: number[];
  num_weights: number;
}
const BUILD_CASES = (load('build-set-apply.json') as { cases: BuildCase[] }).cases;
const EXPECTED = load('expected.json') as {
  models: Record<string, { input: Values; output: Values; losses: number[]; evaluate: { loss: number } }>;
};

/** Keras's `ScaledKernel` of the fixture script: one L2(0.05) kernel made in `build`, `call = 2 x @ kernel`. */
class ScaledKernel extends layers.Layer {
  static override readonly className = 'ScaledKernel';
  readonly units: number;
  kernel: tf.Variable | null = null;

  constructor({ units, ...options }: layers.LayerOptions & { units: number }) {
    super(options);
    this.units = units;
  }

  override build(inputShape: layers.Shape): void {
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputShape[inputShape.length - 1] as number, this.units],
      regularizer: new L2(0.05),
    });
  }

  override call(inputs: layers.LayerInputs): tf.Tensor {
    return tf.mul(tf.matMul(inputs as tf.Tensor, this.kernel as tf.Variable), 2);
  }
}

function layerFor(name: string): layers.Layer {
  switch (name) {
    case 'dense':
      return new layers.Dense({
        units: 4,
        kernelRegularizer: new L1(0.01),
        biasRegularizer: new L2(0.1),
        activityRegularizer: new L2(0.01),
      });
    case 'conv1d':
      return new layers.Conv1D({ filters: 2, kernelSize: 3, kernelRegularizer: new L2(0.05) });
    case 'conv2d':
      return new layers.Conv2D({
        filters: 2,
        kernelSize: 2,
        kernelRegularizer: new L1L2(0.01, 0.02),
        biasRegularizer: new L1(0.1),
      });
    case 'conv3d':
      return new layers.Conv3D({ filters: 2, kernelSize: 2, kernelRegularizer: new L2(0.1) });
    case 'custom_scaled_kernel':
      return new ScaledKernel({ units: 3 });
    case 'sequential_build':
      return new models.Sequential([
        new layers.Dense({ units: 4, kernelRegularizer: new L2(0.01) }),
        new layers.Dense({ units: 2, kernelRegularizer: new L1(0.02), activityRegularizer: new L1(0.01) }),
      ]);
    default:
      throw new Error(`no layer for case ${name}`);
  }
}

const lossValues = (layer: layers.Layer) => tf.tidy(() => layer.losses.map((l) => l.dataSync()[0] as number));

describeEachBackend('build, setWeights, apply: as in Keras', () => {
  for (const fixture of BUILD_CASES) {
    it(`${fixture.name}: build() marks it built, the weights set are the ones used, each penalty counts once`, async () => {
      const layer = layerFor(fixture.name);
      layer.build(fixture.build_shape);
      assert.equal(layer.built, true, 'built after a user build()');
      assert.equal(layer.weights.length, fixture.num_weights);
      await assertNoLeak(() => {
        tf.tidy(() => layer.setWeights(fixture.weights.map((w) => tf.tensor(w.values, w.shape))));
        const output = tf.tidy(() =>
          Array.from((layer.apply(tf.tensor(fixture.x.values, fixture.x.shape)) as tf.Tensor).dataSync()),
        );
        assertAllClose(output, fixture.y.values, { atol: 1e-5 }, 'output');
        assert.equal(layer.weights.length, fixture.num_weights, 'apply made no second set of weights');
        assertAllClose(lossValues(layer), fixture.losses, {}, 'losses');
        layer.clearLosses();
      }, fixture.name);
      layer.dispose();
    });
  }

  it('a second build() of a built layer for the same sample shape changes nothing; another shape is refused', () => {
    const layer = new layers.Dense({ units: 2, kernelRegularizer: new L2(0.1), name: 'twice' });
    layer.build([null, 3]);
    const kernel = layer.weights[0];
    layer.build([8, 3]);
    assert.equal(layer.weights.length, 2);
    assert.equal(layer.weights[0], kernel);
    assert.deepEqual(layer.buildInputShape, [null, 3]);
    expectValueError(
      () => layer.build([null, 5]),
      'Layer "twice" is already built for inputs of shape [null, 3]. Received: inputShape=[null, 5]',
    );
    layer.dispose();
  });

  it('model.build() of a Sequential that starts with an Input must agree with it, but for the batch axis', () => {
    const model = new models.Sequential([layers.Input({ shape: [3] }), new layers.Dense({ units: 2 })], {
      name: 'with_input',
    });
    model.build([7, 3]);
    expectValueError(
      () => model.build([null, 4]),
      'Layer "with_input" is already built for inputs of shape [null, 3]. Received: inputShape=[null, 4]',
    );
    const bare = new models.Sequential([layers.Input({ shape: [3] })], { name: 'only_input' });
    expectValueError(
      () => bare.build([null, 4]),
      'Sequential model "only_input" has already been configured to use input shape [null, 3]. You cannot build it with input shape [null, 4].',
    );
    model.dispose();
  });
});

describeEachBackend('inputDim, inputShape, batchInputShape, batchSize', () => {
  it('the page example written literally, Dense(5, input_dim=5, ...): sum(losses) = 5.25, [0.25], [12.5]', () => {
    const page = load('page-examples.json').examples;
    const layer = new layers.Dense({
      units: 5,
      inputDim: 5,
      kernelInitializer: 'ones',
      kernelRegularizer: new L1(0.01),
      activityRegularizer: new L2(0.01),
    });
    tf.tidy(() => {
      layer.apply(tf.mul(ops.ones([5, 5]), 2));
    });
    assertAllClose(lossValues(layer), page.dense_l1_kernel_l2_activity.losses);
    assertAllClose(
      tf.tidy(() => ops.sum(layer.losses).dataSync()[0] as number),
      page.dense_l1_kernel_l2_activity.sum_losses,
    );
    const l1Reg = (w: tf.Tensor) => ops.multiply(0.01, ops.sum(ops.absolute(w)));
    const withFunction = new layers.Dense({
      units: 5,
      inputDim: 5,
      kernelInitializer: 'ones',
      kernelRegularizer: l1Reg,
    });
    tf.tidy(() => {
      withFunction.apply(ops.ones([5, 5]));
    });
    assertAllClose(lossValues(withFunction), page.function_regularizer.losses);
    for (const l of [layer, withFunction]) l.dispose();
  });

  it('a Sequential whose first layer has inputShape starts with an Input of it and is built at once', () => {
    const model = new models.Sequential([
      new layers.Dense({ units: 4, inputShape: [3], kernelRegularizer: new L2(0.01) }),
      new layers.Dense({ units: 2 }),
    ]);
    assert.ok(model.stackedLayers[0] instanceof layers.InputLayer);
    assert.deepEqual((model.stackedLayers[0] as layers.InputLayer).batchShape, [null, 3]);
    assert.equal(model.built, true);
    assert.equal(model.weights.length, 4);
    const json = model.toJSON();
    const first = (json.config.layers as { class_name: string; config: Record<string, unknown> }[])[0];
    assert.equal(first?.class_name, 'InputLayer');
    assert.deepEqual(first?.config.batch_shape, [null, 3]);
    model.dispose();
  });

  it('inputDim, batchInputShape and batchSize give the batch shapes tfjs-layers gives', () => {
    const cases: [layers.LayerOptions, (number | null)[]][] = [
      [{ inputDim: 6 }, [null, 6]],
      [{ inputShape: [4, 2] }, [null, 4, 2]],
      [{ inputShape: [4], batchSize: 8 }, [8, 4]],
      [{ batchInputShape: [null, 5] }, [null, 5]],
    ];
    for (const [options, expected] of cases) {
      assert.deepEqual(new layers.Dense({ units: 1, ...options }).batchInputShape, expected);
    }
  });

  it('Keras 2 JSON, with batch_input_shape on the first layer, loads with an Input of it', () => {
    const model = models.modelFromJSON({
      class_name: 'Sequential',
      config: {
        name: 'keras2',
        layers: [
          {
            class_name: 'Dense',
            config: {
              name: 'd',
              units: 2,
              batch_input_shape: [null, 3],
              kernel_regularizer: { class_name: 'L2', config: { l2: 0.5 } },
            },
          },
        ],
      },
    }) as models.Sequential;
    assert.ok(model.stackedLayers[0] instanceof layers.InputLayer);
    assert.equal(model.built, true);
    const [kernel] = model.getWeights();
    const expected = 0.5 * tf.tidy(() => tf.sum(tf.square(kernel as tf.Tensor)).dataSync()[0] as number);
    assertAllClose(lossValues(model), [expected]);
    tf.dispose(kernel);
    model.dispose();
  });

  it("a tfjs-layers model.json (Keras 2's InputLayer with batch_input_shape) loads its topology", () => {
    const file = JSON.parse(readFileSync(new URL('./fixtures/tfjs-keras-model/model.json', import.meta.url), 'utf8'));
    const model = models.modelFromJSON(file.modelTopology.model_config) as models.Sequential;
    assert.deepEqual((model.stackedLayers[0] as layers.InputLayer).batchShape, [null, 3]);
    assert.equal(model.built, true);
    assert.deepEqual(
      model.weights.map((w) => w.shape),
      [[3, 2], [2], [2, 1], [1]],
    );
    model.dispose();
  });

  it('warns once per process, in Keras words, that an Input is the preferred way', () => {
    const program = [
      "import { layers } from 'keras-regularizers';",
      'new layers.Dense({ units: 1, inputDim: 3 });',
      'new layers.Dense({ units: 1, inputShape: [3] });',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    const warning =
      'Do not pass an `inputShape`/`inputDim` argument to a layer. When using Sequential models, prefer using an `Input({ shape })` object as the first layer in the model instead.';
    assert.equal(child.stderr.split(warning).length - 1, 1, child.stderr);
  });

  it('bad shapes name the option, what was expected and what was received', () => {
    expectValueError(
      () => new layers.Dense({ units: 1, inputDim: 0 }),
      'Invalid value for argument inputDim: expected a positive integer. Received: inputDim=0',
    );
    expectValueError(
      () => new layers.Dense({ units: 1, inputShape: [3, -1] }),
      'Invalid value for argument inputShape: expected an array of positive integers or null. Received: inputShape=[3,-1]',
    );
    expectValueError(
      () => new layers.Dense({ units: 1, inputShape: [3], inputDim: 3 }),
      'Give only one of inputShape, inputDim and batchInputShape. Received: {"inputShape":[3],"inputDim":3}',
    );
    expectValueError(
      () => new layers.Dense({ units: 1, batchSize: 4 }),
      'batchSize needs inputShape or inputDim. Received: batchSize=4',
    );
  });
});

describeEachBackend('a batch size recorded in a file does not fix the batch size', () => {
  it('seq_fit_no_input.keras (Keras recorded batch_shape [16, 12]) predicts 4 rows with Keras numbers', async () => {
    const expected = EXPECTED.models.seq_fit_no_input as (typeof EXPECTED.models)[string];
    const model = await saving.loadModel(new URL('seq_fit_no_input.keras', FOLDER).pathname);
    assert.deepEqual((model as models.Sequential).stackedLayers[0] instanceof layers.InputLayer, true);
    const x = tf.tensor(expected.input.values, expected.input.shape);
    const output = tf.tidy(() => Array.from((model.apply(x) as tf.Tensor).dataSync()));
    assertAllClose(output, expected.output.values, { atol: 1e-5 }, 'predictions');
    assertAllClose(lossValues(model), expected.losses, {}, 'losses');
    tf.dispose(x);
    model.dispose();
  });
});

/** The pattern that used to corrupt silently: a positional constructor. */
class PositionalL2 extends Regularizer {
  constructor(readonly l2 = 0) {
    super();
  }
  override apply(x: tf.Tensor): tf.Scalar {
    return ops.multiply(this.l2, ops.sum(ops.square(x))) as tf.Scalar;
  }
  override getConfig() {
    return { l2: this.l2 };
  }
}

describeEachBackend('a custom regularizer written the README way', () => {
  const modelWith = (regularizer: Regularizer) =>
    new models.Sequential([
      layers.Input({ shape: [3] }),
      new layers.Dense({ units: 2, kernelRegularizer: regularizer, name: 'dense' }),
    ]);

  it('round-trips through JSON and .keras with the same losses', async () => {
    const model = modelWith(new L2Regularizer({ l2: 0.5 }));
    const customObjects = { L2Regularizer };
    const fromJson = models.modelFromJSON(model.toJSON(), { customObjects });
    fromJson.setWeights(model.getWeights());
    const fromFile = await saving.loadModelFromBytes(await saving.saveModelToBytes(model), { customObjects });
    const expected = lossValues(model);
    assert.ok((expected[0] ?? 0) > 0);
    assertAllClose(lossValues(fromJson), expected);
    assertAllClose(lossValues(fromFile), expected);
    const restored = (fromFile as models.Sequential).layers[0] as layers.Dense;
    assert.deepEqual((restored.kernelRegularizer as L2Regularizer).getConfig(), { l2: 0.5 });
    for (const m of [model, fromJson, fromFile]) m.dispose();
  });

  it('a subclass whose config cannot rebuild it fails at load with an error that says what to add', async () => {
    const model = modelWith(new PositionalL2(0.5));
    const message =
      'Cannot rebuild PositionalL2 from its config: new PositionalL2(config).getConfig() gives {"l2":{"l2":0.5}}, not the config. Give PositionalL2 a constructor that takes the config object ({ l2 }), or a static fromConfig(config). Received: config={"l2":0.5}';
    expectValueError(() => models.modelFromJSON(model.toJSON(), { customObjects: { PositionalL2 } }), message);
    await assert.rejects(
      async () => saving.loadModelFromBytes(await saving.saveModelToBytes(model), { customObjects: { PositionalL2 } }),
      (error: Error) => error instanceof ValueError && error.message === message,
    );
    expectValueError(
      () =>
        regularizers.deserialize(regularizers.serialize(new PositionalL2(0.5)), { customObjects: { PositionalL2 } }),
      message,
    );
    model.dispose();
  });
});
