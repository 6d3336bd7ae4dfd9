import { Callback, type Logs } from './callback.js';

/** Writes text somewhere: `process.stdout` in Node, the console elsewhere. */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR_WIDTH = 20;

/** Node's stdout; in a browser, the console, a line per write (it cannot redraw). */
function defaultSink(): TextSink {
  if (typeof process !== 'undefined' && process.stdout != null) return process.stdout;
  const ESCAPE = String.fromCharCode(27);
  return {
    write: (text: string) => console.log(text.replaceAll('\r', '').replaceAll(`${ESCAPE}[K`, '').replace(/\n$/, '')),
    isTTY: false,
  };
}

function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([name]) => !name.includes('/'))
    .map(([name, value]) => `${name}: ${value.toFixed(4)}`)
    .join(' - ');
}

function formatSeconds(seconds: number): string {
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s` : `${Math.round(seconds)}s`;
}

/**
 * Keras's progress display for `verbose: 1`: a bar with the step count, ETA
 * and running logs, redrawn in place on a terminal; on a non-terminal (a CI
 * log) one line per epoch. `verbose: 2` prints the epoch line only. `fit`
 * adds it itself; make one to show progress in a custom loop.
 *
 * @example const bar = new callbacks.ProgressBar(10, 100, 1); // 10 epochs of 100 steps
 */
export class ProgressBar extends Callback {
  #epochStart = 0;
  #steps = 0;
  #lastDraw = 0;

  constructor(
    private readonly epochs: number,
    private readonly stepsPerEpoch: number,
    private readonly verbose: 1 | 2,
    private readonly sink: TextSink = defaultSink(),
  ) {
    super();
  }

  override onEpochBegin(epoch: number): void {
    this.#epochStart = performance.now();
    this.#steps = 0;
    this.sink.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override onBatchEnd(_batch: number, logs: Logs = {}): void {
    this.#steps += 1;
    const now = performance.now();
    if (this.verbose !== 1 || !this.sink.isTTY || (now - this.#lastDraw < 100 && this.#steps < this.stepsPerEpoch))
      return;
    this.#lastDraw = now;
    const elapsed = (now - this.#epochStart) / 1000;
    const eta = (elapsed / this.#steps) * (this.stepsPerEpoch - this.#steps);
    const filled = Math.round((BAR_WIDTH * this.#steps) / this.stepsPerEpoch);
    const bar = '━'.repeat(filled) + (filled < BAR_WIDTH ? `╸${' '.repeat(BAR_WIDTH - filled - 1)}` : '');
    const width = String(this.stepsPerEpoch).length;
    this.sink.write(
      `\r${String(this.#steps).padStart(width)}/${this.stepsPerEpoch} ${bar} ETA ${formatSeconds(eta)} - ${formatLogs(logs)}\u001b[K`,
    );
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const seconds = (performance.now() - this.#epochStart) / 1000;
    const perStep = ((seconds * 1000) / Math.max(this.#steps, 1)).toFixed(0);
    const redraw = this.verbose === 1 && this.sink.isTTY === true;
    // Keras's verbose=2 line has no bar; control codes only where a terminal redraws.
    const line =
      this.verbose === 2
        ? `${this.#steps}/${this.stepsPerEpoch} - ${formatSeconds(seconds)} - ${perStep}ms/step - ${formatLogs(logs)}`
        : `${this.#steps}/${this.stepsPerEpoch} ${'━'.repeat(BAR_WIDTH)} ${formatSeconds(seconds)} ${perStep}ms/step - ${formatLogs(logs)}`;
    this.sink.write(redraw ? `\r${line}\u001b[K\n` : `${line}\n`);
  }
}
