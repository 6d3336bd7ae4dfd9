/**
 * EinsumDense, MultiHeadAttention and GroupedQueryAttention against real
 * Keras 3.15.1 (test/fixtures/keras-attention.json and the .keras files of
 * test/fixtures/keras-attention/, scripts/generate_keras_attention_fixtures.py):
 * outputs, attention scores and masks, `losses` with every regularizer
 * argument (the kernel, bias and activity regularizers reach every
 * projection as Keras applies them), symbolic shapes, configs and JSON both
 * ways, weight paths and the `model.weights.h5` paths Keras uses, `.keras`
 * files both ways (a transformer encoder block among them) and three SGD
 * steps of a compiled model; gradients against float64 finite differences
 * of a float64 reference; OrthogonalRegularizer on rank-3 kernels (leading
 * axes folded); pinned error texts; no tensor leaks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync } from 'fflate';
import { KerasTypeError, L1, L2, layers, models, OrthogonalRegularizer, saving } from 'keras-regularizers';
import { assertAllClose } from './helpers/allclose.js';
import { describeEachBackend } from './helpers/backends.js';
import { assertConfigClose } from './helpers/config-close.js';
import { expectValueError } from './helpers/errors.js';
import { assertNoLeak } from './helpers/leaks.js';
import { matrix, numericGradient, orthogonal, randomValues } from './helpers/reference.js';

type Shape = (number | null)[];
interface Values {
  shape: number[];
  dtype: 'float32' | 'bool';
  values: (number | boolean)[];
}
interface Weight {
  path: string;
  shape: number[];
  values: number[];
}
interface Case {
  name: string;
  kind: 'einsum_dense' | 'attention';
  class_name?: string;
  config: Record<string, unknown>;
  json: Record<string, unknown> & { config: Record<string, unknown>; build_config?: Record<string, unknown> };
  inputs: Values[];
  call?: { use_causal_mask?: boolean; return_attention_scores?: boolean };
  attention_mask?: Values | null;
  keras_masks?: Values[] | null;
  output_mask?: Values | null;
  training?: boolean;
  weights: Weight[];
  outputs: Values[];
  expected_losses: number[];
  h5_paths?: string[];
  symbolic_input_shape: Shape | Shape[];
  symbolic_output_shape: Shape | Shape[];
}
interface ModelEntry {
  file: string;
  inputs: Values[];
  outputs: Values[];
  expected_losses: number[];
  weight_paths: string[];
  h5_datasets: Record<string, number[]>;
  targets?: Values;
  initial_weights?: Weight[];
  train_on_batch?: { loss: number }[];
  weights_after_training?: Weight[];
}

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/keras-attention.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  models: Record<string, ModelEntry>;
};
const FOLDER = new URL('./fixtures/keras-attention/', import.meta.url);
const CASES = FIXTURE.cases;
const ATTENTION = CASES.filter((c) => c.kind === 'attention');

function tensorOf(v: Values): tf.Tensor {
  return v.dtype === 'bool'
    ? tf.tensor(v.values as boolean[], v.shape, 'bool')
    : tf.tensor(v.values as number[], v.shape);
}

/** The call options Keras's call had: causal mask, scores, the attention mask, the masks the inputs carried. */
function callOptions(c: Case, tensors: tf.Tensor[]): layers.CallOptions {
  const options: layers.CallOptions = { training: c.training ?? false };
  if (c.call?.use_causal_mask) options.useCausalMask = true;
  if (c.call?.return_attention_scores) options.returnAttentionScores = true;
  if (c.attention_mask != null) {
    const mask = tensorOf(c.attention_mask);
    tensors.push(mask);
    options.attentionMask = mask;
  }
  if (c.keras_masks != null) {
    const masks = c.keras_masks.map(tensorOf);
    tensors.push(...masks);
    options.mask = masks;
  }
  return options;
}

/** The case's layer from Keras's JSON (built from its build_config), with Keras's weights. */
function kerasLayer(c: Case): layers.Layer {
  const layer = layers.deserialize(c.json);
  assert.deepEqual(
    layer.weightRecords().map((w) => w.path),
    c.weights.map((w) => w.path),
    'weights in Keras order, with Keras paths',
  );
  const values = c.weights.map((w) => tf.tensor(w.values, w.shape));
  layer.setWeights(values);
  tf.dispose(values);
  return layer;
}

function lossValues(layer: layers.Layer): number[] {
  const losses = layer.losses;
  const values = losses.map((l) => l.dataSync()[0] as number);
  tf.dispose(losses);
  return values;
}

/** Keras's JSON without what a session makes up (shared_object_id) or an eager build records (the batch size). */
function comparable(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(comparable);
  if (json === null || typeof json !== 'object') return json;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (key === 'shared_object_id') continue;
    out[key] = comparable(value);
  }
  if (out.shapes_dict != null) {
    const shapes = out.shapes_dict as Record<string, Shape>;
    out.shapes_dict = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, [null, ...s.slice(1)]]));
  }
  if (Array.isArray(out.input_shape) && !Array.isArray(out.input_shape[0])) {
    out.input_shape = [null, ...(out.input_shape as Shape).slice(1)];
  }
  return out;
}

describeEachBackend(
  'EinsumDense, MultiHeadAttention and GroupedQueryAttention: outputs and losses against Keras',
  () => {
    for (const c of CASES) {
      it(c.name, async () => {
        await assertNoLeak(() => {
          const layer = kerasLayer(c);
          const owned = c.inputs.map(tensorOf);
          const options = c.kind === 'attention' ? callOptions(c, owned) : {};
          const inputs = c.kind === 'attention' ? owned.slice(0, c.inputs.length) : (owned[0] as tf.Tensor);
          tf.tidy(() => {
            const out = layer.apply(inputs, options);
            const outs = Array.isArray(out) ? out : [out];
            assert.equal(outs.length, c.outputs.length, 'outputs');
            outs.forEach((y, i) => {
              const want = c.outputs[i] as Values;
              assert.deepEqual(y.shape, want.shape, `output ${i} shape`);
              assertAllClose(y, want.values as number[], { atol: 1e-5 }, `output ${i}`);
            });
            if (c.output_mask != null) {
              const mask = (outs[0] as tf.Tensor).kerasMask;
              assert.ok(mask != null, 'the output carries the query mask');
              assert.deepEqual(Array.from(mask.dataSync(), Boolean), c.output_mask.values);
              assert.equal(outs[1]?.kerasMask ?? null, null, 'the scores carry no mask');
            }
          });
          assertAllClose(lossValues(layer), c.expected_losses, {}, 'losses');
          layer.dispose();
          tf.dispose(owned);
        });
      });
    }

    it('MHA: the scores sum to 1 over the keys, 0 where masked (explicit path), dropout only in training', () => {
      const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, dropout: 0.5, seed: 3 });
      const x = tf.tensor(randomValues(2 * 4 * 6, 7), [2, 4, 6]);
      const mask = tf.tensor([1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0], [4, 4], 'bool');
      tf.tidy(() => {
        const [out, scores] = mha.apply([x, x], { attentionMask: mask, returnAttentionScores: true }) as tf.Tensor[];
        assert.deepEqual(scores?.shape, [2, 2, 4, 4]);
        const sums = tf.sum(scores as tf.Tensor, -1).dataSync();
        // Row 3 of the mask is empty: its weights are all 0 on this path (dropout), 1 elsewhere.
        Array.from(sums).forEach((s, i) => {
          assertAllClose(s, i % 4 === 3 ? 0 : 1, { atol: 1e-6 }, `row ${i}`);
        });
        const again = mha.apply([x, x], { attentionMask: mask }) as tf.Tensor;
        assertAllClose(again, out as tf.Tensor, {}, 'inference is deterministic');
        const trained = mha.apply([x, x], { attentionMask: mask, training: true }) as tf.Tensor;
        const change = tf.max(tf.abs(tf.sub(trained, out as tf.Tensor))).dataSync()[0] as number;
        assert.ok(change > 1e-3, 'dropout acts in training');
      });
      tf.dispose([x, mask]);
      mha.dispose();
    });
  },
);

describe('EinsumDense, MultiHeadAttention and GroupedQueryAttention: configs and JSON', () => {
  /** Our layers built with the TypeScript API, for the cases whose construction is worth spelling out. */
  const OURS: Record<string, (name: string) => layers.Layer> = {
    'EinsumDense ab,bc->ac, bias c, every regularizer': (name) =>
      new layers.EinsumDense({
        name,
        equation: 'ab,bc->ac',
        outputShape: 5,
        biasAxes: 'c',
        kernelRegularizer: { module: 'keras.regularizers', class_name: 'L1L2', config: { l1: 0.01, l2: 0.02 } },
        biasRegularizer: new L2(0.1),
        activityRegularizer: new L1(0.05),
      }),
    'EinsumDense abc,cd->abd, relu, output (None, 6)': (name) =>
      new layers.EinsumDense({
        name,
        equation: 'abc,cd->abd',
        outputShape: [null, 6],
        biasAxes: 'd',
        activation: 'relu',
        kernelRegularizer: 'l2',
      }),
    'MHA self-attention, every regularizer': (name) =>
      new layers.MultiHeadAttention({
        name,
        numHeads: 2,
        keyDim: 3,
        kernelRegularizer: new L2(0.01),
        biasRegularizer: new L1(0.02),
        activityRegularizer: new L2(0.05),
      }),
    'MHA no bias, gate, sliding window 2, causal': (name) =>
      new layers.MultiHeadAttention({
        name,
        numHeads: 2,
        keyDim: 3,
        useBias: false,
        useGate: true,
        slidingWindow: 2,
        kernelRegularizer: 'l1',
      }),
    'MHA attention_axes (1, 2) on rank 4, scores returned': (name) =>
      new layers.MultiHeadAttention({
        name,
        numHeads: 2,
        keyDim: 2,
        attentionAxes: [1, 2],
        kernelRegularizer: new L2(0.01),
      }),
    'GQA self-attention, every regularizer': (name) =>
      new layers.GroupedQueryAttention({
        name,
        headDim: 3,
        numQueryHeads: 4,
        numKeyValueHeads: 2,
        kernelRegularizer: new L2(0.01),
        biasRegularizer: new L1(0.02),
        activityRegularizer: new L2(0.05),
      }),
  };

  for (const c of CASES) {
    it(`${c.name}: Keras's JSON round-trips${OURS[c.name] ? '; ours serializes to it' : ''}`, () => {
      const rebuilt = layers.deserialize(c.json);
      const json = layers.serialize(rebuilt);
      assertConfigClose(comparable(json), comparable(c.json));
      assert.deepEqual(Object.keys(json.config), Object.keys(c.json.config), "Keras's key order");
      rebuilt.dispose();
      const make = OURS[c.name];
      if (make == null) return;
      const ours = make(c.config.name as string);
      const shapes = c.inputs.map((v) => v.shape);
      ours.ensureBuilt(c.kind === 'attention' ? shapes : (shapes[0] as number[]));
      const oursJson = layers.serialize(ours);
      assertConfigClose(comparable(oursJson), comparable(c.json));
      assert.deepEqual(Object.keys(oursJson.config), Object.keys(c.json.config));
      ours.dispose();
    });
  }

  it('MHA writes attention_axes as given until built, then normalized, as Keras', () => {
    const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: -2 });
    assert.deepEqual(mha.getConfig().attentionAxes, [-2]);
    assert.equal(new layers.MultiHeadAttention({ numHeads: 1, keyDim: 1 }).getConfig().attentionAxes, null);
    mha.ensureBuilt([
      [null, 5, 4],
      [null, 5, 4],
    ]);
    assert.deepEqual(mha.getConfig().attentionAxes, [1]);
    mha.dispose();
  });

  it('GroupedQueryAttention is filed as Keras files it: class_name GroupQueryAttention, named grouped_query_attention', () => {
    const gqa = new layers.GroupedQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1 });
    assert.match(gqa.name, /^grouped_query_attention(_\d+)?$/);
    assert.equal(layers.serialize(gqa).class_name, 'GroupQueryAttention');
    assert.equal(layers.GroupQueryAttention, layers.GroupedQueryAttention);
    const back = layers.deserialize({ ...layers.serialize(gqa), class_name: 'GroupedQueryAttention' });
    assert.ok(back instanceof layers.GroupedQueryAttention);
  });

  it('a layer only sets activity penalties where Keras does: MHA on its projections, GQA on them and itself', () => {
    const mha = new layers.MultiHeadAttention({ numHeads: 1, keyDim: 2, activityRegularizer: new L2(0.1) });
    assert.equal(mha.activityRegularizer, null);
    const gqa = new layers.GroupedQueryAttention({
      headDim: 2,
      numQueryHeads: 1,
      numKeyValueHeads: 1,
      activityRegularizer: new L2(0.1),
    });
    assert.ok(gqa.activityRegularizer instanceof L2);
  });
});

describe('EinsumDense, MultiHeadAttention and GroupedQueryAttention: symbolic shapes and Functional graphs', () => {
  for (const c of CASES) {
    it(`${c.name}: the output shape for an unknown batch, without computing anything`, () => {
      const layer = layers.deserialize(c.json);
      const before = tf.memory().numTensors;
      const returnScores = c.call?.return_attention_scores ?? false;
      const shape = layer.computeOutputShape(c.symbolic_input_shape, { returnAttentionScores: returnScores });
      assert.equal(tf.memory().numTensors, before, 'no tensor made');
      const shapes = c.kind === 'attention' ? (returnScores ? (shape as Shape[]) : [shape as Shape]) : [shape as Shape];
      const expected = c.symbolic_output_shape as Shape[];
      // Keras's compute_output_shape lists the axes of a left `...` past the batch axis in reverse
      // ((None, 2, 3, 4) for inputs (None, 3, 2, 5)); ours is the shape the call gives.
      if (c.name === 'EinsumDense ...b,bc->...c on rank 4') {
        assert.deepEqual(expected, [null, 2, 3, 4]);
        assert.deepEqual(shape, [null, 3, 2, 4]);
      } else if (c.kind === 'einsum_dense') assert.deepEqual(shape, expected);
      else assert.deepEqual(shapes[0], expected[0]);
      // The scores' shape is the one the layer computes (Keras's symbolic shape is (B, heads, T, T) whatever the key).
      if (returnScores) assert.deepEqual(shapes[1], [null, ...(c.outputs[1] as Values).shape.slice(1)]);
      layer.dispose();
    });
  }

  for (const c of ATTENTION) {
    it(`${c.name}: in a model, its weights go where Keras puts them in model.weights.h5`, async () => {
      const { build_config: _unbuilt, ...json } = c.json;
      const layer = layers.deserialize(json);
      const inputs = (c.symbolic_input_shape as Shape[]).map((s) => layers.Input({ shape: s.slice(1) as number[] }));
      const output = layer.apply(inputs, c.call?.use_causal_mask ? { useCausalMask: true } : {});
      const model = new models.Model({ inputs, outputs: output });
      const paths = await h5Datasets(await saving.saveModelToBytes(model));
      const prefix = (p: string) => p.split('/').slice(0, 2).join('/');
      assert.deepEqual(
        paths.filter((p) => prefix(p) === prefix(c.h5_paths?.[0] as string)),
        c.h5_paths,
      );
      model.dispose();
    });
  }

  it("a transformer encoder block built here gives Keras's config for its attention call and loads Keras's weights", async () => {
    const entry = FIXTURE.models.encoder_block as ModelEntry;
    const keras = JSON.parse(readFileSync(new URL('encoder_block.config.json', FOLDER), 'utf8'));
    const x = layers.Input({ shape: [8, 16], name: 'tokens' });
    const attention = new layers.MultiHeadAttention({
      numHeads: 2,
      keyDim: 8,
      dropout: 0.1,
      kernelRegularizer: new L2(1e-3),
      biasRegularizer: new L1(1e-3),
      activityRegularizer: new L2(1e-4),
      name: 'self_attention',
    }).apply([x, x], { useCausalMask: true }) as layers.KerasTensor;
    let h = new layers.Add({ name: 'residual_1' }).apply([
      x,
      new layers.Dropout({ rate: 0.1, name: 'attention_dropout' }).apply(attention) as layers.KerasTensor,
    ]) as layers.KerasTensor;
    h = new layers.LayerNormalization({ epsilon: 1e-6, name: 'norm_1' }).apply(h) as layers.KerasTensor;
    let f = new layers.Dense({ units: 32, activation: 'relu', kernelRegularizer: new L2(1e-3), name: 'ffn_1' }).apply(
      h,
    );
    f = new layers.Dense({ units: 16, name: 'ffn_2' }).apply(f as layers.KerasTensor);
    h = new layers.Add({ name: 'residual_2' }).apply([h, f as layers.KerasTensor]) as layers.KerasTensor;
    const y = new layers.LayerNormalization({ epsilon: 1e-6, name: 'norm_2' }).apply(h) as layers.KerasTensor;
    const model = new models.Model({ inputs: x, outputs: y, name: 'encoder_block' });
    const ours = models.modelToJSON(model) as unknown as { config: { layers: Record<string, unknown>[] } };
    const byName = (list: Record<string, unknown>[], name: string) => list.find((l) => l.name === name);
    assert.deepEqual(
      ours.config.layers.map((l) => l.name),
      keras.config.layers.map((l: Record<string, unknown>) => l.name),
    );
    assertConfigClose(
      comparable(byName(ours.config.layers, 'self_attention')),
      comparable(byName(keras.config.layers, 'self_attention')),
    );
    // Keras's weights, read from its file by h5 path, give Keras's predictions here.
    const loaded = await saving.loadModelFromBytes(new Uint8Array(readFileSync(new URL(entry.file, FOLDER))));
    const kerasWeights = loaded.getWeights();
    model.setWeights(kerasWeights);
    tf.dispose(kerasWeights);
    tf.tidy(() => {
      const out = model.apply(tensorOf(entry.inputs[0] as Values)) as tf.Tensor;
      assertAllClose(out, (entry.outputs[0] as Values).values as number[], { atol: 1e-5 });
    });
    assertAllClose(lossValues(model), entry.expected_losses, {}, 'losses');
    model.dispose();
    loaded.dispose();
  });

  it('a symbolic attention mask is an input of the call; the call replays with it and round-trips through JSON', () => {
    const q = layers.Input({ shape: [3, 4] });
    const m = layers.Input({ shape: [3, 3] });
    const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'mha' });
    const [out, scores] = mha.apply([q, q], { attentionMask: m, returnAttentionScores: true }) as layers.KerasTensor[];
    assert.deepEqual(scores?.shape, [null, 2, 3, 3]);
    const model = new models.Model({
      inputs: [q, m],
      outputs: [out as layers.KerasTensor, scores as layers.KerasTensor],
    });
    const json = models.modelToJSON(model);
    const node = (json as unknown as { config: { layers: Record<string, unknown>[] } }).config.layers.find(
      (l) => l.name === 'mha',
    )?.inbound_nodes as { args: unknown[]; kwargs: Record<string, unknown> }[];
    assert.equal(node[0]?.args.length, 2, "query and value as Keras's positional args");
    assert.deepEqual(Object.keys(node[0]?.kwargs ?? {}), ['attention_mask', 'return_attention_scores']);
    const copy = models.modelFromJSON(json);
    const values = model.getWeights();
    copy.setWeights(values);
    tf.dispose(values);
    tf.tidy(() => {
      const x = tf.tensor(randomValues(2 * 12, 5), [2, 3, 4]);
      const mask = tf.tensor([1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1], [2, 3, 3]);
      const [a, sa] = model.apply([x, mask]) as tf.Tensor[];
      const [b, sb] = copy.apply([x, mask]) as tf.Tensor[];
      assertAllClose(a as tf.Tensor, b as tf.Tensor);
      assertAllClose(sa as tf.Tensor, sb as tf.Tensor);
      assert.equal((sa as tf.Tensor).dataSync()[1], 0, 'a masked key gets weight 0');
    });
    const cloned = models.cloneModel(model) as models.Functional;
    assert.equal(cloned.inputs.length, 2);
    model.dispose();
    copy.dispose();
    cloned.dispose();
  });
});

describeEachBackend('.keras files with attention layers, both ways', () => {
  for (const [name, entry] of Object.entries(FIXTURE.models)) {
    it(`${name}: Keras's file loads with Keras's predictions and losses; ours loads back the same`, async () => {
      const before = tf.memory().numTensors;
      const model = await saving.loadModelFromBytes(new Uint8Array(readFileSync(new URL(entry.file, FOLDER))));
      assert.deepEqual(
        model.weightRecords().map((w) => w.path),
        entry.weight_paths,
      );
      const inputs = entry.inputs.map(tensorOf);
      const check = (m: models.Model, label: string) =>
        tf.tidy(() => {
          const out = m.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs);
          (Array.isArray(out) ? out : [out]).forEach((y, i) => {
            assertAllClose(y, (entry.outputs[i] as Values).values as number[], { atol: 1e-5 }, `${label} output ${i}`);
          });
        });
      check(model, 'keras file');
      assertAllClose(lossValues(model), entry.expected_losses, {}, 'losses');
      const bytes = await saving.saveModelToBytes(model);
      const paths = await h5Datasets(bytes);
      assert.deepEqual(
        paths.filter((p) => !p.startsWith('optimizer/')),
        Object.keys(entry.h5_datasets)
          .filter((p) => !p.startsWith('optimizer/'))
          .sort(),
        "our file stores each weight at Keras's path",
      );
      const back = await saving.loadModelFromBytes(bytes);
      check(back, 'our file');
      model.dispose();
      back.dispose();
      tf.dispose(inputs);
      assert.equal(tf.memory().numTensors, before, 'leaked tensors');
    });
  }

  it('attention_classifier: three SGD trainOnBatch steps give Keras’s losses and weights', async () => {
    const entry = FIXTURE.models.attention_classifier as ModelEntry;
    const model = await saving.loadModelFromBytes(new Uint8Array(readFileSync(new URL(entry.file, FOLDER))));
    const x = tensorOf(entry.inputs[0] as Values);
    const y = tensorOf(entry.targets as Values);
    for (const [i, step] of (entry.train_on_batch ?? []).entries()) {
      const logs = model.trainOnBatch(x, y);
      assertAllClose(logs.loss as number, step.loss, { rtol: 1e-5 }, `step ${i + 1} loss`);
    }
    const byPath = new Map((entry.weights_after_training ?? []).map((w) => [w.path, w]));
    for (const record of model.weightRecords()) {
      const want = byPath.get(record.path);
      assert.ok(want, `no Keras weight for ${record.path}`);
      assertAllClose(record.variable, want.values, { rtol: 1e-4, atol: 1e-6 }, record.path);
    }
    model.dispose();
    tf.dispose([x, y]);
  });
});

/** The datasets of the model.weights.h5 in a .keras file, by path. */
async function h5Datasets(keras: Uint8Array): Promise<string[]> {
  const { default: h5 } = await import('h5wasm');
  const runtime = (await h5.ready) as unknown as {
    FS: { writeFile(p: string, d: Uint8Array): void; unlink(p: string): void };
  };
  const path = '/attention-test-weights.h5';
  runtime.FS.writeFile(path, unzipSync(keras)['model.weights.h5'] as Uint8Array);
  const file = new h5.File(path, 'r');
  const found: string[] = [];
  const walk = (group: InstanceType<typeof h5.Group>, at: string) => {
    for (const key of group.keys()) {
      const item = group.get(key);
      const where = at === '' ? key : `${at}/${key}`;
      if (item instanceof h5.Dataset) found.push(where);
      else if (item instanceof h5.Group) walk(item, where);
    }
  };
  walk(file, '');
  file.close();
  runtime.FS.unlink(path);
  return found.sort();
}

// ------------------------------------------------------------ float64 reference

interface F64 {
  shape: number[];
  values: Float64Array;
}

const f64 = (shape: number[], values: ArrayLike<number>): F64 => ({ shape, values: Float64Array.from(values) });

/** `einsum` of two operands in float64, by loops: each output entry sums over the labels the output lacks. */
function einsum64(equation: string, a: F64, b: F64): F64 {
  const [lhs, out] = equation.split('->') as [string, string];
  const [la, lb] = lhs.split(',') as [string, string];
  const size = new Map<string, number>();
  for (const [i, l] of [...la].entries()) size.set(l, a.shape[i] as number);
  for (const [i, l] of [...lb].entries()) size.set(l, b.shape[i] as number);
  const summed = [...new Set([...la, ...lb])].filter((l) => !out.includes(l));
  const outShape = [...out].map((l) => size.get(l) as number);
  const values = new Float64Array(outShape.reduce((p, d) => p * d, 1));
  const strides = (labels: string, shape: number[]) => {
    const s = new Map<string, number>();
    let step = 1;
    for (let i = labels.length - 1; i >= 0; i--) {
      s.set(labels[i] as string, step);
      step *= shape[i] as number;
    }
    return s;
  };
  const sa = strides(la, a.shape);
  const sb = strides(lb, b.shape);
  const all = [...out, ...summed];
  const index = new Map<string, number>();
  const walk = (k: number, position: number): void => {
    if (k === all.length) {
      let ia = 0;
      let ib = 0;
      for (const l of la) ia += (index.get(l) as number) * (sa.get(l) as number);
      for (const l of lb) ib += (index.get(l) as number) * (sb.get(l) as number);
      values[position] = (values[position] as number) + (a.values[ia] as number) * (b.values[ib] as number);
      return;
    }
    const label = all[k] as string;
    const n = size.get(label) as number;
    for (let i = 0; i < n; i++) {
      index.set(label, i);
      walk(k + 1, k < out.length ? position * n + i : position);
    }
  };
  walk(0, 0);
  return { shape: outShape, values };
}

/** `x + bias` with the bias broadcast over the leading axes. */
function addBias(x: F64, bias: F64 | null): F64 {
  if (bias == null) return x;
  const n = bias.values.length;
  return { shape: x.shape, values: x.values.map((v, i) => v + (bias.values[i % n] as number)) };
}

interface AttentionSpec {
  heads: number;
  keyDim: number;
  /** Key/value heads (GQA); default `heads`. */
  kvHeads?: number;
  causal?: boolean;
  mask?: boolean[] | null;
  /** Zero the weights of masked keys after the softmax (Keras's explicit path). */
  zeroMasked?: boolean;
}

/**
 * Multi-head attention in float64 on `(B, T, C)` inputs: the projections,
 * softmax(q k / sqrt(d)) with masked logits at -1e9, the weighted values and
 * the output projection. Returns the output and every projection's output.
 */
function attention64(q: F64, v: F64, w: F64[], spec: AttentionSpec, useBias = true) {
  const [qk, qb, kk, kb, vk, vb, ok, ob] = useBias
    ? (w as [F64, F64, F64, F64, F64, F64, F64, F64])
    : [w[0], null, w[1], null, w[2], null, w[3], null];
  const Q = addBias(einsum64('abc,cde->abde', q, qk as F64), qb ?? null);
  let K = addBias(einsum64('abc,cde->abde', v, kk as F64), kb ?? null);
  let V = addBias(einsum64('abc,cde->abde', v, vk as F64), vb ?? null);
  const projections = [Q, K, V];
  const kvHeads = spec.kvHeads ?? spec.heads;
  if (kvHeads !== spec.heads) {
    const repeat = (x: F64): F64 => {
      const [B, S, , H] = x.shape as [number, number, number, number];
      const r = spec.heads / kvHeads;
      const values = new Float64Array(B * S * spec.heads * H);
      for (let i = 0; i < values.length; i++) {
        const h = i % H;
        const u = Math.floor(i / H) % spec.heads;
        const bs = Math.floor(i / (H * spec.heads));
        values[i] = x.values[(bs * kvHeads + Math.floor(u / r)) * H + h] as number;
      }
      return { shape: [B, S, spec.heads, H], values };
    };
    K = repeat(K);
    V = repeat(V);
  }
  const scaled = { shape: Q.shape, values: Q.values.map((x) => x / Math.sqrt(spec.keyDim)) };
  const logits = einsum64('aecd,abcd->acbe', K, scaled);
  const [B, N, T, S] = logits.shape as [number, number, number, number];
  const probs = new Float64Array(logits.values.length);
  for (let row = 0; row < B * N * T; row++) {
    const b = Math.floor(row / (N * T));
    const t = row % T;
    const allowed = (s: number) =>
      (!spec.causal || s <= t) && (spec.mask == null || (spec.mask[(b * T + t) * S + s] as boolean));
    const x = Array.from({ length: S }, (_, s) => (allowed(s) ? (logits.values[row * S + s] as number) : -1e9));
    const max = Math.max(...x);
    const e = x.map((v) => Math.exp(v - max));
    const total = e.reduce((p, v) => p + v, 0);
    e.forEach((v, s) => {
      probs[row * S + s] = spec.zeroMasked && !allowed(s) ? 0 : v / total;
    });
  }
  const combined = einsum64('acbe,aecd->abcd', { shape: logits.shape, values: probs }, V);
  const out = addBias(einsum64('abcd,cde->abe', combined, ok as F64), ob ?? null);
  return { out, projections: [...projections, out] };
}

describeEachBackend('attention layers: gradients against float64 finite differences', () => {
  interface GradCase {
    label: string;
    make: () => layers.Layer;
    shapes: number[][];
    options?: layers.CallOptions & { maskValues?: boolean[] };
    /** The float64 forward: the output and the activity-penalized tensors (each projection's output). */
    forward: (inputs: F64[], weights: F64[]) => { out: F64; penalized: F64[] };
    /** Activity L2 factor applied to each penalized tensor, divided by the batch. */
    activity?: number;
  }
  // (2, 4, 4): every query sees a key, some keys are hidden.
  const mask = [
    [1, 1, 0, 1],
    [0, 1, 1, 1],
    [0, 1, 1, 1],
    [1, 0, 1, 1],
    [1, 1, 1, 0],
    [1, 0, 0, 1],
    [0, 1, 0, 1],
    [1, 1, 1, 1],
  ].flatMap((row) => row.map(Boolean));
  const CASES_G: GradCase[] = [
    {
      label: 'EinsumDense abcd,cde->abe, tanh',
      make: () =>
        new layers.EinsumDense({
          equation: 'abcd,cde->abe',
          outputShape: [null, 3],
          biasAxes: 'e',
          activation: 'tanh',
        }),
      shapes: [[2, 3, 2, 4]],
      forward: ([x], [k, b]) => {
        const y = addBias(einsum64('abcd,cde->abe', x as F64, k as F64), b as F64);
        return { out: { shape: y.shape, values: y.values.map(Math.tanh) }, penalized: [] };
      },
    },
    {
      label: 'EinsumDense ab,cb->ac (transposed kernel), bias c',
      make: () => new layers.EinsumDense({ equation: 'ab,cb->ac', outputShape: 3, biasAxes: 'c' }),
      shapes: [[4, 5]],
      forward: ([x], [k, b]) => ({ out: addBias(einsum64('ab,cb->ac', x as F64, k as F64), b as F64), penalized: [] }),
    },
    {
      label: 'EinsumDense abc,bcd->abd (a shared batch-like axis), bias bd',
      make: () => new layers.EinsumDense({ equation: 'abc,bcd->abd', outputShape: [3, 5], biasAxes: 'bd' }),
      shapes: [[2, 3, 4]],
      forward: ([x], [k, b]) => ({
        out: addBias(einsum64('abc,bcd->abd', x as F64, k as F64), b as F64),
        penalized: [],
      }),
    },
    {
      label: 'MultiHeadAttention, causal and attention mask, activity L2 on every projection',
      make: () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, activityRegularizer: new L2(0.05) }),
      shapes: [
        [2, 4, 3],
        [2, 4, 3],
      ],
      options: { useCausalMask: true, maskValues: mask },
      activity: 0.05,
      forward: ([q, v], w) => {
        const { out, projections } = attention64(q as F64, v as F64, w, { heads: 2, keyDim: 2, causal: true, mask });
        return { out, penalized: projections };
      },
    },
    {
      label: 'MultiHeadAttention, masked keys zeroed (scores returned), no bias',
      make: () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, useBias: false }),
      shapes: [
        [2, 4, 3],
        [2, 4, 3],
      ],
      options: { returnAttentionScores: true, maskValues: mask },
      forward: ([q, v], w) => ({
        out: attention64(q as F64, v as F64, w, { heads: 2, keyDim: 2, mask, zeroMasked: true }, false).out,
        penalized: [],
      }),
    },
    {
      label: 'GroupedQueryAttention, 4 query heads on 2 key/value heads, causal',
      make: () =>
        new layers.GroupedQueryAttention({
          headDim: 2,
          numQueryHeads: 4,
          numKeyValueHeads: 2,
          activityRegularizer: new L2(0.05),
        }),
      shapes: [
        [2, 3, 4],
        [2, 3, 4],
      ],
      options: { useCausalMask: true },
      activity: 0.05,
      forward: ([q, v], w) => {
        const { out, projections } = attention64(q as F64, v as F64, w, {
          heads: 4,
          kvHeads: 2,
          keyDim: 2,
          causal: true,
        });
        // GQA's own output is penalized too; its key and value before the heads are repeated.
        return { out, penalized: [...projections, out] };
      },
    },
  ];

  for (const g of CASES_G) {
    it(g.label, () => {
      const layer = g.make();
      const inputValues = g.shapes.map((s, i) =>
        randomValues(
          s.reduce((p, d) => p * d, 1),
          11 + i,
        ),
      );
      const inputs = g.shapes.map((s, i) => tf.tensor(inputValues[i] as number[], s));
      const { maskValues, ...callOptions } = g.options ?? {};
      const maskTensor =
        maskValues == null
          ? null
          : tf.tensor(maskValues, [2, g.shapes[0]?.[1] as number, g.shapes[1]?.[1] as number], 'bool');
      if (maskTensor != null) callOptions.attentionMask = maskTensor;
      const call = (xs: tf.Tensor[]) => {
        const out = layer.apply(xs.length === 1 ? (xs[0] as tf.Tensor) : xs, callOptions);
        return Array.isArray(out) ? (out[0] as tf.Tensor) : out;
      };
      tf.tidy(() => call(inputs));
      const weights = layer.weights;
      const weightValues = weights.map((w, i) => randomValues(w.size, 40 + i, 0.7));
      layer.setWeights(weightValues.map((v, i) => tf.tensor(v, (weights[i] as tf.Variable).shape)));
      const weightShapes = weights.map((w) => [...w.shape]);

      const outSize = g.forward(
        inputValues.map((v, i) => f64(g.shapes[i] as number[], v)),
        weightValues.map((v, i) => f64(weightShapes[i] as number[], v)),
      ).out.values.length;
      const r = randomValues(outSize, 99);
      // L = sum(y * r) + the activity penalties (each projection's l2 * sum(p^2) / batch).
      const loss64 = (xs: Float64Array[], ws: Float64Array[]) => {
        const { out, penalized } = g.forward(
          xs.map((v, i) => ({ shape: g.shapes[i] as number[], values: v })),
          ws.map((v, i) => ({ shape: weightShapes[i] as number[], values: v })),
        );
        let total = out.values.reduce((s, y, i) => s + y * (r[i] as number), 0);
        for (const p of penalized)
          total += ((g.activity ?? 0) * p.values.reduce((s, v) => s + v * v, 0)) / (p.shape[0] as number);
        return total;
      };

      const grads = tf.tidy(() => {
        const weightsOfR = tf.tensor(r, call(inputs).shape);
        const f = (...xs: tf.Tensor[]) => {
          const y = call(xs);
          const losses = layer.losses;
          const penalty = losses.length > 0 ? tf.addN(losses) : tf.scalar(0);
          return tf.add(tf.sum(tf.mul(y, weightsOfR)), penalty) as tf.Scalar;
        };
        const inputGrads = tf
          .grads(f)(inputs)
          .map((t) => Array.from(t.dataSync()));
        const { grads: wg } = tf.variableGrads(() => f(...inputs), weights);
        return [...inputGrads, ...weights.map((w) => Array.from((wg[w.name] as tf.Tensor).dataSync()))];
      });

      const xs64 = inputValues.map((v) => Float64Array.from(v));
      const ws64 = weightValues.map((v) => Float64Array.from(v));
      const tolerance = { rtol: 2e-3, atol: 2e-4 };
      xs64.forEach((x, i) => {
        const numeric = numericGradient(
          (xi) =>
            loss64(
              xs64.map((y, j) => (j === i ? xi : y)),
              ws64,
            ),
          x,
        );
        assertAllClose(grads[i] as number[], numeric, tolerance, `input ${i}`);
      });
      ws64.forEach((w, i) => {
        const numeric = numericGradient(
          (wi) =>
            loss64(
              xs64,
              ws64.map((y, j) => (j === i ? wi : y)),
            ),
          w,
        );
        assertAllClose(
          grads[xs64.length + i] as number[],
          numeric,
          tolerance,
          `weight ${layer.weightRecords()[i]?.path}`,
        );
      });
      layer.dispose();
      tf.dispose([...inputs, ...(maskTensor != null ? [maskTensor] : [])]);
    });
  }
});

describeEachBackend('OrthogonalRegularizer on rank-3 einsum kernels (leading axes folded into rows)', () => {
  it("EinsumDense abc,cde->abde: the kernel (6, 2, 3) is read as (12, 3), the project's documented extension", () => {
    const layer = new layers.EinsumDense({
      equation: 'abc,cde->abde',
      outputShape: [null, 2, 3],
      biasAxes: 'de',
      kernelRegularizer: new OrthogonalRegularizer({ factor: 0.1 }),
    });
    layer.ensureBuilt([null, 4, 6]);
    const values = randomValues(36, 5);
    layer.setWeights([tf.tensor(values, [6, 2, 3]), tf.zeros([2, 3])]);
    assertAllClose(lossValues(layer), [orthogonal(0.1, matrix(12, 3, values), 'rows')]);
    layer.dispose();
  });

  it('MultiHeadAttention with an Orthogonal kernel regularizer: one penalty per projection, each folded', () => {
    const regularizer = new OrthogonalRegularizer({ factor: 0.2, mode: 'columns' });
    const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, kernelRegularizer: regularizer });
    mha.ensureBuilt([
      [null, 4, 5],
      [null, 4, 5],
    ]);
    const kernels = mha.weightRecords().filter((w) => w.name === 'kernel');
    assert.deepEqual(
      kernels.map((w) => w.variable.shape),
      [
        [5, 2, 3],
        [5, 2, 3],
        [5, 2, 3],
        [2, 3, 5],
      ],
    );
    const expected = kernels.map((w) => {
      const [rows, cols] = [w.variable.size / (w.variable.shape.at(-1) as number), w.variable.shape.at(-1) as number];
      return orthogonal(0.2, matrix(rows, cols, w.variable.dataSync()), 'columns');
    });
    assertAllClose(lossValues(mha), expected);
    mha.dispose();
  });
});

describeEachBackend('attention layers: errors', () => {
  const z = (...shape: number[]) => tf.zeros(shape);
  const withTensors = (body: () => unknown) => () => tf.tidy(() => void body());

  it('EinsumDense: the equation, the bias axes and the output shape, with Keras’s words', () => {
    expectValueError(
      () => new layers.EinsumDense({ equation: 'abc', outputShape: 3 }),
      "Invalid einsum equation 'abc'. Equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....",
    );
    expectValueError(
      () => new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: 3, biasAxes: 'x' }).ensureBuilt([null, 4]),
      "Bias dimension 'x' was requested, but is not part of the output spec 'ac'",
    );
    expectValueError(
      () => new layers.EinsumDense({ equation: 'abc,cd->abd', outputShape: [5, 6] }).ensureBuilt([null, 4, 3]),
      "Input shape and output shape do not match at shared dimension 'b'. Input shape is 4, and output shape is 5.",
    );
    expectValueError(
      () => new layers.EinsumDense({ equation: 'ab,bcx->ac', outputShape: 3 }).ensureBuilt([null, 4]),
      "Weight dimension 'x' did not have a match in either the input spec 'ab' or the output spec 'ac'. For this layer, the weight must be fully specified.",
    );
    expectValueError(
      () => new layers.EinsumDense({ equation: 'ab,bc->acz', outputShape: [3, 2] }).ensureBuilt([null, 4]),
      "Dimension 'z' was specified in the output 'acz' but has no corresponding dim in the input spec 'ab' or weight spec 'bc'",
    );
    expectValueError(
      () => new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: [3, 2] }).ensureBuilt([null, 4]),
      "The output_shape of the einsum equation 'ab,bc->ac' gives the sizes of the output axes 'ac' but the first (the batch axis): expected 1 entries. Received: output_shape=[3, 2]",
    );
    expectValueError(
      () => new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: 3 }).ensureBuilt([null, 4, 2]),
      "Input of rank 3 does not fit the einsum equation 'ab,bc->ac': its input part 'ab' names 2 axes. Received: input shape [null, 4, 2]",
    );
    const layer = new layers.EinsumDense({ equation: 'abc,cd->abd', outputShape: [null, 3], name: 'e' });
    layer.ensureBuilt([null, 4, 2]);
    expectValueError(
      withTensors(() => layer.apply(z(2, 2))),
      'Input 0 of layer "e" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: [2, 2]',
    );
    expectValueError(
      () => new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: 3, kernelConstraint: 2 as never }),
      'Invalid value for argument kernelConstraint: Could not interpret constraint identifier: 2',
    );
    layer.dispose();
  });

  it('MultiHeadAttention and GroupedQueryAttention: their options', () => {
    expectValueError(
      () => new layers.MultiHeadAttention({ numHeads: 0, keyDim: 2 }),
      'Received an invalid value for argument `numHeads`, expected a positive integer. Received: numHeads=0',
    );
    expectValueError(
      () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2.5 }),
      'Received an invalid value for argument `keyDim`, expected a positive integer. Received: keyDim=2.5',
    );
    expectValueError(
      () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, valueDim: -1 }),
      'Received an invalid value for argument `valueDim`, expected a positive integer or null. Received: valueDim=-1',
    );
    expectValueError(
      () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, outputShape: 'x' as never }),
      'Invalid `outputShape`: "x". When specified, the `outputShape` should be a positive integer or an array of them.',
    );
    expectValueError(
      () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: 'x' as never }),
      '`attentionAxes` must be an integer or an array of integers. Received: attentionAxes="x"',
    );
    expectValueError(
      () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, slidingWindow: 0 }),
      '`slidingWindow` must be null or a positive integer. Received: slidingWindow=0',
    );
    expectValueError(
      () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 1 }),
      'Invalid value received for argument `dropout`. Expected a float value between 0 and 1. Received: dropout=1',
    );
    expectValueError(
      () => new layers.GroupedQueryAttention({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 3 }),
      '`numQueryHeads` must be divisible by `numKeyValueHeads`. Received: numQueryHeads=4, numKeyValueHeads=3',
    );
    expectValueError(
      () =>
        new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [3] }).ensureBuilt([
          [null, 4, 5],
          [null, 4, 5],
        ]),
      'Invalid attentionAxes for inputs of rank 3: expected distinct axes between 1 and 1 (not the batch or the last axis). Received: attentionAxes=[3]',
    );
    assert.throws(
      () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, keyDims: 3 } as never),
      (error: Error) =>
        error instanceof KerasTypeError && /unexpected option "keyDims".*Did you mean "keyDim"\?/.test(error.message),
    );
  });

  it('MultiHeadAttention and GroupedQueryAttention: their inputs and call options', () => {
    const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'mha' });
    expectValueError(
      withTensors(() => mha.apply(z(2, 3, 4))),
      'Layer "mha" expects [query, value] or [query, value, key]: 2 or 3 tensors of rank >= 3 with the same batch size. Received: [2, 3, 4]',
    );
    expectValueError(
      withTensors(() => mha.apply([z(2, 3, 4), z(2, 5, 4), z(2, 6, 4)])),
      'All dimensions of `value` and `key`, except the last one, must be equal. Received: value_shape=[2, 5, 4] and key_shape=[2, 6, 4]',
    );
    expectValueError(
      withTensors(() => mha.apply([z(2, 3, 4), z(3, 3, 4)])),
      'Layer "mha" expects [query, value] or [query, value, key]: 2 or 3 tensors of rank >= 3 with the same batch size. Received: shapes [2, 3, 4], [3, 3, 4], [3, 3, 4]',
    );
    assert.throws(
      withTensors(() => mha.apply([z(2, 3, 4), z(2, 3, 4)], { causal: true } as never)),
      (error: Error) =>
        error instanceof KerasTypeError &&
        error.message.startsWith(
          'MultiHeadAttention.apply got an unexpected option "causal". Expected: training, mask,',
        ),
    );
    expectValueError(
      withTensors(() => mha.apply([z(2, 3, 4), z(2, 3, 4)], { attentionMask: z(2, 4, 3) })),
      'The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 or match the corresponding input dimension. Received: inputs.shape=[2, 2, 3, 3], mask.shape=[2, 1, 4, 3]',
    );
    const q = layers.Input({ shape: [3, 4] });
    expectValueError(
      withTensors(() =>
        new layers.MultiHeadAttention({ numHeads: 1, keyDim: 2 }).apply([q, q], { attentionMask: z(1, 3, 3) }),
      ),
      /^Layer "multi_head_attention(_\d+)?" was called on symbolic tensors with a real tensor as attentionMask: in a Functional graph, pass a symbolic tensor \(an Input\) instead\.$/,
    );
    const gqa = new layers.GroupedQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1, name: 'gqa' });
    expectValueError(
      () =>
        gqa.computeOutputShape([
          [null, 3, 4],
          [null, 3, 5],
        ]),
      'The last dimension of `query_shape` and `value_shape` must be equal, but are 4, 5. Received: query_shape=[null, 3, 4], value_shape=[null, 3, 5]',
    );
    mha.dispose();
  });
});
