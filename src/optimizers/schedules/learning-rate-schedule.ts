import { invalidArgument } from '../../errors.js';

/**
 * Keras's `keras.optimizers.schedules.LearningRateSchedule`: the learning
 * rate as a function of the optimizer's step (`optimizer.iterations`, 0 at
 * the first update). An optimizer given one evaluates it before each update.
 *
 * @example
 * class Halving extends optimizers.schedules.LearningRateSchedule {
 *   override call(step: number) { return 0.1 * 0.5 ** Math.floor(step / 100); }
 *   override getConfig() { return {}; }
 * }
 */
export abstract class LearningRateSchedule {
  static readonly className: string = 'LearningRateSchedule';

  /** The learning rate at `step` (0-based: the number of updates applied so far). */
  abstract call(step: number): number;

  /** The constructor's options, so that the schedule can be saved inside the optimizer's config. */
  abstract getConfig(): Record<string, unknown>;

  /**
   * Keras's `from_config`: `new this(config)`, the constructor taking the
   * options object that `getConfig` returns. A custom schedule whose
   * constructor takes something else overrides it.
   */
  static fromConfig<T extends LearningRateSchedule>(
    this: new (
      config: Record<string, unknown>,
    ) => T,
    config: Record<string, unknown>,
  ): T {
    return new this(config);
  }
}

/**
 * The step a built-in schedule is evaluated at: a non-negative integer, as
 * `optimizer.iterations` is (Keras casts any number; a negative or
 * fractional step is always a mistake here).
 */
export function checkStep(step: unknown): number {
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
    throw invalidArgument('step', 'a non-negative integer (the optimizer step)', step);
  }
  return step;
}
