/**
 * The real-Keras cases of test/fixtures/keras-more-layers.json
 * (scripts/generate_keras_more_layers_fixtures.py), and the checks the
 * attention, normalization, embedding and adaptive-pooling tests share:
 * a layer from Keras's JSON with Keras's weights gives Keras's outputs,
 * losses and gradients; a Keras `.keras` file loads, predicts, trains 3 SGD
 * steps to Keras's numbers and saves back.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { layers, type models, saving } from 'keras-regularizers';
import { assertAllClose } from './allclose.js';
import { assertConfigClose } from './config-close.js';

export interface Values {
  shape: number[];
  dtype: 'float32' | 'bool' | 'int32';
  values: (number | boolean)[];
}
export interface Weight {
  path: string;
  shape: number[];
  values: number[];
}
export interface LayerCase {
  name: string;
  kind: 'dense_attention' | 'rms_normalization' | 'reversible_embedding' | 'adaptive_pooling';
  class_name: string;
  config: Record<string, unknown>;
  json: Record<string, unknown> & { config: Record<string, unknown> };
  inputs: Values[];
  call: Record<string, unknown>;
  masks: (Values | null)[] | null;
  weights: Weight[];
  outputs: Values[];
  expected_losses: number[];
  cotangents: Values[];
  grad_inputs: number[];
  input_grads: Values[];
  weight_grads: Values[];
}
export interface ModelEntry {
  file: string;
  inputs: Values[];
  outputs: Values[];
  expected_losses: number[];
  weight_paths: string[];
  initial_weights: Weight[];
  layer_classes: string[];
  targets: Values;
  train_on_batch: { loss: number }[];
  weights_after_training: Weight[];
  outputs_after_training: Values[];
}

export const FIXTURE = JSON.parse(
  readFileSync(new URL('../fixtures/keras-more-layers.json', import.meta.url), 'utf8'),
) as { meta: { keras_lambda_error: string }; cases: LayerCase[]; models: Record<string, ModelEntry> };
export const FOLDER = new URL('../fixtures/keras-more-layers/', import.meta.url);

export function casesOfKind(kind: LayerCase['kind']): LayerCase[] {
  return FIXTURE.cases.filter((c) => c.kind === kind);
}

export function tensorOf(v: Values): tf.Tensor {
  return tf.tensor(v.values as number[], v.shape, v.dtype);
}

export function fileBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FOLDER)));
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The call options of a case: Keras's keywords camelCased, the masks as tensors. */
export function callOptionsOf(c: LayerCase): { options: layers.CallOptions; masks: tf.Tensor[] } {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(c.call)) options[camel(key)] = value;
  const masks: tf.Tensor[] = [];
  if (c.masks != null) {
    options.mask = c.masks.map((m) => {
      if (m == null) return null;
      const t = tensorOf(m);
      masks.push(t);
      return t;
    });
  }
  return { options: options as layers.CallOptions, masks };
}

/**
 * Builds the case's layer from Keras's JSON, checks its config and JSON
 * against Keras's, sets Keras's weights, and checks the outputs, `losses`
 * and the gradients of `sum(outputs * cotangents)` (inputs and weights).
 */
export function checkLayerCase(c: LayerCase): void {
  const before = tf.memory().numTensors;
  const layer = layers.deserialize(c.json);
  assert.equal(layer.constructor.name, c.class_name);
  assertConfigClose(layers.serialize(layer), withNullBatch(c.json), 'json');
  assert.deepEqual(
    layer.weightRecords().map((w) => w.path),
    c.weights.map((w) => w.path),
    "weights in Keras's order, at Keras's paths",
  );
  tf.tidy(() => layer.setWeights(c.weights.map((w) => tf.tensor(w.values, w.shape))));
  const inputs = c.inputs.map(tensorOf);
  const { options, masks } = callOptionsOf(c);
  const given = (xs: tf.Tensor[]) => (xs.length === 1 ? (xs[0] as tf.Tensor) : xs);
  tf.tidy(() => {
    const out = layer.apply(given(inputs), options);
    const outs = Array.isArray(out) ? out : [out];
    assert.equal(outs.length, c.outputs.length, 'number of outputs');
    outs.forEach((y, i) => {
      const want = c.outputs[i] as Values;
      assert.deepEqual(y.shape, want.shape, `output ${i} shape`);
      assertAllClose(y, want.values as number[], { rtol: 1e-5, atol: 1e-6 }, `output ${i}`);
    });
  });
  const losses = layer.losses;
  assertAllClose(
    losses.map((l) => l.dataSync()[0] as number),
    c.expected_losses,
    { rtol: 1e-5, atol: 1e-7 },
    'losses',
  );
  tf.dispose(losses);
  // Gradients of sum(outputs * cotangents) with respect to the float inputs and the trainable weights.
  tf.tidy(() => {
    const cotangents = c.cotangents.map(tensorOf);
    const objective = (xs: tf.Tensor[]) => {
      const out = layer.apply(given(xs), options);
      return (Array.isArray(out) ? out : [out]).reduce<tf.Scalar>(
        (total, y, i) => tf.add(total, tf.sum(tf.mul(y, cotangents[i] as tf.Tensor))),
        tf.scalar(0),
      );
    };
    const floats = c.grad_inputs.map((i) => inputs[i] as tf.Tensor);
    if (floats.length > 0) {
      const grads = tf.grads((...xs: tf.Tensor[]) => {
        const all = [...inputs];
        c.grad_inputs.forEach((at, k) => {
          all[at] = xs[k] as tf.Tensor;
        });
        return objective(all);
      })(floats);
      grads.forEach((g, k) => {
        assertAllClose(
          g,
          (c.input_grads[k] as Values).values as number[],
          { rtol: 1e-5, atol: 1e-5 },
          `input ${k} gradient`,
        );
      });
    }
    const variables = layer.trainableWeights;
    if (variables.length > 0) {
      const { grads } = tf.variableGrads(() => objective(inputs), variables);
      variables.forEach((v, k) => {
        // A weight the call does not use (the embeddings in an untied reverse call) has no gradient: zeros, as Keras's.
        assertAllClose(
          grads[v.name] ?? tf.zerosLike(v),
          (c.weight_grads[k] as Values).values as number[],
          { rtol: 1e-5, atol: 1e-5 },
          `weight ${k} gradient`,
        );
      });
    }
  });
  tf.dispose([...inputs, ...masks]);
  layer.dispose();
  assert.equal(tf.memory().numTensors, before, 'leaked tensors');
}

/** Keras's JSON of a layer built on concrete inputs, with the batch axis written null, as a symbolic build writes it. */
function withNullBatch(json: LayerCase['json']): LayerCase['json'] {
  const build = json.build_config as { input_shape?: unknown } | undefined;
  if (build?.input_shape == null) return json;
  const nullBatch = (s: unknown[]) => [null, ...s.slice(1)];
  const shape = build.input_shape as unknown[];
  const input_shape = Array.isArray(shape[0]) ? (shape as unknown[][]).map(nullBatch) : nullBatch(shape);
  return { ...json, build_config: { input_shape } };
}

/** A model's outputs on the entry's inputs, checked against `want`. */
export function checkPredictions(model: models.Model, entry: ModelEntry, want: Values[], label: string): void {
  tf.tidy(() => {
    const inputs = entry.inputs.map(tensorOf);
    const out = model.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs);
    (Array.isArray(out) ? out : [out]).forEach((y, i) => {
      assertAllClose(y, (want[i] as Values).values as number[], { rtol: 1e-5, atol: 1e-6 }, `${label} output ${i}`);
    });
  });
}

/** The model's `losses` as numbers. */
export function lossValues(model: models.Model): number[] {
  const losses = model.losses;
  const values = losses.map((l) => l.dataSync()[0] as number);
  tf.dispose(losses);
  return values;
}

/**
 * A Keras `.keras` file: loads with Keras's weights, predictions and
 * losses; trains 3 SGD steps to Keras's losses and weights; what is saved
 * then loads back with the same predictions.
 */
export async function checkModelEntry(entry: ModelEntry): Promise<void> {
  const before = tf.memory().numTensors;
  const model = await saving.loadModelFromBytes(fileBytes(entry.file));
  assert.deepEqual(
    model.weightRecords().map((w) => w.path),
    entry.weight_paths,
  );
  checkPredictions(model, entry, entry.outputs, 'keras file');
  assertAllClose(lossValues(model), entry.expected_losses, { rtol: 1e-5, atol: 1e-7 }, 'losses');
  const x = tensorOf(entry.inputs[0] as Values);
  const y = tensorOf(entry.targets);
  for (const [i, step] of entry.train_on_batch.entries()) {
    const logs = model.trainOnBatch(x, y);
    assertAllClose(logs.loss as number, step.loss, { rtol: 1e-5 }, `step ${i + 1} loss`);
  }
  const byPath = new Map(entry.weights_after_training.map((w) => [w.path, w]));
  for (const record of model.weightRecords()) {
    const want = byPath.get(record.path);
    assert.ok(want, `no Keras weight for ${record.path}`);
    assertAllClose(record.variable, want.values, { rtol: 1e-5, atol: 1e-6 }, `${record.path} after 3 steps`);
  }
  checkPredictions(model, entry, entry.outputs_after_training, 'trained');
  const bytes = await saving.saveModelToBytes(model);
  const back = await saving.loadModelFromBytes(bytes);
  checkPredictions(back, entry, entry.outputs_after_training, 'saved and loaded back');
  model.dispose();
  back.dispose();
  tf.dispose([x, y]);
  assert.equal(tf.memory().numTensors, before, 'leaked tensors');
}
