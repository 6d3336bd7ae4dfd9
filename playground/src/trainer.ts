/**
 * Steps every run on the same batches, in the same order, so that two runs
 * from the same seed differ only by their regularizers; and evaluates them
 * on the validation digits every few steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BATCH_SIZE } from './network.js';
import type { Run } from './run.js';

export const VALIDATE_EVERY = 20;

interface Split {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
}

/** mulberry32: a small seeded generator, so a reset replays the same batches. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Trainer {
  step = 0;
  #random: () => number;
  #order = new Int32Array(0);
  #next = 0;

  constructor(
    readonly runs: readonly Run[],
    private readonly train: Split,
    private readonly validation: Split,
    private readonly seed: number,
  ) {
    this.#random = generator(seed);
  }

  /** Back to step 0 with the batch order of a new start; the runs are reset by the caller. */
  reset(): void {
    this.step = 0;
    this.#random = generator(this.seed);
    this.#order = new Int32Array(0);
    this.#next = 0;
  }

  /** The next batch's rows: epochs of a fresh shuffle, the last partial batch dropped. */
  #batchRows(): Int32Array {
    const count = this.train.x.shape[0];
    if (this.#next + BATCH_SIZE > this.#order.length) {
      this.#order = Int32Array.from({ length: count }, (_, i) => i);
      for (let i = count - 1; i > 0; i--) {
        const j = Math.floor(this.#random() * (i + 1));
        [this.#order[i], this.#order[j]] = [this.#order[j] as number, this.#order[i] as number];
      }
      this.#next = 0;
    }
    this.#next += BATCH_SIZE;
    return this.#order.subarray(this.#next - BATCH_SIZE, this.#next);
  }

  /** One training step of every run on one batch; validation at step 0 and every VALIDATE_EVERY steps. */
  trainStep(): void {
    if (this.step === 0) this.validate();
    const rows = tf.tensor1d(this.#batchRows(), 'int32');
    const x = tf.gather(this.train.x, rows);
    const y = tf.gather(this.train.y, rows);
    try {
      this.step += 1;
      for (const run of this.runs) run.trainStep(x, y, this.step);
    } finally {
      tf.dispose([rows, x, y]);
    }
    if (this.step % VALIDATE_EVERY === 0) this.validate();
  }

  validate(): void {
    for (const run of this.runs) run.validate(this.validation.x, this.validation.y, this.step);
  }
}
