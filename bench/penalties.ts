/** Penalty value + gradient throughput over 4M weights, against a plain JavaScript loop. */
import * as tf from '@tensorflow/tfjs-core';
import { backend, L1, L1L2, L2, OrthogonalRegularizer, type Regularizer } from 'keras-regularizers';
import { fixed, interleave, table } from './harness.js';

const SIDE = 2048;
const SHAPE = [SIDE, SIDE];
const BYTES = SIDE * SIDE * 4;

/** The same sums in a plain loop: the memory-speed baseline a tensor library should approach. */
function plainLoop(values: Float32Array, kind: 'l1' | 'l2' | 'l1l2', grad: Float32Array): number {
  let sum = 0;
  if (kind === 'l1') {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      sum += Math.abs(v);
      grad[i] = Math.sign(v);
    }
  } else if (kind === 'l2') {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      sum += v * v;
      grad[i] = 2 * v;
    }
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      sum += Math.abs(v) + v * v;
      grad[i] = Math.sign(v) + 2 * v;
    }
  }
  return sum;
}

export interface PenaltyRow {
  backend: string;
  regularizer: string;
  ms: number;
  gbPerSecond: number;
  plainLoopGbPerSecond: number;
  ratioToPlainLoop: number;
}

export async function benchPenalties(): Promise<{ rows: PenaltyRow[]; text: string }> {
  const rows: PenaltyRow[] = [];
  const values = Float32Array.from({ length: BYTES / 4 }, (_, i) => Math.sin(i) * 0.1);
  const grad = new Float32Array(values.length);
  const regularizers: [string, Regularizer, 'l1' | 'l2' | 'l1l2' | null][] = [
    ['L1', new L1(0.01), 'l1'],
    ['L2', new L2(0.01), 'l2'],
    ['L1L2', new L1L2(0.01, 0.01), 'l1l2'],
    ['Orthogonal rows', new OrthogonalRegularizer(0.01, 'rows'), null],
    ['Orthogonal columns', new OrthogonalRegularizer(0.01, 'columns'), null],
  ];
  const loops = interleave(
    Object.fromEntries((['l1', 'l2', 'l1l2'] as const).map((k) => [k, () => void plainLoop(values, k, grad)])),
    { warmup: 2, rounds: 7 },
  );
  for (const name of ['wasm', 'cpu']) {
    await backend.setBackend(name);
    const weights = tf.tensor(values, SHAPE);
    const variants: Record<string, () => void> = {};
    for (const [label, reg, kind] of regularizers) {
      // The cpu backend multiplies at ~0.8 GFLOP/s: a 2048 x 2048 Gram matrix and its gradient take about a minute.
      if (kind == null && name === 'cpu') continue;
      variants[label] = () =>
        tf.tidy(() => {
          // Only the value is read back: in training the gradient stays a tensor.
          const { value } = tf.valueAndGrad((w: tf.Tensor) => reg.apply(w))(weights);
          value.dataSync();
        });
    }
    const measured = interleave(variants, { warmup: 1, rounds: 5 });
    for (const [label, , kind] of regularizers) {
      const m = measured[label];
      const loop = kind == null ? undefined : loops[kind];
      const gbPerSecond = m == null ? Number.NaN : BYTES / 1e9 / (m.ms / 1000);
      const plainLoopGbPerSecond = loop == null ? Number.NaN : BYTES / 1e9 / (loop.ms / 1000);
      rows.push({
        backend: name,
        regularizer: label,
        ms: m?.ms ?? Number.NaN,
        gbPerSecond,
        plainLoopGbPerSecond,
        ratioToPlainLoop: gbPerSecond / plainLoopGbPerSecond,
      });
    }
    weights.dispose();
  }
  await backend.setBackend('wasm');
  const text = table(
    ['backend', 'regularizer', 'ms (value+grad)', 'GB/s of weights', 'plain JS loop GB/s', 'ratio'],
    rows.map((r) => [
      r.backend,
      r.regularizer,
      fixed(r.ms),
      fixed(r.gbPerSecond, 2),
      fixed(r.plainLoopGbPerSecond, 2),
      fixed(r.ratioToPlainLoop, 2),
    ]),
  );
  return { rows, text };
}
