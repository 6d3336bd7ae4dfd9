/**
 * One run: a network, the regularizers its controls set, and what it
 * logged. Training and validation values come from the library's own logs:
 * `loss` is the data loss plus every penalty, `regularization_loss` the
 * penalties, so the data loss is their difference.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { type models, saving } from 'keras-regularizers';
import { buildNetwork, denseLayer, type LayerName } from './network.js';

export interface Point {
  step: number;
  dataLoss: number;
  penalty: number;
  accuracy: number;
}

type Logs = Record<string, number>;

function pointOf(step: number, logs: Logs): Point {
  const loss = logs.loss ?? Number.NaN;
  const penalty = logs.regularization_loss ?? 0;
  return { step, dataLoss: loss - penalty, penalty, accuracy: logs.accuracy ?? Number.NaN };
}

export class Run {
  model: models.Sequential;
  readonly train: Point[] = [];
  readonly validation: Point[] = [];
  /** The last training step's logs, as the library returned them. */
  lastLogs: Logs = {};

  constructor(
    readonly id: string,
    private readonly seed: number,
  ) {
    this.model = buildNetwork(seed);
  }

  /** A fresh network from the same seed, with no history; the caller sets the regularizers again. */
  reset(): void {
    this.model.dispose();
    this.model = buildNetwork(this.seed);
    this.train.length = 0;
    this.validation.length = 0;
    this.lastLogs = {};
  }

  trainStep(x: tf.Tensor, y: tf.Tensor, step: number): void {
    this.lastLogs = this.model.trainOnBatch(x, y);
    this.train.push(pointOf(step, this.lastLogs));
  }

  validate(x: tf.Tensor, y: tf.Tensor, step: number): void {
    this.validation.push(pointOf(step, this.model.evaluate(x, y, { batchSize: 1000 })));
  }

  /** A Dense layer's kernel, row-major `[inputs, units]`. */
  kernel(name: LayerName): { values: Float32Array; inputs: number; units: number } {
    const kernel = denseLayer(this.model, name).kernel;
    if (kernel == null) throw new Error(`Layer ${name} is not built.`);
    const [inputs, units] = kernel.shape as [number, number];
    return { values: kernel.dataSync() as Float32Array, inputs, units };
  }

  /** Class probabilities for each row of `x`. */
  predict(x: tf.Tensor): number[][] {
    const probabilities = this.model.predict(x, { batchSize: 1000 });
    try {
      return probabilities.arraySync() as number[][];
    } finally {
      probabilities.dispose();
    }
  }

  /** Offers the network as a `.keras` file download, as Keras writes it. */
  exportKeras(filename: string): Promise<void> {
    return saving.downloadModel(this.model, filename);
  }

  dispose(): void {
    this.model.dispose();
  }
}
