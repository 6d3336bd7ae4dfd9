/** The run report: an HTML page with SVG charts, written without a charting library (two small charts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunResult {
  name: string;
  description: string;
  trainAccuracy: number;
  testAccuracy: number;
  testDataLoss: number;
  regularizationLoss: number;
  norm: number;
  nearZero: number;
  meanAbsCosine: number;
  seconds: number;
  /** Validation data loss (cross-entropy without penalties) after each epoch. */
  validationLoss: number[];
  firstKernel: Float32Array;
}

const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#b279a2'];
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function lineChart(runs: RunResult[]): string {
  const [width, height, pad] = [560, 300, 44];
  const all = runs.flatMap((r) => r.validationLoss);
  const [lo, hi] = [Math.min(...all), Math.max(...all)];
  const epochs = Math.max(...runs.map((r) => r.validationLoss.length));
  const x = (i: number) => pad + (i / Math.max(epochs - 1, 1)) * (width - 2 * pad);
  const y = (v: number) => height - pad - ((v - lo) / (hi - lo || 1)) * (height - 2 * pad);
  const lines = runs.map((run, k) => {
    const points = run.validationLoss.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const color = COLORS[k % COLORS.length];
    // The legend stacks at the right, since the lines' ends often meet.
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"/>
      <rect x="${width - pad + 12}" y="${pad + k * 18 - 9}" width="10" height="10" fill="${color}"/>
      <text x="${width - pad + 26}" y="${pad + k * 18}" font-size="12">${escapeHtml(run.name)}</text>`;
  });
  const ticks = Array.from(
    { length: epochs },
    (_, i) => `<text x="${x(i)}" y="${height - pad + 16}" font-size="11" text-anchor="middle">${i + 1}</text>`,
  );
  const yTicks = [lo, (lo + hi) / 2, hi].map(
    (v) => `<text x="${pad - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v.toFixed(3)}</text>`,
  );
  return `<svg width="${width + 100}" height="${height}" role="img" aria-label="validation loss per epoch">
    <line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#999"/>
    <line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#999"/>
    ${ticks.join('')}${yTicks.join('')}
    <text x="${width / 2}" y="${height - 8}" font-size="12" text-anchor="middle">epoch</text>
    ${lines.join('')}</svg>`;
}

function histogram(run: RunResult, color: string): string {
  const [width, height, bins, range] = [260, 140, 60, 0.3];
  const counts = new Array<number>(bins).fill(0);
  for (const v of run.firstKernel) {
    const bin = Math.floor(((Math.max(-range, Math.min(range, v)) + range) / (2 * range)) * (bins - 1e-9));
    counts[bin] = (counts[bin] as number) + 1;
  }
  // Counts on a log scale, so the tails stay visible next to a spike at 0.
  const top = Math.log10(Math.max(...counts) + 1);
  const bars = counts.map((c, i) => {
    const h = (Math.log10(c + 1) / top) * (height - 30);
    return `<rect x="${(i * width) / bins}" y="${height - 20 - h}" width="${width / bins - 0.5}" height="${h}" fill="${color}"/>`;
  });
  return `<figure><svg width="${width}" height="${height}" role="img" aria-label="weight histogram ${escapeHtml(run.name)}">
    ${bars.join('')}<text x="0" y="${height - 4}" font-size="10">-${range}</text>
    <text x="${width / 2}" y="${height - 4}" font-size="10" text-anchor="middle">0</text>
    <text x="${width}" y="${height - 4}" font-size="10" text-anchor="end">${range}</text></svg>
    <figcaption>${escapeHtml(run.name)}: first-layer kernel (log count)</figcaption></figure>`;
}

/** Writes `index.html` into `folder` and returns its path. */
export function writeReport(folder: string, runs: RunResult[], table: string, meta: string): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, 'index.html');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Regularization on MNIST</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}pre{background:#f6f6f6;padding:1em;overflow:auto}
figure{display:inline-block;margin:0 1em 1em 0}figcaption{font-size:12px;color:#555}</style></head><body>
<h1>Regularization on MNIST</h1><p>${escapeHtml(meta)}</p>
<h2>Results</h2><pre>${escapeHtml(table)}</pre>
<h2>Validation data loss per epoch</h2><p>Cross-entropy on the test split, without the penalties.</p>${lineChart(runs)}
<h2>First-layer weights</h2>${runs.map((r, k) => histogram(r, COLORS[k % COLORS.length] as string)).join('')}
<h2>Runs</h2><ul>${runs.map((r) => `<li><b>${escapeHtml(r.name)}</b>: ${escapeHtml(r.description)}</li>`).join('')}</ul>
</body></html>`;
  writeFileSync(path, html);
  return path;
}
