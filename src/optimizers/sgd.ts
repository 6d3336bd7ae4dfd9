import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsActive, fusedSgdL1L2 } from '../backend/fused-kernels.js';
import type { ClosedFormFactors } from '../regularizers/closed-form-factors.js';
import { readOptions } from '../utils/options.js';
import {
  checkBooleanOption,
  checkUnitInterval,
  Optimizer,
  type OptimizerOptions,
  optimizerOptionNames,
} from './optimizer.js';

/** The options of `SGD`, Keras's `SGD(learning_rate=0.01, momentum=0.0, nesterov=False, ...)` camelCased. */
export interface SGDOptions extends OptimizerOptions {
  /** Default 0 (plain gradient descent). */
  momentum?: number;
  /** Nesterov momentum; default false. */
  nesterov?: boolean;
}

const SGD_OPTIONS = optimizerOptionNames(['momentum', 'nesterov']);

/**
 * Keras's SGD: `w -= lr * g`; with momentum, `m = momentum * m - lr * g` and
 * `w += m` (Nesterov: `w += momentum * m - lr * g`). Default learning rate 0.01.
 * Keras's `keras.optimizers.SGD`.
 *
 * @example new optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })
 */
export class SGD extends Optimizer {
  static override readonly className: string = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    const read = readOptions<SGDOptions>('SGD', options, SGD_OPTIONS);
    super(read, 0.01);
    this.momentum = checkUnitInterval(read.momentum === undefined ? 0 : read.momentum, 'momentum');
    this.nesterov = checkBooleanOption(read.nesterov === undefined ? false : read.nesterov, 'nesterov');
  }

  override rowSparseLearningRate(): number | null {
    return this.momentum === 0 && !this.useEma && this.gradientsAsGiven ? this.learningRate : null;
  }

  protected override slotGroups(): readonly (readonly string[])[] {
    return this.momentum !== 0 ? [['momentum']] : [];
  }

  protected override update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    lr: number,
  ): void {
    if (this.momentum === 0) {
      if (this.#fusedStep(variable, gradient, { l1: 0, l2: 0 }, lr) == null) {
        variable.assign(tf.sub(variable, tf.mul(gradient, lr)));
      }
      return;
    }
    const m = slots.momentum as tf.Variable;
    m.assign(tf.sub(tf.mul(m, this.momentum), tf.mul(gradient, lr)));
    const step = this.nesterov ? tf.sub(tf.mul(m, this.momentum), tf.mul(gradient, lr)) : m;
    variable.assign(tf.add(variable, step));
  }

  /**
   * Proximal updates: the learning rate. With momentum (and Nesterov) too:
   * the prox follows the momentum step at `lr`, the step size that scales
   * the gradient in it (ProxSGD's choice, Yang et al. 2020, with ε = 1).
   */
  protected override proximalStepSize(
    _variable: tf.Variable,
    _slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    lr: number,
  ): number {
    return lr;
  }

  /** Plain SGD on a fused backend: `w - lr * (g + penalty gradient)` in one pass, the penalty summed on the way. */
  protected override updateWithPenalty(
    variable: tf.Variable,
    gradient: tf.Tensor,
    factors: ClosedFormFactors,
    _slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    learningRate: number,
  ): tf.Scalar | null {
    return this.#fusedStep(variable, gradient, factors, learningRate);
  }

  #fusedStep(variable: tf.Variable, gradient: tf.Tensor, factors: ClosedFormFactors, lr: number): tf.Scalar | null {
    if (this.momentum !== 0 || !fusedKernelsActive(variable)) return null;
    const [penalty, updated] = fusedSgdL1L2(variable, gradient, { learningRate: lr, ...factors });
    variable.assign(updated);
    return penalty;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
