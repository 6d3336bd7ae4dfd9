/**
 * The graphs of scripts/generate_keras_ops_graphs_fixtures.py written with
 * this library's `ops` (Keras's `x * 0.5 + 1` is `ops.add(ops.multiply(x,
 * 0.5), 1)`), for test/ops-in-graphs.test.ts to compare with Keras's
 * configs and scripts/save-ops-graphs-for-keras.ts to save for Keras.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { layers, models, ops } from 'keras-regularizers';

/** The graphs of the generator, written with `ops` here. */
export const BUILDERS: Record<string, () => models.Model> = {
  concat_square_slice: () => {
    const x = layers.Input({ shape: [4], name: 'x' });
    const h = ops.add(ops.multiply(ops.concatenate([x, ops.square(x)], -1), 0.5), 1);
    return new models.Model({ inputs: x, outputs: new layers.Dense({ units: 2 }).apply(ops.getItem(h, ':, :3')) });
  },
  reshape_transpose: () => {
    const x = layers.Input({ shape: [6], name: 'x' });
    let h = new layers.Dense({ units: 6 }).apply(x);
    h = ops.transpose(ops.reshape(h, [-1, 2, 3]), [0, 2, 1]);
    h = ops.subtract(ops.reshape(h, [-1, 6]), 1);
    const out = new layers.Dense({ units: 2 }).apply(ops.expandDims(h, 1));
    return new models.Model({ inputs: x, outputs: ops.getItem(out, ':, 0') });
  },
  reductions: () => {
    const x = layers.Input({ shape: [3, 4], name: 'x' });
    const h = new layers.Dense({ units: 4, activation: 'tanh' }).apply(x);
    const parts = [ops.sum(h, 1), ops.mean(h, 1), ops.max(h, -1), ops.min(h, 1), ops.squeeze(ops.sum(h, -1, true), -1)];
    return new models.Model({ inputs: x, outputs: new layers.Dense({ units: 1 }).apply(ops.concatenate(parts, -1)) });
  },
  masked_bilstm: () => {
    const ids = layers.Input({ shape: [5], dtype: 'int32', name: 'ids' });
    const e = new layers.Embedding({ inputDim: 7, outputDim: 4, maskZero: true }).apply(ids);
    // Keras records the Embedding's mask by itself; here it is passed as the RNNs' mask.
    // (CallOptions types a mask as a tensor; a symbolic one is what a graph records.)
    const masked = { mask: ops.notEqual(ids, 0) } as unknown as { mask: tf.Tensor };
    const bi = new layers.Bidirectional({ layer: new layers.LSTM({ units: 3, returnSequences: true }) });
    const h = bi.apply(e, masked);
    const l = new layers.LSTM({ units: 2, returnSequences: true }).apply(h, masked);
    return new models.Model({
      inputs: ids,
      outputs: new layers.Dense({ units: 1 }).apply(ops.mean(l as layers.KerasTensor, 1)),
    });
  },
  cast_where_clip: () => {
    const x = layers.Input({ shape: [4], name: 'x' });
    const ids = layers.Input({ shape: [4], dtype: 'int32', name: 'ids' });
    let h = new layers.Dense({ units: 4 }).apply(x);
    h = ops.where(ops.greater(h, 0.5 - 0.5), h, ops.multiply(h, 0.1));
    h = ops.clip(h, -0.5, 0.5);
    const c = ops.divide(ops.cast(ids, 'float32'), 4);
    return new models.Model({
      inputs: [x, ids],
      outputs: new layers.Dense({ units: 2 }).apply(ops.concatenate([h, c], -1)),
    });
  },
  matmul_attention: () => {
    const x = layers.Input({ shape: [3, 4], name: 'x' });
    const q = new layers.Dense({ units: 4 }).apply(x);
    const scores = ops.softmax(ops.divide(ops.matmul(q, ops.transpose(x, [0, 2, 1])), 2), -1);
    const h = ops.matmul(scores, x);
    return new models.Model({ inputs: x, outputs: new layers.Dense({ units: 2 }).apply(ops.reshape(h, [-1, 12])) });
  },
  stack_split: () => {
    const x = layers.Input({ shape: [6], name: 'x' });
    const [a, b] = ops.split(new layers.Dense({ units: 6 }).apply(x), 2, -1) as [
      layers.KerasTensor,
      layers.KerasTensor,
    ];
    const s = ops.stack([a, ops.multiply(b, 2)], 1);
    const mixed = ops.add(ops.maximum(s, 0), ops.multiply(ops.minimum(s, 0), 0.5));
    return new models.Model({ inputs: x, outputs: new layers.Dense({ units: 1 }).apply(ops.reshape(mixed, [-1, 6])) });
  },
  activations: () => {
    const x = layers.Input({ shape: [4], name: 'x' });
    const h = new layers.Dense({ units: 4 }).apply(x);
    // Python evaluates the list's arguments first, so these ops come in Keras's order.
    const absA = ops.abs(h);
    const sq = ops.square(h);
    const absB = ops.abs(h);
    const expArg = ops.negative(absA);
    const logArg = ops.add(1, sq);
    const sqrtArg = ops.add(absB, 1);
    const parts = [ops.relu(h), ops.sigmoid(h), ops.tanh(h), ops.exp(expArg), ops.log(logArg), ops.sqrt(sqrtArg)];
    return new models.Model({ inputs: x, outputs: new layers.Dense({ units: 2 }).apply(ops.concatenate(parts, -1)) });
  },
  mha_with_mask: () => {
    const ids = layers.Input({ shape: [4], dtype: 'int32', name: 'ids' });
    const e = new layers.Embedding({ inputDim: 6, outputDim: 4 }).apply(ids);
    const mask = ops.getItem(ops.notEqual(ids, 0), ':, None, :');
    const h = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2 }).apply([e, e], { attentionMask: mask });
    return new models.Model({
      inputs: ids,
      outputs: new layers.Dense({ units: 1 }).apply(ops.getItem(h as layers.KerasTensor, ':, -1')),
    });
  },
  slicing: () => {
    const x = layers.Input({ shape: [4, 5], name: 'x' });
    const h = new layers.Dense({ units: 5 }).apply(x);
    const parts = [
      ops.getItem(h, '..., 0'),
      ops.getItem(ops.getItem(h, ':, 1:3, ::2'), ':, :, -1'),
      ops.getItem(h, [{ start: null, stop: null, step: null }, -1]),
      ops.getItem(ops.getItem(h, ':, :, 1:4'), ':, 0'),
    ];
    return new models.Model({ inputs: x, outputs: new layers.Dense({ units: 2 }).apply(ops.concatenate(parts, -1)) });
  },
  scalars_left: () => {
    const x = layers.Input({ shape: [4], name: 'x' });
    let h = new layers.Dense({ units: 4 }).apply(x);
    h = ops.subtract(1, h);
    h = ops.divide(2, ops.add(1, ops.exp(h)));
    h = ops.subtract(ops.power(h, 2), ops.mean(h, -1, true));
    return new models.Model({ inputs: x, outputs: new layers.Dense({ units: 2 }).apply(ops.negative(h)) });
  },
};

/** The generator's dict_outputs model: outputs written as `{ score, cls, aux }`. */
export function dictOutputs(): models.Model {
  const x = layers.Input({ shape: [4], name: 'x' });
  const h = new layers.Dense({ units: 16, activation: 'relu', name: 'hidden' }).apply(x);
  return new models.Model({
    inputs: x,
    outputs: {
      score: new layers.Dense({ units: 1, name: 'score' }).apply(h),
      cls: new layers.Dense({ units: 3, name: 'cls' }).apply(h),
      aux: new layers.Dense({ units: 2, name: 'aux' }).apply(x),
    },
  });
}
