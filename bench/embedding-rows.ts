/**
 * Embedding updates: a bag-of-words classifier (Embedding -> average ->
 * Dense) trained with plain SGD, whose step updates only the rows a batch
 * used, on tables of 1,000 and 50,000 rows of 128; beside it the dense
 * update of the 50,000-row table (the same model with SGD momentum, whose
 * update reaches every row, as in Keras). Same process, interleaved, wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers, models, optimizers } from 'keras-regularizers';
import { fixed, interleave, table } from './harness.js';

const BATCH = 32;
const STEPS = 100;
const WIDTH = 128;

export interface EmbeddingRowsRow {
  variant: string;
  ms: number;
  peakTensorMb: number;
}

function classifier(rows: number, optimizer: optimizers.Optimizer): models.Sequential {
  const model = new models.Sequential([
    layers.Input({ shape: [STEPS], dtype: 'int32' }),
    new layers.Embedding({ inputDim: rows, outputDim: WIDTH }),
    new layers.GlobalAveragePooling1D(),
    new layers.Dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ optimizer, loss: 'sparse_categorical_crossentropy' });
  return model;
}

export async function benchEmbeddingRows(): Promise<{ rows: EmbeddingRowsRow[]; text: string }> {
  await backend.setBackend('wasm');
  const y = tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % 2));
  const variants: Record<string, [models.Sequential, tf.Tensor]> = {
    'SGD, 1,000 rows (row updates)': [classifier(1000, new optimizers.SGD()), ids(1000)],
    'SGD, 50,000 rows (row updates)': [classifier(50000, new optimizers.SGD()), ids(50000)],
    'SGD momentum 0.9, 50,000 rows (dense)': [classifier(50000, new optimizers.SGD({ momentum: 0.9 })), ids(50000)],
  };
  const measured = interleave(
    Object.fromEntries(
      Object.entries(variants).map(([name, [model, x]]) => [name, () => void model.trainOnBatch(x, y)]),
    ),
    { warmup: 3, rounds: 21 },
  );
  const rows = Object.entries(measured).map(([variant, m]) => ({ variant, ms: m.ms, peakTensorMb: m.peakTensorMb }));
  for (const [model, x] of Object.values(variants)) {
    model.dispose();
    x.dispose();
  }
  y.dispose();
  const text = table(
    [`variant (batch ${BATCH} x ${STEPS} ids, width ${WIDTH})`, 'ms/step', 'peak tensors MB'],
    rows.map((r) => [r.variant, fixed(r.ms, 2), fixed(r.peakTensorMb)]),
  );
  return { rows, text };
}

function ids(rows: number): tf.Tensor {
  return tf.randomUniform([BATCH, STEPS], 0, rows, 'int32', 7);
}

if (process.argv[1] != null && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  console.log((await benchEmbeddingRows()).text);
}
