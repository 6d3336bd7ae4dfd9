/** The report's tables: the results (mean ± spread over seeds, every column explained) and per-layer sparsity. */
import { COLUMNS, type Column, columnSpread, formatSpread, heading, type Spread, spread } from './columns.js';
import { escapeHtml } from './html.js';
import type { VariantResult } from './train-run.js';
import { SPARSITY_THRESHOLDS } from './weight-stats.js';

/** A cell showing mean ± spread, each seed's value in its tooltip. */
function spreadCell(
  s: Spread | null,
  format: (s: Spread) => string,
  single: (v: number) => string,
  seeds: number[],
  style = '',
): string {
  if (s == null) return '<td class="none">—</td>';
  const perSeed = s.values.map((v, i) => `seed ${seeds[i]}: ${single(v)}`).join('; ');
  return `<td title="${escapeHtml(perSeed)}"${style}>${escapeHtml(format(s))}</td>`;
}

export function resultsTable(variants: VariantResult[], seeds: number[]): string {
  const baselines = variants[0]?.runs ?? [];
  const header = COLUMNS.map(
    (col) => `<th scope="col" title="${escapeHtml(col.help)}">${escapeHtml(heading(col))}</th>`,
  );
  const rows = variants.map((v) => {
    const cells = COLUMNS.map((col: Column) =>
      spreadCell(
        columnSpread(col, v.runs, baselines),
        (s) => formatSpread(col, s),
        (x) => `${col.format(x)} ${col.unit ?? ''}`.trim(),
        seeds,
      ),
    );
    return `<tr><th scope="row" title="${escapeHtml(v.description)}">${escapeHtml(v.name)}</th>${cells.join('')}</tr>`;
  });
  const legend = COLUMNS.map((col) => `<dt>${escapeHtml(heading(col))}</dt><dd>${escapeHtml(col.help)}</dd>`);
  return `<table class="results">
<caption>Mean ± sample standard deviation over ${seeds.length} seeds (${seeds.join(', ')}); hover a cell for each seed's value, a header for what it measures.</caption>
<thead><tr><th scope="col">run</th>${header.join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<dl class="legend">${legend.join('')}</dl>`;
}

export function sparsityTable(variants: VariantResult[], seeds: number[]): string {
  const layers = variants[0]?.runs[0]?.weights.layers.map((l) => l.label) ?? [];
  const percent = (v: number) => (100 * v).toFixed(1);
  const format = (s: Spread) => `${percent(s.mean)} ± ${percent(s.sd)}`;
  const rows = variants.map((v) => {
    const cells = layers.flatMap((_, layer) =>
      SPARSITY_THRESHOLDS.map((_, t) => {
        const s = spread(v.runs.map((r) => r.weights.layers[layer]?.shares[t] ?? Number.NaN));
        // Shaded by the share, so the sparse layers stand out at a glance.
        const style = ` style="background:rgba(76,120,168,${(0.45 * s.mean).toFixed(3)})"`;
        return spreadCell(s, format, (x) => `${percent(x)}%`, seeds, style);
      }),
    );
    return `<tr><th scope="row">${escapeHtml(v.name)}</th>${cells.join('')}</tr>`;
  });
  const thresholds = SPARSITY_THRESHOLDS.map((t) => `<th scope="col">|w| &lt; ${t}</th>`).join('');
  return `<table class="results sparsity">
<caption>Share of each Dense kernel's weights near zero, in % (layer: inputs×units), mean ± sample standard deviation over ${seeds.length} seeds.</caption>
<thead><tr><th scope="col" rowspan="2">run</th>${layers.map((l) => `<th scope="colgroup" colspan="${SPARSITY_THRESHOLDS.length}">layer ${escapeHtml(l)}</th>`).join('')}</tr>
<tr>${layers.map(() => thresholds).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}
