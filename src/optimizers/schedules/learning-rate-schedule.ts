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
}
