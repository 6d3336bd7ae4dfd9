/** `trainOnBatch` and `testOnBatch`: one batch, checked, then one step. */
import type * as tf from '@tensorflow/tfjs-core';
import type { Logs } from '../callbacks/callback.js';
import type { Layer } from '../layers/layer.js';
import type { Compiled } from './compile.js';
import {
  checkClassWeightUse,
  checkedClassWeight,
  checkedSampleWeights,
  classWeightsToSampleWeights,
} from './data/sample-weights.js';
import { checkedDataset, type DataNames, type InputLayout, modelInput, OwnedTensors } from './data-checks.js';
import { runStep } from './step.js';

const TRAIN_DATA: DataNames = { x: 'x', y: 'y' };

/** What a batch method was given, unchecked, and how the model takes it. */
export interface BatchArguments {
  method: string;
  x: unknown;
  y: unknown;
  sampleWeight: unknown;
  classWeight: unknown;
  /** Whether the step updates the weights (trainOnBatch) or only reports (testOnBatch). */
  train: boolean;
  layout: InputLayout;
  outputNames: string[];
}

/** Checks the batch (every tensor it makes is freed, also when refused), then runs one step. */
export function runBatchStep(model: Layer, compiled: Compiled, args: BatchArguments): Logs {
  const { method, x, y, sampleWeight, classWeight, train, layout, outputNames } = args;
  const classes = checkedClassWeight(classWeight);
  checkClassWeightUse(classWeight, sampleWeight, outputNames.length);
  const owned = new OwnedTensors();
  try {
    const data = checkedDataset(x, y, TRAIN_DATA, method, owned, layout, outputNames);
    const weights =
      classes == null
        ? checkedSampleWeights(sampleWeight, 'sampleWeight', outputNames, data.n, owned, method)
        : {
            weights: [owned.add(classWeightsToSampleWeights(data.ys[0] as tf.Tensor, classes))],
            names: ['classWeight'],
          };
    return runStep(model, compiled, modelInput(data), data.ys, {
      training: train,
      train,
      checkTargets: true,
      yNames: data.yNames,
      sampleWeights: weights?.weights ?? [],
      weightNames: weights?.names ?? [],
      resetMetrics: true,
    });
  } finally {
    owned.dispose();
  }
}
