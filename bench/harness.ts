/** Timing and memory measurement for the benchmarks: medians after warm-up, variants interleaved. */
import * as tf from '@tensorflow/tfjs-core';

export interface Measurement {
  /** Median milliseconds per call. */
  ms: number;
  runs: number;
  /** Largest resident set size seen after a call, in MB. */
  peakRssMb: number;
  /** Largest `tf.memory().numBytes` seen after a call, in MB. */
  peakTensorMb: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Runs each variant `warmup` times, then `rounds` rounds in which every
 * variant runs once (in rotating order, so drift hits all alike), and
 * returns each variant's median.
 */
export function interleave(
  variants: Record<string, () => void>,
  { warmup = 3, rounds = 15 }: { warmup?: number; rounds?: number } = {},
): Record<string, Measurement> {
  const names = Object.keys(variants);
  const times = new Map(names.map((n) => [n, [] as number[]]));
  const rss = new Map(names.map((n) => [n, 0]));
  const tensors = new Map(names.map((n) => [n, 0]));
  for (const name of names) for (let i = 0; i < warmup; i++) (variants[name] as () => void)();
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length] as string;
      const start = performance.now();
      (variants[name] as () => void)();
      (times.get(name) as number[]).push(performance.now() - start);
      rss.set(name, Math.max(rss.get(name) as number, process.memoryUsage().rss / 1e6));
      tensors.set(name, Math.max(tensors.get(name) as number, tf.memory().numBytes / 1e6));
    }
  }
  return Object.fromEntries(
    names.map((n) => [
      n,
      {
        ms: median(times.get(n) as number[]),
        runs: rounds,
        peakRssMb: rss.get(n) as number,
        peakTensorMb: tensors.get(n) as number,
      },
    ]),
  );
}

/** A plain-text table with right-aligned numbers. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const percent = (value: number) => `${value >= 0 ? '+' : ''}${(100 * value).toFixed(1)}%`;
