import { invalidArgument, ValueError } from '../errors.js';
import { Regularizer } from '../regularizers/index.js';
import { formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { Callback } from './callback.js';

/** The options of `RegularizerSchedule`: which regularizer, which of its factors, and the factor per epoch. */
export interface RegularizerScheduleOptions<R extends Regularizer> {
  /** The regularizer whose factor changes (the same object a layer uses). */
  regularizer: R;
  /** The factor's property: `"l1"`, `"l2"` or `"factor"`. */
  factor: string & keyof R;
  /** The factor for epoch `epoch` (0-based), given the current one. */
  schedule: (epoch: number, current: number) => number;
}

/**
 * Sets a regularizer's factor at the start of each epoch, like Keras's
 * `LearningRateScheduler` for the learning rate: a warm-up, a decay, ... The
 * new factor takes effect on the next step, with no rebuild.
 *
 * @example
 * const l2 = new L2(0); // a layer's kernelRegularizer
 * new callbacks.RegularizerSchedule({ regularizer: l2, factor: 'l2', schedule: (e) => 1e-4 * Math.min(1, (e + 1) / 5) })
 */
export class RegularizerSchedule<R extends Regularizer> extends Callback {
  readonly #options: RegularizerScheduleOptions<R>;

  constructor(options: RegularizerScheduleOptions<R>) {
    super();
    const read = readOptions<RegularizerScheduleOptions<R>>('RegularizerSchedule', options, [
      'regularizer',
      'factor',
      'schedule',
    ]);
    if (!(read.regularizer instanceof Regularizer)) {
      throw invalidArgument('regularizer', 'a Regularizer (the object a layer uses)', read.regularizer);
    }
    if (typeof read.schedule !== 'function') {
      throw invalidArgument('schedule', 'a function (epoch, current) => factor', read.schedule);
    }
    const current = (read.regularizer as unknown as Record<string, unknown>)[read.factor as string];
    if (typeof current !== 'number') {
      throw new ValueError(
        `Invalid value for argument factor: expected a numeric property of the regularizer. Received: factor=${formatValue(read.factor)}`,
        { argument: 'factor', expected: 'l1, l2 or factor', received: formatValue(read.factor) },
      );
    }
    this.#options = options;
  }

  override onEpochBegin(epoch: number): void {
    const { regularizer, factor, schedule } = this.#options;
    const target = regularizer as unknown as Record<string, number>;
    // The regularizer's setter validates the value.
    target[factor] = schedule(epoch, target[factor] as number);
  }
}
