/** The same MLP as a Sequential and as a Functional model: the graph's cost per training step. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fixed, type Measurement, percent, table } from './harness.js';

export interface FunctionalRow {
  model: 'sequential' | 'functional';
  ms: number;
  overVsSequential: number;
}

export function benchFunctional(): { rows: FunctionalRow[]; text: string } {
  const path = fileURLToPath(new URL('./functional-steps.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', path], { encoding: 'utf8', timeout: 300_000 });
  if (child.status !== 0) throw new Error(`functional bench failed: ${child.stderr.split('\n').slice(-5).join('\n')}`);
  const measured = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as Record<string, Measurement>;
  const base = (measured.sequential as Measurement).ms;
  const rows = (['sequential', 'functional'] as const).map((model) => ({
    model,
    ms: (measured[model] as Measurement).ms,
    overVsSequential: (measured[model] as Measurement).ms / base - 1,
  }));
  const text = table(
    ['MLP 784-512-512-10, L2 kernels', 'ms/step', 'vs Sequential'],
    rows.map((r) => [r.model, fixed(r.ms), r.model === 'sequential' ? '' : percent(r.overVsSequential)]),
  );
  return { rows, text };
}
