/**
 * Which constraint each weight variable carries (Keras's `variable.constraint`),
 * and applying them after an optimizer update. Layers record a weight's
 * constraint when they create it; every update path (the optimizers, fused
 * or not, and the row-sparse Embedding path) calls `applyConstraints` on the
 * variables it changed, as Keras's `optimizer.apply` does after its update.
 */
import * as tf from '@tensorflow/tfjs-core';

/** What a weight's constraint does: maps the updated weight to its projection (same shape). */
export interface VariableConstraint {
  apply(weight: tf.Tensor): tf.Tensor;
}

const constraints = new WeakMap<tf.Variable, VariableConstraint>();

/** Records (or, with null, removes) the constraint of `variable`. */
export function setVariableConstraint(variable: tf.Variable, constraint: VariableConstraint | null): void {
  if (constraint == null) constraints.delete(variable);
  else constraints.set(variable, constraint);
}

/** The constraint recorded for `variable`, or null. */
export function variableConstraint(variable: tf.Variable): VariableConstraint | null {
  return constraints.get(variable) ?? null;
}

/** Assigns `constraint(variable)` to each variable that has a constraint; the others are left alone. */
export function applyConstraints(variables: Iterable<tf.Variable>): void {
  for (const variable of variables) {
    const constraint = constraints.get(variable);
    if (constraint == null) continue;
    tf.tidy(() => variable.assign(constraint.apply(variable)));
  }
}
