/** Training-step times of the MLP and CNN, each variant against no regularization, and against tfjs-layers. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { backend, type models } from 'keras-regularizers';
import { fixed, interleave, type Measurement, percent, table } from './harness.js';
import { cnn, mlp, VARIANTS, type Variant } from './models.js';

export interface StepRow {
  model: 'mlp' | 'cnn';
  variant: Variant;
  ms: number;
  overhead: number;
  peakRssMb: number;
  peakTensorMb: number;
  tfjsLayers: number | string;
  speedupOverTfjsLayers: number;
}

function stepsFor(kind: 'mlp' | 'cnn'): Record<string, Measurement> {
  const batch = kind === 'mlp' ? 128 : 32;
  const x = tf.randomNormal(kind === 'mlp' ? [batch, 784] : [batch, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10));
  const built = new Map<Variant, models.Sequential>(VARIANTS.map((v) => [v, kind === 'mlp' ? mlp(v) : cnn(v)]));
  // Overheads of a few percent are the question: enough rounds that the median's noise is below that
  // (10 to 15 s per model; the Orthogonal CNN step, a 9216 x 9216 Gram matrix in blocks, dominates).
  const rounds = kind === 'mlp' ? 41 : 31;
  const measured = interleave(
    Object.fromEntries([...built].map(([v, model]) => [v, () => void model.trainOnBatch(x, y)])),
    { warmup: 3, rounds },
  );
  for (const model of built.values()) model.dispose();
  tf.dispose([x, y]);
  return measured;
}

/** Stock tfjs-layers on wasm, in a child process (see tfjs-layers-steps.ts). */
function tfjsLayersSteps(): Record<string, number | string> {
  const script = fileURLToPath(new URL('./tfjs-layers-steps.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 300_000 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, number | string>;
  } catch {
    return { error: `tfjs-layers run failed: ${child.stderr.split('\n').slice(-3).join(' ')}` };
  }
}

export async function benchTraining(): Promise<{ rows: StepRow[]; text: string }> {
  await backend.setBackend('wasm');
  const theirs = tfjsLayersSteps();
  const rows: StepRow[] = [];
  for (const kind of ['mlp', 'cnn'] as const) {
    const measured = stepsFor(kind);
    const none = (measured.none as Measurement).ms;
    for (const variant of VARIANTS) {
      const m = measured[variant] as Measurement;
      const tfjs = theirs[`${kind} ${variant}`] ?? 'not measured';
      rows.push({
        model: kind,
        variant,
        ms: m.ms,
        overhead: m.ms / none - 1,
        peakRssMb: m.peakRssMb,
        peakTensorMb: m.peakTensorMb,
        tfjsLayers: tfjs,
        speedupOverTfjsLayers: typeof tfjs === 'number' ? tfjs / m.ms : Number.NaN,
      });
    }
  }
  const text = table(
    [
      'model',
      'variant',
      'ms/step',
      'overhead',
      'peak RSS MB',
      'peak tensors MB',
      'tfjs-layers ms/step',
      'ours x faster',
    ],
    rows.map((r) => [
      r.model,
      r.variant,
      fixed(r.ms),
      r.variant === 'none' ? '' : percent(r.overhead),
      fixed(r.peakRssMb, 0),
      fixed(r.peakTensorMb, 0),
      typeof r.tfjsLayers === 'number' ? fixed(r.tfjsLayers) : r.tfjsLayers.slice(0, 48),
      fixed(r.speedupOverTfjsLayers, 2),
    ]),
  );
  return { rows, text };
}
