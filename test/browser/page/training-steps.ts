/**
 * A few SGD steps of a small model that uses every regularizer kind: L1,
 * L2, L1L2 and Orthogonal on kernels, L2 on a bias, and an activity
 * regularizer. The same code runs in the page (on wasm, webgl, cpu) and in
 * Node on cpu, whose numbers are the reference.
 */
import * as tf from '@tensorflow/tfjs-core';
import { L1, L1L2, L2, layers, models, OrthogonalRegularizer, optimizers } from 'keras-regularizers';

export interface TrainingRun {
  /** The logged loss of each step (data loss plus every penalty). */
  readonly losses: number[];
  /** The penalties (`model.losses`) after the last step, in layer order. */
  readonly penalties: number[];
  /** Every weight after the last step, flattened in `model.weights` order. */
  readonly weights: number[];
}

export const STEPS = 5;

/** Deterministic values in [-1, 1]: a seed-free formula, so both sides make the same numbers. */
function values(count: number, phase: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.sin(1.3 * i + phase) * 0.9);
}

/** Builds the model with fixed weights, takes `STEPS` SGD steps on a fixed batch, and reports. */
export function trainWithEveryRegularizer(): TrainingRun {
  const model = new models.Sequential([
    layers.Input({ shape: [6] }),
    new layers.Dense({
      units: 5,
      activation: 'relu',
      kernelRegularizer: new L1(0.01),
      biasRegularizer: new L2(0.02),
    }),
    new layers.Dense({
      units: 4,
      activation: 'tanh',
      kernelRegularizer: new OrthogonalRegularizer({ factor: 0.05, mode: 'columns' }),
      activityRegularizer: new L2(0.01),
    }),
    new layers.Dense({ units: 3, kernelRegularizer: new L1L2({ l1: 0.005, l2: 0.01 }) }),
  ]);
  const initial = model.weights.map((w, i) => tf.tensor(values(w.size, i), w.shape));
  model.setWeights(initial);
  tf.dispose(initial);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  const x = tf.tensor(values(8 * 6, 10), [8, 6]);
  const y = tf.tensor(values(8 * 3, 20), [8, 3]);
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) losses.push(model.trainOnBatch(x, y).loss as number);
  const penaltyTensors = model.losses;
  const penalties = penaltyTensors.map((p) => p.dataSync()[0] as number);
  const weights = model.weights.flatMap((w) => Array.from(w.dataSync()));
  tf.dispose([x, y, ...penaltyTensors]);
  model.dispose();
  return { losses, penalties, weights };
}
