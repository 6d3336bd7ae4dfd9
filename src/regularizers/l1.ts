import * as tf from '@tensorflow/tfjs-core';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';
import { l1l2Penalty } from './closed-form.js';
import { checkProximalFlag, proxL1L2, type StepSize, withoutGradient } from './proximal.js';
import { Regularizer } from './regularizer.js';
import { factorOrDefault, validateFactor } from './validation.js';

/** The options of `L1`, Keras's `L1(l1=0.01)`. */
export interface L1Options {
  /** Weight of the penalty; default 0.01. */
  l1?: number | null;
  /**
   * Beyond Keras: replace the penalty's gradient by soft-thresholding after
   * each optimizer step, so that weights reach exactly 0; default false.
   * When true the config carries it and files name the class
   * `keras_regularizers>L1` (the package's Python module loads them in Keras).
   */
  proximal?: boolean;
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
  /** Whether the penalty leaves the gradient for a proximal step (soft-thresholding) after each update. */
  readonly proximal: boolean;

  constructor(l1OrOptions: number | L1Options | null = null) {
    super();
    const options: L1Options = isPlainObject(l1OrOptions)
      ? readOptions('L1', l1OrOptions, ['l1', 'proximal'])
      : { l1: l1OrOptions as number | null };
    this.#l1 = factorOrDefault(options.l1, 'l1', 0.01);
    this.proximal = checkProximalFlag(options.proximal ?? false);
  }

  /** The factor; may be changed between steps and is validated like the constructor's. */
  get l1(): number {
    return this.#l1;
  }

  set l1(value: number) {
    this.#l1 = validateFactor(value, 'l1');
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() =>
      this.proximal ? withoutGradient(x, (w) => l1l2Penalty(w, this.#l1, 0)) : l1l2Penalty(x, this.#l1, 0),
    );
  }

  /** Keras's `from_config`; `proximal: false` (the default, which `getConfig` leaves out) is accepted too. */
  // biome-ignore lint/suspicious/noExplicitAny: the base's signature.
  static override fromConfig<T extends Regularizer>(this: new (config: any) => T, config: Record<string, unknown>): T {
    const { proximal, ...rest } = config;
    const read = proximal === false ? rest : config;
    // biome-ignore lint/complexity/noThisInStatic: a subclass of this class rebuilds itself, as with the base.
    return super.fromConfig.call(this, read) as T;
  }

  /** Soft-thresholding by `l1 · stepSize` (proximal updates). */
  proximalStep(weight: tf.Tensor, stepSize: StepSize): tf.Tensor {
    return proxL1L2(weight, this.#l1, 0, stepSize);
  }

  /** `{ l1 }`, Keras's config; `{ l1, proximal: true }` with proximal updates. */
  override getConfig(): { l1: number; proximal?: true } {
    return this.proximal ? { l1: this.#l1, proximal: true } : { l1: this.#l1 };
  }
}
