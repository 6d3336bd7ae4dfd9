/**
 * The main job: the same network trained on MNIST digits five ways (no
 * regularization, L2, L1, L1L2 with an activity L2, Orthogonal), each from
 * several seeds, then a table of what each did to accuracy, loss and the
 * weights (mean ± spread over the seeds), and an HTML report with curves,
 * weight images and histograms. Run with `npm run demo`.
 */
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backend } from 'keras-regularizers';
import { consoleTable } from './mnist/console-table.js';
import { blankPixels, loadMnist } from './mnist/data.js';
import { writeReport } from './mnist/report.js';
import { type Settings, trainRun, type VariantResult } from './mnist/train-run.js';
import { VARIANTS } from './mnist/variants.js';

// Three seeds is the least that gives a spread. The rest is sized so that
// `npm run demo` (build included) stays well under 3 minutes on 2 cores:
// fit's cost here is mostly per step, not per sample, so batches of 128
// train an epoch in about 60% of the time of 64, with the learning rate
// doubled to match. 3 epochs are 201 steps: L1 and L2 clear the weights of
// the blank border pixels (at most 0.08 at initialization) in a few dozen
// Adam steps of 2e-3, so the weight pictures have settled.
const SEEDS = [42, 43, 44];
const SETTINGS: Settings = { epochs: 3, batchSize: 128, learningRate: 2e-3, checkpointsPerEpoch: 4 };

async function main(): Promise<void> {
  const started = performance.now();
  const data = loadMnist();
  const blank = blankPixels(data.train.x);
  const { epochs, batchSize, learningRate } = SETTINGS;
  const setup =
    `MNIST digits from the mnist package: ${data.train.x.shape[0]} train, ${data.test.x.shape[0]} test; ` +
    `${backend.getBackend()} backend; MLP 784-128-64-10, Adam(${learningRate}), ${epochs} epochs, batch ${batchSize}, ` +
    `seeds ${SEEDS.join(', ')}`;
  console.log(`${setup}\n`);
  const variants: VariantResult[] = VARIANTS.map((v) => ({ name: v.name, description: v.description, runs: [] }));
  const trainingStarted = performance.now();
  for (const [s, seed] of SEEDS.entries()) {
    for (const [i, variant] of VARIANTS.entries()) {
      // Curves and pictures come from the first seed; the other seeds give the table its spread.
      const run = await trainRun(variant, seed, data, SETTINGS, s === 0);
      variants[i]?.runs.push(run);
      console.log(
        `seed ${seed} ${variant.name.padEnd(10)} ${run.seconds.toFixed(1).padStart(5)} s: test accuracy ${run.testAccuracy.toFixed(4)}`,
      );
    }
  }
  const trainingSeconds = (performance.now() - trainingStarted) / 1000;
  tf.dispose([data.train.x, data.train.y, data.test.x, data.test.y]);
  const total = (performance.now() - started) / 1000;
  const meta =
    `${setup}. ${VARIANTS.length * SEEDS.length} runs on ${backend.getBackend()}: ` +
    `${trainingSeconds.toFixed(0)} s of training and evaluation, ${total.toFixed(0)} s in all (build not included).`;
  const path = writeReport(resolve('reports', 'mnist'), { meta, seeds: SEEDS, blankPixels: blank, variants });
  console.log(
    `\nMean ± sample standard deviation over seeds ${SEEDS.join(', ')}:\n${consoleTable(variants)}\n\n` +
      `Training ${trainingSeconds.toFixed(1)} s, total ${total.toFixed(1)} s. Report written to ${path}`,
  );
}

await main();
