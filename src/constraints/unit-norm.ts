import * as tf from '@tensorflow/tfjs-core';
import { epsilon } from '../backend/config.js';
import { readOptions } from '../utils/options.js';
import { Constraint } from './constraint.js';
import { type ConstraintAxis, norms, resolveAxes, validateAxis } from './norm-axes.js';

/** The options of `UnitNorm`, Keras's `UnitNorm(axis=0)`. */
export interface UnitNormOptions {
  /** The axis (or axes, or null for all) the norm runs over; default 0. Negative counts from the end. */
  axis?: ConstraintAxis;
}

/**
 * Keras's `keras.constraints.UnitNorm`: divides each slice along `axis` by
 * its L2 norm, `w / (epsilon + norms)` with epsilon 1e-7.
 *
 * @example new layers.Dense({ units: 8, kernelConstraint: new constraints.UnitNorm({ axis: 0 }) })
 */
export class UnitNorm extends Constraint {
  static override readonly className: string = 'UnitNorm';
  readonly axis: ConstraintAxis;

  constructor(axisOrOptions: ConstraintAxis | UnitNormOptions = {}) {
    super();
    const options: UnitNormOptions =
      axisOrOptions !== null && typeof axisOrOptions === 'object' && !Array.isArray(axisOrOptions)
        ? readOptions<UnitNormOptions>('UnitNorm', axisOrOptions, ['axis'])
        : { axis: axisOrOptions as ConstraintAxis };
    this.axis = validateAxis(options.axis === undefined ? 0 : options.axis, 'UnitNorm');
  }

  override apply(w: tf.Tensor): tf.Tensor {
    const axes = resolveAxes(this.axis, w.rank, 'UnitNorm');
    return tf.tidy(() => tf.div(w, tf.add(epsilon(), norms(w, axes))));
  }

  override getConfig(): { axis: ConstraintAxis } {
    return { axis: this.axis };
  }
}
