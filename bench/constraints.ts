/**
 * Weight constraints: the MLP 784-512-512-10 training step (SGD, batch 128)
 * without constraints and with MaxNorm(3) on every kernel (the dropout
 * paper's recipe), and the same with Dropout(0.5) after each hidden layer.
 * Same process, interleaved, wasm. Run alone with
 * `npx tsx bench/constraints.ts`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend, constraints, layers, models, optimizers } from 'keras-regularizers';
import { fixed, interleave, percent, table } from './harness.js';

const BATCH = 128;

export interface ConstraintsRow {
  variant: string;
  /** Median wall-clock milliseconds per step. */
  ms: number;
  overhead: number;
  /** Median CPU milliseconds per step (all threads of the process): steadier than wall time on a busy machine. */
  cpuMs: number;
  cpuOverhead: number;
  /** Fastest CPU milliseconds of a step: the least disturbed by other processes. */
  cpuMinMs: number;
  cpuMinOverhead: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function mlp(constrained: boolean, dropout: boolean): models.Sequential {
  const kernelConstraint = constrained ? new constraints.MaxNorm(3) : null;
  const hidden = () => [
    new layers.Dense({ units: 512, activation: 'relu', kernelConstraint }),
    ...(dropout ? [new layers.Dropout({ rate: 0.5 })] : []),
  ];
  const model = new models.Sequential([
    layers.Input({ shape: [784] }),
    ...hidden(),
    ...hidden(),
    new layers.Dense({ units: 10, activation: 'softmax', kernelConstraint }),
  ]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  return model;
}

export async function benchConstraints({
  rounds = 31,
}: {
  rounds?: number;
} = {}): Promise<{ rows: ConstraintsRow[]; text: string }> {
  await backend.setBackend('wasm');
  const x = tf.randomNormal([BATCH, 784], 0, 1, 'float32', 1);
  const y = tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % 10));
  const variants: Record<string, models.Sequential> = {
    'MLP, no constraint': mlp(false, false),
    'MLP, MaxNorm(3) on every kernel': mlp(true, false),
    'MLP + Dropout(0.5), no constraint': mlp(false, true),
    'MLP + Dropout(0.5), MaxNorm(3) on every kernel': mlp(true, true),
  };
  const cpu = new Map(Object.keys(variants).map((name) => [name, [] as number[]]));
  const step = (name: string, model: models.Sequential) => () => {
    const start = process.cpuUsage();
    model.trainOnBatch(x, y);
    const used = process.cpuUsage(start);
    cpu.get(name)?.push((used.user + used.system) / 1000);
  };
  const measured = interleave(
    Object.fromEntries(Object.entries(variants).map(([name, model]) => [name, step(name, model)])),
    { warmup: 5, rounds },
  );
  const names = Object.keys(variants);
  const rows = names.map((variant, i) => {
    const base = names[i - (i % 2)] as string;
    const ms = measured[variant]?.ms as number;
    // The warm-up calls are left out of the CPU times as of the wall times.
    const cpuMs = median((cpu.get(variant) as number[]).slice(5));
    const cpuBase = median((cpu.get(base) as number[]).slice(5));
    const cpuMinMs = Math.min(...(cpu.get(variant) as number[]).slice(5));
    const cpuMinBase = Math.min(...(cpu.get(base) as number[]).slice(5));
    return {
      variant,
      ms,
      overhead: ms / (measured[base]?.ms as number) - 1,
      cpuMs,
      cpuOverhead: cpuMs / cpuBase - 1,
      cpuMinMs,
      cpuMinOverhead: cpuMinMs / cpuMinBase - 1,
    };
  });
  for (const model of Object.values(variants)) model.dispose();
  tf.dispose([x, y]);
  const text = table(
    [
      `variant (batch ${BATCH}, SGD, wasm)`,
      'ms/step',
      'vs none',
      'CPU ms/step',
      'vs none',
      'fastest CPU ms',
      'vs none',
    ],
    rows.map((r) => [
      r.variant,
      fixed(r.ms, 2),
      percent(r.overhead),
      fixed(r.cpuMs, 2),
      percent(r.cpuOverhead),
      fixed(r.cpuMinMs, 2),
      percent(r.cpuMinOverhead),
    ]),
  );
  return { rows, text };
}

if (process.argv[1] != null && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  console.log((await benchConstraints()).text);
}
