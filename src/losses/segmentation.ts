/**
 * Keras's overlap losses for segmentation (keras/src/losses/losses.py):
 * Dice and Tversky, summed over `axis` (null: over everything, one value
 * for the whole batch, as in Keras).
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { canonicalAxis, checkNumber } from './checks.js';
import { aligned, EPSILON, Loss, type LossOptions, readLossOptions } from './loss.js';

/** The `axis` option of Dice and Tversky: the axes summed over, or null for all of them. */
export type OverlapAxis = number | readonly number[] | null;

/** The options of `Dice`, Keras's `(axis=None, ...)`. */
export interface DiceOptions extends LossOptions {
  /** The axes the overlap is summed over; default null (all: one value for the batch). */
  axis?: OverlapAxis;
}

/** The options of `Tversky`, Keras's `(alpha=0.5, beta=0.5, axis=None, ...)`. */
export interface TverskyOptions extends DiceOptions {
  /** The weight of Keras's `fp` term, `sum(yTrue * (1 - yPred))`; default 0.5. */
  alpha?: number;
  /** The weight of Keras's `fn` term, `sum(yPred * (1 - yTrue))`; default 0.5. */
  beta?: number;
}

function checkOverlapAxis(value: unknown): OverlapAxis {
  if (value === null) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (Array.isArray(value) && value.length > 0 && value.every((a) => typeof a === 'number' && Number.isInteger(a))) {
    return [...value];
  }
  throw invalidArgument('axis', 'an integer, a non-empty list of integers, or null', value);
}

/** The axes `axis` names for a tensor of `rank` (undefined: all of them). */
function axesOf(axis: OverlapAxis, rank: number, lossName: string): number[] | undefined {
  if (axis == null) return undefined;
  return (typeof axis === 'number' ? [axis] : axis).map((a) => canonicalAxis(a, rank, lossName));
}

/** Base of Dice and Tversky: the axis option and the shape of the values it leaves. */
abstract class OverlapLoss extends Loss {
  readonly axis: OverlapAxis;

  constructor(options: DiceOptions, defaultName: string) {
    super(options, defaultName);
    this.axis = checkOverlapAxis(options.axis ?? null);
  }

  override valuesShape(predShape: readonly number[]): readonly number[] {
    const axes = axesOf(this.axis, predShape.length, this.name);
    return axes == null ? [] : predShape.filter((_, i) => !axes.includes(i));
  }

  /** `sum(x)` over the loss's axes. */
  protected sumOver(x: tf.Tensor): tf.Tensor {
    return tf.sum(x, axesOf(this.axis, x.rank, this.name));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/**
 * `1 - 2 sum(yTrue * yPred) / (sum(yTrue) + sum(yPred) + 1e-7)` over `axis`:
 * Keras's `keras.losses.Dice` (`"dice"`).
 *
 * @example new losses.Dice({ axis: [1, 2] }) // one value per image
 */
export class Dice extends OverlapLoss {
  static override readonly className: string = 'Dice';

  constructor(options: DiceOptions = {}) {
    super(readLossOptions<DiceOptions>('Dice', options, ['axis']), 'dice');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const y = aligned(yTrue, yPred);
      const intersection = this.sumOver(tf.mul(y, yPred));
      const total = tf.add(tf.add(this.sumOver(y), this.sumOver(yPred)), EPSILON);
      return tf.sub(1, tf.div(tf.mul(2, intersection), total));
    });
  }
}

/**
 * `1 - I / (I + alpha fp + beta fn + 1e-7)` over `axis`, with `I = sum(yTrue
 * * yPred)`, `fp = sum(yTrue * (1 - yPred))`, `fn = sum(yPred * (1 -
 * yTrue))` (Keras's names for the terms, kept): Keras's `keras.losses.Tversky`.
 *
 * @example new losses.Tversky({ alpha: 0.7, beta: 0.3 })
 */
export class Tversky extends OverlapLoss {
  static override readonly className: string = 'Tversky';
  readonly alpha: number;
  readonly beta: number;

  constructor(options: TverskyOptions = {}) {
    const read = readLossOptions<TverskyOptions>('Tversky', options, ['alpha', 'beta', 'axis']);
    super(read, 'tversky');
    this.alpha = checkNumber(read.alpha ?? 0.5, 'alpha');
    this.beta = checkNumber(read.beta ?? 0.5, 'beta');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const y = aligned(yTrue, yPred);
      const intersection = this.sumOver(tf.mul(y, yPred));
      const fp = this.sumOver(tf.mul(tf.sub(1, yPred), y));
      const fn = this.sumOver(tf.mul(yPred, tf.sub(1, y)));
      const denominator = tf.add(tf.add(tf.add(intersection, tf.mul(fp, this.alpha)), tf.mul(fn, this.beta)), EPSILON);
      return tf.sub(1, tf.div(intersection, denominator));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha, beta: this.beta };
  }
}
