import * as tf from '@tensorflow/tfjs-core';
import { isPlainObject } from '../utils/objects.js';
import { readOptions } from '../utils/options.js';
import {
  checkGates,
  checkGroupAxis,
  type GroupLayout,
  groupLayout,
  groupSumOfSquares,
  groupView,
  scaleGroups,
} from './groups.js';
import { blockSoftThreshold, checkProximalFlag, type StepSize, withoutGradient } from './proximal.js';
import { Regularizer } from './regularizer.js';
import { factorOrDefault, validateFactor } from './validation.js';

/** The options of `GroupLasso`; `getConfig()` returns all of them. */
export interface GroupLassoOptions {
  /** Weight of the penalty; default 0.01. */
  factor?: number | null;
  /** The axis (or axes) whose index names a group; default -1 (a Dense or Conv kernel's output units). See `groupAxis`. */
  axis?: number | readonly number[];
  /** Gate blocks side by side on `axis` (LSTM 4, GRU 3): a unit's group spans its gates; default 1. */
  gates?: number;
  /** Replace the penalty's gradient by block soft-thresholding after each optimizer step; default false. */
  proximal?: boolean;
}

const OPTION_NAMES = ['factor', 'axis', 'gates', 'proximal'];

/**
 * Group lasso (Yuan & Lin 2006): `factor · Σ_g √|g| · ||w_g||₂`, the L2
 * norms of the groups, each weighted by the square root of its size `|g|`
 * (the number of weights in it), so that the factor means the same for
 * small and large groups. Groups are the slices at each index of `axis`:
 * -1 (default) makes each output unit / filter a group (structured
 * pruning), -2 / 0 each input feature (feature selection); `groupAxis`
 * gives the axis for each layer's kernel. With `proximal: true` the
 * penalty leaves the gradient and the optimizer's step is followed by
 * block soft-thresholding, so whole groups become exactly 0.
 *
 * Not in Keras: saved files name it `keras_regularizers>GroupLasso`, which
 * the package's Python module registers.
 *
 * @example new regularizers.GroupLasso({ factor: 1e-3, axis: -1, proximal: true })
 */
export class GroupLasso extends Regularizer {
  static override readonly className: string = 'GroupLasso';
  #factor: number;
  /** The axis (or axes) whose index names a group. */
  readonly axis: number | number[];
  /** Gate blocks side by side on `axis`. */
  readonly gates: number;
  /** Whether the penalty leaves the gradient for a proximal step after each update. */
  readonly proximal: boolean;

  constructor(factorOrOptions: number | GroupLassoOptions | null = null) {
    super();
    const options: GroupLassoOptions = isPlainObject(factorOrOptions)
      ? readOptions<GroupLassoOptions>('GroupLasso', factorOrOptions, OPTION_NAMES)
      : { factor: factorOrOptions as number | null };
    this.#factor = factorOrDefault(options.factor, 'factor', 0.01);
    this.axis = checkGroupAxis(options.axis ?? -1);
    this.gates = checkGates(options.gates ?? 1);
    this.proximal = checkProximalFlag(options.proximal ?? false, 'proximal');
  }

  /** The factor; may be changed between steps and is validated like the constructor's. */
  get factor(): number {
    return this.#factor;
  }

  set factor(value: number) {
    this.#factor = validateFactor(value, 'factor');
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const layout = groupLayout(x.shape, this);
      const penalty = (w: tf.Tensor) => groupLassoPenalty(w, layout, this.#factor);
      return this.proximal ? withoutGradient(x, penalty) : penalty(x);
    });
  }

  /** Block soft-thresholding at `λ = factor √|g|` for the optimizer's step size. */
  proximalStep(weight: tf.Tensor, stepSize: StepSize): tf.Tensor {
    const layout = groupLayout(weight.shape, this);
    return blockSoftThreshold(weight, layout, this.#factor * Math.sqrt(layout.groupSize), stepSize);
  }

  override getConfig(): { factor: number; axis: number | number[]; gates: number; proximal: boolean } {
    return {
      factor: this.#factor,
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      gates: this.gates,
      proximal: this.proximal,
    };
  }
}

/**
 * `factor √|g| Σ_g ||x_g||` with its gradient `factor √|g| x_g / ||x_g||`,
 * 0 on an all-zero group (the subgradient of smallest norm; autodiff of the
 * square root would give NaN there).
 */
export function groupLassoPenalty(x: tf.Tensor, layout: GroupLayout, factor: number): tf.Scalar {
  if (factor === 0 || layout.groupCount === 0) return tf.scalar(0);
  const lambda = factor * Math.sqrt(layout.groupSize);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const view = groupView(input, layout);
    const norms = tf.sqrt(groupSumOfSquares(view, layout));
    save([view, norms]);
    return {
      value: tf.mul(tf.sum(norms), lambda) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [v, n] = saved as [tf.Tensor, tf.Tensor];
        const scale = tf.div(tf.mul(dy, lambda), tf.maximum(n, 1e-30));
        // An all-zero group has x = 0, so x · scale is 0 there whatever the guard.
        return [tf.reshape(scaleGroups(v, scale, layout), input.shape)];
      },
    };
  }) as (input: tf.Tensor) => tf.Scalar;
  return op(x);
}
