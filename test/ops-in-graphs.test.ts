/**
 * Keras ops inside Functional graphs (issue 23 item 2), against real Keras:
 * test/fixtures/keras-ops-graphs/*.keras (scripts/generate_keras_ops_graphs_fixtures.py)
 * are graphs written with keras.ops on symbolic tensors (arithmetic with
 * scalars, concatenate, slicing, reshape/transpose, reductions, a masked
 * Embedding whose mask Keras records as a NotEqual node, cast, where/clip,
 * matmul, split/stack, activations). Each loads here with Keras's
 * predictions, trains 3 SGD steps to Keras's weights, saves back with
 * Keras's nodes, and the same graph built here with `ops` gives Keras's
 * config. scripts/check_keras_loads_ops_graphs.py has Keras load ours.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { strFromU8, unzipSync } from 'fflate';
import { layers, models, ops, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import { expectValueError } from './helpers/errors.js';
import type { FixtureCase } from './helpers/fixtures.js';
import { BUILDERS } from './helpers/ops-graph-builders.js';

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-ops-graphs.json', import.meta.url), 'utf8')) as {
  models: Record<string, FixtureCase>;
};
const FOLDER = new URL('./fixtures/keras-ops-graphs/', import.meta.url);
const GRAPHS = Object.keys(FIXTURE.models).filter((name) => name !== 'dict_outputs');

type Values = { shape: number[]; dtype: string; values: number[] };
const tensorOf = (v: Values) => tf.tensor(v.values, v.shape, v.dtype === 'int32' ? 'int32' : 'float32');
const fileBytes = (name: string) => new Uint8Array(readFileSync(new URL(`${name}.keras`, FOLDER)));

/** A .keras file's model config. */
function modelConfig(bytes: Uint8Array): Record<string, unknown> {
  return JSON.parse(strFromU8(unzipSync(bytes)['config.json'] as Uint8Array)).config;
}

/**
 * A graph config for comparison: layer names replaced by their place in the
 * list (auto names depend on what else the process made), build configs
 * and Keras's `training` call keyword (it records the flag it ran with) left out.
 */
function normalized(config: Record<string, unknown>): unknown {
  const list = config.layers as { name: string }[];
  const place = new Map(list.map((l, i) => [l.name, `#${i}`]));
  const walk = (value: unknown, key = ''): unknown => {
    if (typeof value === 'string' && (key === 'name' || key === 'history') && place.has(value)) return place.get(value);
    if (Array.isArray(value)) {
      if (key === 'keras_history' || key === 'input_layers' || key === 'output_layers') {
        if (typeof value[0] === 'string') return [place.get(value[0]) ?? value[0], ...value.slice(1)];
        return value.map((v) => walk(v, key));
      }
      return value.map((v) => walk(v));
    }
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'build_config' && k !== 'shared_object_id' && k !== 'training')
        .map(([k, v]) => [k, walk(v, k)]),
    );
  };
  // InputLayer configs are compared elsewhere (Keras writes optional/ragged keys this library does not).
  const layers = (walk(list) as Record<string, unknown>[]).map((l) =>
    l.class_name === 'InputLayer' ? { class_name: l.class_name, name: l.name } : l,
  );
  return {
    layers,
    input_layers: walk(config.input_layers, 'input_layers'),
    output_layers: walk(config.output_layers, 'output_layers'),
  };
}

const inputsOf = (c: FixtureCase) => {
  const xs = (c.inputs as Values[]).map(tensorOf);
  return xs.length === 1 ? (xs[0] as tf.Tensor) : xs;
};
const disposeAll = (x: tf.Tensor | tf.Tensor[]) => tf.dispose(x);

function predictValues(model: models.Model, x: tf.Tensor | tf.Tensor[]): number[] {
  return tf.tidy(() => Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync()));
}

describeEachBackend('Keras-made graphs with keras.ops nodes', () => {
  for (const name of GRAPHS) {
    const expected = FIXTURE.models[name] as FixtureCase;
    it(`${name}: Keras's predictions, 3 SGD steps to Keras's weights, saved with Keras's nodes, read back`, async () => {
      const model = await saving.loadModelFromBytes(fileBytes(name));
      assert.deepEqual(
        model.layers.map((l) => l.name),
        (expected.layer_names as string[]).filter((n) => !n.startsWith('__')),
        'model.layers: the layers without the ops, in Keras order',
      );
      const x = inputsOf(expected);
      const y = tensorOf(expected.target);
      const before = tf.memory().numTensors;
      assertAllClose(predictValues(model, x), expected.output.values, { rtol: 1e-5, atol: 1e-5 }, 'predictions');
      assert.equal(tf.memory().numTensors, before, 'predict leaves no tensor');

      // Saved before training: Keras's graph config, ops and nodes included.
      const bytes = await saving.saveModelToBytes(model);
      assertConfigClose(normalized(modelConfig(bytes)), normalized(modelConfig(fileBytes(name))));
      const again = await saving.loadModelFromBytes(bytes);
      assert.deepEqual(predictValues(again, x), predictValues(model, x));
      again.dispose();

      let afterFirstStep = 0;
      (expected.steps as { loss: number; weights: Values[] }[]).forEach((step, s) => {
        const logs = model.trainOnBatch(x, y);
        if (s === 0) afterFirstStep = tf.memory().numTensors;
        assertAllClose(logs.loss as number, step.loss, { rtol: 1e-4, atol: 1e-6 }, `loss at step ${s + 1}`);
        model.weights.forEach((w, i) => {
          assertAllClose(
            w,
            step.weights[i]?.values ?? [],
            { rtol: 1e-4, atol: 1e-5 },
            `${expected.weight_paths[i]} after step ${s + 1}`,
          );
        });
      });
      assert.equal(tf.memory().numTensors, afterFirstStep, 'training steps leave no tensor');
      disposeAll(x);
      y.dispose();
      model.dispose();
    });
  }
});

describe("graphs written with ops here give Keras's configs", () => {
  it('covers every Keras-made graph', () => {
    assert.deepEqual(Object.keys(BUILDERS).sort(), [...GRAPHS].sort());
  });
  for (const name of GRAPHS) {
    it(`${name}: the same class names, modules, configs and inbound nodes as Keras's file`, () => {
      const model = (BUILDERS[name] as () => models.Model)();
      const ours = normalized(model.getConfig() as Record<string, unknown>) as { layers: unknown[] };
      const keras = normalized(modelConfig(fileBytes(name))) as { layers: Record<string, unknown>[] };
      // Keras's file has its own input names and the layers' trained-from-file state; compare the graph's shape of things.
      const strip = (cfg: { layers: unknown[] }) =>
        (cfg.layers as Record<string, unknown>[]).map((l) => ({
          module: l.module,
          class_name: l.class_name,
          config: String(l.module).startsWith('keras.src.ops')
            ? l.config
            : (l.config as { name?: unknown } | undefined)?.name,
          inbound_nodes: l.inbound_nodes,
        }));
      assertConfigClose(strip(ours), strip(keras));
      model.dispose();
    });
  }
});

describe('ops in graphs: bad input and constants', () => {
  it("a symbolic and a concrete tensor of shapes that do not broadcast: Keras's error", () => {
    const x = layers.Input({ shape: [4] });
    const c = tf.ones([3]);
    expectValueError(
      () => ops.add(x, c),
      /Cannot broadcast shape, the failure dim has value 4, which cannot be broadcasted to 3/,
    );
    expectValueError(
      () => ops.concatenate([x, layers.Input({ shape: [3, 2] })], -1),
      /must have the same shape except on the `axis` dim/,
    );
    expectValueError(() => ops.matmul(x, layers.Input({ shape: [3, 2] })), /Inner dimensions/);
    c.dispose();
  });

  it("a concrete tensor of a compatible shape becomes a constant of the node, written as Keras's __tensor__", async () => {
    const x = layers.Input({ shape: [4] });
    const c = tf.tensor([0, 1, 2, 3]);
    const before = tf.memory().numTensors;
    const y = ops.add(x, c);
    assert.equal(tf.memory().numTensors, before, 'the constant is kept as values, not a tensor');
    c.dispose();
    const model = new models.Model({ inputs: x, outputs: y });
    const node = (model.getConfig().layers as { inbound_nodes: { args: unknown[] }[] }[])[1]?.inbound_nodes[0];
    assert.deepEqual(node?.args[1], { class_name: '__tensor__', config: { value: [0, 1, 2, 3], dtype: 'float32' } });
    const input = tf.ones([2, 4]);
    const out = model.predict(input) as tf.Tensor;
    assert.deepEqual(Array.from(out.dataSync()), [1, 2, 3, 4, 1, 2, 3, 4]);
    const again = await saving.loadModelFromBytes(await saving.saveModelToBytes(model));
    const out2 = again.predict(input) as tf.Tensor;
    assert.deepEqual(Array.from(out2.dataSync()), [1, 2, 3, 4, 1, 2, 3, 4]);
    tf.dispose([input, out, out2]);
  });

  it('an unknown op class in a file is refused by name', async () => {
    const config = modelConfig(fileBytes('concat_square_slice'));
    const square = (config.layers as Record<string, unknown>[]).find((l) => l.class_name === 'Square') as Record<
      string,
      unknown
    >;
    square.class_name = 'Frobnicate';
    const { input_layers, output_layers, ...rest } = config;
    expectValueError(
      () => models.Functional.fromConfig({ ...rest, inputLayers: input_layers, outputLayers: output_layers }),
      /Unknown Keras op class "Frobnicate" \(module keras\.src\.ops\.numpy\) in layers\[1\]/,
    );
  });

  it('a hostile GetItem index in a file is refused, naming what is wrong', () => {
    const config = modelConfig(fileBytes('concat_square_slice'));
    const getItemLayer = (config.layers as Record<string, unknown>[]).find((l) => l.class_name === 'GetItem') as {
      inbound_nodes: { args: unknown[] }[];
    };
    (getItemLayer.inbound_nodes[0] as { args: unknown[] }).args[1] = [
      { class_name: '__slice__', config: { start: 'abc', stop: null, step: null } },
    ];
    const { input_layers, output_layers, ...rest } = config;
    expectValueError(
      () => models.Functional.fromConfig({ ...rest, inputLayers: input_layers, outputLayers: output_layers }),
      /slice bounds must be integers or null/,
    );
    (getItemLayer.inbound_nodes[0] as { args: unknown[] }).args[1] = [{ class_name: '__lambda__', config: {} }];
    expectValueError(
      () => models.Functional.fromConfig({ ...rest, inputLayers: input_layers, outputLayers: output_layers }),
      /unknown argument class "__lambda__"/,
    );
  });

  it('cloneModel rebuilds the ops with their calls: with the same weights, the same predictions', async () => {
    const model = await saving.loadModelFromBytes(fileBytes('slicing'));
    const clone = models.cloneModel(model);
    clone.setWeights(model.getWeights());
    const x = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 3);
    assert.deepEqual(predictValues(clone, x), predictValues(model, x));
    assert.deepEqual(clone.getConfig().layers, model.getConfig().layers);
    x.dispose();
    model.dispose();
  });

  it('a bad slicing index names what is wrong', () => {
    const x = layers.Input({ shape: [3, 4] });
    expectValueError(() => ops.getItem(x, ':, :, :, 1'), /too many indices for a tensor of rank 3/);
    expectValueError(() => ops.getItem(x, ':, a'), /"a" is not an integer/);
    expectValueError(() => ops.getItem(x, ':, 5'), /index 5 is out of bounds for axis 1 with size 3/);
    expectValueError(() => ops.getItem(x, ':, ::-1'), /only positive slice steps/);
  });

  it('ops on tensors still compute at once, and slicing follows NumPy', () => {
    const x = tf.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const y = ops.getItem(x, ':, 1:');
    assert.deepEqual(y.arraySync(), [
      [2, 3],
      [5, 6],
    ]);
    const z = ops.getItem(x, '-1, ::2');
    assert.deepEqual(z.arraySync(), [4, 6]);
    const w = ops.concatenate([x, ops.square(x)], -1);
    assert.deepEqual(w.shape, [2, 6]);
    tf.dispose([x, y, z, w]);
  });
});

type OpFn = (a: layers.KerasTensor, b: layers.KerasTensor, i: layers.KerasTensor) => layers.KerasTensor;
const asFloat = (t: layers.KerasTensor) => ops.cast(t, 'float32');
/** The one-op models of the generator's OP_CASES, written here. */
const OP_CASES: Record<string, OpFn> = {
  equal: (x, y) => asFloat(ops.equal(ops.round(x), ops.round(y))),
  less: (x, y) => asFloat(ops.less(x, y)),
  less_equal: (x) => asFloat(ops.lessEqual(x, 0)),
  greater_equal: (x, y) => asFloat(ops.greaterEqual(x, y)),
  logical: (x, y) => {
    const xPositive = ops.greater(x, 0);
    const yPositive = ops.greater(y, 0);
    const both = ops.logicalAnd(xPositive, yPositive);
    return asFloat(ops.logicalOr(both, ops.logicalNot(ops.greater(x, y))));
  },
  argmax: (x) => asFloat(ops.argmax(x, -1)),
  tile: (x) => ops.tile(x, [1, 2, 1]),
  one_hot: (_x, _y, i) => ops.oneHot(i, 5),
  gelu: (x) => ops.gelu(x),
  gelu_exact: (x) => ops.gelu(x, false),
  silu: (x) => ops.silu(x),
  softplus: (x) => ops.softplus(x),
  log_softmax: (x) => ops.logSoftmax(x, 1),
  softmax_axis1: (x) => ops.softmax(x, 1),
  rsqrt: (x) => ops.rsqrt(ops.add(ops.abs(x), 1)),
  floor: (x) => ops.floor(ops.multiply(x, 3)),
  prod: (x) => ops.prod(x, 1),
  negative_power: (x) => ops.power(ops.add(ops.abs(x), 1), -0.5),
  sum_all: (x) => ops.sum(x, undefined, true),
  mean_keepdims: (x) => ops.mean(x, [1, 2], true),
  max_all: (x) => ops.max(x, null, true),
  expand_squeeze: (x) => ops.squeeze(ops.expandDims(x, -1)),
  transpose_default: (x) => ops.transpose(x),
  where_scalar: (x) => ops.where(ops.greater(x, 0), x, 0),
  clip_cast_int: (_x, _y, i) => ops.cast(ops.clip(ops.cast(i, 'float32'), 1, 3), 'int32'),
  int_arithmetic: (_x, _y, i) => asFloat(ops.add(ops.multiply(i, 2), 1)),
  split_indices: (x) => ops.split(x, [1, 3], -1)[1] as layers.KerasTensor,
  stack_neg_axis: (x, y) => ops.stack([x, y], -1),
  elu_leaky: (x, y) => {
    const e = ops.elu(x, 0.5);
    return ops.add(e, ops.leakyRelu(y, 0.1));
  },
  var_std: (x, y) => {
    const v = ops.variance(x, 1);
    const s = ops.getItem(ops.getItem(ops.std(y, -1, true), ':, :, 0'), ':, :1');
    return ops.add(v, s);
  },
  any_all: (x, y) => {
    const anyOf = ops.any(ops.greater(x, 1), -1);
    return asFloat(ops.logicalAnd(anyOf, ops.all(ops.greater(y, -1.5), -1)));
  },
  logsumexp: (x) => ops.logsumexp(x, 1),
  moveaxis_swapaxes: (x, y) => ops.add(ops.moveaxis(x, 1, 2), ops.swapaxes(y, 1, 2)),
  flip_cumsum: (x) => ops.cumsum(ops.flip(x, 1), 1),
  zeros_ones_like: (x, y) => {
    const zeros = ops.zerosLike(x);
    return ops.add(zeros, ops.multiply(ops.onesLike(y), x));
  },
  hard_sigmoid: (x) => ops.hardSigmoid(ops.multiply(x, 3)),
  normalize: (x) => ops.normalize(x, -1),
  trig_erf_sign: (x, y) => {
    const s = ops.sin(x);
    const product = ops.multiply(s, ops.cos(y));
    const sum = ops.add(product, ops.erf(x));
    return ops.subtract(sum, ops.sign(y));
  },
};
const OPS = (FIXTURE as unknown as { ops: Record<string, { config: Record<string, unknown>; output: Values }> }).ops;
const OP_INPUTS = (FIXTURE as unknown as { op_inputs: Values[] }).op_inputs;

function fromKerasConfig(config: Record<string, unknown>): models.Model {
  const { input_layers, output_layers, ...rest } = config;
  return models.Functional.fromConfig({ ...rest, inputLayers: input_layers, outputLayers: output_layers });
}

describeEachBackend("single Keras ops in graphs: Keras's outputs from Keras's configs", () => {
  it('covers every case of the generator', () => {
    assert.deepEqual(Object.keys(OP_CASES).sort(), Object.keys(OPS).sort());
  });
  for (const [name, expected] of Object.entries(OPS)) {
    it(`${name}: the model from Keras's config gives Keras's output; written here, Keras's config`, () => {
      const model = fromKerasConfig(expected.config);
      const xs = OP_INPUTS.map(tensorOf);
      const before = tf.memory().numTensors;
      const y = model.predict(xs) as tf.Tensor;
      assert.deepEqual(y.shape, expected.output.shape);
      assertAllClose(y, expected.output.values, { rtol: 1e-5, atol: 1e-6 }, name);
      y.dispose();
      assert.equal(tf.memory().numTensors, before, 'no tensor left');
      tf.dispose(xs);
      model.dispose();

      const a = layers.Input({ shape: [3, 4], name: 'a' });
      const b = layers.Input({ shape: [3, 4], name: 'b' });
      const i = layers.Input({ shape: [3], dtype: 'int32', name: 'i' });
      const built = new models.Model({ inputs: [a, b, i], outputs: (OP_CASES[name] as OpFn)(a, b, i) });
      // Keras lists the three inputs whether read or not; ours lists them too (unread inputs at depth 0).
      const ops = (cfg: Record<string, unknown>) =>
        ((normalized(cfg) as { layers: Record<string, unknown>[] }).layers ?? []).filter(
          (l) => l.class_name !== 'InputLayer',
        );
      assertConfigClose(ops(built.getConfig()), ops(expected.config));
      built.dispose();
    });
  }
});
