/**
 * Learning curves at a few points per epoch (the first after a fraction of
 * the first epoch: before it, a network at chance only stretches the axes
 * of the charts and hides the differences). A callback that, at each
 * checkpoint, takes the training numbers averaged over the steps since the
 * last checkpoint (from fit's running means, so it costs nothing) and
 * evaluates the validation split (one forward pass over it).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { callbacks } from 'keras-regularizers';

export interface Measures {
  /** Cross-entropy without the penalties. */
  dataLoss: number;
  accuracy: number;
  /** `regularization_loss`: the sum of the penalties. */
  penalty: number;
}

export interface CurvePoint {
  /** Epochs of training done at this point (fractional). */
  epoch: number;
  /** Mean over the training steps since the previous point. */
  train: Measures;
  validation: Measures;
}

const measures = (logs: callbacks.Logs): Measures => {
  const penalty = logs.regularization_loss ?? 0;
  return { dataLoss: (logs.loss as number) - penalty, accuracy: logs.accuracy as number, penalty };
};

export class CurveRecorder extends callbacks.Callback {
  readonly points: CurvePoint[] = [];
  /** Seconds spent evaluating, to take out of the run's training time. */
  evaluationSeconds = 0;
  readonly #checkpoints: Set<number>;
  #epoch = 0;
  #previous: { logs: callbacks.Logs; seen: number } | null = null;

  constructor(
    private readonly validation: [tf.Tensor, tf.Tensor],
    private readonly samples: number,
    private readonly batchSize: number,
    perEpoch: number,
  ) {
    super();
    const steps = Math.ceil(samples / batchSize);
    this.#checkpoints = new Set(
      Array.from({ length: perEpoch }, (_, k) => Math.round((steps * (k + 1)) / perEpoch) - 1),
    );
  }

  #evaluate(): Measures {
    if (this.model == null) throw new Error('CurveRecorder: fit sets the model before training starts.');
    const started = performance.now();
    const logs = this.model.evaluate(this.validation[0], this.validation[1], { batchSize: 512 });
    this.evaluationSeconds += (performance.now() - started) / 1000;
    return measures(logs);
  }

  override onEpochBegin(epoch: number): void {
    this.#epoch = epoch;
    this.#previous = null;
  }

  override onBatchEnd(batch: number, logs: callbacks.Logs = {}): void {
    if (!this.#checkpoints.has(batch)) return;
    // fit's logs are the epoch's running means weighted by samples, so the
    // window's mean is the difference of the two running sums.
    const seen = Math.min((batch + 1) * this.batchSize, this.samples);
    const before = this.#previous;
    const window = (key: string) =>
      ((logs[key] ?? 0) * seen - (before == null ? 0 : (before.logs[key] ?? 0) * before.seen)) /
      (seen - (before?.seen ?? 0));
    this.points.push({
      epoch: this.#epoch + seen / this.samples,
      train: measures({
        loss: window('loss'),
        accuracy: window('accuracy'),
        regularization_loss: window('regularization_loss'),
      }),
      validation: this.#evaluate(),
    });
    this.#previous = { logs: { ...logs }, seen };
  }
}
