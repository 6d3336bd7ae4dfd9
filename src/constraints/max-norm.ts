import * as tf from '@tensorflow/tfjs-core';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';
import { Constraint } from './constraint.js';
import { type ConstraintAxis, norms, rescale, resolveAxes, validateAxis } from './norm-axes.js';
import { nonNegativeBound } from './validation.js';

/** The options of `MaxNorm`, Keras's `MaxNorm(max_value=2, axis=0)`. */
export interface MaxNormOptions {
  /** The largest norm allowed; default 2. */
  maxValue?: number;
  /** The axis (or axes, or null for all) the norm runs over; default 0, a Dense kernel's input axis. Negative counts from the end. */
  axis?: ConstraintAxis;
}

/**
 * Keras's `keras.constraints.MaxNorm`: rescales each slice along `axis`
 * whose L2 norm exceeds `maxValue` back to `maxValue`:
 * `w * clip(norms, 0, maxValue) / (epsilon + norms)`, with
 * `norms = sqrt(sum(w², axis, keepdims))` and epsilon 1e-7. For a Dense
 * kernel `(inputDim, units)` and axis 0, each unit's incoming weights; for
 * a Conv2D kernel use axis `[0, 1, 2]` (each filter).
 *
 * @example new layers.Dense({ units: 64, kernelConstraint: new constraints.MaxNorm({ maxValue: 3 }) })
 */
export class MaxNorm extends Constraint {
  static override readonly className: string = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: ConstraintAxis;

  constructor(maxValueOrOptions: number | MaxNormOptions = {}, axis?: ConstraintAxis) {
    super();
    const options: MaxNormOptions = isPlainObject(maxValueOrOptions)
      ? readOptions<MaxNormOptions>('MaxNorm', maxValueOrOptions, ['maxValue', 'axis'])
      : { maxValue: maxValueOrOptions as number, ...(axis === undefined ? {} : { axis }) };
    this.maxValue = nonNegativeBound(options.maxValue ?? 2, 'maxValue');
    this.axis = validateAxis(options.axis === undefined ? 0 : options.axis, 'MaxNorm');
  }

  override apply(w: tf.Tensor): tf.Tensor {
    const axes = resolveAxes(this.axis, w.rank, 'MaxNorm');
    return tf.tidy(() => {
      const n = norms(w, axes);
      return rescale(w, tf.clipByValue(n, 0, this.maxValue), n, axes);
    });
  }

  override getConfig(): { maxValue: number; axis: ConstraintAxis } {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}
