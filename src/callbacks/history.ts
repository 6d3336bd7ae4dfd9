import { Callback, type Logs } from './callback.js';

/**
 * What `fit` returns: each epoch's logs, by name. Keras's `History`.
 *
 * @example const { history } = await model.fit(x, y, { epochs: 5 }); // history.loss: one number per epoch
 */
export class History extends Callback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [name, value] of Object.entries(logs)) {
      this.history[name] ??= [];
      this.history[name].push(value);
    }
  }
}
