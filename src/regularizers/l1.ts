import * as tf from '@tensorflow/tfjs-core';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';
import { l1l2Penalty } from './closed-form.js';
import { Regularizer } from './regularizer.js';
import { factorOrDefault, validateFactor } from './validation.js';

/** The options of `L1`, Keras's `L1(l1=0.01)`. */
export interface L1Options {
  /** Weight of the penalty; default 0.01. */
  l1?: number | null;
}

/**
 * L1 penalty, Keras's `keras.regularizers.L1`: `l1 * sum(abs(x))`. Its
 * gradient at 0 is 0.
 *
 * @example new L1(0.01).apply(tf.ones([5, 5])) // 0.25
 */
export class L1 extends Regularizer {
  static override readonly className: string = 'L1';
  #l1: number;

  constructor(l1OrOptions: number | L1Options | null = null) {
    super();
    const options = isPlainObject(l1OrOptions) ? readOptions('L1', l1OrOptions, ['l1']) : { l1: l1OrOptions };
    this.#l1 = factorOrDefault(options.l1, 'l1', 0.01);
  }

  /** The factor; may be changed between steps and is validated like the constructor's. */
  get l1(): number {
    return this.#l1;
  }

  set l1(value: number) {
    this.#l1 = validateFactor(value, 'l1');
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => l1l2Penalty(x, this.#l1, 0));
  }

  override getConfig(): { l1: number } {
    return { l1: this.#l1 };
  }
}
