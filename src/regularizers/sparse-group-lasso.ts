import * as tf from '@tensorflow/tfjs-core';
import { readOptions } from '../utils/options.js';
import { l1l2Penalty } from './closed-form.js';
import { groupLassoPenalty } from './group-lasso.js';
import { checkGates, checkGroupAxis, groupLayout } from './groups.js';
import { blockSoftThreshold, checkProximalFlag, proxL1L2, type StepSize, withoutGradient } from './proximal.js';
import { Regularizer } from './regularizer.js';
import { factorOrDefault, validateFactor } from './validation.js';

/** The options of `SparseGroupLasso`; `getConfig()` returns all of them. */
export interface SparseGroupLassoOptions {
  /** Weight of the group term; default 0.01. */
  factor?: number | null;
  /** Weight of the L1 term; default 0.01. */
  l1?: number | null;
  /** The axis (or axes) whose index names a group; default -1. See `groupAxis`. */
  axis?: number | readonly number[];
  /** Gate blocks side by side on `axis` (LSTM 4, GRU 3); default 1. */
  gates?: number;
  /** Replace the penalty's gradient by its proximal step after each optimizer step; default false. */
  proximal?: boolean;
}

const OPTION_NAMES = ['factor', 'l1', 'axis', 'gates', 'proximal'];

/**
 * Sparse group lasso (Simon, Friedman, Hastie & Tibshirani 2013):
 * `factor · Σ_g √|g| ||w_g||₂ + l1 · Σ|w|`, whole groups and single weights
 * at once. Groups as in `GroupLasso`. With `proximal: true` the step is
 * soft-thresholding by `l1`, then block soft-thresholding (the exact prox of
 * the sum). Saved as `keras_regularizers>SparseGroupLasso`.
 *
 * @example new regularizers.SparseGroupLasso({ factor: 1e-3, l1: 1e-4, proximal: true })
 */
export class SparseGroupLasso extends Regularizer {
  static override readonly className: string = 'SparseGroupLasso';
  #factor: number;
  #l1: number;
  /** The axis (or axes) whose index names a group. */
  readonly axis: number | number[];
  /** Gate blocks side by side on `axis`. */
  readonly gates: number;
  /** Whether the penalty leaves the gradient for a proximal step after each update. */
  readonly proximal: boolean;

  constructor(options: SparseGroupLassoOptions = {}) {
    super();
    const read = readOptions<SparseGroupLassoOptions>('SparseGroupLasso', options, OPTION_NAMES);
    this.#factor = factorOrDefault(read.factor, 'factor', 0.01);
    this.#l1 = factorOrDefault(read.l1, 'l1', 0.01);
    this.axis = checkGroupAxis(read.axis ?? -1);
    this.gates = checkGates(read.gates ?? 1);
    this.proximal = checkProximalFlag(read.proximal ?? false, 'proximal');
  }

  /** The group factor; validated like the constructor's. */
  get factor(): number {
    return this.#factor;
  }

  set factor(value: number) {
    this.#factor = validateFactor(value, 'factor');
  }

  /** The L1 factor; validated like the constructor's. */
  get l1(): number {
    return this.#l1;
  }

  set l1(value: number) {
    this.#l1 = validateFactor(value, 'l1');
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const layout = groupLayout(x.shape, this);
      const penalty = (w: tf.Tensor) =>
        tf.add(groupLassoPenalty(w, layout, this.#factor), l1l2Penalty(w, this.#l1, 0)) as tf.Scalar;
      return this.proximal ? withoutGradient(x, penalty) : penalty(x);
    });
  }

  /** Soft-thresholding by `l1 s`, then block soft-thresholding by `factor √|g| s`. */
  proximalStep(weight: tf.Tensor, stepSize: StepSize): tf.Tensor {
    const layout = groupLayout(weight.shape, this);
    return tf.tidy(() =>
      blockSoftThreshold(
        proxL1L2(weight, this.#l1, 0, stepSize),
        layout,
        this.#factor * Math.sqrt(layout.groupSize),
        stepSize,
      ),
    );
  }

  override getConfig(): {
    factor: number;
    l1: number;
    axis: number | number[];
    gates: number;
    proximal: boolean;
  } {
    return {
      factor: this.#factor,
      l1: this.#l1,
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      gates: this.gates,
      proximal: this.proximal,
    };
  }
}
