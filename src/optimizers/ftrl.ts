import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { checkNonNegative, type OptimizerOptions, optimizerOptionNames } from './base-options.js';
import { Optimizer } from './optimizer.js';

/**
 * The options of `Ftrl`, Keras's `Ftrl(learning_rate=0.001, learning_rate_power=-0.5,
 * initial_accumulator_value=0.1, l1_regularization_strength=0.0, l2_regularization_strength=0.0,
 * l2_shrinkage_regularization_strength=0.0, beta=0.0, ...)` camelCased.
 */
export interface FtrlOptions extends OptimizerOptions {
  /** How the per-weight rate falls as squared gradients accumulate, at most 0 (0: fixed); default -0.5. */
  learningRatePower?: number;
  /** Starting value of the accumulators, non-negative; default 0.1. */
  initialAccumulatorValue?: number;
  /** L1 strength of FTRL's own (stabilization) penalty, non-negative; default 0. */
  l1RegularizationStrength?: number;
  /** L2 strength of FTRL's own (stabilization) penalty, non-negative; default 0. */
  l2RegularizationStrength?: number;
  /** L2 shrinkage: a magnitude penalty added to the gradient, non-negative; default 0. */
  l2ShrinkageRegularizationStrength?: number;
  /** FTRL-Proximal's β, added as `β / (2 lr)` to the L2 strength; default 0. */
  beta?: number;
}

const FTRL_OPTIONS = optimizerOptionNames([
  'learningRatePower',
  'initialAccumulatorValue',
  'l1RegularizationStrength',
  'l2RegularizationStrength',
  'l2ShrinkageRegularizationStrength',
  'beta',
]);

/**
 * Keras's Ftrl (FTRL-Proximal, McMahan et al. 2013), for sparse, wide
 * models: each weight keeps an accumulator `n` of squared gradients and a
 * linear term `z`; with `p = -learningRatePower`,
 * `z += g + 2 λ₂ₛ w - (n'ᵖ - nᵖ) / lr · w`, `n' = n + g²`, and the weight is
 * solved in closed form: `w = (clip(z, -λ₁, λ₁) - z) / (n'ᵖ / lr + 2 (λ₂ + β / (2 lr)))`,
 * so λ₁ sets weights exactly to zero. Keras's `keras.optimizers.Ftrl`.
 *
 * @example new optimizers.Ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.01 })
 */
export class Ftrl extends Optimizer {
  static override readonly className: string = 'Ftrl';
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(options: FtrlOptions = {}) {
    const read = readOptions<FtrlOptions>('Ftrl', options, FTRL_OPTIONS);
    super(read, 0.001);
    this.initialAccumulatorValue = checkNonNegative(
      read.initialAccumulatorValue === undefined ? 0.1 : read.initialAccumulatorValue,
      'initialAccumulatorValue',
    );
    const power = read.learningRatePower === undefined ? -0.5 : read.learningRatePower;
    if (typeof power !== 'number' || !Number.isFinite(power) || power > 0) {
      throw invalidArgument('learningRatePower', 'a number <= 0', power);
    }
    this.learningRatePower = power;
    this.l1RegularizationStrength = checkNonNegative(
      read.l1RegularizationStrength === undefined ? 0 : read.l1RegularizationStrength,
      'l1RegularizationStrength',
    );
    this.l2RegularizationStrength = checkNonNegative(
      read.l2RegularizationStrength === undefined ? 0 : read.l2RegularizationStrength,
      'l2RegularizationStrength',
    );
    this.l2ShrinkageRegularizationStrength = checkNonNegative(
      read.l2ShrinkageRegularizationStrength === undefined ? 0 : read.l2ShrinkageRegularizationStrength,
      'l2ShrinkageRegularizationStrength',
    );
    const beta = read.beta === undefined ? 0 : read.beta;
    if (typeof beta !== 'number' || !Number.isFinite(beta)) throw invalidArgument('beta', 'a finite number', beta);
    this.beta = beta;
  }

  protected override slotGroups(): readonly (readonly string[])[] {
    return [['accumulator', 'linear']];
  }

  protected override slotInitialValue(_variable: tf.Variable, slot: string): number {
    return slot === 'accumulator' ? this.initialAccumulatorValue : 0;
  }

  protected override update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    learningRate: number,
  ): void {
    const accumulator = slots.accumulator as tf.Variable;
    const linear = slots.linear as tf.Variable;
    const power = -this.learningRatePower;
    const l2 = this.l2RegularizationStrength + this.beta / (2 * learningRate);
    const l1 = this.l1RegularizationStrength;
    const gradientToUse = tf.add(gradient, tf.mul(variable, 2 * this.l2ShrinkageRegularizationStrength));
    const newAccumulator = tf.add(accumulator, tf.square(gradient));
    const newPower = tf.pow(newAccumulator, power);
    const sigma = tf.div(tf.sub(newPower, tf.pow(accumulator, power)), learningRate);
    linear.assign(tf.add(linear, tf.sub(gradientToUse, tf.mul(sigma, variable))));
    const quadratic = tf.add(tf.div(newPower, learningRate), 2 * l2);
    const clipped = tf.clipByValue(linear, -l1, l1);
    variable.assign(tf.div(tf.sub(clipped, linear), quadratic));
    accumulator.assign(newAccumulator);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      learningRatePower: this.learningRatePower,
      initialAccumulatorValue: this.initialAccumulatorValue,
      l1RegularizationStrength: this.l1RegularizationStrength,
      l2RegularizationStrength: this.l2RegularizationStrength,
      l2ShrinkageRegularizationStrength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }
}
