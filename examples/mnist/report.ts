/**
 * The run report, reports/mnist/index.html: one self-contained page (inline
 * SVG charts, PNG data URLs) showing what each regularizer did: the results
 * table, per-layer sparsity, learning curves, first-layer weight images and
 * weight histograms.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CurvePoint, Measures } from './curves.js';
import { escapeHtml } from './html.js';
import { resultsTable, sparsityTable } from './report-tables.js';
import { binCounts, histogramChart, lineChart, type Series } from './svg-charts.js';
import type { SeedRun, VariantResult } from './train-run.js';
import { colorBar, weightGrid } from './weight-images.js';

export interface ReportInput {
  /** The settings and timing, one paragraph. */
  meta: string;
  seeds: number[];
  /** Pixels that are 0 in every training digit, which only a regularizer moves the weights of. */
  blankPixels: number;
  /** One per variant, the unregularized one first (the baseline of the Δ column); runs in seed order. */
  variants: VariantResult[];
}

const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#b279a2', '#72b7b2'];
const BINS = 80;
const colorOf = (i: number) => COLORS[i % COLORS.length] as string;

/** The runs that carry curves and weights for the pictures: each variant's first seed. */
const pictured = (variants: VariantResult[]) =>
  variants.map((v, i) => ({ name: v.name, description: v.description, color: colorOf(i), run: v.runs[0] as SeedRun }));

function curvesSection(variants: VariantResult[], seed: number): string {
  const runs = pictured(variants).filter((p) => p.run.curves != null);
  const chart = (title: string, yLabel: string, pick: (m: Measures) => number, logY = false) => {
    const series: Series[] = runs.flatMap(({ name, color, run }) => {
      const points = run.curves as CurvePoint[];
      return [
        { name: `${name}, validation`, color, points: points.map((p) => [p.epoch, pick(p.validation)]) },
        {
          name: `${name}, training`,
          color,
          dashed: true,
          points: points.map((p) => [p.epoch, pick(p.train)]),
        },
      ];
    });
    return lineChart({ title, xLabel: 'epoch', yLabel, series, logY });
  };
  const legend = runs
    .map(({ name, color }) => `<span class="swatch" style="background:${color}"></span>${escapeHtml(name)}`)
    .join(' ');
  return `<h2>Learning curves</h2>
<p class="key">${legend} &nbsp; <svg width="30" height="8"><line x1="0" y1="4" x2="30" y2="4" stroke="#333" stroke-width="2"/></svg> validation (the test split, evaluated at each point)
<svg width="30" height="8"><line x1="0" y1="4" x2="30" y2="4" stroke="#333" stroke-width="2" stroke-dasharray="5 3"/></svg> training (mean over the steps since the previous point)</p>
<div class="charts">
${chart('Data loss', 'cross-entropy, no penalty (log scale)', (m) => m.dataLoss, true)}
${chart('Accuracy', 'accuracy', (m) => m.accuracy)}
${chart('Penalty', 'regularization_loss (log scale)', (m) => m.penalty, true)}
</div>
<p class="note">Seed ${seed}. The data loss leaves the penalties out, so the runs compare on the task itself; the penalty chart shows what the regularizers add (none adds nothing and has no line on the log axis). Training numbers are averaged while the weights change and in training mode, validation numbers are taken at the point.</p>`;
}

function weightsSection(variants: VariantResult[], seed: number, blankPixels: number): string {
  const figures = pictured(variants).map(({ name, description, run }, i) => {
    const grid = weightGrid(run.weights.firstKernel);
    const zoom = 2;
    return `<figure class="weights"><figcaption><b>${escapeHtml(name)}</b>: ${escapeHtml(description)}; scale ±${grid.scale.toPrecision(2)}</figcaption>
<img src="${grid.url}" width="${grid.width * zoom}" height="${grid.height * zoom}" alt="first ${grid.units} units of the first layer, run ${escapeHtml(name)}">${colorBar(grid.scale, `bar${i}`, grid.height * zoom - 12)}</figure>`;
  });
  return `<h2>First-layer weights</h2>
<p class="note">Seed ${seed}. Each square is one of the first 32 of the 128 first-layer units: its 784 input weights laid out as the 28×28 digit they see. Blue is negative, white zero, red positive, on one scale per run (±the largest |w| among these units). ${blankPixels} of the 784 pixels (mostly along the border) are blank in every training digit, so no data gradient reaches their weights and only a regularizer moves them: without one they keep their random initial values.</p>
<div class="grids">${figures.join('\n')}</div>`;
}

function histogramsSection(variants: VariantResult[], seed: number): string {
  const runs = pictured(variants);
  // One symmetric range for every run, out to the largest |w| of any: no tail is cut off and runs compare bar by bar.
  const extreme = Math.max(
    ...runs.map(({ run }) => run.weights.firstKernel.values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)),
  );
  const range: [number, number] = [-extreme, extreme];
  // One count axis too, so that a spike at zero compares between runs.
  const maxCount = Math.max(
    ...runs.map(({ run }) => Math.max(...binCounts(run.weights.firstKernel.values, range, BINS))),
  );
  const charts = runs.map(({ name, color, run }) =>
    histogramChart({ title: name, values: run.weights.firstKernel.values, range, bins: BINS, maxCount, color }),
  );
  return `<h2>First-layer weight histograms</h2>
<p class="note">Seed ${seed}. All 784×128 first-layer weights; counts on a log scale (a single weight still shows as a bar), the value axis out to the largest |w| of all runs and the count axis up to the fullest bin of all runs, each run's extremes in its title.</p>
<div class="charts">${charts.join('\n')}</div>`;
}

export function renderReport(input: ReportInput): string {
  const { variants, seeds } = input;
  const seed = seeds[0] as number;
  const runsList = variants.map((v) => `<li><b>${escapeHtml(v.name)}</b>: ${escapeHtml(v.description)}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Regularization on MNIST</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em auto;max-width:1120px;padding:0 1em;color:#222}
table.results{border-collapse:collapse;margin:1em 0;font-size:13px;font-variant-numeric:tabular-nums}
.results caption{caption-side:top;text-align:left;color:#555;padding-bottom:.4em}
.results th,.results td{border:1px solid #ddd;padding:4px 6px;text-align:right;white-space:nowrap}
.results thead th{white-space:normal;vertical-align:bottom}
.results th{background:#f4f4f4}.results th[scope=row]{text-align:left}.results th[title]{cursor:help;text-decoration:underline dotted}
.results td.none{text-align:center;color:#999}
dl.legend{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;font-size:13px}dl.legend dt{font-weight:600}dl.legend dd{margin:0}
.charts{display:flex;flex-wrap:wrap;gap:.5em}.note{color:#555;font-size:13px;max-width:60em}
.key{font-size:13px}.swatch{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px;vertical-align:-1px}
.grids{display:flex;flex-wrap:wrap;gap:1em 2em}figure.weights{margin:0}figure.weights figcaption{font-size:13px;margin-bottom:4px;max-width:540px}
figure.weights img{image-rendering:pixelated;vertical-align:top;margin-right:6px}
</style></head><body>
<h1>Regularization on MNIST</h1>
<p>${escapeHtml(input.meta)}</p>
<ul>${runsList}</ul>
<h2>Results</h2>
${resultsTable(variants, seeds)}
<p class="note">Every number is the mean over the seeds ± the sample standard deviation between them. Seeds change the initial weights and the batch order, and that alone moves every number; the ± says by how much. A difference between runs smaller than the spreads is noise, not an effect of the regularizer. The Δ column pairs each run with the unregularized run of the same seed.</p>
<h2>Sparsity per layer</h2>
${sparsityTable(variants, seeds)}
${curvesSection(variants, seed)}
${weightsSection(variants, seed, input.blankPixels)}
${histogramsSection(variants, seed)}
</body></html>
`;
}

/** Writes `index.html` into `folder` and returns its path. */
export function writeReport(folder: string, input: ReportInput): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, 'index.html');
  writeFileSync(path, renderReport(input));
  return path;
}
