import * as tf from '@tensorflow/tfjs-core';
import { readOptions } from '../utils/options.js';
import { checkUnitInterval, Optimizer, type OptimizerOptions } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  /** Default 0 (plain gradient descent). */
  momentum?: number;
  nesterov?: boolean;
}

/**
 * Keras's SGD: `w -= lr * g`; with momentum, `m = momentum * m - lr * g` and
 * `w += m` (Nesterov: `w += momentum * m - lr * g`). Default learning rate 0.01.
 */
export class SGD extends Optimizer {
  static override readonly className: string = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    const read = readOptions<SGDOptions>('SGD', options, ['learningRate', 'weightDecay', 'momentum', 'nesterov']);
    super(read, 0.01);
    this.momentum = checkUnitInterval(read.momentum ?? 0, 'momentum');
    this.nesterov = read.nesterov ?? false;
  }

  protected override slotCount(): number {
    return this.momentum > 0 ? 1 : 0;
  }

  protected override update(variable: tf.Variable, gradient: tf.Tensor, slots: tf.Variable[]): void {
    const lr = this.learningRate;
    if (this.momentum === 0) {
      variable.assign(tf.sub(variable, tf.mul(gradient, lr)));
      return;
    }
    const m = slots[0] as tf.Variable;
    m.assign(tf.sub(tf.mul(m, this.momentum), tf.mul(gradient, lr)));
    const step = this.nesterov ? tf.sub(tf.mul(m, this.momentum), tf.mul(gradient, lr)) : m;
    variable.assign(tf.add(variable, step));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
