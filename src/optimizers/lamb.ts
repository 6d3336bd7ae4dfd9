import * as tf from '@tensorflow/tfjs-core';
import { readOptions } from '../utils/options.js';
import { type OptimizerOptions, optimizerOptionNames, readMomentOptions } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** The options of `Lamb`, Keras's `Lamb(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07, ...)` camelCased. */
export interface LambOptions extends OptimizerOptions {
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the second moment's root; default 1e-7. */
  epsilon?: number;
}

/**
 * Keras's Lamb: Adam's bias-corrected step `u = m̂ / (√v̂ + ε)` scaled per
 * weight tensor by the trust ratio `‖w‖ / ‖u‖` (1 when either norm is 0),
 * `w -= ratio · lr · u`, for large-batch training. Defaults lr 0.001,
 * β1 0.9, β2 0.999, ε 1e-7. Keras's `keras.optimizers.Lamb`.
 *
 * @example new optimizers.Lamb({ learningRate: 1e-3, weightDecay: 0.01 })
 */
export class Lamb extends Optimizer {
  static override readonly className: string = 'Lamb';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: LambOptions = {}) {
    const read = readOptions<LambOptions>('Lamb', options, optimizerOptionNames(['beta1', 'beta2', 'epsilon']));
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
    const m = slots.momentum as tf.Variable;
    const v = slots.velocity as tf.Variable;
    m.assign(tf.add(m, tf.mul(tf.sub(gradient, m), 1 - this.beta1)));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(gradient), v), 1 - this.beta2)));
    const mHat = tf.div(m, 1 - this.beta1 ** step);
    const vRoot = tf.add(tf.sqrt(tf.div(v, 1 - this.beta2 ** step)), this.epsilon);
    const direction = tf.div(mHat, vRoot);
    const weightNorm = tf.sqrt(tf.sum(tf.square(variable)));
    const directionNorm = tf.sqrt(tf.sum(tf.square(direction)));
    // On the device, as Keras's ops.where: no read-back of the norms per step.
    const ratio = tf.where(
      tf.logicalAnd(tf.greater(weightNorm, 0), tf.greater(directionNorm, 0)),
      tf.div(weightNorm, directionNorm),
      tf.onesLike(weightNorm),
    );
    variable.assign(tf.sub(variable, tf.mul(direction, tf.mul(ratio, learningRate))));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
