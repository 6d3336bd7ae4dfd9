import { ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import type { Logs } from './callback.js';
import { checkCount, checkFinite, checkPrint, checkVerbose, MonitorCallback, type MonitorMode } from './monitor.js';
import { pythonFloatRepr } from './python-format.js';

/** The options of `ReduceLROnPlateau`, Keras's `ReduceLROnPlateau(monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4, cooldown=0, min_lr=0.0)` camelCased. */
export interface ReduceLROnPlateauOptions {
  /** The log to watch; default `"val_loss"`. */
  monitor?: string;
  /** The learning rate is multiplied by this; in [0, 1), default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing; default 10. */
  patience?: number;
  /** 1 prints each reduction; default 0. */
  verbose?: 0 | 1;
  /** `min`, `max`, or `auto` (from the monitor's name); default `auto`. */
  mode?: MonitorMode;
  /** A change smaller than this is no improvement; default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again; default 0. */
  cooldown?: number;
  /** The learning rate never goes below this; default 0. */
  minLr?: number;
  /** Where messages go; default `console.log`. */
  print?: (line: string) => void;
}

const OPTIONS = ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr', 'print'];

/**
 * Keras's `ReduceLROnPlateau`: multiplies the optimizer's learning rate by
 * `factor` (not below `minLr`) when the monitored log has not improved for
 * `patience` epochs, then waits `cooldown` epochs. Adds `learning_rate` to
 * each epoch's logs, as Keras does.
 *
 * @example new callbacks.ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.2, patience: 5, minLr: 0.001 })
 */
export class ReduceLROnPlateau extends MonitorCallback {
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly cooldown: number;
  readonly minLr: number;
  cooldownCounter = 0;
  wait = 0;
  readonly #print: (line: string) => void;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    const read = readOptions<ReduceLROnPlateauOptions>('ReduceLROnPlateau', options, OPTIONS);
    super('ReduceLROnPlateau', read.monitor, read.mode, null, read.minDelta ?? 1e-4);
    const factor = checkFinite(read.factor ?? 0.1, 'factor');
    if (factor >= 1.0 || factor < 0) {
      throw new ValueError(
        `ReduceLROnPlateau does not support a factor >= 1.0 (or < 0). Received factor=${formatValue(factor)}`,
        { argument: 'factor', expected: 'a number in [0, 1)', received: formatValue(factor) },
      );
    }
    this.factor = factor;
    this.patience = checkCount(read.patience ?? 10, 'patience');
    this.verbose = checkVerbose(read.verbose ?? 0);
    this.cooldown = checkCount(read.cooldown ?? 0, 'cooldown');
    const minLr = checkFinite(read.minLr ?? 0.0, 'minLr');
    if (minLr < 0)
      throw new ValueError(
        `Invalid value for argument minLr: expected a non-negative number. Received: minLr=${minLr}`,
        { argument: 'minLr', expected: 'a non-negative number', received: String(minLr) },
      );
    this.minLr = minLr;
    this.#print = checkPrint(read.print);
  }

  override onTrainBegin(): void {
    this.best = null;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    if (this.monitorOp == null) this.setMonitorOp();
    const optimizer = this.model?.optimizer;
    // Keras reads its float32 variable.
    if (logs != null && optimizer != null) logs.learning_rate = Math.fround(optimizer.learningRate);
    const current = this.monitorValue(
      logs,
      (available) =>
        `Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${available}.`,
    );
    if (current === undefined) return;
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown) {
      this.wait += 1;
      if (this.wait >= this.patience && this.reduce(epoch)) {
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }

  /** Keras's `_reduce_optimizer_lr`: true when the rate was above `minLr` (in float32) and was lowered. */
  private reduce(epoch: number): boolean {
    const optimizer = this.model?.optimizer;
    if (optimizer == null) return false;
    // Keras's rate is a float32 variable: read as float32, lowered in float64, stored as float32.
    const old = Math.fround(optimizer.learningRate);
    if (!(old > Math.fround(this.minLr))) return false;
    const lowered = Math.max(old * this.factor, this.minLr);
    optimizer.learningRate = lowered;
    if (this.verbose > 0) {
      this.#print(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pythonFloatRepr(lowered)}.`);
    }
    return true;
  }
}
