import * as tf from '@tensorflow/tfjs-core';
import type { DiagonalStep } from '../regularizers/proximal.js';
import { readOptions } from '../utils/options.js';
import {
  checkBooleanOption,
  checkNonNegative,
  checkUnitInterval,
  Optimizer,
  type OptimizerOptions,
  optimizerOptionNames,
} from './optimizer.js';

/** The options of `RMSprop`, Keras's `RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-07, centered=False, ...)` camelCased. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Decay of the mean of squared gradients, in [0, 1); default 0.9. */
  rho?: number;
  /** In [0, 1); default 0 (no velocity). */
  momentum?: number;
  /** Added to the mean square before its root; default 1e-7. */
  epsilon?: number;
  /** Divides by the variance of the gradients (mean square minus squared mean) instead of their mean square; default false. */
  centered?: boolean;
}

const RMSPROP_OPTIONS = optimizerOptionNames(['rho', 'momentum', 'epsilon', 'centered']);

/**
 * Keras's RMSprop: `v = ρ v + (1 - ρ) g²`, `w -= lr g / √(v + ε)`; centered,
 * `a = ρ a + (1 - ρ) g` and `w -= lr g / √(v - a² + ε)`; with momentum, the
 * step goes through a velocity `m = momentum · m + step`. Defaults lr 0.001,
 * ρ 0.9, ε 1e-7. Keras's `keras.optimizers.RMSprop`.
 *
 * @example new optimizers.RMSprop({ learningRate: 1e-3, rho: 0.95 })
 */
export class RMSprop extends Optimizer {
  static override readonly className: string = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    const read = readOptions<RMSpropOptions>('RMSprop', options, RMSPROP_OPTIONS);
    super(read, 0.001);
    this.rho = checkUnitInterval(read.rho === undefined ? 0.9 : read.rho, 'rho');
    this.momentum = checkUnitInterval(read.momentum === undefined ? 0 : read.momentum, 'momentum');
    this.epsilon = checkNonNegative(read.epsilon === undefined ? 1e-7 : read.epsilon, 'epsilon');
    this.centered = checkBooleanOption(read.centered === undefined ? false : read.centered, 'centered');
  }

  protected override slotGroups(): readonly (readonly string[])[] {
    const groups: string[][] = [['velocity']];
    if (this.momentum > 0) groups.push(['momentum']);
    if (this.centered) groups.push(['average_gradient']);
    return groups;
  }

  protected override update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    lr: number,
  ): void {
    const velocity = slots.velocity as tf.Variable;
    velocity.assign(tf.add(tf.mul(velocity, this.rho), tf.mul(tf.square(gradient), 1 - this.rho)));
    let denominator: tf.Tensor;
    if (this.centered) {
      const average = slots.average_gradient as tf.Variable;
      average.assign(tf.add(tf.mul(average, this.rho), tf.mul(gradient, 1 - this.rho)));
      denominator = tf.add(tf.sub(velocity, tf.square(average)), this.epsilon);
    } else {
      denominator = tf.add(velocity, this.epsilon);
    }
    const increment = tf.div(tf.mul(gradient, lr), tf.sqrt(denominator));
    if (this.momentum === 0) {
      variable.assign(tf.sub(variable, increment));
      return;
    }
    const momentum = slots.momentum as tf.Variable;
    momentum.assign(tf.add(tf.mul(momentum, this.momentum), increment));
    variable.assign(tf.sub(variable, momentum));
  }

  /** Proximal updates: the step per coordinate, `lr / √(v + ε)` (`lr / √(v - a² + ε)` centered); with momentum, as SGD's. */
  protected override proximalStepSize(
    _variable: tf.Variable,
    slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    lr: number,
  ): DiagonalStep {
    const velocity = slots.velocity as tf.Variable;
    const average = slots.average_gradient;
    const second = this.centered && average != null ? tf.sub(velocity, tf.square(average)) : velocity;
    return { numerator: lr, second, epsilon: this.epsilon, epsilonInside: true };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}
