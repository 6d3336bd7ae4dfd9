import { add, div, mul } from './float32.js';
import { checkStep, LearningRateSchedule } from './learning-rate-schedule.js';
import { checkBoolean, checkName, checkNonNegative, checkPositive, readScheduleOptions } from './options.js';

/** The options of `InverseTimeDecay`, Keras's `InverseTimeDecay(initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay")`. */
export interface InverseTimeDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** The step unit of the decay; > 0. */
  decaySteps: number;
  /** How fast the rate falls; >= 0. */
  decayRate: number;
  /** Decay at whole multiples of `decaySteps` only; default false. */
  staircase?: boolean;
  /** Default `"InverseTimeDecay"`. */
  name?: string;
}

const OPTIONS = ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'];

/**
 * `initialLearningRate / (1 + decayRate * step / decaySteps)` (with
 * `staircase`, `step / decaySteps` is floored). Keras's
 * `keras.optimizers.schedules.InverseTimeDecay`, in float32 as Keras computes it.
 *
 * @example new optimizers.schedules.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 })
 */
export class InverseTimeDecay extends LearningRateSchedule {
  static override readonly className: string = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: InverseTimeDecayOptions) {
    super();
    const read = readScheduleOptions<InverseTimeDecayOptions>('InverseTimeDecay', options, OPTIONS, [
      'initialLearningRate',
      'decaySteps',
      'decayRate',
    ]);
    this.initialLearningRate = checkNonNegative(read.initialLearningRate, 'initialLearningRate');
    this.decaySteps = checkPositive(read.decaySteps, 'decaySteps');
    this.decayRate = checkNonNegative(read.decayRate, 'decayRate');
    this.staircase = checkBoolean(read.staircase ?? false, 'staircase');
    this.name = checkName(read.name ?? 'InverseTimeDecay');
  }

  override call(step: number): number {
    let p = div(checkStep(step), this.decaySteps);
    if (this.staircase) p = Math.floor(p);
    return div(this.initialLearningRate, add(1, mul(this.decayRate, p)));
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
