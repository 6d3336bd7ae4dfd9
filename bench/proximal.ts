/**
 * Proximal updates (issue 25): the MLP 784-256-128-10 training step (batch
 * 128, wasm) with group lasso on every kernel (groups: output units) by its
 * gradient and by proximal updates, against no regularizer; and the
 * proximal step alone (block soft-thresholding of the three kernels, with
 * the step size computed as the optimizer does), as a share of the proximal
 * training step. SGD (one step size: the closed form) and Adam (a step per
 * coordinate: the exact prox in Adam's metric, 5 Newton steps). Same
 * process, interleaved. Run alone with `npx tsx bench/proximal.ts`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend, layers, models, optimizers, regularizers } from 'keras-regularizers';
import { fixed, interleave, percent, table } from './harness.js';

const BATCH = 128;
const FACTOR = 1e-4;

export interface ProximalRow {
  optimizer: string;
  /** Median milliseconds per training step, no regularizer. */
  plainMs: number;
  /** With group lasso through the gradient. */
  gradientMs: number;
  /** With proximal group lasso. */
  proximalMs: number;
  /** The proximal step alone (three kernels). */
  proxAloneMs: number;
  /** proxAloneMs / proximalMs: the share of a training step the proximal step costs. */
  proxShare: number;
  /** The same share from the fastest CPU times (all threads of the process): the least disturbed by other processes. */
  proxShareFastestCpu: number;
}

/** Runs `body`, adding its CPU milliseconds (user + system, every thread) to `into`. */
function cpuTimed(into: number[], body: () => void): () => void {
  return () => {
    const start = process.cpuUsage();
    body();
    const used = process.cpuUsage(start);
    into.push((used.user + used.system) / 1000);
  };
}

type Kind = 'none' | 'gradient' | 'proximal';

function mlp(kind: Kind, optimizer: () => optimizers.Optimizer): models.Sequential {
  const kernelRegularizer = () =>
    kind === 'none' ? null : new regularizers.GroupLasso({ factor: FACTOR, proximal: kind === 'proximal' });
  const model = new models.Sequential([
    layers.Input({ shape: [784] }),
    new layers.Dense({ units: 256, activation: 'relu', kernelRegularizer: kernelRegularizer() }),
    new layers.Dense({ units: 128, activation: 'relu', kernelRegularizer: kernelRegularizer() }),
    new layers.Dense({ units: 10, activation: 'softmax', kernelRegularizer: kernelRegularizer() }),
  ]);
  model.compile({ optimizer: optimizer(), loss: 'sparse_categorical_crossentropy' });
  return model;
}

export async function benchProximal({ rounds = 31 }: { rounds?: number } = {}): Promise<{
  rows: ProximalRow[];
  text: string;
}> {
  await backend.setBackend('wasm');
  const x = tf.randomNormal([BATCH, 784], 0, 1, 'float32', 1);
  const y = tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % 10));
  const rows: ProximalRow[] = [];
  for (const [name, optimizer] of [
    ['SGD', () => new optimizers.SGD({ learningRate: 0.01 })],
    ['Adam', () => new optimizers.Adam({ learningRate: 1e-3 })],
  ] as const) {
    const models_ = {
      none: mlp('none', optimizer),
      gradient: mlp('gradient', optimizer),
      proximal: mlp('proximal', optimizer),
    };
    // The proximal step alone, on copies of the proximal model's kernels, with the step size as the optimizer computes it.
    const kernels = models_.proximal.trainableWeights.filter((w) => w.rank === 2).map((w) => tf.variable(tf.clone(w)));
    const velocities = kernels.map((k) => tf.randomUniform(k.shape, 1e-8, 1e-4, 'float32', 2));
    const regularizer = new regularizers.GroupLasso({ factor: FACTOR, proximal: true });
    const proxAlone = () =>
      tf.tidy(() => {
        kernels.forEach((kernel, i) => {
          const second = velocities[i] as tf.Tensor;
          const size = name === 'SGD' ? 0.01 : { numerator: 3e-4, second, epsilon: 1e-7, epsilonInside: false };
          kernel.assign(regularizer.proximalStep(kernel, size));
        });
      });
    const stepCpu: number[] = [];
    const aloneCpu: number[] = [];
    const measured = interleave(
      {
        none: () => void models_.none.trainOnBatch(x, y),
        gradient: () => void models_.gradient.trainOnBatch(x, y),
        proximal: cpuTimed(stepCpu, () => void models_.proximal.trainOnBatch(x, y)),
        alone: cpuTimed(aloneCpu, proxAlone),
      },
      { warmup: 5, rounds },
    );
    const ms = (key: string) => measured[key]?.ms as number;
    rows.push({
      optimizer: name,
      plainMs: ms('none'),
      gradientMs: ms('gradient'),
      proximalMs: ms('proximal'),
      proxAloneMs: ms('alone'),
      proxShare: ms('alone') / ms('proximal'),
      proxShareFastestCpu: Math.min(...aloneCpu.slice(5)) / Math.min(...stepCpu.slice(5)),
    });
    for (const model of Object.values(models_)) model.dispose();
    tf.dispose([...kernels, ...velocities]);
  }
  tf.dispose([x, y]);
  const text = table(
    [
      `optimizer (MLP 784-256-128-10, batch ${BATCH}, wasm)`,
      'no reg. ms/step',
      'group lasso by gradient',
      'proximal group lasso',
      'proximal step alone ms',
      'share of the step',
      'share, fastest CPU times',
    ],
    rows.map((r) => [
      r.optimizer,
      fixed(r.plainMs, 2),
      `${fixed(r.gradientMs, 2)} (${percent(r.gradientMs / r.plainMs - 1)})`,
      `${fixed(r.proximalMs, 2)} (${percent(r.proximalMs / r.plainMs - 1)})`,
      fixed(r.proxAloneMs, 3),
      percent(r.proxShare).replace('+', ''),
      percent(r.proxShareFastestCpu).replace('+', ''),
    ]),
  );
  return { rows, text };
}

if (process.argv[1] != null && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  console.log((await benchProximal()).text);
}
