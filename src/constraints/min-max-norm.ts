import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { Constraint } from './constraint.js';
import { type ConstraintAxis, norms, rescale, resolveAxes, validateAxis } from './norm-axes.js';
import { nonNegativeBound, unitRate } from './validation.js';

/** The options of `MinMaxNorm`, Keras's `MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)`. */
export interface MinMaxNormOptions {
  /** The smallest norm; default 0. */
  minValue?: number;
  /** The largest norm; default 1. */
  maxValue?: number;
  /** How far each step moves a norm into [minValue, maxValue], in [0, 1]; default 1 (all the way). */
  rate?: number;
  /** The axis (or axes, or null for all) the norm runs over; default 0. Negative counts from the end. */
  axis?: ConstraintAxis;
}

/**
 * Keras's `keras.constraints.MinMaxNorm`: moves each slice's L2 norm along
 * `axis` towards `[minValue, maxValue]`:
 * `desired = rate * clip(norms, minValue, maxValue) + (1 - rate) * norms`,
 * `w * desired / (epsilon + norms)`, epsilon 1e-7.
 *
 * @example new layers.Dense({ units: 8, kernelConstraint: new constraints.MinMaxNorm({ minValue: 0.5, maxValue: 1 }) })
 */
export class MinMaxNorm extends Constraint {
  static override readonly className: string = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: ConstraintAxis;

  constructor(options: MinMaxNormOptions = {}) {
    super();
    const read = readOptions<MinMaxNormOptions>('MinMaxNorm', options, ['minValue', 'maxValue', 'rate', 'axis']);
    this.minValue = nonNegativeBound(read.minValue ?? 0, 'minValue');
    this.maxValue = nonNegativeBound(read.maxValue ?? 1, 'maxValue');
    if (this.minValue > this.maxValue) {
      throw new ValueError(
        `Invalid value for argument minValue: expected minValue <= maxValue (${this.maxValue}). Received: minValue=${this.minValue}`,
        { argument: 'minValue', expected: `a number <= maxValue (${this.maxValue})`, received: String(this.minValue) },
      );
    }
    this.rate = unitRate(read.rate ?? 1, 'rate');
    this.axis = validateAxis(read.axis === undefined ? 0 : read.axis, 'MinMaxNorm');
  }

  override apply(w: tf.Tensor): tf.Tensor {
    const axes = resolveAxes(this.axis, w.rank, 'MinMaxNorm');
    return tf.tidy(() => {
      const n = norms(w, axes);
      const desired = tf.add(
        tf.mul(this.rate, tf.clipByValue(n, this.minValue, this.maxValue)),
        tf.mul(1 - this.rate, n),
      );
      return rescale(w, desired, n, axes);
    });
  }

  override getConfig(): { minValue: number; maxValue: number; rate: number; axis: ConstraintAxis } {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}
