import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import type { DiagonalStep } from '../regularizers/proximal.js';
import { readOptions } from '../utils/options.js';
import { readMomentOptions } from './base-options.js';
import { checkBooleanOption, Optimizer, type OptimizerOptions, optimizerOptionNames } from './optimizer.js';

/** The options of `Adam` and `AdamW`, Keras's `Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07, amsgrad=False, ...)` camelCased. */
export interface AdamOptions extends OptimizerOptions {
  /** Decay of the first moment (the mean of the gradients), in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second moment (the mean of their squares), in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the second moment's root, for stability; default 1e-7. */
  epsilon?: number;
  /** AMSGrad: the step divides by the largest second moment so far; default false. */
  amsgrad?: boolean;
}

const OWN = ['beta1', 'beta2', 'epsilon', 'amsgrad'];
const ADAM_OPTIONS = optimizerOptionNames(OWN);
const ADAMW_OPTIONS = optimizerOptionNames(OWN, true);

/**
 * Keras's Adam: `m += (g - m)(1 - β1)`, `v += (g² - v)(1 - β2)`,
 * `w -= lr √(1 - β2ᵗ) / (1 - β1ᵗ) · m / (√v + ε)` (AMSGrad: `v̂ = max(v̂, v)`
 * in place of `v`). Defaults lr 0.001, β1 0.9, β2 0.999, ε 1e-7.
 * Keras's `keras.optimizers.Adam`.
 *
 * @example new optimizers.Adam({ learningRate: 3e-4 })
 */
export class Adam extends Optimizer {
  static override readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(options: AdamOptions = {}, className = 'Adam') {
    const read = readOptions<AdamOptions>(className, options, className === 'AdamW' ? ADAMW_OPTIONS : ADAM_OPTIONS);
    super(read, 0.001);
    ({ beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon } = readMomentOptions(read));
    this.amsgrad = checkBooleanOption(read.amsgrad === undefined ? false : read.amsgrad, 'amsgrad');
  }

  protected override slotGroups(): readonly (readonly string[])[] {
    return this.amsgrad ? [['momentum', 'velocity'], ['velocity_hat']] : [['momentum', 'velocity']];
  }

  protected override update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    slots: Readonly<Record<string, tf.Variable>>,
    step: number,
    lr: number,
  ): void {
    const m = slots.momentum as tf.Variable;
    const v = slots.velocity as tf.Variable;
    // In float32, as Keras computes it: 1 - β2ᵗ loses most of its digits, so float32 β2 matters (1e-5 at step 1).
    const alpha = this.#alpha(step, lr);
    m.assign(tf.add(m, tf.mul(tf.sub(gradient, m), 1 - this.beta1)));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(gradient), v), 1 - this.beta2)));
    let second: tf.Tensor = v;
    if (this.amsgrad) {
      const vHat = slots.velocity_hat as tf.Variable;
      vHat.assign(tf.maximum(vHat, v));
      second = vHat;
    }
    variable.assign(tf.sub(variable, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(second), this.epsilon))));
  }

  /** `lr √(1 - β2ᵗ) / (1 - β1ᵗ)`, in float32 as Keras computes it: 1 - β2ᵗ loses most of its digits. */
  #alpha(step: number, lr: number): number {
    const f = Math.fround;
    const beta1Power = f(f(this.beta1) ** step);
    const beta2Power = f(f(this.beta2) ** step);
    return f(f(f(lr) * f(Math.sqrt(f(1 - beta2Power)))) / f(1 - beta1Power));
  }

  /** Proximal updates: the step per coordinate, `lr √(1 - β2ᵗ) / (1 - β1ᵗ) / (√v + ε)` (v̂ with AMSGrad). */
  protected override proximalStepSize(
    _variable: tf.Variable,
    slots: Readonly<Record<string, tf.Variable>>,
    step: number,
    lr: number,
  ): DiagonalStep {
    const second = (this.amsgrad ? slots.velocity_hat : slots.velocity) as tf.Variable;
    return { numerator: this.#alpha(step, lr), second, epsilon: this.epsilon, epsilonInside: false };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
    };
  }
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter): each step first
 * shrinks every weight by `lr * weightDecay`, independently of the gradient.
 * Not the same as an L2 penalty under Adam, whose gradient Adam rescales.
 * Default weight decay 0.004, as in Keras. Keras's `keras.optimizers.AdamW`.
 *
 * @example new optimizers.AdamW({ learningRate: 1e-3, weightDecay: 0.01 })
 */
export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';

  constructor(options: AdamOptions = {}) {
    const read = readOptions<AdamOptions>('AdamW', options, ADAMW_OPTIONS);
    // Keras's AdamW needs a weight decay: null would make it Adam.
    if (read.weightDecay === null) throw invalidArgument('weightDecay', 'a non-negative number', null);
    super({ ...read, weightDecay: read.weightDecay === undefined ? 0.004 : read.weightDecay }, 'AdamW');
  }
}
