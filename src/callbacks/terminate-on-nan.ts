import { invalidArgument } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { Callback, type Logs } from './callback.js';

/** The options of `TerminateOnNaN`, Keras's `TerminateOnNaN(raise_error=False)` plus where its message goes. */
export interface TerminateOnNaNOptions {
  /**
   * Throw a `RuntimeError` at once instead of stopping gracefully (which
   * lets the epoch end and `onTrainEnd` run); default false.
   */
  raiseError?: boolean;
  /** Where the message goes; default `console.log` (Keras prints it). */
  print?: (line: string) => void;
}

/**
 * Keras's `RuntimeError`: what `TerminateOnNaN({ raiseError: true })` throws.
 *
 * @example
 * try { await model.fit(x, y, { callbacks: [new callbacks.TerminateOnNaN({ raiseError: true })] }); }
 * catch (error) { if (error instanceof callbacks.RuntimeError) console.log('the loss became NaN'); }
 */
export class RuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeError';
  }
}

/**
 * Keras's `TerminateOnNaN`: stops training when a batch's loss is NaN or
 * infinite, printing `Batch 3: Invalid loss, terminating training` and
 * setting `model.stopTraining`; with `raiseError`, throws instead.
 *
 * @example await model.fit(x, y, { epochs: 10, callbacks: [new callbacks.TerminateOnNaN({ raiseError: true })] });
 */
export class TerminateOnNaN extends Callback {
  readonly raiseError: boolean;
  readonly #print: (line: string) => void;

  constructor(options: TerminateOnNaNOptions = {}) {
    super();
    const read = readOptions<TerminateOnNaNOptions>('TerminateOnNaN', options, ['raiseError', 'print']);
    const raiseError = read.raiseError ?? false;
    if (typeof raiseError !== 'boolean') throw invalidArgument('raiseError', 'a boolean', raiseError);
    if (read.print != null && typeof read.print !== 'function') {
      throw invalidArgument('print', 'a function (line) => void', read.print);
    }
    this.raiseError = raiseError;
    this.#print = read.print ?? ((line) => console.log(line));
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss == null || Number.isFinite(loss)) return;
    if (this.raiseError) {
      throw new RuntimeError(
        `NaN or Inf loss encountered at batch ${batch}. Loss value: ${loss}. Terminating training immediately.`,
      );
    }
    this.#print(`Batch ${batch}: Invalid loss, terminating training`);
    if (this.model != null) this.model.stopTraining = true;
  }
}
