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
 *
 * A step per coordinate (the adaptive optimizers) runs in JavaScript over
 * the weight's values, in float64: the Newton iterations of the group prox
 * stop per group when converged, and each pass is one loop where tfjs
 * kernels would make five or six passes (broadcasts taking their slow
 * path), which cost a quarter of an MLP's Adam step on wasm. One step size
 * (SGD) stays in tensor kernels (on wasm the fused column kernels).
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { type GroupLayout, groupSumOfSquares, groupView, scaleGroups } from './groups.js';
import { Regularizer } from './regularizer.js';

/**
 * An adaptive optimizer's step per coordinate without materializing it:
 * `s_i = numerator / (√second_i + epsilon)` (Adam), or
 * `numerator / √(second_i + epsilon)` with `epsilonInside` (RMSprop, Adagrad).
 */
export interface DiagonalStep {
  readonly numerator: number;
  /** The second-moment estimate, the weight's shape. */
  readonly second: tf.Tensor;
  readonly epsilon: number;
  readonly epsilonInside: boolean;
}

/** The step size the optimizer used: one number for every coordinate, a tensor of the weight's shape, or a {@link DiagonalStep}. */
export type StepSize = number | tf.Tensor | DiagonalStep;

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

/** The step per coordinate as float64 numbers (one array type keeps the loops that read it monomorphic). */
function stepValues(stepSize: tf.Tensor | DiagonalStep): Float64Array {
  if (stepSize instanceof tf.Tensor) return Float64Array.from(stepSize.dataSync() as Float32Array);
  const { numerator, epsilon, epsilonInside } = stepSize;
  const second = stepSize.second.dataSync() as Float32Array;
  const out = new Float64Array(second.length);
  for (let i = 0; i < out.length; i++) {
    const v = second[i] as number;
    out[i] = numerator / (epsilonInside ? Math.sqrt(v + epsilon) : Math.sqrt(v) + epsilon);
  }
  return out;
}

/** A DiagonalStep as a tensor (the tensor path of several group axes). */
function stepTensor(stepSize: tf.Tensor | DiagonalStep): tf.Tensor {
  if (stepSize instanceof tf.Tensor) return stepSize;
  const { numerator, second, epsilon, epsilonInside } = stepSize;
  return tf.div(numerator, epsilonInside ? tf.sqrt(tf.add(second, epsilon)) : tf.add(tf.sqrt(second), epsilon));
}

/**
 * Soft-thresholding, the prox of `t · |x|`: `sign(y) max(|y| - t, 0)`,
 * written `y - clip(y, -t, t)` so that every |y| <= t gives exactly 0.
 *
 * @example regularizers.softThreshold(tf.tensor([-3, 0.5, 2]), 1) // [-2, 0, 1]
 */
export function softThreshold(y: tf.Tensor, threshold: number): tf.Tensor {
  return tf.tidy(() => tf.sub(y, tf.clipByValue(y, -threshold, threshold)));
}

/**
 * The prox of `l1 Σ|x| + l2 Σx²` at step `s`: `softThreshold(y, l1 s) / (1 + 2 l2 s)`.
 *
 * @example regularizers.proxL1L2(weights, 0.01, 0, 0.1) // soft-thresholding by 0.001
 */
export function proxL1L2(y: tf.Tensor, l1: number, l2: number, stepSize: StepSize): tf.Tensor {
  if (typeof stepSize === 'number') {
    return tf.tidy(() => {
      const shrunk = l1 === 0 ? tf.clone(y) : softThreshold(y, l1 * stepSize);
      return l2 === 0 ? shrunk : tf.div(shrunk, 1 + 2 * l2 * stepSize);
    });
  }
  const values = y.dataSync() as Float32Array;
  const s = stepValues(stepSize);
  const out = new Float32Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const v = values[i] as number;
    const si = s[i] as number;
    const t = l1 * si;
    const shrunk = v > t ? v - t : v < -t ? v + t : 0;
    out[i] = l2 === 0 ? shrunk : shrunk / (1 + 2 * l2 * si);
  }
  return tf.tensor(out, y.shape);
}

/** Newton steps of the tensor path (several group axes); from the left they never overshoot, and 5 reach float32 precision even for steps 10⁴ apart within a group. */
const NEWTON_STEPS = 5;
/** The JavaScript path's limit; it stops each group when converged (usually 3 to 5). */
const MAX_NEWTON_STEPS = 30;

/** Guards divisions by a norm or a sum that can be 0 (a normal float32, unlike Number.MIN_VALUE). */
const TINY = 1e-30;

/**
 * Block soft-thresholding, the prox of `λ Σ_g ||x_g||₂` over the groups of
 * `layout`: for one step size `x_g = y_g max(0, 1 - λ s / ||y_g||)`; for a
 * step per coordinate, the exact prox in the metric `diag(1/s)` (see the
 * file's comment), by Newton's method from `ρ₀ = max(0, ||y_g|| - λ max s_g)`.
 *
 * @example regularizers.blockSoftThreshold(weights, regularizers.groupLayout(weights.shape, { axis: -1, gates: 1 }), 0.02, 0.1)
 */
export function blockSoftThreshold(y: tf.Tensor, layout: GroupLayout, lambda: number, stepSize: StepSize): tf.Tensor {
  if (lambda === 0 || layout.groupCount === 0) return tf.clone(y);
  if (typeof stepSize === 'number') {
    return tf.tidy(() => {
      const view = groupView(y, layout);
      const norms = tf.sqrt(groupSumOfSquares(view, layout));
      // relu(||y|| - λs) / ||y||: 0 for a group inside the threshold, and for an all-zero group (no 0/0).
      const scale = tf.div(tf.relu(tf.sub(norms, lambda * stepSize)), tf.maximum(norms, TINY));
      return tf.reshape(scaleGroups(view, scale, layout), y.shape);
    });
  }
  if (layout.folded) return foldedDiagonalProx(y, layout, lambda, stepValues(stepSize));
  return tf.tidy(() => tensorDiagonalProx(y, layout, lambda, stepTensor(stepSize)));
}

/**
 * The per-coordinate group prox on the `[A, G, B]` view, in float64, all
 * groups in lock step (row-major passes) until each has converged.
 */
function foldedDiagonalProx(y: tf.Tensor, layout: GroupLayout, lambda: number, s: Float64Array): tf.Tensor {
  const [a, g, b] = layout.viewShape as [number, number, number];
  const values = y.dataSync() as Float32Array;
  const norm2 = new Float64Array(g);
  const scaled2 = new Float64Array(g);
  const maxS = new Float64Array(g);
  // Row-major passes, loops written out (a callback per element made them several times slower).
  for (let outer = 0, i = 0; outer < a; outer++) {
    for (let group = 0; group < g; group++) {
      for (let inner = 0; inner < b; inner++, i++) {
        const v = values[i] as number;
        const si = s[i] as number;
        norm2[group] = (norm2[group] as number) + v * v;
        scaled2[group] = (scaled2[group] as number) + (v / si) * (v / si);
        if (si > (maxS[group] as number)) maxS[group] = si;
      }
    }
  }
  const rho = new Float64Array(g);
  const active = new Uint8Array(g);
  const lambda2 = lambda * lambda;
  for (let k = 0; k < g; k++) {
    // Zero when ||y / s|| <= λ.
    if ((scaled2[k] as number) <= lambda2) continue;
    active[k] = 1;
    rho[k] = Math.max(0, Math.sqrt(norm2[k] as number) - lambda * (maxS[k] as number));
  }
  const q2 = new Float64Array(g);
  const s3 = new Float64Array(g);
  for (let step = 0; step < MAX_NEWTON_STEPS && active.includes(1); step++) {
    q2.fill(0);
    s3.fill(0);
    for (let outer = 0, i = 0; outer < a; outer++) {
      for (let group = 0; group < g; group++) {
        if (active[group] === 0) {
          i += b;
          continue;
        }
        const r0 = rho[group] as number;
        let q = 0;
        let c = 0;
        for (let inner = 0; inner < b; inner++, i++) {
          const t = r0 + lambda * (s[i] as number);
          const r = (values[i] as number) / t;
          q += r * r;
          c += (r * r) / t;
        }
        q2[group] = (q2[group] as number) + q;
        s3[group] = (s3[group] as number) + c;
      }
    }
    for (let k = 0; k < g; k++) {
      if (active[k] === 0) continue;
      const q = Math.sqrt(q2[k] as number);
      const next = (rho[k] as number) + ((q2[k] as number) * (q - 1)) / Math.max(s3[k] as number, TINY);
      // Monotone from the left: a step that no longer moves ρ (in float64) is the root.
      if (!(next > (rho[k] as number) * (1 + 1e-10))) active[k] = 0;
      rho[k] = Math.max(next, rho[k] as number);
    }
  }
  const out = new Float32Array(values.length);
  for (let outer = 0, i = 0; outer < a; outer++) {
    for (let group = 0; group < g; group++) {
      const r = rho[group] as number;
      for (let inner = 0; inner < b; inner++, i++) {
        if (r > 0) out[i] = ((values[i] as number) * r) / (r + lambda * (s[i] as number));
      }
    }
  }
  return tf.tensor(out, y.shape);
}

/** The same prox in tensor kernels, for groups over several axes. */
function tensorDiagonalProx(y: tf.Tensor, layout: GroupLayout, lambda: number, stepSize: tf.Tensor): tf.Tensor {
  const view = groupView(y, layout);
  const norms = tf.sqrt(groupSumOfSquares(view, layout));
  const lambdaS = tf.mul(groupView(stepSize, layout), lambda);
  const zero = tf.lessEqual(tf.sqrt(groupSumOfSquares(tf.div(view, lambdaS), layout)), 1);
  let rho = tf.relu(tf.sub(norms, tf.max(lambdaS, layout.reduceAxes, true)));
  for (let i = 0; i < NEWTON_STEPS; i++) {
    const t = tf.add(rho, lambdaS);
    const r = tf.div(view, t);
    const q2 = groupSumOfSquares(r, layout);
    const s3 = groupSumOfSquares(tf.div(r, tf.sqrt(t)), layout);
    const next = tf.add(rho, tf.div(tf.mul(q2, tf.sub(tf.sqrt(q2), 1)), tf.maximum(s3, TINY)));
    rho = tf.where(zero, rho, next);
  }
  const x = tf.div(tf.mul(view, rho), tf.add(rho, lambdaS));
  return tf.reshape(tf.where(tf.broadcastTo(zero, view.shape), tf.zerosLike(view), x), y.shape);
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
