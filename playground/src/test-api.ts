/**
 * `window.playground`: what the browser test (test/playground.test.ts) reads
 * from the page, beside what it does through the controls as a user would.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend, regularizers } from 'keras-regularizers';
import { denseLayer, type LayerName, type Slot } from './network.js';
import type { Point, Run } from './run.js';
import type { Trainer } from './trainer.js';
import type { TrainingLoop } from './training-loop.js';

export interface PlaygroundApi {
  backend: string;
  step(): number;
  running(): boolean;
  /** The last error training stopped on, or null. */
  error(): string | null;
  /** The last training step's logs of run `id` ("A" or "B"), as `trainOnBatch` returned them. */
  logs(id: string): Record<string, number>;
  /** Run `id`'s evaluations on the validation digits so far. */
  validation(id: string): Point[];
  /** Keras JSON of the regularizer a slot of run `id` has now, or null. */
  regularizer(id: string, layer: LayerName, slot: Slot): unknown;
  /** The kernel of a layer of run `id`, row-major. */
  kernel(id: string, layer: LayerName): number[];
  /** Class probabilities of run `id` for the first `count` validation digits. */
  predict(id: string, count: number): number[][];
  /** Tensors alive in the page's engine (`tf.memory().numTensors`). */
  numTensors(): number;
}

declare global {
  interface Window {
    playground?: PlaygroundApi;
  }
}

export function exposeTestApi(page: {
  runs: readonly Run[];
  trainer: Trainer;
  loop: TrainingLoop;
  /** The validation digits' inputs. */
  validation: tf.Tensor2D;
  lastError(): string | null;
}): void {
  const runById = (id: string) => {
    const run = page.runs.find((r) => r.id === id);
    if (run == null) throw new Error(`No run ${id}; the runs are ${page.runs.map((r) => r.id).join(', ')}.`);
    return run;
  };
  window.playground = {
    backend: backend.getBackend(),
    step: () => page.trainer.step,
    running: () => page.loop.running,
    error: page.lastError,
    logs: (id) => ({ ...runById(id).lastLogs }),
    validation: (id) => runById(id).validation.map((point) => ({ ...point })),
    regularizer: (id, layer, slot) => {
      const dense = denseLayer(runById(id).model, layer);
      const regularizer = {
        kernel: dense.kernelRegularizer,
        bias: dense.biasRegularizer,
        activity: dense.activityRegularizer,
      };
      return regularizers.serialize(regularizer[slot]);
    },
    kernel: (id, layer) => Array.from(runById(id).kernel(layer).values),
    predict: (id, count) => {
      const rows = page.validation.slice([0, 0], [count, -1]);
      try {
        return runById(id).predict(rows);
      } finally {
        rows.dispose();
      }
    },
    numTensors: () => tf.memory().numTensors,
  };
}
