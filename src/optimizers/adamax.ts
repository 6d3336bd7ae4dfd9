import * as tf from '@tensorflow/tfjs-core';
import { readOptions } from '../utils/options.js';
import { type OptimizerOptions, optimizerOptionNames, readMomentOptions } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** The options of `Adamax`, Keras's `Adamax(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07, ...)` camelCased. */
export interface AdamaxOptions extends OptimizerOptions {
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the infinity norm, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the norm; default 1e-7. */
  epsilon?: number;
}

/**
 * Keras's Adamax, Adam with the infinity norm: `m += (g - m)(1 - β1)`,
 * `u = max(β2 u, |g|)`, `w -= lr m / ((1 - β1ᵗ)(u + ε))`. Defaults lr 0.001,
 * β1 0.9, β2 0.999, ε 1e-7. Keras's `keras.optimizers.Adamax`.
 *
 * @example new optimizers.Adamax({ learningRate: 2e-3 })
 */
export class Adamax extends Optimizer {
  static override readonly className: string = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    const read = readOptions<AdamaxOptions>('Adamax', options, optimizerOptionNames(['beta1', 'beta2', 'epsilon']));
    super(read, 0.001);
    ({ beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon } = readMomentOptions(read));
  }

  protected override slotGroups(): readonly (readonly string[])[] {
    return [['momentum', 'norm']];
  }

  protected override update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    slots: Readonly<Record<string, tf.Variable>>,
    step: number,
    learningRate: number,
  ): void {
    const m = slots.momentum as tf.Variable;
    const u = slots.norm as tf.Variable;
    m.assign(tf.add(m, tf.mul(tf.sub(gradient, m), 1 - this.beta1)));
    u.assign(tf.maximum(tf.mul(u, this.beta2), tf.abs(gradient)));
    const correction = 1 - this.beta1 ** step;
    variable.assign(tf.sub(variable, tf.div(tf.mul(m, learningRate), tf.mul(tf.add(u, this.epsilon), correction))));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
