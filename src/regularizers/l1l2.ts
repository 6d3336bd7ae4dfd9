import * as tf from '@tensorflow/tfjs-core';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';
import { l1l2Penalty } from './closed-form.js';
import { checkProximalFlag, proxL1L2, type StepSize, withoutGradient } from './proximal.js';
import { Regularizer } from './regularizer.js';
import { factorOrDefault, validateFactor } from './validation.js';

/** The options of `L1L2`, Keras's `L1L2(l1=0.0, l2=0.0)`. */
export interface L1L2Options {
  /** Weight of the L1 term; default 0. */
  l1?: number | null;
  /** Weight of the L2 term; default 0. */
  l2?: number | null;
  /**
   * Beyond Keras: replace the penalty's gradient by its proximal step
   * (soft-thresholding, then division by `1 + 2 l2 s`) after each optimizer
   * step; default false. When true the config carries it and files name the
   * class `keras_regularizers>L1L2`.
   */
  proximal?: boolean;
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
  /** Whether the penalty leaves the gradient for a proximal step after each update. */
  readonly proximal: boolean;

  constructor(l1OrOptions: number | L1L2Options | null = null, l2: number | null = null) {
    super();
    const options: L1L2Options = isPlainObject(l1OrOptions)
      ? readOptions('L1L2', l1OrOptions, ['l1', 'l2', 'proximal'])
      : { l1: l1OrOptions as number | null, l2 };
    this.#l1 = factorOrDefault(options.l1, 'l1', 0);
    this.#l2 = factorOrDefault(options.l2, 'l2', 0);
    this.proximal = checkProximalFlag(options.proximal ?? false);
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
    const [l1, l2] = [this.#l1, this.#l2];
    return tf.tidy(() => (this.proximal ? withoutGradient(x, (w) => l1l2Penalty(w, l1, l2)) : l1l2Penalty(x, l1, l2)));
  }

  /** Keras's `from_config`; `proximal: false` (the default, which `getConfig` leaves out) is accepted too. */
  // biome-ignore lint/suspicious/noExplicitAny: the base's signature.
  static override fromConfig<T extends Regularizer>(this: new (config: any) => T, config: Record<string, unknown>): T {
    const { proximal, ...rest } = config;
    const read = proximal === false ? rest : config;
    // biome-ignore lint/complexity/noThisInStatic: a subclass of this class rebuilds itself, as with the base.
    return super.fromConfig.call(this, read) as T;
  }

  /** The prox of both terms at `stepSize`: soft-thresholding by `l1 s`, then division by `1 + 2 l2 s`. */
  proximalStep(weight: tf.Tensor, stepSize: StepSize): tf.Tensor {
    return proxL1L2(weight, this.#l1, this.#l2, stepSize);
  }

  /** `{ l1, l2 }`, Keras's config; `{ l1, l2, proximal: true }` with proximal updates. */
  override getConfig(): { l1: number; l2: number; proximal?: true } {
    return this.proximal ? { l1: this.#l1, l2: this.#l2, proximal: true } : { l1: this.#l1, l2: this.#l2 };
  }
}
