import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { checkUnitInterval, type OptimizerOptions, optimizerOptionNames } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** The options of `Lion`, Keras's `Lion(learning_rate=0.001, beta_1=0.9, beta_2=0.99, ...)` camelCased. */
export interface LionOptions extends OptimizerOptions {
  /** Mix of momentum and gradient whose sign is the step, in (0, 1]; default 0.9. */
  beta1?: number;
  /** Decay of the momentum, in [0, 1); default 0.99. */
  beta2?: number;
}

/**
 * Keras's Lion (evolved sign momentum): `w -= lr sign(β1 m + (1 - β1) g)`,
 * then `m = β2 m + (1 - β2) g`. Every step has size lr per weight, so its
 * learning rate is usually 3-10x smaller than Adam's. Defaults lr 0.001,
 * β1 0.9, β2 0.99. Keras's `keras.optimizers.Lion`.
 *
 * @example new optimizers.Lion({ learningRate: 1e-4, weightDecay: 0.01 })
 */
export class Lion extends Optimizer {
  static override readonly className: string = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(options: LionOptions = {}) {
    const read = readOptions<LionOptions>('Lion', options, optimizerOptionNames(['beta1', 'beta2']));
    super(read, 0.001);
    const beta1 = read.beta1 === undefined ? 0.9 : read.beta1;
    // Keras's own check: at β1 = 0 the step is the gradient's sign alone (SignSGD).
    if (typeof beta1 !== 'number' || !(beta1 > 0 && beta1 <= 1)) {
      throw invalidArgument('beta1', 'a number in (0, 1] (at 0 Lion degenerates to SignSGD)', beta1);
    }
    this.beta1 = beta1;
    this.beta2 = checkUnitInterval(read.beta2 === undefined ? 0.99 : read.beta2, 'beta2');
  }

  protected override slotGroups(): readonly (readonly string[])[] {
    return [['momentum']];
  }

  protected override update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    learningRate: number,
  ): void {
    const m = slots.momentum as tf.Variable;
    const direction = tf.sign(tf.add(tf.mul(m, this.beta1), tf.mul(gradient, 1 - this.beta1)));
    variable.assign(tf.sub(variable, tf.mul(direction, learningRate)));
    m.assign(tf.add(tf.mul(m, this.beta2), tf.mul(gradient, 1 - this.beta2)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2 };
  }
}
