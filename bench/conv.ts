/** Conv1D, Conv2D and Conv3D training steps on wasm, in GFLOP/s (forward, input and kernel gradients). */
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers } from 'keras-regularizers';
import { fixed, interleave, table } from './harness.js';

interface Case {
  name: string;
  make: () => layers.Layer;
  input: number[];
  /** Multiply-adds of one forward pass, times 2. */
  forwardFlop: number;
}

// Comparable work: 32 -> 64 channels, 288-tap receptive field per output.
const CASES: Case[] = [
  {
    name: 'Conv1D (batch 32, 784 steps, k 9)',
    make: () => new layers.Conv1D({ filters: 64, kernelSize: 9 }),
    input: [32, 784, 32],
    forwardFlop: 2 * 32 * 776 * 64 * 9 * 32,
  },
  {
    name: 'Conv2D (batch 32, 28x28, k 3x3)',
    make: () => new layers.Conv2D({ filters: 64, kernelSize: 3 }),
    input: [32, 28, 28, 32],
    forwardFlop: 2 * 32 * 26 * 26 * 64 * 9 * 32,
  },
  {
    name: 'Conv3D (batch 8, 10x10x10, k 3x3x3)',
    make: () => new layers.Conv3D({ filters: 64, kernelSize: 3 }),
    input: [8, 10, 10, 10, 32],
    forwardFlop: 2 * 8 * 8 * 8 * 8 * 64 * 27 * 32,
  },
];

export interface ConvRow {
  layer: string;
  ms: number;
  gflopPerSecond: number;
  ratioToConv2D: number;
}

export async function benchConv(): Promise<{ rows: ConvRow[]; text: string }> {
  await backend.setBackend('wasm');
  const prepared = CASES.map((c) => {
    const layer = c.make();
    const x = tf.randomNormal(c.input, 0, 1, 'float32', 2);
    layer.ensureBuilt(c.input);
    const step = () =>
      tf.tidy(() => {
        const { value } = tf.variableGrads(
          () => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar,
          layer.trainableWeights,
        );
        // The input gradient too, as a layer inside a network needs it.
        tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input) as tf.Tensor))(x);
        value.dataSync();
      });
    return { c, layer, x, step };
  });
  const measured = interleave(Object.fromEntries(prepared.map((p) => [p.c.name, p.step])), { warmup: 2, rounds: 7 });
  // Forward, input gradient and kernel gradient: three passes of the forward's work (plus one more forward in the input-gradient call).
  const rows = prepared.map((p) => {
    const ms = measured[p.c.name]?.ms as number;
    return { layer: p.c.name, ms, gflopPerSecond: (4 * p.c.forwardFlop) / 1e9 / (ms / 1000), ratioToConv2D: 0 };
  });
  const conv2d = rows[1]?.gflopPerSecond as number;
  for (const row of rows) row.ratioToConv2D = row.gflopPerSecond / conv2d;
  for (const p of prepared) {
    p.layer.dispose();
    p.x.dispose();
  }
  const text = table(
    ['layer (32 -> 64 channels)', 'ms/step', 'GFLOP/s', 'vs Conv2D'],
    rows.map((r) => [r.layer, fixed(r.ms), fixed(r.gflopPerSecond, 2), fixed(r.ratioToConv2D, 2)]),
  );
  return { rows, text };
}
