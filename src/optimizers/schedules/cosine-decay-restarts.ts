import { add, cos, div, f32, log, mul, PI, pow, sub } from './float32.js';
import { checkStep, LearningRateSchedule } from './learning-rate-schedule.js';
import { checkName, checkNonNegative, checkNumber, checkPositive, readScheduleOptions } from './options.js';

/** The options of `CosineDecayRestarts`, Keras's `CosineDecayRestarts(initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay")`. */
export interface CosineDecayRestartsOptions {
  /** The learning rate at step 0. */
  initialLearningRate: number;
  /** Steps of the first period; > 0. */
  firstDecaySteps: number;
  /** Each period is `tMul` times longer than the one before; > 0, default 2. */
  tMul?: number;
  /** Each period starts at `mMul` times the rate the one before started at; default 1. */
  mMul?: number;
  /** Each period ends at `alpha` times the initial learning rate; default 0. */
  alpha?: number;
  /** Default `"SGDRDecay"`. */
  name?: string;
}

const OPTIONS = ['initialLearningRate', 'firstDecaySteps', 'tMul', 'mMul', 'alpha', 'name'];

/**
 * SGDR (Loshchilov & Hutter): cosine decays from `initialLearningRate *
 * mMul ** i` towards `alpha * initialLearningRate` over periods of
 * `firstDecaySteps * tMul ** i` steps, restarting after each. Keras's
 * `keras.optimizers.schedules.CosineDecayRestarts`, in float32 as Keras computes it.
 *
 * @example new optimizers.schedules.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 1000 })
 */
export class CosineDecayRestarts extends LearningRateSchedule {
  static override readonly className: string = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string;

  constructor(options: CosineDecayRestartsOptions) {
    super();
    const read = readScheduleOptions<CosineDecayRestartsOptions>('CosineDecayRestarts', options, OPTIONS, [
      'initialLearningRate',
      'firstDecaySteps',
    ]);
    this.initialLearningRate = checkNonNegative(read.initialLearningRate, 'initialLearningRate');
    this.firstDecaySteps = checkPositive(read.firstDecaySteps, 'firstDecaySteps');
    this.tMul = checkPositive(read.tMul ?? 2.0, 'tMul');
    this.mMul = checkNonNegative(read.mMul ?? 1.0, 'mMul');
    this.alpha = checkNumber(read.alpha ?? 0.0, 'alpha');
    this.name = checkName(read.name ?? 'SGDRDecay');
  }

  override call(step: number): number {
    const tMul = f32(this.tMul);
    let fraction = div(checkStep(step), this.firstDecaySteps);
    let restart: number;
    if (tMul === 1) {
      restart = Math.floor(fraction);
      fraction = sub(fraction, restart);
    } else {
      // The index of the period: the geometric series 1 + t + t² + ... passed so far.
      restart = Math.floor(div(log(sub(1, mul(fraction, sub(1, tMul)))), log(tMul)));
      const passed = div(sub(1, pow(tMul, restart)), sub(1, tMul));
      fraction = div(sub(fraction, passed), pow(tMul, restart));
    }
    const cosine = mul(mul(0.5, pow(this.mMul, restart)), add(1, cos(mul(PI, fraction))));
    const decayed = add(mul(sub(1, this.alpha), cosine), this.alpha);
    return mul(this.initialLearningRate, decayed);
  }

  override getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      firstDecaySteps: this.firstDecaySteps,
      tMul: this.tMul,
      mMul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }
}
