import * as tf from '@tensorflow/tfjs-core';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';
import { l1l2Penalty } from './closed-form.js';
import { Regularizer } from './regularizer.js';
import { factorOrDefault, validateFactor } from './validation.js';

/** The options of `L1L2`, Keras's `L1L2(l1=0.0, l2=0.0)`. */
export interface L1L2Options {
  /** Weight of the L1 term; default 0. */
  l1?: number | null;
  /** Weight of the L2 term; default 0. */
  l2?: number | null;
}

/**
 * Both penalties, Keras's `keras.regularizers.L1L2`: `l1 * sum(abs(x)) +
 * l2 * sum(square(x))`. A zero factor skips its term, so `L1L2()` (both 0)
 * is a constant 0.
 *
 * @example new L1L2(0.01, 0.02)
 */
export class L1L2 extends Regularizer {
  static override readonly className: string = 'L1L2';
  #l1: number;
  #l2: number;

  constructor(l1OrOptions: number | L1L2Options | null = null, l2: number | null = null) {
    super();
    const options = isPlainObject(l1OrOptions)
      ? readOptions('L1L2', l1OrOptions, ['l1', 'l2'])
      : { l1: l1OrOptions, l2 };
    this.#l1 = factorOrDefault(options.l1, 'l1', 0);
    this.#l2 = factorOrDefault(options.l2, 'l2', 0);
  }

  get l1(): number {
    return this.#l1;
  }

  set l1(value: number) {
    this.#l1 = validateFactor(value, 'l1');
  }

  get l2(): number {
    return this.#l2;
  }

  set l2(value: number) {
    this.#l2 = validateFactor(value, 'l2');
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => l1l2Penalty(x, this.#l1, this.#l2));
  }

  override getConfig(): { l1: number; l2: number } {
    return { l1: this.#l1, l2: this.#l2 };
  }
}
