import * as tf from '@tensorflow/tfjs-core';
import type { DiagonalStep } from '../regularizers/proximal.js';
import { readOptions } from '../utils/options.js';
import { checkNonNegative, type OptimizerOptions, optimizerOptionNames } from './base-options.js';
import { Optimizer } from './optimizer.js';

/** The options of `Adagrad`, Keras's `Adagrad(learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-07, ...)` camelCased. */
export interface AdagradOptions extends OptimizerOptions {
  /** Starting value of each weight's sum of squared gradients, non-negative; default 0.1. */
  initialAccumulatorValue?: number;
  /** Added to the accumulator before its root; default 1e-7. */
  epsilon?: number;
}

/**
 * Keras's Adagrad: each weight keeps the sum of its squared gradients,
 * `a += g²`, and steps `w -= lr g / √(a + ε)`, so often-updated weights
 * slow down. Defaults lr 0.001, initial accumulator 0.1, ε 1e-7.
 * Keras's `keras.optimizers.Adagrad`.
 *
 * @example new optimizers.Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.1 })
 */
export class Adagrad extends Optimizer {
  static override readonly className: string = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    const read = readOptions<AdagradOptions>(
      'Adagrad',
      options,
      optimizerOptionNames(['initialAccumulatorValue', 'epsilon']),
    );
    super(read, 0.001);
    this.initialAccumulatorValue = checkNonNegative(
      read.initialAccumulatorValue === undefined ? 0.1 : read.initialAccumulatorValue,
      'initialAccumulatorValue',
    );
    this.epsilon = checkNonNegative(read.epsilon === undefined ? 1e-7 : read.epsilon, 'epsilon');
  }

  protected override slotGroups(): readonly (readonly string[])[] {
    return [['accumulator']];
  }

  protected override slotInitialValue(): number {
    return this.initialAccumulatorValue;
  }

  protected override update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    learningRate: number,
  ): void {
    const accumulator = slots.accumulator as tf.Variable;
    accumulator.assign(tf.add(accumulator, tf.square(gradient)));
    variable.assign(
      tf.sub(variable, tf.div(tf.mul(gradient, learningRate), tf.sqrt(tf.add(accumulator, this.epsilon)))),
    );
  }

  /** Proximal updates: the step per coordinate, `lr / √(a + ε)`. */
  protected override proximalStepSize(
    _variable: tf.Variable,
    slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    learningRate: number,
  ): DiagonalStep {
    const second = slots.accumulator as tf.Variable;
    return { numerator: learningRate, second, epsilon: this.epsilon, epsilonInside: true };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
