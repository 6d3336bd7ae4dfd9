import { add, div, f32, mul, pow, sub } from './float32.js';
import { checkStep, LearningRateSchedule } from './learning-rate-schedule.js';
import {
  checkBoolean,
  checkName,
  checkNonNegative,
  checkNumber,
  checkPositive,
  readScheduleOptions,
} from './options.js';

/** The options of `PolynomialDecay`, Keras's `PolynomialDecay(initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False, name="PolynomialDecay")`. */
export interface PolynomialDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps to reach `endLearningRate`; > 0. */
  decaySteps: number;
  /** The rate from `decaySteps` on; default 0.0001. */
  endLearningRate?: number;
  /** The polynomial's power; default 1 (linear). */
  power?: number;
  /** Start again past `decaySteps`, over the next multiple of it; default false. */
  cycle?: boolean;
  /** Default `"PolynomialDecay"`. */
  name?: string;
}

const OPTIONS = ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name'];

/**
 * `(initialLearningRate - endLearningRate) * (1 - min(step, decaySteps) / decaySteps) ** power + endLearningRate`;
 * with `cycle`, `decaySteps` becomes its first multiple >= step instead of
 * clamping the step. Keras's `keras.optimizers.schedules.PolynomialDecay`,
 * in float32 as Keras computes it.
 *
 * @example new optimizers.schedules.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000, endLearningRate: 0.01, power: 0.5 })
 */
export class PolynomialDecay extends LearningRateSchedule {
  static override readonly className: string = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(options: PolynomialDecayOptions) {
    super();
    const read = readScheduleOptions<PolynomialDecayOptions>('PolynomialDecay', options, OPTIONS, [
      'initialLearningRate',
      'decaySteps',
    ]);
    this.initialLearningRate = checkNonNegative(read.initialLearningRate, 'initialLearningRate');
    this.decaySteps = checkPositive(read.decaySteps, 'decaySteps');
    this.endLearningRate = checkNonNegative(read.endLearningRate ?? 0.0001, 'endLearningRate');
    this.power = checkNumber(read.power ?? 1.0, 'power');
    this.cycle = checkBoolean(read.cycle ?? false, 'cycle');
    this.name = checkName(read.name ?? 'PolynomialDecay');
  }

  override call(step: number): number {
    let globalStep = f32(checkStep(step));
    let decaySteps = f32(this.decaySteps);
    if (this.cycle) {
      const multiplier = globalStep === 0 ? 1 : Math.ceil(div(globalStep, this.decaySteps));
      decaySteps = mul(decaySteps, multiplier);
    } else {
      globalStep = Math.min(globalStep, decaySteps);
    }
    const p = div(globalStep, decaySteps);
    const range = sub(this.initialLearningRate, this.endLearningRate);
    return add(mul(range, pow(sub(1, p), this.power)), this.endLearningRate);
  }

  override getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      endLearningRate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }
}
