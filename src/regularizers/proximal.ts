/**
 * Proximal operators of the sparsity penalties, for proximal updates: after
 * the optimizer's step `y = w - s ⊙ d`, the weight becomes
 * `prox(y) = argmin_x ½ Σ (x - y)² / s + r(x)`, with `s` the step size the
 * optimizer used for each coordinate (a number for SGD, a tensor for the
 * adaptive methods). Unlike a penalty's gradient, these give exact zeros.
 *
 * - L1 (`l1 Σ|x|`): soft-thresholding, `y - clip(y, -l1 s, l1 s)`.
 * - L1L2: soft-thresholding, then division by `1 + 2 l2 s`.
 * - Group lasso (`λ Σ_g ||x_g||`): block soft-thresholding,
 *   `x_g = y_g · max(0, 1 - λ s / ||y_g||)` for one step size; with a step
 *   per coordinate, the exact prox in that diagonal metric:
 *   `x_i = y_i ρ / (ρ + λ s_i)` where `ρ = ||x_g||` solves
 *   `Σ y_i² / (ρ + λ s_i)² = 1`, and `x_g = 0` when `||y_g / s_g|| <= λ`.
 * - Sparse group lasso: the L1 prox, then the group prox (exact: the L1 term
 *   is separable).
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { type GroupLayout, groupSum, groupView } from './groups.js';
import { Regularizer } from './regularizer.js';

/** The step size the optimizer used: one number for every coordinate, or a tensor of the weight's shape. */
export type StepSize = number | tf.Tensor;

/** A regularizer that can replace its gradient by a proximal step after the optimizer's update. */
export interface ProximalRegularizer {
  /** Whether the penalty leaves the gradient for a proximal step. */
  readonly proximal: boolean;
  /** The weight after the proximal operator of this penalty, for the optimizer's step size. */
  proximalStep(weight: tf.Tensor, stepSize: StepSize): tf.Tensor;
}

/** Whether `regularizer` asks for proximal updates (`{ proximal: true }`). */
export function isProximal(regularizer: unknown): regularizer is Regularizer & ProximalRegularizer {
  return (
    regularizer instanceof Regularizer &&
    (regularizer as Partial<ProximalRegularizer>).proximal === true &&
    typeof (regularizer as Partial<ProximalRegularizer>).proximalStep === 'function'
  );
}

/** Checks a `proximal` option: a boolean. */
export function checkProximalFlag(value: unknown, name = 'proximal'): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(name, 'a boolean', value);
  return value;
}

/** `threshold * s` for a number or a tensor step. */
function scaled(threshold: number, stepSize: StepSize): StepSize {
  return typeof stepSize === 'number' ? threshold * stepSize : tf.mul(stepSize, threshold);
}

/**
 * Soft-thresholding, the prox of `t · |x|`: `sign(y) max(|y| - t, 0)`,
 * written `y - clip(y, -t, t)` so that every |y| <= t gives exactly 0.
 *
 * @example softThreshold(tf.tensor([-3, 0.5, 2]), 1) // [-2, 0, 1]
 */
export function softThreshold(y: tf.Tensor, threshold: StepSize): tf.Tensor {
  return tf.tidy(() => {
    if (typeof threshold === 'number') return tf.sub(y, tf.clipByValue(y, -threshold, threshold));
    return tf.sub(y, tf.minimum(tf.maximum(y, tf.neg(threshold)), threshold));
  });
}

/** The prox of `l1 Σ|x| + l2 Σx²` at step `s`: `softThreshold(y, l1 s) / (1 + 2 l2 s)`. */
export function proxL1L2(y: tf.Tensor, l1: number, l2: number, stepSize: StepSize): tf.Tensor {
  return tf.tidy(() => {
    const shrunk = l1 === 0 ? y : softThreshold(y, scaled(l1, stepSize));
    if (l2 === 0) return shrunk;
    const denominator = typeof stepSize === 'number' ? 1 + 2 * l2 * stepSize : tf.add(tf.mul(stepSize, 2 * l2), 1);
    return tf.div(shrunk, denominator);
  });
}

/** Guards divisions by a norm or a sum that can be 0 (a normal float32, unlike Number.MIN_VALUE). */
const TINY = 1e-30;

/** Newton steps on the secular equation; from the left they never overshoot (it is concave in ρ), and 5 reach float32 precision even for steps 10⁴ apart within a group. */
const NEWTON_STEPS = 5;

/**
 * Block soft-thresholding, the prox of `λ Σ_g ||x_g||₂` over the groups of
 * `layout`: for one step size `x_g = y_g max(0, 1 - λ s / ||y_g||)`; for a
 * step per coordinate, the exact prox in the metric `diag(1/s)` (see the
 * file's comment), by Newton's method from `ρ₀ = max(0, ||y_g|| - λ max s_g)`.
 */
export function blockSoftThreshold(y: tf.Tensor, layout: GroupLayout, lambda: number, stepSize: StepSize): tf.Tensor {
  return tf.tidy(() => {
    if (lambda === 0 || layout.groupCount === 0) return tf.clone(y);
    const view = groupView(y, layout);
    const norms = tf.sqrt(groupSum(tf.square(view), layout));
    if (typeof stepSize === 'number') {
      // relu(||y|| - λs) / ||y||: 0 for a group inside the threshold, and for an all-zero group (no 0/0).
      const kept = tf.relu(tf.sub(norms, lambda * stepSize));
      const scale = tf.div(kept, tf.maximum(norms, TINY));
      return tf.reshape(tf.mul(view, scale), y.shape);
    }
    const lambdaS = tf.mul(groupView(stepSize, layout), lambda);
    // Zero when ||y / s|| <= λ, i.e. ||y / (λ s)|| <= 1.
    const zero = tf.lessEqual(tf.sqrt(groupSum(tf.square(tf.div(view, lambdaS)), layout)), 1);
    let rho = tf.relu(tf.sub(norms, maxOverGroup(lambdaS, layout)));
    for (let i = 0; i < NEWTON_STEPS; i++) {
      const t = tf.add(rho, lambdaS);
      const r2 = tf.square(tf.div(view, t));
      const q2 = groupSum(r2, layout);
      const s3 = groupSum(tf.div(r2, t), layout);
      const q = tf.sqrt(q2);
      // A zero group (s3 = 0) keeps ρ; its result is masked below.
      const next = tf.add(rho, tf.div(tf.mul(q2, tf.sub(q, 1)), tf.maximum(s3, TINY)));
      rho = tf.where(zero, rho, next);
    }
    const x = tf.div(tf.mul(view, rho), tf.add(rho, lambdaS));
    return tf.reshape(tf.where(tf.broadcastTo(zero, view.shape), tf.zerosLike(view), x), y.shape);
  });
}

function maxOverGroup(view: tf.Tensor, layout: GroupLayout): tf.Tensor {
  return layout.reduceAxes.length === 0 ? view : tf.max(view, layout.reduceAxes, true);
}

/**
 * The value of `penalty(x)` with no gradient: a proximal regularizer still
 * reports its penalty (`layer.losses`, the logs), but its gradient leaves
 * the training step, whose proximal step takes its place.
 */
export function withoutGradient(x: tf.Tensor, penalty: (x: tf.Tensor) => tf.Scalar): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    return { value: penalty(input), gradFunc: () => [tf.zerosLike(input)] };
  }) as (input: tf.Tensor) => tf.Scalar;
  return op(x);
}
