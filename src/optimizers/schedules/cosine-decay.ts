import { invalidArgument } from '../../errors.js';
import { add, cos, div, f32, mul, PI, sub } from './float32.js';
import { checkStep, LearningRateSchedule } from './learning-rate-schedule.js';
import { checkName, checkNonNegative, checkNumber, checkPositive, readScheduleOptions } from './options.js';

/** The options of `CosineDecay`, Keras's `CosineDecay(initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None, warmup_steps=0)`. */
export interface CosineDecayOptions {
  /** The learning rate at step 0 (where a warmup starts, when there is one). */
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup); > 0. */
  decaySteps: number;
  /** The decay ends at `alpha` times its starting rate; default 0. */
  alpha?: number;
  /** Default `"CosineDecay"`. */
  name?: string;
  /** The rate a linear warmup reaches, where the decay starts; default null (no warmup). */
  warmupTarget?: number | null;
  /** Steps of the warmup; default 0. */
  warmupSteps?: number;
}

const OPTIONS = ['initialLearningRate', 'decaySteps', 'alpha', 'name', 'warmupTarget', 'warmupSteps'];

/**
 * A linear warmup from `initialLearningRate` to `warmupTarget` over
 * `warmupSteps` (when `warmupTarget` is set), then
 * `start * ((1 - alpha) * 0.5 * (1 + cos(pi * t / decaySteps)) + alpha)`
 * for `t = min(step - warmupSteps, decaySteps)`, where `start` is
 * `warmupTarget` or else `initialLearningRate`. Keras's
 * `keras.optimizers.schedules.CosineDecay`, in float32 as Keras computes it.
 *
 * @example new optimizers.schedules.CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 100 })
 */
export class CosineDecay extends LearningRateSchedule {
  static override readonly className: string = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly name: string;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(options: CosineDecayOptions) {
    super();
    const read = readScheduleOptions<CosineDecayOptions>('CosineDecay', options, OPTIONS, [
      'initialLearningRate',
      'decaySteps',
    ]);
    this.initialLearningRate = checkNonNegative(read.initialLearningRate, 'initialLearningRate');
    this.decaySteps = checkPositive(read.decaySteps, 'decaySteps');
    this.alpha = checkNumber(read.alpha ?? 0.0, 'alpha');
    this.name = checkName(read.name ?? 'CosineDecay');
    this.warmupTarget = read.warmupTarget == null ? null : checkNonNegative(read.warmupTarget, 'warmupTarget');
    const warmupSteps = read.warmupSteps ?? 0;
    if (typeof warmupSteps !== 'number' || !Number.isFinite(warmupSteps) || warmupSteps < 0) {
      throw invalidArgument('warmupSteps', 'a non-negative number', warmupSteps);
    }
    this.warmupSteps = warmupSteps;
  }

  override call(step: number): number {
    const s = f32(checkStep(step));
    const decaySteps = f32(this.decaySteps);
    if (this.warmupTarget == null) {
      return this.decay(Math.min(s, decaySteps), decaySteps, this.initialLearningRate);
    }
    const warmupSteps = f32(this.warmupSteps);
    const t = Math.min(s, add(decaySteps, warmupSteps));
    if (t < warmupSteps) {
      const fraction = div(t, warmupSteps);
      return add(mul(sub(this.warmupTarget, this.initialLearningRate), fraction), this.initialLearningRate);
    }
    return this.decay(sub(t, warmupSteps), decaySteps, this.warmupTarget);
  }

  /** Keras's `_decay_function`; `(1 - alpha)` is a Python float there, rounded once to float32. */
  private decay(step: number, decaySteps: number, from: number): number {
    const cosine = mul(0.5, add(1, cos(mul(PI, div(step, decaySteps)))));
    return mul(from, add(mul(f32(1 - this.alpha), cosine), this.alpha));
  }

  override getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmupTarget: this.warmupTarget,
      warmupSteps: this.warmupSteps,
    };
  }
}
