/**
 * The transformer block's training steps (bench/attention-steps.ts) on wasm
 * and cpu, each backend in a process of its own: the cost of the kernel and
 * activity penalties that reach every attention projection. tfjs-layers has
 * no MultiHeadAttention, so nothing stock to compare with.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ATTENTION_VARIANTS, BLOCK } from './attention-steps.js';
import { fixed, percent, table } from './harness.js';

export interface AttentionRow {
  backend: 'wasm' | 'cpu';
  variant: string;
  ms: number | string;
  overhead: number;
}

function steps(backend: 'wasm' | 'cpu'): Record<string, number | string> {
  const path = fileURLToPath(new URL('./attention-steps.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', path, backend], { encoding: 'utf8', timeout: 600_000 });
  try {
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as Record<string, number | string>;
  } catch {
    return { error: `${backend} failed: ${child.stderr.split('\n').slice(-3).join(' ')}` };
  }
}

export function benchAttention(): { rows: AttentionRow[]; text: string } {
  const rows: AttentionRow[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    const measured = steps(backend);
    const none = measured.none;
    for (const variant of ATTENTION_VARIANTS) {
      const ms = measured[variant] ?? measured.error ?? 'not measured';
      rows.push({
        backend,
        variant,
        ms,
        overhead: typeof ms === 'number' && typeof none === 'number' ? ms / none - 1 : Number.NaN,
      });
    }
  }
  const shape = `batch ${BLOCK.batch}, sequence ${BLOCK.sequence}, dim ${BLOCK.dim}, ${BLOCK.heads} heads`;
  const text = table(
    ['backend', `variant (${shape})`, 'ms/step', 'overhead', 'tfjs-layers'],
    rows.map((r) => [
      r.backend,
      r.variant,
      typeof r.ms === 'number' ? fixed(r.ms) : r.ms.slice(0, 40),
      r.variant === 'none' || Number.isNaN(r.overhead) ? '' : percent(r.overhead),
      'no MultiHeadAttention',
    ]),
  );
  return { rows, text };
}
