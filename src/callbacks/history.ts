import { Callback, type Logs } from './callback.js';

/** What `fit` returns: each epoch's logs, by name. Keras's `History`. */
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
