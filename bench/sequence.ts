/**
 * The text classifier's training steps (bench/sequence-steps.ts), ours and
 * stock tfjs-layers', each in a process of its own, on wasm and on cpu,
 * without and with L2 on the embeddings, kernel and recurrent kernel.
 * Stock tfjs-layers cannot train an Embedding on wasm (its gather gradient
 * needs the UnsortedSegmentSum kernel wasm lacks): its process gets a plain
 * JavaScript one (bench/sequence-steps.ts), so its wasm rows are what a
 * tfjs-layers user would get with that one kernel added. On cpu one of its
 * LSTM steps took minutes, so the bench does not run it there.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fixed, percent, table } from './harness.js';
import { SEQUENCE_VARIANTS, TEXT_CLASSIFIER } from './sequence-steps.js';

export interface SequenceRow {
  backend: 'wasm' | 'cpu';
  variant: string;
  ms: number | string;
  overhead: number;
  tfjsLayers: number | string;
  speedupOverTfjsLayers: number;
}

function steps(who: 'ours' | 'tfjs-layers', backend: 'wasm' | 'cpu'): Record<string, number | string> {
  const path = fileURLToPath(new URL('./sequence-steps.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', path, who, backend], {
    encoding: 'utf8',
    timeout: 900_000,
  });
  try {
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as Record<string, number | string>;
  } catch {
    return { error: `${who} on ${backend} failed: ${child.stderr.split('\n').slice(-3).join(' ')}` };
  }
}

export function benchSequence(): { rows: SequenceRow[]; text: string } {
  const rows: SequenceRow[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    const ours = steps('ours', backend);
    // tfjs-layers' LSTM on cpu took 290 s and 8.4 GB per step here (two steps, run by hand): too slow to bench.
    const theirs =
      backend === 'cpu'
        ? { error: 'not run: ~290 s/step, 8.4 GB RSS (2 steps by hand)' }
        : steps('tfjs-layers', backend);
    for (const variant of SEQUENCE_VARIANTS) {
      const ms = ours[variant] ?? ours.error ?? 'not measured';
      const base = ours[variant.replace(' + L2', '')];
      const tfjs = theirs[variant] ?? theirs.error ?? 'not measured';
      rows.push({
        backend,
        variant,
        ms,
        overhead: typeof ms === 'number' && typeof base === 'number' ? ms / base - 1 : Number.NaN,
        tfjsLayers: tfjs,
        speedupOverTfjsLayers: typeof tfjs === 'number' && typeof ms === 'number' ? tfjs / ms : Number.NaN,
      });
    }
  }
  const c = TEXT_CLASSIFIER;
  const shape = `Embedding(${c.vocabulary}, ${c.embedding}), ${c.units} units, ${c.steps} steps, batch ${c.batch}`;
  const text = table(
    ['backend', `variant (${shape})`, 'ms/step', 'L2 overhead', 'tfjs-layers ms/step', 'ours x faster'],
    rows.map((r) => [
      r.backend,
      r.variant,
      typeof r.ms === 'number' ? fixed(r.ms) : r.ms.slice(0, 40),
      Number.isNaN(r.overhead) || !r.variant.endsWith('L2') ? '' : percent(r.overhead),
      typeof r.tfjsLayers === 'number' ? fixed(r.tfjsLayers) : r.tfjsLayers.slice(0, 60),
      fixed(r.speedupOverTfjsLayers, 2),
    ]),
  );
  return { rows, text };
}

if (process.argv[1] != null && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  console.log(benchSequence().text);
}
