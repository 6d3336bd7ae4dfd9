/**
 * Pruned inference (issue 25): Keras's "simple MNIST convnet" example
 * (Conv2D 32 -> MaxPool -> Conv2D 64 -> MaxPool -> Flatten -> Dropout ->
 * Dense 10) whose convolutions lost half or three quarters of their
 * filters (weights and biases zeroed, as group lasso with proximal steps
 * leaves them), predicted before and after `models.prune`, batch 64, wasm,
 * same process, interleaved. The pruned model's predictions are checked equal
 * first. Run alone with `npx tsx bench/pruned.ts`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers, models } from 'keras-regularizers';
import { fixed, interleave, table } from './harness.js';

const BATCH = 64;

export interface PrunedRow {
  variant: string;
  filters: string;
  params: number;
  /** Median wall-clock milliseconds per predict of the batch. */
  ms: number;
  speedup: number;
  /** Median CPU milliseconds per predict (all threads): steadier than wall time on a busy machine. */
  cpuMs: number;
  cpuSpeedup: number;
}

function cnn(): models.Sequential {
  return new models.Sequential([
    layers.Input({ shape: [28, 28, 1] }),
    new layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', name: 'conv1' }),
    new layers.MaxPooling2D({ poolSize: 2 }),
    new layers.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu', name: 'conv2' }),
    new layers.MaxPooling2D({ poolSize: 2 }),
    new layers.Flatten(),
    new layers.Dropout({ rate: 0.5 }),
    new layers.Dense({ units: 10, activation: 'softmax', name: 'out' }),
  ]);
}

/** Zeroes the incoming weights and bias of all filters but every `keepEvery`-th of the two convolutions. */
function loseFilters(model: models.Model, keepEvery: number): void {
  for (const name of ['conv1', 'conv2']) {
    const layer = model.layers.find((l) => l.name === name);
    for (const record of layer?.weightRecords() ?? []) {
      const shape = record.variable.shape;
      const filters = shape[shape.length - 1] as number;
      const values = Float32Array.from(record.variable.dataSync() as Float32Array);
      for (let i = 0; i < values.length; i++) if ((i % filters) % keepEvery !== 0) values[i] = 0;
      record.variable.assign(tf.tensor(values, shape));
    }
  }
}

/** One row per fraction of filters lost: the unpruned model, then each pruned one. */
export async function benchPruned({
  rounds = 31,
}: {
  rounds?: number;
} = {}): Promise<{ rows: PrunedRow[]; text: string }> {
  await backend.setBackend('wasm');
  const x = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1);
  const model = cnn();
  const variants: Record<string, models.Model> = { unpruned: model };
  const params: Record<string, number> = {};
  for (const keepEvery of [2, 4]) {
    const copy = cnn();
    copy.setWeights(model.getWeights());
    loseFilters(copy, keepEvery);
    const { model: pruned, report } = models.prune(copy);
    const a = copy.predict(x) as tf.Tensor;
    const b = pruned.predict(x) as tf.Tensor;
    const worst = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number;
    if (!(worst < 1e-5)) throw new Error(`pruned predictions differ by ${worst}`);
    tf.dispose([a, b]);
    copy.dispose();
    const name = `models.prune, ${100 - 100 / keepEvery}% of the filters lost`;
    variants[name] = pruned;
    params[name] = report.paramsAfter;
    params.unpruned = report.paramsBefore;
  }
  const cpu = new Map(Object.keys(variants).map((name) => [name, [] as number[]]));
  const run = (name: string, m: models.Model) => () => {
    const start = process.cpuUsage();
    tf.dispose(m.predict(x, { batchSize: BATCH }) as tf.Tensor);
    const used = process.cpuUsage(start);
    cpu.get(name)?.push((used.user + used.system) / 1000);
  };
  const warmup = 5;
  const measured = interleave(Object.fromEntries(Object.entries(variants).map(([name, m]) => [name, run(name, m)])), {
    warmup,
    rounds,
  });
  const median = (values: number[]) => {
    const sorted = values.slice(warmup).sort((p, q) => p - q);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };
  const filters = (m: models.Model) =>
    ['conv1', 'conv2'].map((n) => m.layers.find((l) => l.name === n)?.getConfig().filters).join('+');
  const base = measured.unpruned?.ms as number;
  const cpuBase = median(cpu.get('unpruned') as number[]);
  const rows = Object.entries(variants).map(([variant, m]): PrunedRow => {
    const ms = measured[variant]?.ms as number;
    const cpuMs = median(cpu.get(variant) as number[]);
    return {
      variant,
      filters: filters(m),
      params: params[variant] as number,
      ms,
      speedup: base / ms,
      cpuMs,
      cpuSpeedup: cpuBase / cpuMs,
    };
  });
  tf.dispose(x);
  for (const m of Object.values(variants)) m.dispose();
  const text = table(
    ['model', 'conv filters', 'parameters', `ms per predict (batch ${BATCH})`, 'speed-up', 'CPU ms', 'CPU speed-up'],
    rows.map((r) => [
      r.variant,
      r.filters,
      String(r.params),
      fixed(r.ms, 2),
      `${fixed(r.speedup, 2)}x`,
      fixed(r.cpuMs, 2),
      `${fixed(r.cpuSpeedup, 2)}x`,
    ]),
  );
  return { rows, text };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { text } = await benchPruned();
  console.log(`Pruned CNN inference on wasm\n${text}`);
}
