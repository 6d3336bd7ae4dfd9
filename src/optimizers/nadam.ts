import * as tf from '@tensorflow/tfjs-core';
import { readOptions } from '../utils/options.js';
import { type OptimizerOptions, optimizerOptionNames, readMomentOptions } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** The options of `Nadam`, Keras's `Nadam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07, ...)` camelCased. */
export interface NadamOptions extends OptimizerOptions {
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the second moment's root; default 1e-7. */
  epsilon?: number;
}

/** Dozat's momentum schedule: `μₜ = β1 (1 - ½ · 0.96ᵗ)`. */
const momentumAt = (beta1: number, step: number) => beta1 * (1 - 0.5 * 0.96 ** step);

/**
 * Keras's Nadam, Adam with Nesterov momentum (Dozat 2015), with the
 * momentum schedule `μₜ = β1 (1 - ½ · 0.96ᵗ)` and its running product
 * `u_product = Πμ`, a variable of the optimizer (Keras's `_u_product`, the
 * last entry of `variables`): `m += (g - m)(1 - β1)`, `v += (g² - v)(1 - β2)`,
 * `m̂ = μₜ₊₁ m / (1 - u·μₜ₊₁) + (1 - μₜ) g / (1 - u)`,
 * `w -= lr m̂ / (√(v / (1 - β2ᵗ)) + ε)`. Defaults lr 0.001, β1 0.9,
 * β2 0.999, ε 1e-7. Keras's `keras.optimizers.Nadam`.
 *
 * @example new optimizers.Nadam({ learningRate: 2e-3 })
 */
export class Nadam extends Optimizer {
  static override readonly className: string = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Keras's `_u_product`, made by `build`. */
  #uProduct: tf.Variable | null = null;
  /** The step whose μ `#uProduct` already includes (Keras advances it once per step, before the updates). */
  #uProductStep = 0;

  constructor(options: NadamOptions = {}) {
    const read = readOptions<NadamOptions>('Nadam', options, optimizerOptionNames(['beta1', 'beta2', 'epsilon']));
    super(read, 0.001);
    ({ beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon } = readMomentOptions(read));
  }

  protected override slotGroups(): readonly (readonly string[])[] {
    return [['momentum', 'velocity']];
  }

  protected override update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    slots: Readonly<Record<string, tf.Variable>>,
    step: number,
    learningRate: number,
  ): void {
    const uProduct = this.uProductFor(step);
    const m = slots.momentum as tf.Variable;
    const v = slots.velocity as tf.Variable;
    const beta1 = this.beta1;
    const beta2 = this.beta2;
    const u = momentumAt(beta1, step);
    const uNext = momentumAt(beta1, step + 1);
    m.assign(tf.add(m, tf.mul(tf.sub(gradient, m), 1 - beta1)));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(gradient), v), 1 - beta2)));
    // u_product stays a tensor: it is state that a file may have set.
    const one = tf.scalar(1);
    const mHat = tf.add(
      tf.div(tf.mul(m, uNext), tf.sub(one, tf.mul(uProduct, uNext))),
      tf.div(tf.mul(gradient, 1 - u), tf.sub(one, uProduct)),
    );
    const vHat = tf.div(v, 1 - beta2 ** step);
    variable.assign(tf.sub(variable, tf.div(tf.mul(mHat, learningRate), tf.add(tf.sqrt(vHat), this.epsilon))));
  }

  /** Keras's `_u_product` times this step's μ, once per step, before the step's first update. */
  private uProductFor(step: number): tf.Variable {
    const uProduct = this.#uProduct ?? this.makeUProduct();
    if (this.#uProductStep !== step) {
      uProduct.assign(tf.mul(uProduct, momentumAt(this.beta1, step)));
      this.#uProductStep = step;
    }
    return uProduct;
  }

  private makeUProduct(): tf.Variable {
    this.#uProduct = tf.tidy(() => tf.variable(tf.scalar(1), false));
    return this.#uProduct;
  }

  override build(variables: readonly tf.Variable[], paths?: readonly string[]): void {
    super.build(variables, paths);
    if (this.#uProduct == null) this.makeUProduct();
  }

  /** The base's variables, then `u_product` (Keras creates it after the slots, so it is saved last). */
  override get variables(): tf.Variable[] {
    return this.#uProduct == null ? super.variables : [...super.variables, this.#uProduct];
  }

  /** Keras names `u_product` `variable` (it makes it without a name). */
  override get variableNames(): string[] {
    return this.#uProduct == null ? super.variableNames : [...super.variableNames, 'variable'];
  }

  override get iterations(): number {
    return super.iterations;
  }

  /** A step count set by hand starts `u_product`'s bookkeeping over: the next step advances it. */
  override set iterations(value: number) {
    super.iterations = value;
    this.#uProductStep = 0;
  }

  /** The base's state, then `u_product` from the last value (the base checks the count and every shape first). */
  override loadVariables(values: readonly tf.Tensor[]): void {
    super.loadVariables(values);
    if (this.#uProduct != null) {
      const value = values[values.length - 1] as tf.Tensor;
      tf.tidy(() =>
        (this.#uProduct as tf.Variable).assign(value.dtype === 'float32' ? value : tf.cast(value, 'float32')),
      );
    }
    this.#uProductStep = 0;
  }

  override dispose(): void {
    super.dispose();
    this.#uProduct?.dispose();
    this.#uProduct = null;
    this.#uProductStep = 0;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
