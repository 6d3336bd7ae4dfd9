import type * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { readOptions } from '../utils/options.js';
import type { Logs } from './callback.js';
import { checkCount, checkPrint, checkVerbose, MonitorCallback, type MonitorMode } from './monitor.js';

/** The options of `EarlyStopping`, Keras's `EarlyStopping(monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto", baseline=None, restore_best_weights=False, start_from_epoch=0)` camelCased. */
export interface EarlyStoppingOptions {
  /** The log to watch; default `"val_loss"`. */
  monitor?: string;
  /** A change smaller than this is no improvement; default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping; default 0. */
  patience?: number;
  /** 1 prints when it stops and restores; default 0. */
  verbose?: 0 | 1;
  /** `min`, `max`, or `auto` (from the monitor's name); default `auto`. */
  mode?: MonitorMode;
  /** Patience only starts once the monitor beats this; default null. */
  baseline?: number | null;
  /** At the end of training, set the weights of the best epoch; default false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring at all (a warm-up); default 0. */
  startFromEpoch?: number;
  /** Where messages go; default `console.log`. */
  print?: (line: string) => void;
}

const OPTIONS = [
  'monitor',
  'minDelta',
  'patience',
  'verbose',
  'mode',
  'baseline',
  'restoreBestWeights',
  'startFromEpoch',
  'print',
];

/**
 * Keras's `EarlyStopping`: stops training (`model.stopTraining`) when the
 * monitored log has not improved for `patience` epochs; with
 * `restoreBestWeights`, the model ends with the weights of its best epoch.
 * Keras's rules exactly, `baseline` included (the first monitored epoch is
 * always the best so far; the patience count restarts only when the value
 * also beats `baseline`).
 *
 * @example await model.fit(x, y, { epochs: 100, validationSplit: 0.2, callbacks: [new callbacks.EarlyStopping({ patience: 3, restoreBestWeights: true })] });
 */
export class EarlyStopping extends MonitorCallback {
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement (that beat the baseline). */
  wait = 0;
  /** The epoch at which training was stopped, 0 if it was not. */
  stoppedEpoch = 0;
  /** The epoch of `best`. */
  bestEpoch = 0;
  #bestWeights: tf.Tensor[] | null = null;
  readonly #print: (line: string) => void;

  constructor(options: EarlyStoppingOptions = {}) {
    const read = readOptions<EarlyStoppingOptions>('EarlyStopping', options, OPTIONS);
    // Keras passes no baseline to MonitorCallback: `best` starts empty, `baseline` only gates the patience reset.
    super('EarlyStopping', read.monitor, read.mode, null, read.minDelta);
    this.patience = checkCount(read.patience ?? 0, 'patience');
    this.verbose = checkVerbose(read.verbose ?? 0);
    const baseline = read.baseline ?? null;
    if (baseline !== null && (typeof baseline !== 'number' || !Number.isFinite(baseline))) {
      throw invalidArgument('baseline', 'a finite number or null', baseline);
    }
    this.baseline = baseline;
    const restore = read.restoreBestWeights ?? false;
    if (typeof restore !== 'boolean') throw invalidArgument('restoreBestWeights', 'a boolean', restore);
    this.restoreBestWeights = restore;
    this.startFromEpoch = checkCount(read.startFromEpoch ?? 0, 'startFromEpoch');
    this.#print = checkPrint(read.print);
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.setBestWeights(null);
    this.bestEpoch = 0;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    if (this.monitorOp == null) this.setMonitorOp();
    const current = this.monitorValue(
      logs,
      (available) =>
        `Early stopping conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${available}`,
    );
    if (current === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.#bestWeights == null) {
      this.setBestWeights(this.model?.getWeights() ?? null);
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.setBestWeights(this.model?.getWeights() ?? null);
      if (this.baseline == null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      if (this.model != null) this.model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) this.#print(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.#bestWeights != null) {
      if (this.verbose > 0) {
        this.#print(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      }
      this.model?.setWeights(this.#bestWeights);
    }
    // The copies are not needed past training (Keras keeps them; tensors here must be freed).
    this.setBestWeights(null);
  }

  /** Replaces the kept copy of the best weights, freeing the one before. */
  private setBestWeights(weights: tf.Tensor[] | null): void {
    if (this.#bestWeights != null) for (const t of this.#bestWeights) t.dispose();
    this.#bestWeights = weights;
  }
}
