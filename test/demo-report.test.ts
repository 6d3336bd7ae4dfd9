/**
 * The demo's report (examples/mnist) built from synthetic runs, without
 * training: its tables explain every column and give mean ± spread over the
 * seeds, the charts and weight images are there, the PNGs decode, and the
 * learning-curve recorder recovers each window's mean from fit's running
 * means.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import type * as tf from '@tensorflow/tfjs-core';
import type { models } from 'keras-regularizers';
import { COLUMNS, heading, spread } from '../examples/mnist/columns.js';
import { consoleTable } from '../examples/mnist/console-table.js';
import { CurveRecorder } from '../examples/mnist/curves.js';
import { escapeHtml } from '../examples/mnist/html.js';
import { encodePng } from '../examples/mnist/png.js';
import { renderReport } from '../examples/mnist/report.js';
import { logTicks, niceTicks } from '../examples/mnist/svg-charts.js';
import type { SeedRun, VariantResult } from '../examples/mnist/train-run.js';
import { weightGrid } from '../examples/mnist/weight-images.js';

const SEEDS = [1, 2, 3];

/** A deterministic stand-in for a trained run: `k` moves every number. */
function syntheticRun(variant: string, seed: number, k: number): SeedRun {
  const [inputs, units] = [784, 40];
  const values = Float32Array.from({ length: inputs * units }, (_, i) => Math.sin(i * 0.37 + k + seed) * 0.1 * (1 + k));
  const measures = (e: number) => ({
    dataLoss: 1 / (1 + e + k),
    accuracy: 0.8 + 0.05 * e,
    penalty: k * 0.01 * (1 + e),
  });
  return {
    variant,
    seed,
    trainAccuracy: 0.97 + 0.001 * seed,
    testAccuracy: 0.92 + 0.002 * k + 0.001 * seed,
    testDataLoss: 0.25 - 0.01 * k,
    penalty: 0.1 * k,
    seconds: 3 + seed,
    weights: {
      norm: 20 - k,
      nearZero: 0.1 * k,
      layers: [
        { label: '1: 784×40', shares: [0.1 * k, 0.2 * k] },
        { label: '2: 40×10', shares: [0.05 * k, 0.1 * k] },
      ],
      meanAbsCosine: 0.05,
      firstKernel: { values, inputs, units },
    },
    curves:
      seed === SEEDS[0]
        ? [0.5, 1, 1.5, 2].map((epoch) => ({ epoch, train: measures(epoch), validation: measures(epoch - 0.1) }))
        : null,
  };
}

const variants: VariantResult[] = ['none', 'L1', 'L2'].map((name, k) => ({
  name,
  description: `${name} regularization`,
  runs: SEEDS.map((seed) => syntheticRun(name, seed, k)),
}));

describe('demo report', () => {
  const html = renderReport({ meta: 'synthetic', seeds: SEEDS, blankPixels: 67, variants });

  it('explains every column of the results table, in the header tooltips and under the table', () => {
    const table = html.slice(html.indexOf('<table class="results">'), html.indexOf('</dl>'));
    assert.match(table, /<caption>Mean ± sample standard deviation over 3 seeds \(1, 2, 3\)/);
    for (const column of COLUMNS) {
      assert.ok(table.includes(`title="${escapeHtml(column.help)}">${escapeHtml(heading(column))}</th>`), column.label);
      assert.ok(table.includes(`<dt>${escapeHtml(heading(column))}</dt>`), column.label);
    }
    assert.equal((table.match(/<tr><th scope="row"/g) ?? []).length, variants.length);
  });

  it('gives mean ± sample standard deviation, with each seed in the tooltip, and pairs Δ with the baseline of the same seed', () => {
    // Test accuracy of L2 (k = 2): 0.924 + 0.001 seed: mean 92.60%, sd 0.10 pp.
    assert.match(html, /<td title="seed 1: 92\.50 %; seed 2: 92\.60 %; seed 3: 92\.70 %">92\.60 ± 0\.10<\/td>/);
    // Δ against none is +0.4 pp on every seed, so its spread is 0.
    assert.match(html, />\+0\.40 ± 0\.00<\/td>/);
    assert.deepEqual(spread([1, 2, 3]), { mean: 2, sd: 1, values: [1, 2, 3] });
    assert.doesNotMatch(html, /NaN|undefined|Infinity/);
    assert.match(consoleTable(variants), /\| L2 +\| +97\.20 ± 0\.10 \| +92\.60 ± 0\.10 \|/);
  });

  it('has per-layer sparsity at both thresholds', () => {
    const table = html.slice(html.indexOf('<table class="results sparsity">'));
    assert.match(table, /layer 1: 784×40<\/th>/);
    assert.equal((table.match(/\|w\| &lt; 0\.001/g) ?? []).length, 2);
    assert.match(table, />40\.0 ± 0\.0<\/td>/);
  });

  it('draws the three learning curves with labelled axes, a histogram per run and a weight image per run', () => {
    const charts = html.match(/<svg class="chart"[\s\S]*?<\/svg>/g) ?? [];
    assert.equal(charts.length, 3 + variants.length);
    for (const label of [
      'epoch',
      'accuracy',
      'cross-entropy, no penalty (log scale)',
      'weight value',
      'count (log scale)',
    ]) {
      assert.ok(html.includes(`>${label}</text>`), label);
    }
    // Two series per run (training and validation) in each curve chart; none has no penalty line on the log axis.
    assert.equal((charts[0]?.match(/<polyline/g) ?? []).length, 2 * variants.length);
    assert.equal((charts[2]?.match(/<polyline/g) ?? []).length, 2 * variants.length);
    assert.equal((charts[2]?.match(/points=""/g) ?? []).length, 2);
    assert.equal((html.match(/<img src="data:image\/png;base64,/g) ?? []).length, variants.length);
  });

  it('writes PNGs that decode to the pixels given', () => {
    const rgb = Uint8Array.from({ length: 3 * 4 * 3 }, (_, i) => (i * 23) % 256);
    const png = encodePng(3, 4, rgb);
    assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    const view = new DataView(png.buffer, png.byteOffset);
    assert.deepEqual([view.getUint32(16), view.getUint32(20)], [3, 4]);
    const idatLength = view.getUint32(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    const rows = Array.from({ length: 4 }, (_, y) => [...raw.subarray(y * 10 + 1, y * 10 + 10)]);
    assert.deepEqual(rows.flat(), [...rgb]);
  });

  it('draws 32 units of the first layer on one scale, the largest |w| among them', () => {
    const kernel = variants[1]?.runs[0]?.weights.firstKernel as SeedRun['weights']['firstKernel'];
    const grid = weightGrid(kernel);
    let largest = 0;
    for (let p = 0; p < 784; p++)
      for (let u = 0; u < 32; u++) largest = Math.max(largest, Math.abs(kernel.values[p * 40 + u] as number));
    assert.equal(grid.scale, largest);
    assert.deepEqual([grid.units, grid.width, grid.height], [32, 8 * 29 + 1, 4 * 29 + 1]);
  });

  it('picks round ticks', () => {
    assert.deepEqual(niceTicks(0.2, 1.1, 5), [0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(logTicks(0.005, 0.3), [0.005, 0.01, 0.02, 0.05, 0.1, 0.2]);
  });
});

describe('CurveRecorder', () => {
  it("recovers each window's mean from fit's running means and evaluates at each checkpoint", async () => {
    // 10 samples in batches of 4 (4, 4, 2): per-batch losses 3, 1, 2; two checkpoints, after batches 1 and 2.
    let evaluations = 0;
    const model = {
      evaluate: () => {
        evaluations++;
        return { loss: 0.5, accuracy: 0.9, regularization_loss: 0.1 };
      },
    };
    const recorder = new CurveRecorder([{} as tf.Tensor, {} as tf.Tensor], 10, 4, 2);
    recorder.model = model as unknown as models.Model;
    const batches = [
      { loss: 3, accuracy: 0.5, size: 4 },
      { loss: 1, accuracy: 1, size: 4 },
      { loss: 2, accuracy: 0, size: 2 },
    ];
    await recorder.onEpochBegin(0);
    let [sum, accuracy, seen] = [0, 0, 0];
    for (const [i, batch] of batches.entries()) {
      [sum, accuracy, seen] = [
        sum + batch.loss * batch.size,
        accuracy + batch.accuracy * batch.size,
        seen + batch.size,
      ];
      await recorder.onBatchEnd(i, { loss: sum / seen, accuracy: accuracy / seen, regularization_loss: 0 });
    }
    assert.equal(evaluations, 2);
    assert.deepEqual(
      recorder.points.map((p) => [p.epoch, p.train.dataLoss, p.train.accuracy]),
      [
        [0.8, 2, 0.75],
        [1, 2, 0],
      ],
    );
    assert.ok(Math.abs((recorder.points[0]?.validation.dataLoss as number) - 0.4) < 1e-12);
  });
});
