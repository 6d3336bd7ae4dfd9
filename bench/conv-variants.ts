/**
 * Training steps of two small models of the convolution variants, ours
 * against the same model in stock tfjs-layers, each without and with L2 on
 * every kernel:
 * - block: a MobileNet-style block, 28x28x16 → DepthwiseConv2D 3x3 relu →
 *   SeparableConv2D 32 3x3 relu → GlobalAveragePooling2D → Dense 10 softmax,
 *   batch 32, sparse categorical cross-entropy;
 * - decoder: 7x7x32 → Conv2DTranspose 32 3x3 /2 relu → Conv2DTranspose 16
 *   3x3 /2 relu → Conv2DTranspose 1 3x3, batch 32, mean squared error.
 * SGD, on wasm and on cpu (where tfjs-layers has the gradient kernels that
 * wasm lacks). `overhead` is the median over adjacent (plain, L2) step
 * pairs; `best` compares the fastest steps, what a quiet machine shows. Each
 * side runs in a process of its own: tfjs-layers registers tfjs's stock
 * gradients over ours when imported.
 *
 *     tsx bench/conv-variants.ts          # the table
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { fixed, percent, table } from './harness.js';

type Kind = 'block' | 'decoder';
type Variant = 'none' | 'L2 kernels';
const KINDS: Kind[] = ['block', 'decoder'];
const VARIANTS: Variant[] = ['none', 'L2 kernels'];
const L2_FACTOR = 1e-4;

/** A batch of either model's data, seeded. */
function data(kind: Kind, batch: number): [tf.Tensor, tf.Tensor] {
  if (kind === 'block') {
    return [
      tf.randomNormal([batch, 28, 28, 16], 0, 1, 'float32', 1),
      tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10)),
    ];
  }
  return [
    tf.randomNormal([batch, 7, 7, 32], 0, 1, 'float32', 1),
    tf.randomNormal([batch, 28, 28, 1], 0, 1, 'float32', 2),
  ];
}

/** Our steps per model and variant on `backendName`, in this process. */
async function ourSteps(backendName: string, batch: number, rounds: number): Promise<Record<string, OurMeasurement>> {
  const { backend, L2, layers, models, optimizers } = await import('keras-regularizers');
  await backend.setBackend(backendName);
  const l2 = (variant: Variant) => (variant === 'none' ? null : new L2(L2_FACTOR));
  const build = (kind: Kind, variant: Variant) => {
    const model =
      kind === 'block'
        ? new models.Sequential([
            layers.Input({ shape: [28, 28, 16] }),
            new layers.DepthwiseConv2D({
              kernelSize: 3,
              padding: 'same',
              activation: 'relu',
              depthwiseRegularizer: l2(variant),
            }),
            new layers.SeparableConv2D({
              filters: 32,
              kernelSize: 3,
              padding: 'same',
              activation: 'relu',
              depthwiseRegularizer: l2(variant),
              pointwiseRegularizer: l2(variant),
            }),
            new layers.GlobalAveragePooling2D(),
            new layers.Dense({ units: 10, activation: 'softmax', kernelRegularizer: l2(variant) }),
          ])
        : new models.Sequential([
            layers.Input({ shape: [7, 7, 32] }),
            ...[32, 16, 1].map(
              (filters) =>
                new layers.Conv2DTranspose({
                  filters,
                  kernelSize: 3,
                  strides: filters === 1 ? 1 : 2,
                  padding: 'same',
                  activation: filters === 1 ? 'linear' : 'relu',
                  kernelRegularizer: l2(variant),
                }),
            ),
          ]);
    model.compile({
      optimizer: new optimizers.SGD({ learningRate: 0.01 }),
      loss: kind === 'block' ? 'sparse_categorical_crossentropy' : 'mean_squared_error',
    });
    return model;
  };
  const result: Record<string, OurMeasurement> = {};
  for (const kind of KINDS) {
    const [x, y] = data(kind, batch);
    const [plain, regularized] = VARIANTS.map((variant) => {
      const model = build(kind, variant);
      return () => {
        const start = performance.now();
        model.trainOnBatch(x, y);
        return performance.now() - start;
      };
    }) as [() => number, () => number];
    for (let i = 0; i < 2; i++) {
      plain();
      regularized();
    }
    // Adjacent pairs, in alternating order: the ratio of a pair cancels what the machine's load
    // does over seconds, and its median is the regularizers' overhead.
    const times: [number[], number[]] = [[], []];
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let a: number;
      let b: number;
      if (round % 2 === 0) {
        a = plain();
        b = regularized();
      } else {
        b = regularized();
        a = plain();
      }
      times[0].push(a);
      times[1].push(b);
      ratios.push(b / a);
    }
    const best = times.map((t) => Math.min(...t)) as [number, number];
    result[`${kind} none`] = { ms: median(times[0]), bestMs: best[0], overhead: 0, bestOverhead: 0 };
    result[`${kind} L2 kernels`] = {
      ms: median(times[1]),
      bestMs: best[1],
      overhead: median(ratios) - 1,
      bestOverhead: best[1] / best[0] - 1,
    };
  }
  return result;
}

interface OurMeasurement {
  /** Median milliseconds per step. */
  ms: number;
  /** Median over adjacent pairs of (regularized / plain) - 1. */
  overhead: number;
  /** The fastest step, and the overhead between the fastest steps: what a quiet machine shows. */
  bestMs: number;
  bestOverhead: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Stock tfjs-layers' steps, or why it cannot run them. */
async function tfjsLayersSteps(
  backendName: string,
  batch: number,
  rounds: number,
): Promise<Record<string, number | string>> {
  await import('@tensorflow/tfjs-backend-cpu');
  await import('@tensorflow/tfjs-backend-wasm');
  const tfl = await import('@tensorflow/tfjs-layers');
  await tf.setBackend(backendName);
  const result: Record<string, number | string> = {};
  for (const kind of KINDS) {
    const [x, y] = data(kind, batch);
    for (const variant of VARIANTS) {
      const reg = variant === 'none' ? undefined : tfl.regularizers.l2({ l2: L2_FACTOR });
      const model =
        kind === 'block'
          ? tfl.sequential({
              layers: [
                tfl.layers.depthwiseConv2d({
                  inputShape: [28, 28, 16],
                  kernelSize: 3,
                  padding: 'same',
                  activation: 'relu',
                  depthwiseRegularizer: reg,
                }),
                tfl.layers.separableConv2d({
                  filters: 32,
                  kernelSize: 3,
                  padding: 'same',
                  activation: 'relu',
                  depthwiseRegularizer: reg,
                  pointwiseRegularizer: reg,
                }),
                tfl.layers.globalAveragePooling2d({}),
                tfl.layers.dense({ units: 10, activation: 'softmax', kernelRegularizer: reg }),
              ],
            })
          : tfl.sequential({
              layers: [32, 16, 1].map((filters, i) =>
                tfl.layers.conv2dTranspose({
                  ...(i === 0 ? { inputShape: [7, 7, 32] } : {}),
                  filters,
                  kernelSize: 3,
                  strides: filters === 1 ? 1 : 2,
                  padding: 'same',
                  activation: filters === 1 ? 'linear' : 'relu',
                  kernelRegularizer: reg,
                }),
              ),
            });
      model.compile({
        optimizer: tf.train.sgd(0.01),
        loss: kind === 'block' ? 'sparseCategoricalCrossentropy' : 'meanSquaredError',
      });
      const key = `${kind} ${variant}`;
      try {
        for (let i = 0; i < 2; i++) await model.trainOnBatch(x, y);
        const times: number[] = [];
        for (let i = 0; i < rounds; i++) {
          const start = performance.now();
          await model.trainOnBatch(x, y);
          times.push(performance.now() - start);
        }
        result[key] = times.sort((a, b) => a - b)[Math.floor(rounds / 2)] as number;
      } catch (error) {
        result[key] = `cannot run: ${(error as Error).message.split('\n')[0]}`;
      }
      model.dispose();
    }
  }
  return result;
}

/** Batch and rounds per backend: cpu's convolution gradients are slow. */
const SETTINGS: Record<string, { batch: number; rounds: number }> = {
  wasm: { batch: 32, rounds: 61 },
  cpu: { batch: 8, rounds: 7 },
};

function child(args: string[]): unknown {
  const path = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path, ...args], { encoding: 'utf8', timeout: 600_000 });
  try {
    return JSON.parse(run.stdout.trim().split('\n').pop() ?? '');
  } catch {
    return { error: run.stderr.split('\n').slice(-4).join(' ') };
  }
}

export interface ConvVariantRow {
  backend: string;
  model: Kind;
  variant: Variant;
  ms: number;
  overhead: number;
  bestMs: number;
  bestOverhead: number;
  tfjsLayers: number | string;
  speedupOverTfjsLayers: number;
}

export function benchConvVariants(): { rows: ConvVariantRow[]; text: string } {
  const rows: ConvVariantRow[] = [];
  for (const backendName of ['wasm', 'cpu']) {
    const ours = child(['ours', backendName]) as Record<string, OurMeasurement>;
    const theirs = child(['tfjs-layers', backendName]) as Record<string, number | string>;
    for (const kind of KINDS) {
      for (const variant of VARIANTS) {
        const ms = ours[`${kind} ${variant}`]?.ms ?? Number.NaN;
        const tfjs = theirs[`${kind} ${variant}`] ?? 'not measured';
        rows.push({
          backend: backendName,
          model: kind,
          variant,
          ms,
          overhead: ours[`${kind} ${variant}`]?.overhead ?? Number.NaN,
          bestMs: ours[`${kind} ${variant}`]?.bestMs ?? Number.NaN,
          bestOverhead: ours[`${kind} ${variant}`]?.bestOverhead ?? Number.NaN,
          tfjsLayers: tfjs,
          speedupOverTfjsLayers: typeof tfjs === 'number' ? tfjs / ms : Number.NaN,
        });
      }
    }
  }
  const text = table(
    [
      'backend (batch)',
      'model',
      'variant',
      'ms/step',
      'overhead',
      'best ms',
      'best overhead',
      'tfjs-layers ms/step',
      'ours x faster',
    ],
    rows.map((r) => [
      `${r.backend} (${SETTINGS[r.backend]?.batch})`,
      r.model,
      r.variant,
      fixed(r.ms),
      r.variant === 'none' ? '' : percent(r.overhead),
      fixed(r.bestMs),
      r.variant === 'none' ? '' : percent(r.bestOverhead),
      typeof r.tfjsLayers === 'number' ? fixed(r.tfjsLayers) : r.tfjsLayers.slice(0, 60),
      fixed(r.speedupOverTfjsLayers, 2),
    ]),
  );
  return { rows, text };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [side, backendName] = process.argv.slice(2);
  if (side == null) {
    console.log(`Convolution variants, training steps (SGD)\n${benchConvVariants().text}`);
  } else {
    const { batch, rounds } = SETTINGS[backendName ?? 'wasm'] as { batch: number; rounds: number };
    const result =
      side === 'ours'
        ? await ourSteps(backendName ?? 'wasm', batch, rounds)
        : await tfjsLayersSteps(backendName ?? 'wasm', batch, rounds);
    console.log(JSON.stringify(result));
  }
}
