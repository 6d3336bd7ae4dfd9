/**
 * The smaller-model report: per network, a table (accuracy mean ± spread
 * over the seeds, parameters after `models.prune`, nonzero weights) and an
 * SVG plot of test accuracy against parameters, one point per run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from '../mnist/html.js';
import type { PrunedRun } from './run.js';

export interface ArchitectureResult {
  title: string;
  variants: { name: string; description: string; runs: PrunedRun[] }[];
}

const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#b279a2'];
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) =>
  v.length < 2 ? 0 : Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** One row per variant: what the table and the console show. */
export function summaryRows(result: ArchitectureResult): string[][] {
  const baseline = mean(result.variants[0]?.runs.map((r) => r.accuracy) ?? [0]);
  return result.variants.map(({ name, runs }) => {
    const acc = runs.map((r) => r.accuracy);
    const before = runs[0]?.paramsBefore ?? 1;
    const params = runs.map((r) => r.params);
    const nonzero = runs.map((r) => r.nonzero);
    return [
      name,
      `${(100 * mean(acc)).toFixed(2)} ± ${(100 * sd(acc)).toFixed(2)}`,
      `${(100 * (mean(acc) - baseline)).toFixed(2)}`,
      `${Math.round(mean(params))} (${pct(mean(params) / before)})`,
      `${Math.round(mean(nonzero))} (${pct(mean(nonzero) / before)})`,
      runs.map((r) => r.shape).join('; '),
    ];
  });
}

export const HEADER = [
  'variant',
  'test accuracy % (mean ± sd)',
  'Δ vs none (points)',
  'parameters after models.prune',
  'nonzero weights',
  'units per layer after pruning (each seed)',
];

/** Test accuracy against parameters (log x), one point per run, a ring at each variant's mean. */
export function scatterPlot(result: ArchitectureResult, key: (r: PrunedRun) => number, xLabel: string): string {
  const [width, height] = [520, 320];
  const m = { left: 56, right: 150, top: 24, bottom: 44 };
  const runs = result.variants.flatMap((v) => v.runs);
  const xs = runs.map((r) => Math.log10(Math.max(1, key(r))));
  const ys = runs.map((r) => 100 * r.accuracy);
  const [x0, x1] = [Math.min(...xs) - 0.05, Math.max(...xs) + 0.05];
  const [y0, y1] = [Math.min(...ys) - 0.5, Math.max(...ys) + 0.5];
  const px = (v: number) => m.left + ((Math.log10(Math.max(1, v)) - x0) / (x1 - x0)) * (width - m.left - m.right);
  const py = (v: number) => height - m.bottom - ((100 * v - y0) / (y1 - y0)) * (height - m.top - m.bottom);
  const parts: string[] = [];
  for (let e = Math.ceil(x0); e <= Math.floor(x1); e++) {
    const x = px(10 ** e);
    parts.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${height - m.bottom}" stroke="#ddd"/>`);
    parts.push(`<text x="${x}" y="${height - m.bottom + 16}" text-anchor="middle" font-size="11">${10 ** e}</text>`);
  }
  const step = y1 - y0 > 6 ? 2 : 0.5;
  for (let t = Math.ceil(y0 / step) * step; t <= y1; t += step) {
    const y = py(t / 100);
    parts.push(`<line x1="${m.left}" y1="${y}" x2="${width - m.right}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<text x="${m.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${t.toFixed(1)}</text>`);
  }
  result.variants.forEach((v, i) => {
    const color = COLORS[i % COLORS.length] as string;
    for (const r of v.runs)
      parts.push(`<circle cx="${px(key(r))}" cy="${py(r.accuracy)}" r="3.5" fill="${color}" opacity="0.8"/>`);
    const cx = px(mean(v.runs.map(key)));
    const cy = py(mean(v.runs.map((r) => r.accuracy)));
    parts.push(`<circle cx="${cx}" cy="${cy}" r="7" fill="none" stroke="${color}" stroke-width="2"/>`);
    const ly = m.top + 8 + 18 * i;
    parts.push(`<circle cx="${width - m.right + 14}" cy="${ly}" r="4" fill="${color}"/>`);
    parts.push(`<text x="${width - m.right + 24}" y="${ly + 4}" font-size="11">${escapeHtml(v.name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<text x="${m.left}" y="15" font-size="13" font-weight="bold">${escapeHtml(result.title)}</text>
<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#999"/>
${parts.join('\n')}
<text x="${(m.left + width - m.right) / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${escapeHtml(xLabel)} (log scale)</text>
<text x="14" y="${height / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${height / 2})">test accuracy %</text>
</svg>`;
}

/** The whole page. */
export function renderSmallerModelReport(meta: string, results: ArchitectureResult[]): string {
  const sections = results.map((result) => {
    const rows = summaryRows(result);
    const table = `<table><tr>${HEADER.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>
${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}</table>`;
    const variants = result.variants
      .map((v) => `<li><b>${escapeHtml(v.name)}</b>: ${escapeHtml(v.description)}</li>`)
      .join('');
    return `<h2>${escapeHtml(result.title)}</h2><ul>${variants}</ul>${table}
<div class="charts">${scatterPlot(result, (r) => r.params, 'parameters after models.prune')}
${scatterPlot(result, (r) => r.nonzero, 'nonzero weights')}</div>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>Regularization that makes models smaller</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px}.charts svg{margin:8px}</style></head>
<body><h1>Regularization that makes models smaller</h1><p>${escapeHtml(meta)}</p>
<p>Every model is passed through <code>models.prune</code> (threshold 0: the predictions do not change) and evaluated as it would ship. "Parameters" are what the pruned model stores as a dense <code>.keras</code> file; "nonzero weights" counts only the nonzero kernel weights (plus biases), what an unstructured sparse format would store: magnitude pruning shrinks that, not the dense file.</p>
${sections.join('\n')}</body></html>`;
}

/** Writes the page to `folder/index.html` and returns its path. */
export function writeSmallerModelReport(folder: string, meta: string, results: ArchitectureResult[]): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, 'index.html');
  writeFileSync(path, renderSmallerModelReport(meta, results));
  return path;
}
