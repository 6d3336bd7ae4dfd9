/**
 * One process of bench/gemm.ts: the GEMM shapes of the MLP and CNN steps on
 * `wasm` (forward beside the weight gradient as this library computes it:
 * an explicit transpose, then XNNPACK's matmul), and the MLP and CNN
 * training steps. Argument: the thread count, or `auto` for the default.
 * Prints one JSON object.
 */
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { backend } from 'keras-regularizers';
import { interleave } from './harness.js';
import { cnn, mlp } from './models.js';

export interface GemmShape {
  /** The step and the layer. */
  name: string;
  /** Forward: [m, k] x [k, n]; the weight gradient is [k, m] x [m, n]. */
  m: number;
  k: number;
  n: number;
}

/** Each layer's forward product, as rows x reduced x columns (convolutions as their patch matrices). */
export const SHAPES: GemmShape[] = [
  { name: 'MLP Dense 784->512', m: 128, k: 784, n: 512 },
  { name: 'MLP Dense 512->512', m: 128, k: 512, n: 512 },
  { name: 'MLP Dense 512->10', m: 128, k: 512, n: 10 },
  { name: 'CNN Conv2D 1->32 (patches)', m: 32 * 26 * 26, k: 9, n: 32 },
  { name: 'CNN Conv2D 32->64 (patches)', m: 32 * 24 * 24, k: 288, n: 64 },
  { name: 'CNN Dense 9216->10', m: 32, k: 9216, n: 10 },
];

const arg = process.argv[2] ?? 'auto';
const rounds = Number(process.argv[3] ?? 21);
await backend.ready({ backend: 'wasm', ...(arg === 'auto' ? {} : { threads: Number(arg) }) });
const timed = (f: () => tf.Tensor) => () => {
  const out = tf.tidy(f);
  out.dataSync();
  out.dispose();
};
const variants: Record<string, () => void> = {};
const operands = SHAPES.map(({ m, k, n }) => ({
  x: tf.randomNormal([m, k], 0, 1, 'float32', 1),
  w: tf.randomNormal([k, n], 0, 1, 'float32', 2),
  dy: tf.randomNormal([m, n], 0, 1, 'float32', 3),
}));
SHAPES.forEach((shape, i) => {
  const { x, w, dy } = operands[i] as { x: tf.Tensor; w: tf.Tensor; dy: tf.Tensor };
  variants[`${shape.name}|forward`] = timed(() => tf.matMul(x, w));
  variants[`${shape.name}|weight gradient`] = timed(() => tf.matMul(tf.transpose(x), dy));
  variants[`${shape.name}|input gradient`] = timed(() => tf.matMul(dy, tf.transpose(w)));
});
const mlpX = tf.randomNormal([128, 784], 0, 1, 'float32', 1);
const mlpY = tf.tensor1d(Array.from({ length: 128 }, (_, i) => i % 10));
const cnnX = tf.randomNormal([32, 28, 28, 1], 0, 1, 'float32', 1);
const cnnY = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10));
const mlpModel = mlp('none');
const cnnModel = cnn('none');
variants['MLP step'] = () => void mlpModel.trainOnBatch(mlpX, mlpY);
variants['CNN step'] = () => void cnnModel.trainOnBatch(cnnX, cnnY);
const measured = interleave(variants, { warmup: 2, rounds });
const { loadavg } = await import('node:os');
console.log(
  JSON.stringify({
    threads: getThreadsCount(),
    load: loadavg()[0],
    ms: Object.fromEntries(Object.entries(measured).map(([k, v]) => [k, v.ms])),
  }),
);
