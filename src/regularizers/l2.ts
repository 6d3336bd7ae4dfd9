import * as tf from '@tensorflow/tfjs-core';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';
import { l1l2Penalty } from './closed-form.js';
import { Regularizer } from './regularizer.js';
import { factorOrDefault, validateFactor } from './validation.js';

/** The options of `L2`, Keras's `L2(l2=0.01)`. */
export interface L2Options {
  /** Weight of the penalty; default 0.01. */
  l2?: number | null;
}

/**
 * L2 penalty, Keras's `keras.regularizers.L2`: `l2 * sum(square(x))`; its
 * gradient is `2 * l2 * x`.
 *
 * @example new L2(2).apply(tf.ones([5, 5])) // 50
 */
export class L2 extends Regularizer {
  static override readonly className: string = 'L2';
  #l2: number;

  constructor(l2OrOptions: number | L2Options | null = null) {
    super();
    const options = isPlainObject(l2OrOptions) ? readOptions('L2', l2OrOptions, ['l2']) : { l2: l2OrOptions };
    this.#l2 = factorOrDefault(options.l2, 'l2', 0.01);
  }

  /** The factor; may be changed between steps and is validated like the constructor's. */
  get l2(): number {
    return this.#l2;
  }

  set l2(value: number) {
    this.#l2 = validateFactor(value, 'l2');
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => l1l2Penalty(x, 0, this.#l2));
  }

  override getConfig(): { l2: number } {
    return { l2: this.#l2 };
  }
}
