/**
 * The BatchNormalization CNN's training steps (bench/normalization-steps.ts),
 * ours and stock tfjs-layers', each in a process of its own, on wasm and on
 * cpu, without and with L2 on the kernels, gamma and beta. tfjs-layers has
 * BatchNormalization but cannot train a Conv2D on wasm (no
 * Conv2DBackpropFilter kernel there): its wasm row says why.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fixed, percent, table } from './harness.js';
import { BN_CNN, NORMALIZATION_VARIANTS } from './normalization-steps.js';

export interface NormalizationRow {
  backend: 'wasm' | 'cpu';
  variant: string;
  ms: number | string;
  overhead: number;
  tfjsLayers: number | string;
  speedupOverTfjsLayers: number;
}

function steps(who: 'ours' | 'tfjs-layers', backend: 'wasm' | 'cpu'): Record<string, number | string> {
  const path = fileURLToPath(new URL('./normalization-steps.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', path, who, backend], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  try {
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as Record<string, number | string>;
  } catch {
    return { error: `${who} on ${backend} failed: ${child.stderr.split('\n').slice(-3).join(' ')}` };
  }
}

export function benchNormalization(): { rows: NormalizationRow[]; text: string } {
  const rows: NormalizationRow[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    const ours = steps('ours', backend);
    const theirs = steps('tfjs-layers', backend);
    const none = ours.none;
    for (const variant of NORMALIZATION_VARIANTS) {
      const ms = ours[variant] ?? ours.error ?? 'not measured';
      const tfjs = theirs[variant] ?? theirs.error ?? 'not measured';
      rows.push({
        backend,
        variant,
        ms,
        overhead: typeof ms === 'number' && typeof none === 'number' ? ms / none - 1 : Number.NaN,
        tfjsLayers: tfjs,
        speedupOverTfjsLayers: typeof tfjs === 'number' && typeof ms === 'number' ? tfjs / ms : Number.NaN,
      });
    }
  }
  const shape = `batch ${BN_CNN.batch}, ${BN_CNN.input.join('x')}, ${BN_CNN.filters} filters, L2 ${BN_CNN.l2}`;
  const text = table(
    ['backend', `variant (${shape})`, 'ms/step', 'overhead', 'tfjs-layers ms/step', 'ours x faster'],
    rows.map((r) => [
      r.backend,
      r.variant,
      typeof r.ms === 'number' ? fixed(r.ms) : r.ms.slice(0, 40),
      r.variant === 'none' || Number.isNaN(r.overhead) ? '' : percent(r.overhead),
      typeof r.tfjsLayers === 'number' ? fixed(r.tfjsLayers) : r.tfjsLayers.slice(0, 48),
      fixed(r.speedupOverTfjsLayers, 2),
    ]),
  );
  return { rows, text };
}
