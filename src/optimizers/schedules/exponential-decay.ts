import { div, f32, mul, pow } from './float32.js';
import { checkStep, LearningRateSchedule } from './learning-rate-schedule.js';
import { checkBoolean, checkName, checkNonNegative, checkPositive, readScheduleOptions } from './options.js';

/** The options of `ExponentialDecay`, Keras's `ExponentialDecay(initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay")`. */
export interface ExponentialDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by `decayRate` once; > 0. */
  decaySteps: number;
  /** The factor per `decaySteps` steps; >= 0. */
  decayRate: number;
  /** Decay at whole multiples of `decaySteps` only; default false. */
  staircase?: boolean;
  /** Default `"ExponentialDecay"`. */
  name?: string;
}

const OPTIONS = ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'];

/**
 * `initialLearningRate * decayRate ** (step / decaySteps)` (with
 * `staircase`, the exponent is floored). Keras's
 * `keras.optimizers.schedules.ExponentialDecay`, in float32 as Keras computes it.
 *
 * @example new optimizers.SGD({ learningRate: new optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 }) })
 */
export class ExponentialDecay extends LearningRateSchedule {
  static override readonly className: string = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: ExponentialDecayOptions) {
    super();
    const read = readScheduleOptions<ExponentialDecayOptions>('ExponentialDecay', options, OPTIONS, [
      'initialLearningRate',
      'decaySteps',
      'decayRate',
    ]);
    this.initialLearningRate = checkNonNegative(read.initialLearningRate, 'initialLearningRate');
    this.decaySteps = checkPositive(read.decaySteps, 'decaySteps');
    this.decayRate = checkNonNegative(read.decayRate, 'decayRate');
    this.staircase = checkBoolean(read.staircase ?? false, 'staircase');
    this.name = checkName(read.name ?? 'ExponentialDecay');
  }

  override call(step: number): number {
    let p = div(checkStep(step), this.decaySteps);
    if (this.staircase) p = Math.floor(p);
    return mul(f32(this.initialLearningRate), pow(this.decayRate, p));
  }

  override getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}
