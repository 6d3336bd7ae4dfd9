/**
 * Between a layer's weight and its constraint: the check when the weight is
 * created (an axis out of range fails at build, naming the weight), and the
 * object recorded for the variable (src/constraints/variable-constraints.ts)
 * that the update paths apply.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { classNameOfInstance } from '../utils/class-name.js';
import { applyConstraint, type ConstraintLike } from './constraint.js';
import { hasAxis, resolveAxes } from './norm-axes.js';
import { setVariableConstraint, type VariableConstraint } from './variable-constraints.js';

/** Throws if `constraint` cannot run on a weight of `shape` (a norm axis out of range), naming `weight`. */
export function checkConstraintFor(constraint: ConstraintLike | null, shape: readonly number[], weight: string): void {
  if (constraint == null || typeof constraint === 'function' || !hasAxis(constraint)) return;
  resolveAxes(constraint.axis, shape.length, classNameOfInstance(constraint), weight);
}

/** What the update paths call for `constraint`: its projection, checked to keep the weight's shape. */
function asVariableConstraint(constraint: ConstraintLike): VariableConstraint {
  return { apply: (w: tf.Tensor) => applyConstraint(constraint, w) };
}

/** Checks `constraint` against the weight and records it for `variable` (null removes it). */
export function attachConstraint(variable: tf.Variable, constraint: ConstraintLike | null, weight: string): void {
  checkConstraintFor(constraint, variable.shape, weight);
  setVariableConstraint(variable, constraint == null ? null : asVariableConstraint(constraint));
}
