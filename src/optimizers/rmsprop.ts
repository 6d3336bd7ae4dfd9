import * as tf from '@tensorflow/tfjs-core';
import { readOptions } from '../utils/options.js';
import { checkNonNegative, checkUnitInterval, Optimizer, type OptimizerOptions } from './optimizer.js';

/** The options of `RMSprop`, Keras's `RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-07, ...)` camelCased. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Decay of the mean of squared gradients, in [0, 1]; default 0.9. */
  rho?: number;
  /** In [0, 1]; default 0 (no velocity). */
  momentum?: number;
  /** Added to the mean square before its root; default 1e-7. */
  epsilon?: number;
}

/**
 * Keras's RMSprop (uncentered): `v = ρ v + (1 - ρ) g²`,
 * `w -= lr g / √(v + ε)`; with momentum, the step goes through a velocity.
 * Defaults lr 0.001, ρ 0.9, ε 1e-7. Keras's `keras.optimizers.RMSprop`.
 *
 * @example new optimizers.RMSprop({ learningRate: 1e-3, rho: 0.95 })
 */
export class RMSprop extends Optimizer {
  static override readonly className: string = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;

  constructor(options: RMSpropOptions = {}) {
    const read = readOptions<RMSpropOptions>('RMSprop', options, [
      'learningRate',
      'weightDecay',
      'rho',
      'momentum',
      'epsilon',
    ]);
    super(read, 0.001);
    this.rho = checkUnitInterval(read.rho === undefined ? 0.9 : read.rho, 'rho');
    this.momentum = checkUnitInterval(read.momentum === undefined ? 0 : read.momentum, 'momentum');
    this.epsilon = checkNonNegative(read.epsilon === undefined ? 1e-7 : read.epsilon, 'epsilon');
  }

  protected override slotCount(): number {
    return this.momentum > 0 ? 2 : 1;
  }

  protected override update(variable: tf.Variable, gradient: tf.Tensor, slots: tf.Variable[]): void {
    const velocity = slots[0] as tf.Variable;
    velocity.assign(tf.add(tf.mul(velocity, this.rho), tf.mul(tf.square(gradient), 1 - this.rho)));
    const increment = tf.div(tf.mul(gradient, this.learningRate), tf.sqrt(tf.add(velocity, this.epsilon)));
    if (this.momentum === 0) {
      variable.assign(tf.sub(variable, increment));
      return;
    }
    const momentum = slots[1] as tf.Variable;
    momentum.assign(tf.add(tf.mul(momentum, this.momentum), increment));
    variable.assign(tf.sub(variable, momentum));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon };
  }
}
