/** Training-step times of the MLP and CNN, each variant against no regularization, and against tfjs-layers. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fixed, type Measurement, percent, table } from './harness.js';
import { VARIANTS, type Variant } from './models.js';

export interface SharedRow {
  variant: string;
  ms: number;
  versusAlone: number;
}

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

/** Our steps for one model, in a child process (see our-steps.ts). */
function stepsFor(kind: 'mlp' | 'cnn'): Record<string, Measurement> {
  const line = runChild('our-steps.ts', [kind]);
  const measured = JSON.parse(line ?? 'null') as Record<string, Measurement> | null;
  if (measured == null) throw new Error(`our ${kind} steps failed`);
  return measured;
}

/** Runs a bench script in a fresh Node process; returns its last line of output. */
function runChild(script: string, args: string[] = []): string | undefined {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', path, ...args], { encoding: 'utf8', timeout: 300_000 });
  if (child.status !== 0) console.error(child.stderr.split('\n').slice(-5).join('\n'));
  return child.stdout.trim().split('\n').pop();
}

/** Stock tfjs-layers on wasm, in a child process (see tfjs-layers-steps.ts). */
function tfjsLayersSteps(): Record<string, number | string> {
  try {
    return JSON.parse(runChild('tfjs-layers-steps.ts') ?? '') as Record<string, number | string>;
  } catch {
    return { error: 'tfjs-layers run failed' };
  }
}

/** Our CNN step in a process that also loaded tfjs-layers (see shared-process-steps.ts), before or after our model. */
function sharedProcessStep(order: 'alone' | 'before' | 'after'): Measurement | null {
  return JSON.parse(runChild('shared-process-steps.ts', [order]) ?? 'null') as Measurement | null;
}

export async function benchTraining(): Promise<{ rows: StepRow[]; text: string; shared: SharedRow[] }> {
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
  // The baseline measured the same way, in a process of its own, next to the two with tfjs-layers.
  const cnnAlone = sharedProcessStep('alone')?.ms ?? Number.NaN;
  const shared: SharedRow[] = (['before', 'after'] as const).map((order) => {
    const ms = sharedProcessStep(order)?.ms ?? Number.NaN;
    return { variant: `cnn none, tfjs-layers loaded ${order} ours`, ms, versusAlone: ms / cnnAlone - 1 };
  });
  const sharedText = table(
    ['model', 'ms/step', 'vs ours alone'],
    [
      ['cnn none, ours alone', fixed(cnnAlone), ''],
      ...shared.map((r) => [r.variant, fixed(r.ms), percent(r.versusAlone)]),
    ],
  );
  return { rows, text: `${text}\n\nOurs with tfjs-layers loaded in the same process:\n${sharedText}`, shared };
}
