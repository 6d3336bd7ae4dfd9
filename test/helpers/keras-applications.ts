/**
 * The fine-tune of a keras.applications model as a Keras user writes it,
 * replayed here on a case that scripts/generate_keras_applications_fixtures.py
 * made with real Keras: the base loaded from Keras's .keras file (compiled
 * from its compile_config) predicts and evaluates as Keras did; frozen
 * (trainable = false), with a new Dense head (kernel_regularizer L2) started
 * from Keras's initial head weights, 3 trainOnBatch steps give Keras's logs
 * and head weights while no BatchNormalization moving statistic moves; what
 * is saved here loads back with the same predictions. Used by
 * test/keras-applications*.test.ts and scripts/check-keras-applications.ts.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { L2, layers, models, optimizers, saving } from 'keras-regularizers';
import { assertAllClose } from './allclose.js';

export interface Values {
  shape: number[];
  values: number[];
}

/** What the generator's `finetune_case` writes as CASE.json. */
export interface FinetuneCase {
  label: string;
  name: string;
  kwargs: Record<string, unknown>;
  size: number;
  x: { pixels: [number, number, number, number] };
  y_base: Values;
  prediction: Values;
  evaluate: Record<string, number>;
  optimizer: 'SGD' | 'Adam';
  y: number[];
  head_initial: { kernel: Values; bias: Values };
  steps: Record<string, number>[];
  head: { kernel: Values; bias: Values };
  after_evaluate: Record<string, number>;
  moving_stats: number;
}

/** The generator's `pixels`: a fixed batch in 0..255 computed, not stored. */
export function pixels([n, h, w, c]: [number, number, number, number]): tf.Tensor4D {
  const data = new Float32Array(n * h * w * c);
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let a = 0; a < h; a++)
      for (let b = 0; b < w; b++) for (let d = 0; d < c; d++) data[k++] = (i * 7919 + a * 131 + b * 17 + d * 71) % 256;
  return tf.tensor4d(data, [n, h, w, c]);
}

/** What one replay measured, each beside Keras's number. */
export interface FinetuneResult {
  prediction: { got: number[]; want: number[] };
  evaluate: { got: Record<string, number>; want: Record<string, number> };
  steps: { got: Record<string, number>[]; want: Record<string, number>[] };
  head: { got: number[]; want: number[] };
  afterEvaluate: { got: Record<string, number>; want: Record<string, number> };
  /** Moving statistics in the frozen base: how many, and the largest change over the 3 steps (0 expected). */
  movingStats: { count: number; maxChange: number };
  /** Our predictions after the fine-tune, and those of the model saved and loaded back here. */
  reloaded: { got: number[]; want: number[] };
  /** The fine-tuned model as a .keras file, for Keras to load. */
  saved: Uint8Array;
  finalPrediction: Values;
  x: Values;
}

const logsOf = (logs: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(logs).map(([k, v]) => [k, Number(v)])) as Record<string, number>;

/** Replays `expected` on the base saved in `kerasFile`; leaves no tensor behind. */
export async function replayFinetune(kerasFile: string | Uint8Array, expected: FinetuneCase): Promise<FinetuneResult> {
  const base =
    typeof kerasFile === 'string' ? await saving.loadModel(kerasFile) : await saving.loadModelFromBytes(kerasFile);
  const x = pixels(expected.x.pixels);
  const yBase = tf.tensor(
    expected.y_base.values,
    expected.y_base.shape,
    expected.kwargs.include_top === true ? 'int32' : 'float32',
  );
  const y = tf.tensor1d(expected.y, 'int32');
  let model: models.Model | null = null;
  let reloaded: models.Model | null = null;
  try {
    const prediction = base.predict(x, { batchSize: 2 }) as tf.Tensor;
    const predicted = Array.from(prediction.dataSync());
    prediction.dispose();
    const evaluated = logsOf(base.evaluate(x, yBase, { batchSize: 2 }) as Record<string, unknown>);

    const moving = base.weightRecords().filter((w) => /moving_(mean|variance)$/.test(w.path));
    const before = moving.map((w) => w.variable.dataSync().slice());

    base.trainable = false;
    const input = layers.Input({ shape: [expected.size, expected.size, 3] });
    let h = base.apply(input, { training: false }) as layers.KerasTensor;
    if (h.shape.length === 4)
      h = new layers.GlobalAveragePooling2D({ name: 'head_pool' }).apply(h) as layers.KerasTensor;
    const head = new layers.Dense({ units: 3, activation: 'softmax', kernelRegularizer: new L2(0.01), name: 'head' });
    const output = head.apply(h) as layers.KerasTensor;
    model = new models.Functional({ inputs: input, outputs: output, name: 'finetune' });
    const initial = [
      tf.tensor(expected.head_initial.kernel.values, expected.head_initial.kernel.shape),
      tf.tensor(expected.head_initial.bias.values, expected.head_initial.bias.shape),
    ];
    head.setWeights(initial);
    tf.dispose(initial);
    const optimizer =
      expected.optimizer === 'Adam'
        ? new optimizers.Adam({ learningRate: 1e-3 })
        : new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 });
    model.compile({ optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['sparse_categorical_accuracy'] });
    const steps: Record<string, number>[] = [];
    for (let i = 0; i < 3; i++) steps.push(logsOf(model.trainOnBatch(x, y) as Record<string, unknown>));
    const headGot = head.getWeights();
    const headValues = headGot.flatMap((t) => Array.from(t.dataSync()));
    tf.dispose(headGot);
    let maxChange = 0;
    moving.forEach((w, i) => {
      const now = w.variable.dataSync();
      const was = before[i] as Float32Array;
      for (let j = 0; j < now.length; j++)
        maxChange = Math.max(maxChange, Math.abs((now[j] as number) - (was[j] as number)));
    });
    const afterEvaluate = logsOf(model.evaluate(x, y, { batchSize: 2 }) as Record<string, unknown>);

    const final = model.predict(x, { batchSize: 2 }) as tf.Tensor;
    const finalValues = Array.from(final.dataSync());
    const finalShape = final.shape;
    final.dispose();
    const saved = await saving.saveModelToBytes(model);
    reloaded = await saving.loadModelFromBytes(saved);
    const again = reloaded.predict(x, { batchSize: 2 }) as tf.Tensor;
    const againValues = Array.from(again.dataSync());
    again.dispose();
    return {
      prediction: { got: predicted, want: expected.prediction.values },
      evaluate: { got: evaluated, want: expected.evaluate },
      steps: { got: steps, want: expected.steps },
      head: { got: headValues, want: [...expected.head.kernel.values, ...expected.head.bias.values] },
      afterEvaluate: { got: afterEvaluate, want: expected.after_evaluate },
      movingStats: { count: moving.length, maxChange },
      reloaded: { got: againValues, want: finalValues },
      saved,
      finalPrediction: { shape: finalShape, values: finalValues },
      x: { shape: x.shape, values: Array.from(x.dataSync()) },
    };
  } finally {
    tf.dispose([x, yBase, y]);
    reloaded?.dispose();
    // The fine-tune model holds the base: disposing it frees both.
    if (model != null) model.dispose();
    else base.dispose();
  }
}

/** Through ~30 layers of float32; the head's numbers after 3 steps move by ~1e-6. */
const TOL = { rtol: 1e-4, atol: 1e-5 };

/** Asserts every number of a replay against Keras's (shared with the families' test). */
export function assertFinetune(result: FinetuneResult, expected: FinetuneCase): void {
  const label = expected.label;
  assertAllClose(result.prediction.got, result.prediction.want, TOL, `${label} prediction`);
  // Ours add regularization_loss (and each layer's share) to Keras's logs: COMPATIBILITY.md.
  const keys = Object.keys(result.evaluate.got).filter((k) => !k.startsWith('regularization_loss'));
  assert.deepEqual(keys.sort(), Object.keys(result.evaluate.want).sort(), `${label} log names`);
  for (const [key, want] of Object.entries(result.evaluate.want)) {
    assertAllClose(result.evaluate.got[key] as number, want, TOL, `${label} evaluate ${key}`);
  }
  result.steps.want.forEach((want, i) => {
    for (const [key, value] of Object.entries(want)) {
      assertAllClose(result.steps.got[i]?.[key] as number, value, TOL, `${label} step ${i + 1} ${key}`);
    }
  });
  assertAllClose(result.head.got, result.head.want, TOL, `${label} head weights after 3 steps`);
  for (const [key, want] of Object.entries(result.afterEvaluate.want)) {
    assertAllClose(result.afterEvaluate.got[key] as number, want, TOL, `${label} evaluate after ${key}`);
  }
  assert.equal(result.movingStats.count, expected.moving_stats, `${label} moving statistics in the base`);
  assert.equal(result.movingStats.maxChange, 0, `${label} a frozen base's moving statistics do not move`);
  assertAllClose(result.reloaded.got, result.reloaded.want, { rtol: 0, atol: 0 }, `${label} saved and loaded back`);
}
