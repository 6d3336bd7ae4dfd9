import { invalidArgument, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { f32 } from './float32.js';
import { checkStep, LearningRateSchedule } from './learning-rate-schedule.js';
import { checkName, readScheduleOptions } from './options.js';

/** The options of `PiecewiseConstantDecay`, Keras's `PiecewiseConstantDecay(boundaries, values, name="PiecewiseConstant")`. */
export interface PiecewiseConstantDecayOptions {
  /** Strictly increasing steps where the rate changes; at least one. */
  boundaries: number[];
  /** The rate up to and including `boundaries[0]`, between each pair, then past the last: one more than `boundaries`. */
  values: number[];
  /** Default `"PiecewiseConstant"`. */
  name?: string;
}

const OPTIONS = ['boundaries', 'values', 'name'];

function checkNumbers(value: unknown, name: string): number[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw invalidArgument(name, 'an array of finite numbers', value);
  }
  return [...value];
}

/**
 * `values[0]` while `step <= boundaries[0]`, `values[i]` while
 * `boundaries[i-1] < step <= boundaries[i]`, `values[n]` past the last
 * boundary. Keras's `keras.optimizers.schedules.PiecewiseConstantDecay`
 * (boundaries are compared as the integer step is: cast to integers).
 *
 * @example new optimizers.schedules.PiecewiseConstantDecay({ boundaries: [100000, 110000], values: [1.0, 0.5, 0.1] })
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override readonly className: string = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  readonly name: string;

  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    const read = readScheduleOptions<PiecewiseConstantDecayOptions>('PiecewiseConstantDecay', options, OPTIONS, [
      'boundaries',
      'values',
    ]);
    const boundaries = checkNumbers(read.boundaries, 'boundaries');
    const values = checkNumbers(read.values, 'values');
    if (boundaries.length !== values.length - 1) {
      throw new ValueError(
        `The length of boundaries should be 1 less than the length of values. Received: boundaries=${formatValue(boundaries)} of length ${boundaries.length}, and values=${formatValue(values)} of length ${values.length}.`,
        {
          argument: 'values',
          expected: `${boundaries.length + 1} values (one more than boundaries)`,
          received: `${values.length} values`,
        },
      );
    }
    if (boundaries.length === 0) throw invalidArgument('boundaries', 'at least one boundary', boundaries);
    for (let i = 1; i < boundaries.length; i++) {
      if (!((boundaries[i] as number) > (boundaries[i - 1] as number))) {
        throw invalidArgument('boundaries', 'strictly increasing numbers', boundaries);
      }
    }
    this.boundaries = Object.freeze(boundaries);
    this.values = Object.freeze(values);
    this.name = checkName(read.name ?? 'PiecewiseConstant');
  }

  override call(step: number): number {
    const s = checkStep(step);
    // Keras casts each boundary to the step's integer dtype before comparing.
    const index = this.boundaries.findIndex((b) => s <= Math.trunc(b));
    return f32((index === -1 ? this.values[this.values.length - 1] : this.values[index]) as number);
  }

  override getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}
