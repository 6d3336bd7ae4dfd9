import * as tf from '@tensorflow/tfjs-core';
import { Constraint } from './constraint.js';

/**
 * Keras's `keras.constraints.NonNeg`: `maximum(w, 0)`, the weights clipped
 * to be non-negative.
 *
 * @example new layers.Dense({ units: 8, kernelConstraint: new constraints.NonNeg() })
 */
export class NonNeg extends Constraint {
  static override readonly className: string = 'NonNeg';

  override apply(w: tf.Tensor): tf.Tensor {
    return tf.maximum(w, 0);
  }
}
