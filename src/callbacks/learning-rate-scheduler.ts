import { invalidArgument, ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { Callback, type Logs } from './callback.js';
import { checkPrint, checkVerbose } from './monitor.js';
import { pythonFloatRepr } from './python-format.js';

/** The options of `LearningRateScheduler`, Keras's `LearningRateScheduler(schedule, verbose=0)`. */
export interface LearningRateSchedulerOptions {
  /** The learning rate of epoch `epoch` (0-based), given the current one. */
  schedule: (epoch: number, learningRate: number) => number;
  /** 1 prints the rate set at each epoch; default 0. */
  verbose?: 0 | 1;
  /** Where messages go; default `console.log`. */
  print?: (line: string) => void;
}

/**
 * Keras's `LearningRateScheduler`: at the start of each epoch, sets the
 * optimizer's learning rate to `schedule(epoch, learningRate)`; adds
 * `learning_rate` to each epoch's logs. (An optimizer whose learning rate
 * is a schedule refuses the assignment, as in Keras.)
 *
 * @example new callbacks.LearningRateScheduler({ schedule: (epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)) })
 */
export class LearningRateScheduler extends Callback {
  readonly schedule: (epoch: number, learningRate: number) => number;
  readonly verbose: 0 | 1;
  readonly #print: (line: string) => void;

  constructor(options: LearningRateSchedulerOptions) {
    super();
    const read = readOptions<LearningRateSchedulerOptions>('LearningRateScheduler', options, [
      'schedule',
      'verbose',
      'print',
    ]);
    if (typeof read.schedule !== 'function') {
      throw invalidArgument('schedule', 'a function (epoch, learningRate) => learningRate', read.schedule);
    }
    this.schedule = read.schedule;
    this.verbose = checkVerbose(read.verbose ?? 0);
    this.#print = checkPrint(read.print);
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = this.model?.optimizer;
    if (optimizer == null) {
      throw new ValueError('LearningRateScheduler needs a compiled model: its optimizer has the learning rate.', {
        argument: 'model',
        expected: 'a compiled model',
      });
    }
    // Keras hands the schedule its float32 variable's value.
    const learningRate = this.schedule(epoch, Math.fround(optimizer.learningRate));
    if (typeof learningRate !== 'number' || !Number.isFinite(learningRate)) {
      throw new ValueError(
        `The output of the \`schedule\` function should be a float. Got: ${formatValue(learningRate)}`,
        { argument: 'schedule', expected: 'a function returning a finite number', received: formatValue(learningRate) },
      );
    }
    optimizer.learningRate = learningRate;
    if (this.verbose > 0) {
      this.#print(
        `\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pythonFloatRepr(learningRate)}.`,
      );
    }
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    const optimizer = this.model?.optimizer;
    if (logs != null && optimizer != null) logs.learning_rate = Math.fround(optimizer.learningRate);
  }
}
