import type { Model } from '../models/model.js';

/** Numbers a step or an epoch reports: `loss`, metrics, `regularization_loss`, `val_*`. */
export type Logs = Record<string, number>;

/**
 * Keras's `Callback`: hooks that `fit` calls. Override any of them; each may
 * return a promise, which `fit` awaits. `model` is set before training starts.
 *
 * @example class Log extends callbacks.Callback { override onEpochEnd(epoch: number, logs?: callbacks.Logs) { console.log(epoch, logs?.loss); } }
 */
export class Callback {
  model: Model | null = null;

  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  /** Before `fit`'s validation after each epoch (Keras's `on_test_begin`). */
  onTestBegin(_logs?: Logs): void | Promise<void> {}
  /** After `fit`'s validation, with the validation logs (Keras's `on_test_end`). */
  onTestEnd(_logs?: Logs): void | Promise<void> {}
}

/**
 * The callbacks of one `fit`, called in order (Keras's `CallbackList`); `fit`
 * makes it, a custom training loop may too.
 *
 * @example const list = new callbacks.CallbackList([new callbacks.History()]);
 */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}

  setModel(model: Model): void {
    for (const callback of this.callbacks) callback.model = model;
  }

  async trainBegin(): Promise<void> {
    for (const callback of this.callbacks) await callback.onTrainBegin();
  }

  async trainEnd(logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback.onTrainEnd(logs);
  }

  async epochBegin(epoch: number): Promise<void> {
    for (const callback of this.callbacks) await callback.onEpochBegin(epoch);
  }

  async epochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback.onEpochEnd(epoch, logs);
  }

  async batchBegin(batch: number): Promise<void> {
    for (const callback of this.callbacks) await callback.onBatchBegin(batch);
  }

  async batchEnd(batch: number, logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback.onBatchEnd(batch, logs);
  }

  async testBegin(): Promise<void> {
    for (const callback of this.callbacks) await callback.onTestBegin();
  }

  async testEnd(logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback.onTestEnd(logs);
  }
}
