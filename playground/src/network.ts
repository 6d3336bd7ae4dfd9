/**
 * The network each run trains: 784 → 64 (relu) → 32 (relu) → 10 (softmax),
 * compiled with Adam and sparse categorical cross-entropy, and the three
 * regularizer slots of each of its Dense layers.
 */
import { layers, models, optimizers, type Regularizer, utils } from 'keras-regularizers';
import { PIXELS } from './digits.js';

export const LAYER_NAMES = ['hidden_1', 'hidden_2', 'output'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];
export const SLOTS = ['kernel', 'bias', 'activity'] as const;
export type Slot = (typeof SLOTS)[number];

export const LEARNING_RATE = 1e-3;
export const BATCH_SIZE = 64;

/**
 * A fresh network. The library's generator is seeded first, so two networks
 * built with the same seed start from the same weights: the runs differ
 * only by their regularizers.
 */
export function buildNetwork(seed: number): models.Sequential {
  utils.setRandomSeed(seed);
  const model = new models.Sequential([
    layers.Input({ shape: [PIXELS] }),
    new layers.Dense({ units: 64, activation: 'relu', name: 'hidden_1' }),
    new layers.Dense({ units: 32, activation: 'relu', name: 'hidden_2' }),
    new layers.Dense({ units: 10, activation: 'softmax', name: 'output' }),
  ]);
  model.compile({
    optimizer: new optimizers.Adam({ learningRate: LEARNING_RATE }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

export function denseLayer(model: models.Sequential, name: LayerName): layers.Dense {
  const layer = model.getLayer(name);
  if (!(layer instanceof layers.Dense)) throw new Error(`Layer ${name} is not a Dense layer.`);
  return layer;
}

/**
 * Sets one slot's regularizer. The layers take a new regularizer at once,
 * built or not, and the next training step computes its penalty.
 */
export function setRegularizer(
  model: models.Sequential,
  name: LayerName,
  slot: Slot,
  regularizer: Regularizer | null,
): void {
  const layer = denseLayer(model, name);
  if (slot === 'kernel') layer.kernelRegularizer = regularizer;
  else if (slot === 'bias') layer.biasRegularizer = regularizer;
  else layer.activityRegularizer = regularizer;
}
