/** The results table for the terminal: one row per variant, mean ± spread over the seeds. */
import { COLUMNS, columnSpread, formatSpread, heading } from './columns.js';
import type { VariantResult } from './train-run.js';

export function consoleTable(variants: VariantResult[]): string {
  const baselines = variants[0]?.runs ?? [];
  const header = ['run', ...COLUMNS.map(heading)];
  const rows = variants.map((v) => [
    v.name,
    ...COLUMNS.map((col) => {
      const s = columnSpread(col, v.runs, baselines);
      return s == null ? '—' : formatSpread(col, s);
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
