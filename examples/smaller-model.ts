/**
 * Issue 25's demo, "regularization that makes models smaller": an MNIST MLP
 * (784-256-128-10) and a small CNN trained five ways (none, L1 through the
 * gradient, proximal L1, group lasso with proximal steps, L2 then magnitude
 * pruning to group lasso's size), 3 seeds each, each pruned by
 * `models.prune` and evaluated; a table and plots of accuracy against size in
 * reports/smaller-model/index.html. Run with
 * `npx tsx examples/smaller-model.ts` (after `npm run build`), a few minutes
 * on 2 cores; `--smoke` trains one seed one epoch on every 14th digit; `--only=mlp` or
 * `--only=cnn` trains one network (the report shows every network's latest
 * results); `--render` rewrites the report from them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backend } from 'keras-regularizers';
import { loadMnist, type Split } from './mnist/data.js';
import { type ArchitectureResult, HEADER, summaryRows, writeSmallerModelReport } from './smaller-model/report.js';
import { prunedRun, type Settings } from './smaller-model/run.js';
import { type Architecture, variantsFor } from './smaller-model/variants.js';

const smoke = process.argv.includes('--smoke');
const SEEDS = smoke ? [1] : [42, 43, 44];
const SETTINGS: Record<Architecture, Settings> = {
  mlp: { epochs: smoke ? 1 : 3, fineTuneEpochs: smoke ? 1 : 2, batchSize: 128, learningRate: 2e-3 },
  cnn: { epochs: smoke ? 1 : 2, fineTuneEpochs: smoke ? 1 : 2, batchSize: 128, learningRate: 3e-3 },
};
const TITLES: Record<Architecture, string> = { mlp: 'MLP 784-256-128-10', cnn: 'CNN Conv16-pool-Conv32-pool-Dense10' };

/** Every `step`-th digit (the split is ordered by digit, so a plain head would be all zeros). */
const strided = (split: Split, step: number): Split => {
  const indices = tf.range(0, split.x.shape[0], step, 'int32');
  const part = { x: tf.gather(split.x, indices) as tf.Tensor2D, y: tf.gather(split.y, indices) as tf.Tensor1D };
  indices.dispose();
  return part;
};

/** Trains every variant of both networks and writes the report; returns the results. */
export async function smallerModelDemo(folder: string): Promise<ArchitectureResult[]> {
  await backend.ready();
  const full = loadMnist();
  const data = smoke ? { train: strided(full.train, 14), test: strided(full.test, 5) } : full;
  const results: ArchitectureResult[] = [];
  const started = performance.now();
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  for (const architecture of (['mlp', 'cnn'] as const).filter((a) => only == null || a === only)) {
    const variants = variantsFor(architecture);
    const result: ArchitectureResult = {
      title: TITLES[architecture],
      variants: variants.map((v) => ({ name: v.name, description: v.description, runs: [] })),
    };
    for (const seed of SEEDS) {
      let groupParams: number | undefined;
      for (const [i, variant] of variants.entries()) {
        const run = await prunedRun(architecture, variant, seed, data, SETTINGS[architecture], groupParams);
        if (variant.name === 'group lasso') groupParams = run.nonzero;
        result.variants[i]?.runs.push(run);
        console.log(
          `${architecture} seed ${seed} ${variant.name.padEnd(15)} ${run.seconds.toFixed(1).padStart(5)} s: accuracy ${run.accuracy.toFixed(4)}, ${run.params} parameters after prune, ${run.nonzero} nonzero (${run.shape})`,
        );
      }
    }
    results.push(result);
  }
  const seconds = (performance.now() - started) / 1000;
  if (data !== full) tf.dispose([data.train.x, data.train.y, data.test.x, data.test.y]);
  tf.dispose([full.train.x, full.train.y, full.test.x, full.test.y]);
  const settings = (a: Architecture) =>
    `${TITLES[a]}: Adam(${SETTINGS[a].learningRate}), ${SETTINGS[a].epochs} epochs regularized + ${SETTINGS[a].fineTuneEpochs} after pruning (masked for magnitude pruning), batch ${SETTINGS[a].batchSize}`;
  const meta =
    `MNIST digits from the mnist package (${smoke ? 'smoke run: every 14th train and 5th test digit' : '8500 train, 1500 test'}), ` +
    `${backend.getBackend()} backend, seeds ${SEEDS.join(', ')}. ${settings('mlp')}. ${settings('cnn')}. ` +
    `${seconds.toFixed(0)} s in all.`;
  // Each network's results are kept as JSON, so that runs of one network (--only) make one report.
  mkdirSync(folder, { recursive: true });
  for (const [i, result] of results.entries()) {
    const architecture = result.title === TITLES.mlp ? 'mlp' : 'cnn';
    writeFileSync(join(folder, `${architecture}.json`), JSON.stringify({ meta, result: results[i] }));
  }
  const path = renderSaved(folder);
  for (const result of results) {
    console.log(`\n${result.title}\n${[HEADER, ...summaryRows(result)].map((r) => r.join(' | ')).join('\n')}`);
  }
  console.log(`\n${meta}\nReport written to ${path}`);
  return results;
}

/** Writes the report from every network's saved results in `folder`; returns its path. */
export function renderSaved(folder: string): string {
  const saved = (['mlp', 'cnn'] as const)
    .map((a) => join(folder, `${a}.json`))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { meta: string; result: ArchitectureResult });
  return writeSmallerModelReport(
    folder,
    [...new Set(saved.map((s) => s.meta))].join(' '),
    saved.map((s) => s.result),
  );
}

if (process.argv.includes('--render')) {
  console.log(renderSaved(resolve('reports', 'smaller-model')));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await smallerModelDemo(
    resolve('reports', process.argv.includes('--smoke') ? 'smaller-model-smoke' : 'smaller-model'),
  );
}
