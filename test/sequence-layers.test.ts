/**
 * Embedding, Masking, the recurrent cells and layers (SimpleRNN, LSTM, GRU,
 * RNN), Bidirectional and TimeDistributed against real Keras
 * (test/fixtures/keras-sequence.json, scripts/generate_keras_sequence_fixtures.py):
 * outputs, output masks, losses, weight paths, output shapes and JSON both
 * ways; masks carried through Sequential and Functional models; integer
 * inputs; the error texts; and leaks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { L1, L2, layers, models, ValueError } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { expectValueError } from './helpers/errors.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { assertNoLeak } from './helpers/leaks.js';

interface Values {
  shape: number[];
  dtype?: string;
  values: number[];
}
type Json = Record<string, unknown>;

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-sequence.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};
const LAYER_CASES = FIXTURE.cases.filter((c) => c.kind === 'layer');
const MODEL_CASES = FIXTURE.cases.filter((c) => c.kind === 'model');
const TOLERANCE = { rtol: 1e-5, atol: 2e-6 };

const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype === 'int32' ? 'int32' : 'float32');
const maskOf = (m: { shape: number[]; values: boolean[] }) => tf.tensor(m.values.map(Number), m.shape, 'bool');
const lossValues = (layer: layers.Layer) => tf.tidy(() => layer.losses.map((l) => l.dataSync()[0] as number));

/** Keras's build_config; a call with initial states records the sequence's shape in `shapes_dict`. */
function buildShape(fixture: FixtureCase): (number | null)[] | null {
  const config = fixture.build_config;
  if (config == null) return null;
  return config.input_shape ?? config.shapes_dict.sequences_shape;
}

/** The case's layer from Keras's JSON, built, with Keras's weights. */
function kerasLayer(fixture: FixtureCase): layers.Layer {
  const shape = buildShape(fixture);
  const layer = layers.deserialize(
    shape == null ? fixture.json : { ...fixture.json, build_config: { input_shape: shape } },
  );
  const weights = fixture.weights.map(tensorOf);
  layer.setWeights(weights);
  tf.dispose(weights);
  return layer;
}

/**
 * Nested layers built in eager Keras record their batch size; we write null,
 * as for a model's layers. Keras writes L1's factor float32-rounded
 * (COMPATIBILITY.md, difference 7): numbers compare as float32.
 */
function nullBatches(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nullBatches);
  if (typeof value === 'number') return Math.fround(value);
  if (value == null || typeof value !== 'object') return value;
  const result: Json = {};
  for (const [key, entry] of Object.entries(value)) {
    result[key] =
      key === 'build_config' && Array.isArray((entry as Json).input_shape)
        ? { input_shape: [null, ...((entry as Json).input_shape as number[]).slice(1)] }
        : nullBatches(entry);
  }
  return result;
}

function byName(name: string): FixtureCase {
  const found = FIXTURE.cases.find((c) => c.name === name);
  assert.ok(found, `no fixture case ${name}`);
  return found;
}

describeEachBackend('sequence layers: outputs, masks and losses against Keras', () => {
  for (const fixture of LAYER_CASES) {
    it(fixture.name, async () => {
      await assertNoLeak(() => {
        const layer = kerasLayer(fixture);
        const x = tensorOf(fixture.input);
        const states: tf.Tensor[] = (fixture.initial_state ?? []).map(tensorOf);
        const mask = fixture.mask == null ? null : maskOf(fixture.mask);
        tf.tidy(() => {
          const result = layer.apply(states.length > 0 ? [x, ...states] : x, mask == null ? {} : { mask });
          const outputs = Array.isArray(result) ? result : [result];
          assert.equal(outputs.length, fixture.outputs.length, 'number of outputs');
          outputs.forEach((output, i) => {
            assert.deepEqual(output.shape, fixture.outputs[i].shape);
            assertAllClose(output, fixture.outputs[i].values, TOLERANCE, `output ${i}`);
            const expected = fixture.output_masks[i];
            const attached = output.kerasMask;
            assert.equal(attached != null, expected != null, `output ${i} carries a mask: ${expected != null}`);
            if (attached != null) {
              assert.deepEqual(attached.shape, expected.shape);
              assert.deepEqual(Array.from(attached.dataSync(), Boolean), expected.values);
            }
          });
        });
        assertAllClose(lossValues(layer), fixture.expected_losses, { rtol: 1e-5, atol: 1e-7 }, 'losses');
        layer.dispose();
        tf.dispose([x, ...states, ...(mask == null ? [] : [mask])]);
      });
    });
  }
});

describe('sequence layers: JSON, weight paths and output shapes against Keras', () => {
  for (const fixture of LAYER_CASES) {
    it(fixture.name, () => {
      const layer = kerasLayer(fixture);
      const json = layers.serialize(layer) as unknown as Json;
      delete json.build_config;
      assert.deepEqual(nullBatches(json), nullBatches(fixture.json));
      assert.deepEqual(Object.keys(json.config as Json), Object.keys(fixture.json.config), "Keras's key order");
      assert.deepEqual(
        layer.weightRecords().map((r) => r.path),
        fixture.weight_paths,
      );
      assert.deepEqual(
        layer.computeOutputShape([null, ...fixture.input.shape.slice(1)]),
        fixture.symbolic_output_shape,
      );
      layer.dispose();
    });
  }

  /** The cases built with the TypeScript API: each must write the JSON Keras wrote. */
  const OURS: Record<string, () => layers.Layer> = {
    'Embedding with embeddings L2(0.1) and activity L1(0.01), repeated ids': () =>
      new layers.Embedding({
        name: 'emb',
        inputDim: 10,
        outputDim: 3,
        embeddingsRegularizer: new L2(0.1),
        activityRegularizer: new L1(0.01),
      }),
    'Embedding mask_zero, rank-3 ids': () =>
      new layers.Embedding({ name: 'emb_mask', inputDim: 7, outputDim: 2, maskZero: true }),
    'Masking mask_value=-1': () => new layers.Masking({ name: 'masking_m1', maskValue: -1 }),
    'LSTM every regularizer': () =>
      new layers.LSTM({
        name: 'lstm',
        units: 4,
        kernelRegularizer: new L2(0.01),
        recurrentRegularizer: new L1(0.02),
        biasRegularizer: new L2(0.03),
        activityRegularizer: new L2(0.1),
      }),
    'GRU reset_after=False, return_sequences, mask': () =>
      new layers.GRU({ name: 'gru_before', units: 3, resetAfter: false, returnSequences: true }),
    'SimpleRNN relu, return_sequences+state, go_backwards, mask': () =>
      new layers.SimpleRNN({
        name: 'srnn_b',
        units: 3,
        activation: 'relu',
        returnSequences: true,
        returnState: true,
        goBackwards: true,
      }),
    'RNN(GRUCell) return_state': () =>
      new layers.RNN({ name: 'rnn_gru', cell: new layers.GRUCell({ units: 2, name: 'gru_cell' }), returnState: true }),
    'Bidirectional LSTM return_sequences merge_mode=sum, mask': () =>
      new layers.Bidirectional({
        name: 'bidi_sum',
        layer: new layers.LSTM({ name: 'lstm_1', units: 3, returnSequences: true, kernelRegularizer: new L2(0.01) }),
        mergeMode: 'sum',
      }),
    'TimeDistributed Dense keeps the mask': () =>
      new layers.TimeDistributed({ name: 'td_mask', layer: new layers.Dense({ name: 'dense_1', units: 2 }) }),
  };
  for (const [name, make] of Object.entries(OURS)) {
    it(`${name}: built with the TypeScript API, writes Keras's JSON`, () => {
      const fixture = byName(name);
      const layer = make();
      layer.ensureBuilt(buildShape(fixture) ?? fixture.input.shape);
      const json = layers.serialize(layer) as unknown as Json;
      delete json.build_config;
      assert.deepEqual(nullBatches(json), nullBatches(fixture.json));
      layer.dispose();
    });
  }
});

/** Our graphs of the Keras model cases, built with the API: masks travel on the tensors. */
const MODELS: Record<string, () => models.Model> = {
  'Embedding mask_zero -> LSTM(return_sequences) -> GRU': () => {
    const ids = layers.Input({ shape: [6], dtype: 'int32' });
    let h = new layers.Embedding({
      inputDim: 10,
      outputDim: 4,
      maskZero: true,
      embeddingsRegularizer: new L2(0.01),
    }).apply(ids);
    h = new layers.LSTM({ units: 3, returnSequences: true, kernelRegularizer: new L2(0.01) }).apply(
      h,
    ) as layers.KerasTensor;
    h = new layers.GRU({ units: 2 }).apply(h) as layers.KerasTensor;
    return new models.Model({ inputs: ids, outputs: new layers.Dense({ units: 2, activation: 'softmax' }).apply(h) });
  },
  'Masking -> Bidirectional GRU -> TimeDistributed Dense': () => {
    const x = layers.Input({ shape: [5, 3] });
    let h = new layers.Masking().apply(x);
    h = new layers.Bidirectional({ layer: new layers.GRU({ units: 2, returnSequences: true }) }).apply(
      h,
    ) as layers.KerasTensor;
    return new models.Model({
      inputs: x,
      outputs: new layers.TimeDistributed({ layer: new layers.Dense({ units: 1 }) }).apply(h),
    });
  },
  'Embedding mask_zero -> Dense (passes the mask) -> SimpleRNN go_backwards': () =>
    new models.Sequential([
      layers.Input({ shape: [6], dtype: 'int32' }),
      new layers.Embedding({ inputDim: 10, outputDim: 3, maskZero: true }),
      new layers.Dense({ units: 4, activation: 'tanh' }),
      new layers.SimpleRNN({ units: 2, goBackwards: true }),
    ]),
};

describeEachBackend('masks through models: predictions and losses against Keras', () => {
  for (const fixture of MODEL_CASES) {
    it(fixture.name, async () => {
      await assertNoLeak(() => {
        const make = MODELS[fixture.name];
        assert.ok(make != null);
        const model = make();
        const weights = fixture.weights.map(tensorOf);
        model.setWeights(weights);
        const x = tensorOf(fixture.input);
        const y = model.predict(x) as tf.Tensor;
        assertAllClose(y, fixture.output.values, TOLERANCE, 'prediction');
        tf.tidy(() => {
          model.apply(x);
        });
        assertAllClose(lossValues(model), fixture.expected_losses, { rtol: 1e-5, atol: 1e-7 }, 'losses');
        // Keras's JSON of the model has its masks as NotEqual/Any op nodes; ours rebuilds them at run time.
        const again = models.modelFromJSON(JSON.parse(JSON.stringify(models.modelToJSON(model))));
        again.setWeights(weights);
        const z = again.predict(x) as tf.Tensor;
        assertAllClose(z, y, { rtol: 0, atol: 0 }, 'the reloaded model');
        tf.dispose([...weights, x, y, z]);
        model.dispose();
        again.dispose();
      });
    });
  }
});

describeEachBackend('masks: carried, dropped, given, freed', () => {
  const ids = () =>
    tf.tensor2d(
      [
        [4, 2, 0, 0],
        [1, 0, 3, 0],
      ],
      [2, 4],
      'int32',
    );

  it('a mask lives on its tensor: freed with it, inside or outside tf.tidy', async () => {
    const embedding = new layers.Embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    embedding.ensureBuilt([null, 4]);
    const x = ids();
    await assertNoLeak(() => {
      const y = embedding.apply(x) as tf.Tensor;
      assert.deepEqual(Array.from((y.kerasMask as tf.Tensor).dataSync()), [1, 1, 0, 0, 1, 0, 1, 0]);
      y.dispose();
      assert.equal(y.kerasMask?.isDisposed, true);
      const kept = tf.tidy(() => embedding.apply(x) as tf.Tensor);
      assert.equal(kept.kerasMask?.isDisposed, false, 'a tensor returned from tf.tidy keeps its mask');
      kept.dispose();
    }, 'masks');
    x.dispose();
    embedding.dispose();
  });

  it('a mask given to apply equals the mask a Masking layer attaches; a model passes it to its first layer', () => {
    const x = tf.tensor3d([
      [
        [1, 2],
        [0, 0],
        [3, 1],
      ],
      [
        [0, 0],
        [2, 2],
        [1, 0],
      ],
    ]);
    const mask = tf.tensor2d(
      [
        [1, 0, 1],
        [0, 1, 1],
      ],
      [2, 3],
      'bool',
    );
    const lstm = new layers.LSTM({ units: 2, returnSequences: true });
    const model = new models.Sequential([layers.Input({ shape: [3, 2] }), new layers.Masking(), lstm]);
    const direct = new models.Sequential([layers.Input({ shape: [3, 2] }), lstm]);
    tf.tidy(() => {
      const viaMasking = model.predict(x) as tf.Tensor;
      const given = lstm.apply(x, { mask }) as tf.Tensor;
      const throughModel = direct.apply(x, { mask }) as tf.Tensor;
      assertAllClose(given, viaMasking, { rtol: 0, atol: 0 });
      assertAllClose(throughModel, viaMasking, { rtol: 0, atol: 0 });
      assert.deepEqual(Array.from((throughModel.kerasMask as tf.Tensor).dataSync()), [1, 0, 1, 0, 1, 1]);
      assert.equal(x.kerasMask, undefined, 'the mask given for a call stays with that call');
    });
    tf.dispose([x, mask]);
    model.dispose();
  });

  it('a layer that does not support masking drops the mask, with one warning', () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      const embedding = new layers.Embedding({ inputDim: 5, outputDim: 2, maskZero: true });
      const flatten = new layers.Flatten();
      const x = ids();
      tf.tidy(() => {
        const once = flatten.apply(embedding.apply(x) as tf.Tensor) as tf.Tensor;
        flatten.apply(embedding.apply(x) as tf.Tensor);
        assert.equal(once.kerasMask, undefined);
      });
      assert.deepEqual(warnings, [
        `Layer '${flatten.name}' (of type Flatten) was passed an input with a mask attached to it. However, this layer does not support masking and will therefore destroy the mask information. Downstream layers will not see the mask.`,
      ]);
      x.dispose();
      embedding.dispose();
    } finally {
      console.warn = warn;
    }
  });

  it('Dense, Dropout and Activation pass a mask on; TimeDistributed, Bidirectional and RNN with returnSequences too', () => {
    const embedding = new layers.Embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const chain = [
      new layers.Dense({ units: 3 }),
      new layers.Dropout({ rate: 0.5 }),
      new layers.Activation({ activation: 'relu' }),
      new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }),
      new layers.Bidirectional({ layer: new layers.GRU({ units: 2, returnSequences: true }) }),
      new layers.SimpleRNN({ units: 2, returnSequences: true }),
    ];
    const x = ids();
    tf.tidy(() => {
      let h = embedding.apply(x) as tf.Tensor;
      for (const layer of chain) {
        h = layer.apply(h) as tf.Tensor;
        assert.deepEqual(Array.from((h.kerasMask as tf.Tensor).dataSync()), [1, 1, 0, 0, 1, 0, 1, 0], layer.name);
      }
      assert.equal(
        (new layers.LSTM({ units: 2 }).apply(h) as tf.Tensor).kerasMask,
        undefined,
        'the last output carries none',
      );
    });
    x.dispose();
  });
});

describeEachBackend('integer inputs', () => {
  it('Input({ dtype: "int32" }) writes dtype "int32"; int32 ids reach the Embedding through predict and fit', async () => {
    const input = layers.Input({ shape: [4], dtype: 'int32' });
    assert.equal(input.dtype, 'int32');
    const model = new models.Sequential([
      input,
      new layers.Embedding({ inputDim: 6, outputDim: 3, maskZero: true, embeddingsRegularizer: new L2(0.01) }),
      new layers.LSTM({ units: 2 }),
      new layers.Dense({ units: 1 }),
    ]);
    const config = (models.modelToJSON(model).config as { layers: Json[] }).layers[0] as { config: Json };
    assert.equal(config.config.dtype, 'int32');
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor2d(
      [
        [1, 2, 0, 0],
        [5, 4, 3, 0],
      ],
      [2, 4],
      'int32',
    );
    const y = tf.tensor2d([[0.5], [-0.5]]);
    // The optimizer's own state (Keras's iteration and learning_rate) is made when it is built: before the count.
    model.optimizer?.build(model.trainableWeights);
    await assertNoLeak(async () => {
      const history = await model.fit(x, y, { epochs: 2, verbose: 0 });
      assert.ok(Number.isFinite(history.history.loss?.[1] as number));
      tf.dispose(model.predict(x));
    });
    expectValueError(
      () => model.predict(tf.tidy(() => tf.cast(x, 'float32'))),
      `Layer "${model.layers[0]?.name}" (Embedding) expects integer ids: an int32 tensor. Received: a float32 tensor of shape [2, 4]. Pass tf.tensor(ids, shape, 'int32'), or tf.cast(x, 'int32') to truncate.`,
    );
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a float layer casts int32 inputs itself (Keras promotes them): the same numbers as floats', () => {
    const dense = new layers.Dense({ units: 2 });
    const ints = tf.tensor2d([[1, 2, 3]], [1, 3], 'int32');
    const floats = tf.tensor2d([[1, 2, 3]]);
    tf.tidy(() =>
      assertAllClose(dense.apply(ints) as tf.Tensor, dense.apply(floats) as tf.Tensor, { rtol: 0, atol: 0 }),
    );
    tf.dispose([ints, floats]);
    dense.dispose();
    expectValueError(
      () => layers.Input({ shape: [2], dtype: 'float16' as never }),
      'Invalid value for argument dtype: expected "float32", "int32" or "int64" for an Input. Received: dtype="float16"',
    );
  });
});

describeEachBackend('sequence layers: errors', () => {
  const z = (...shape: number[]) => tf.zeros(shape);
  const withTensors = (body: () => unknown) => () => tf.tidy(() => void body());

  it('Embedding: integer ids within [0, inputDim), positive sizes, no constraint', () => {
    const embedding = new layers.Embedding({ name: 'words', inputDim: 5, outputDim: 2 });
    expectValueError(
      withTensors(() => embedding.apply(tf.tensor2d([[1, 5]], [1, 2], 'int32'))),
      'Layer "words" (Embedding) received id 5 at position [0, 1] of inputs of shape [1, 2]: expected ids in [0, 5) (inputDim=5).',
    );
    expectValueError(
      withTensors(() => embedding.apply(tf.tensor1d([2, -1], 'int32'))),
      'Layer "words" (Embedding) received id -1 at position [1] of inputs of shape [2]: expected ids in [0, 5) (inputDim=5).',
    );
    expectValueError(
      withTensors(() => embedding.apply(tf.tensor1d([0.5, 1]))),
      `Layer "words" (Embedding) expects integer ids: an int32 tensor. Received: a float32 tensor of shape [2]. Pass tf.tensor(ids, shape, 'int32'), or tf.cast(x, 'int32') to truncate.`,
    );
    expectValueError(
      () => new layers.Embedding({ inputDim: 0, outputDim: 2 }),
      '`inputDim` must be a positive integer. Received: inputDim=0',
    );
    expectValueError(
      () => new layers.Embedding({ inputDim: 3, outputDim: 1.5 }),
      '`outputDim` must be a positive integer. Received: outputDim=1.5',
    );
    expectValueError(
      () => new layers.Embedding({ inputDim: 3, outputDim: 2, embeddingsConstraint: 2 as never }),
      'Invalid value for argument embeddingsConstraint: Could not interpret constraint identifier: 2',
    );
    embedding.dispose();
  });

  it('recurrent layers: rank-3 inputs, a (batch, timesteps) mask, initial states of the state shapes', () => {
    const lstm = new layers.LSTM({ name: 'seq', units: 2 });
    expectValueError(
      withTensors(() => lstm.apply(z(2, 3))),
      'Input 0 of layer "seq" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: [2, 3]',
    );
    expectValueError(
      withTensors(() => lstm.apply(z(2, 4, 3), { mask: tf.ones([2, 3], 'bool') })),
      'Invalid mask for layer "seq": expected shape [2, 4] (batch, timesteps) for inputs of 4 steps. Received: mask.shape=[2, 3]',
    );
    expectValueError(
      withTensors(() => lstm.apply([z(2, 4, 3), z(2, 2)])),
      'Invalid initial state for layer "seq": expected 2 tensor(s) of shape [2, 2], [2, 2]. Received: shapes [2, 2]',
    );
    expectValueError(
      withTensors(() => lstm.apply(z(2, 0, 3))),
      'Layer "seq" needs sequences of at least one timestep. Received: inputs of shape [2, 0, 3]',
    );
    expectValueError(
      () => new layers.GRU({ units: 2, stateful: true as never }),
      'Invalid value for argument stateful: stateful RNNs are not supported, expected false. Received: stateful=true',
    );
    expectValueError(
      () => new layers.SimpleRNN({ units: 0 }),
      'Received an invalid value for argument `units`, expected a positive integer, got 0.',
    );
    expectValueError(
      () => new layers.LSTM({ units: 2, recurrentConstraint: 2 as never }),
      'Invalid value for argument recurrentConstraint: Could not interpret constraint identifier: 2',
    );
    expectValueError(
      () => new layers.RNN({ cell: new layers.Dense({ units: 2 }) as never }),
      /^The RNN cell should be a layer with a `stateSize` attribute/,
    );
    lstm.dispose();
  });

  it('Bidirectional and TimeDistributed: a recurrent layer, a merge mode, a mask of the inputs', () => {
    expectValueError(
      () => new layers.Bidirectional({ layer: new layers.LSTM({ units: 2 }), mergeMode: 'max' as never }),
      'Invalid merge mode. Received: "max". Merge mode should be one of {"sum", "mul", "ave", "concat", null}',
    );
    expectValueError(
      () => new layers.Bidirectional({ layer: new layers.Dense({ units: 2 }) as never }),
      /^Please initialize `Bidirectional` layer with a recurrent layer/,
    );
    expectValueError(
      () =>
        new layers.Bidirectional({
          layer: new layers.LSTM({ units: 2 }),
          backwardLayer: new layers.LSTM({ units: 2, returnSequences: true, goBackwards: true }),
        }),
      'Forward layer and backward layer are expected to have the same value for attribute "returnSequences", got "false" for forward layer and "true" for backward layer',
    );
    const wrapper = new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) });
    expectValueError(
      withTensors(() => wrapper.apply(z(2, 3, 4), { mask: tf.ones([2, 5], 'bool') })),
      "The `mask` passed to the `TimeDistributed` layer has a shape [2, 5] that is incompatible with the input shape [2, 3, 4]. The first two dimensions of the mask (batch size and timesteps) must match the input's first two dimensions. Expected mask shape prefix: [2, 3].",
    );
    expectValueError(
      withTensors(() => new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }).apply(z(2, 3))),
      '`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, received: [2,3]',
    );
  });

  it('errors leave no tensor behind', async () => {
    await assertNoLeak(() => {
      const lstm = new layers.LSTM({ units: 2 });
      assert.throws(
        withTensors(() => lstm.apply(z(2, 4, 3), { mask: tf.ones([2, 3], 'bool') })),
        ValueError,
      );
      const embedding = new layers.Embedding({ inputDim: 2, outputDim: 2 });
      assert.throws(
        withTensors(() => embedding.apply(tf.tensor1d([3], 'int32'))),
        ValueError,
      );
      lstm.dispose();
      embedding.dispose();
    });
  });
});

/** Keras's documented `MinimalRNNCell`, as a layer with `stateSize`. */
class MinimalRNNCell extends layers.Layer {
  readonly stateSize = 2;
  kernel: tf.Variable | null = null;
  recurrentKernel: tf.Variable | null = null;

  override build(inputShape: layers.Shape | layers.Shape[]): void {
    const shape = inputShape as layers.Shape;
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [shape[shape.length - 1] as number, 2],
      initializer: 'ones',
    });
    this.recurrentKernel = this.addWeight({ name: 'recurrent_kernel', shape: [2, 2], initializer: 'ones' });
  }

  override call(inputs: layers.LayerInputs): layers.LayerOutputs {
    const [x, h] = inputs as tf.Tensor[];
    return tf.tidy(() => {
      const output = tf.add(
        tf.matMul(x as tf.Tensor, this.kernel as tf.Variable),
        tf.matMul(h as tf.Tensor, this.recurrentKernel as tf.Variable),
      );
      return [output, output];
    });
  }
}

describeEachBackend('cells and the RNN wrapper', () => {
  it("a custom cell runs in RNN: Keras's MinimalRNNCell, masks included", () => {
    const rnn = new layers.RNN({ cell: new MinimalRNNCell(), returnSequences: true });
    const x = tf.tensor3d([[[1], [2], [3]]]);
    const mask = tf.tensor2d([[1, 0, 1]], [1, 3], 'bool');
    tf.tidy(() => {
      // h1 = 1*[1,1] = [1,1]; step 2 masked (keeps h, outputs it); h3 = 3 + (1+1) = [5,5].
      assertAllClose(rnn.apply(x, { mask }) as tf.Tensor, [1, 1, 1, 1, 5, 5], { rtol: 0, atol: 0 });
    });
    assert.deepEqual(
      rnn.weightRecords().map((r) => r.path),
      [`${rnn.name}/${rnn.cell.name}/kernel`, `${rnn.name}/${rnn.cell.name}/recurrent_kernel`],
    );
    tf.dispose([x, mask]);
    rnn.dispose();
  });

  it('a cell called on [x, ...states] is one step of its layer', () => {
    const lstm = new layers.LSTM({ units: 3, returnState: true });
    const x = tf.randomNormal([2, 1, 4], 0, 1, 'float32', 1);
    tf.tidy(() => {
      const [output, h, c] = lstm.apply(x) as tf.Tensor[];
      const step = lstm.cell.apply([tf.squeeze(x, [1]), tf.zeros([2, 3]), tf.zeros([2, 3])]) as tf.Tensor[];
      assert.equal(step.length, 3);
      for (const [a, b] of [
        [step[0], output],
        [step[1], h],
        [step[2], c],
      ] as [tf.Tensor, tf.Tensor][]) {
        assertAllClose(a, b, { rtol: 1e-6, atol: 1e-7 });
      }
    });
    x.dispose();
    lstm.dispose();
  });

  it('regularizers set on a built layer take effect; a frozen layer freezes its cell', () => {
    const gru = new layers.GRU({ units: 2 });
    gru.ensureBuilt([null, 3, 2]);
    assert.equal(gru.losses.length, 0);
    gru.recurrentRegularizer = new L2(0.5);
    gru.kernelRegularizer = 'l1';
    const losses = gru.losses;
    assert.equal(losses.length, 2);
    const [kernel, recurrent] = gru.getWeights() as [tf.Tensor, tf.Tensor];
    assertAllClose(
      losses[0] as tf.Tensor,
      tf.tidy(() => tf.mul(0.01, tf.sum(tf.abs(kernel)))),
    );
    assertAllClose(
      losses[1] as tf.Tensor,
      tf.tidy(() => tf.mul(0.5, tf.sum(tf.square(recurrent)))),
    );
    assert.equal((layers.serialize(gru).config as Json).recurrent_regularizer != null, true);
    gru.trainable = false;
    assert.equal(gru.trainableWeights.length, 0);
    assert.equal(gru.cell.trainable, false);
    tf.dispose([...losses, ...gru.getWeights(), kernel, recurrent]);
    gru.dispose();
  });
});
