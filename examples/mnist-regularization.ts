/**
 * The main job: the same network trained on MNIST digits five ways (no
 * regularization, L2, L1, L1L2 with an activity L2, Orthogonal), from the same
 * seed, then a table of what each did to accuracy, loss and the weights, and
 * an HTML report with charts. Run with `npm run demo`.
 */
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backend, L1, L1L2, L2, layers, models, OrthogonalRegularizer, optimizers, utils } from 'keras-regularizers';
import { loadMnist } from './mnist/data.js';
import { type RunResult, writeReport } from './mnist/report.js';
import { weightStats } from './mnist/weight-stats.js';

const EPOCHS = 6;
const BATCH_SIZE = 64;
const SEED = 42;

interface Variant {
  name: string;
  description: string;
  /** Regularizer options for each Dense layer (hidden or not). */
  options: (hidden: boolean) => Partial<layers.DenseOptions>;
}

const VARIANTS: Variant[] = [
  { name: 'none', description: 'no regularization', options: () => ({}) },
  { name: 'L2', description: 'kernel L2(5e-4) on every layer', options: () => ({ kernelRegularizer: new L2(5e-4) }) },
  { name: 'L1', description: 'kernel L1(1e-4) on every layer', options: () => ({ kernelRegularizer: new L1(1e-4) }) },
  {
    name: 'L1L2+act',
    description: 'kernel L1L2(1e-5, 5e-4) on every layer, activity L2(1e-4) on the hidden layers',
    options: (hidden) => ({
      kernelRegularizer: new L1L2(1e-5, 5e-4),
      activityRegularizer: hidden ? new L2(1e-4) : null,
    }),
  },
  {
    name: 'Orthogonal',
    description: 'kernel OrthogonalRegularizer(0.1, "columns") on the hidden layers',
    options: (hidden) => ({ kernelRegularizer: hidden ? new OrthogonalRegularizer(0.1, 'columns') : null }),
  },
];

function buildModel(variant: Variant): models.Sequential {
  return new models.Sequential([
    layers.Input({ shape: [784] }),
    new layers.Dense({ units: 128, activation: 'relu', ...variant.options(true) }),
    new layers.Dense({ units: 64, activation: 'relu', ...variant.options(true) }),
    new layers.Dense({ units: 10, activation: 'softmax', ...variant.options(false) }),
  ]);
}

function formatTable(runs: RunResult[]): string {
  const header = [
    'run',
    'train acc',
    'test acc',
    'test data loss',
    'reg. loss',
    'weight norm',
    '|w|<1e-3',
    'mean |cos| layer-1 cols',
    'time',
  ];
  const rows = runs.map((r) => [
    r.name,
    r.trainAccuracy.toFixed(4),
    r.testAccuracy.toFixed(4),
    r.testDataLoss.toFixed(4),
    r.regularizationLoss.toFixed(4),
    r.norm.toFixed(2),
    `${(100 * r.nearZero).toFixed(1)}%`,
    r.meanAbsCosine.toFixed(4),
    `${r.seconds.toFixed(1)}s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-' : '-').repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const { train, test } = loadMnist();
  console.log(
    `MNIST digits from the mnist package: ${train.x.shape[0]} train, ${test.x.shape[0]} test; ${backend.getBackend()} backend; ` +
      `MLP 784-128-64-10, Adam(1e-3), ${EPOCHS} epochs, batch ${BATCH_SIZE}, seed ${SEED}\n`,
  );
  const runs: RunResult[] = [];
  for (const variant of VARIANTS) {
    utils.setRandomSeed(SEED);
    const model = buildModel(variant);
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: 1e-3 }),
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const runStart = performance.now();
    const history = await model.fit(train.x, train.y, {
      epochs: EPOCHS,
      batchSize: BATCH_SIZE,
      validationData: [test.x, test.y],
      verbose: 0,
    });
    const seconds = (performance.now() - runStart) / 1000;
    const onTrain = model.evaluate(train.x, train.y, { batchSize: 512 });
    const onTest = model.evaluate(test.x, test.y, { batchSize: 512 });
    const stats = weightStats(model);
    const validationLoss = (history.history.val_loss as number[]).map(
      (loss, i) => loss - ((history.history.val_regularization_loss as number[])[i] as number),
    );
    runs.push({
      name: variant.name,
      description: variant.description,
      trainAccuracy: onTrain.accuracy as number,
      testAccuracy: onTest.accuracy as number,
      testDataLoss: (onTest.loss as number) - (onTest.regularization_loss as number),
      regularizationLoss: onTrain.regularization_loss as number,
      ...stats,
      seconds,
      validationLoss,
    });
    console.log(
      `${variant.name.padEnd(10)} done in ${seconds.toFixed(1)}s: test accuracy ${(onTest.accuracy as number).toFixed(4)}`,
    );
    model.dispose();
  }
  tf.dispose([train.x, train.y, test.x, test.y]);
  const table = formatTable(runs);
  const total = (performance.now() - started) / 1000;
  const folder = resolve('reports', 'mnist');
  const meta = `${runs.length} runs on ${backend.getBackend()}, ${EPOCHS} epochs each, seed ${SEED}, ${total.toFixed(0)} s in all.`;
  const path = writeReport(folder, runs, table, meta);
  console.log(`\n${table}\n\nTotal time ${total.toFixed(1)} s. Report written to ${path}`);
}

await main();
