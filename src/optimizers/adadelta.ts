import * as tf from '@tensorflow/tfjs-core';
import { readOptions } from '../utils/options.js';
import { checkNonNegative, checkUnitInterval, type OptimizerOptions, optimizerOptionNames } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** The options of `Adadelta`, Keras's `Adadelta(learning_rate=0.001, rho=0.95, epsilon=1e-07, ...)` camelCased. */
export interface AdadeltaOptions extends OptimizerOptions {
  /** Decay of both running averages, in [0, 1); default 0.95. */
  rho?: number;
  /** Added inside both roots; default 1e-7. */
  epsilon?: number;
}

/**
 * Keras's Adadelta: running averages of squared gradients `E[g²]` and of
 * squared steps `E[Δ²]`; the step is `Δ = -√(E[Δ²] + ε) / √(E[g²] + ε) · g`
 * and `w += lr Δ` (the paper's form is lr 1). Defaults lr 0.001, ρ 0.95,
 * ε 1e-7. Keras's `keras.optimizers.Adadelta`.
 *
 * @example new optimizers.Adadelta({ learningRate: 1.0, rho: 0.95 })
 */
export class Adadelta extends Optimizer {
  static override readonly className: string = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: AdadeltaOptions = {}) {
    const read = readOptions<AdadeltaOptions>('Adadelta', options, optimizerOptionNames(['rho', 'epsilon']));
    super(read, 0.001);
    this.rho = checkUnitInterval(read.rho === undefined ? 0.95 : read.rho, 'rho');
    this.epsilon = checkNonNegative(read.epsilon === undefined ? 1e-7 : read.epsilon, 'epsilon');
  }

  protected override slotGroups(): readonly (readonly string[])[] {
    return [['accumulated_grad', 'accumulated_delta_var']];
  }

  protected override update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    learningRate: number,
  ): void {
    const accumulatedGrad = slots.accumulated_grad as tf.Variable;
    const accumulatedDelta = slots.accumulated_delta_var as tf.Variable;
    const rho = this.rho;
    const rms = (x: tf.Tensor) => tf.sqrt(tf.add(x, this.epsilon));
    accumulatedGrad.assign(tf.add(tf.mul(accumulatedGrad, rho), tf.mul(tf.square(gradient), 1 - rho)));
    const delta = tf.neg(tf.div(tf.mul(rms(accumulatedDelta), gradient), rms(accumulatedGrad)));
    accumulatedDelta.assign(tf.add(tf.mul(accumulatedDelta, rho), tf.mul(tf.square(delta), 1 - rho)));
    variable.assign(tf.add(variable, tf.mul(delta, learningRate)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
