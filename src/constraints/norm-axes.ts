/**
 * The `axis` argument of the norm constraints (MaxNorm, MinMaxNorm,
 * UnitNorm): Keras's `ops.sum(..., axis=axis, keepdims=True)` takes an
 * integer, a list of integers (a Conv kernel's `[0, 1, 2]`) or None (the
 * whole tensor); negative axes count from the end.
 */
import * as tf from '@tensorflow/tfjs-core';
import { epsilon } from '../backend/config.js';
import { COLUMN_SUM_SQUARES, fusedKernelsActive, SCALE_COLUMNS } from '../backend/fused-kernels.js';
import { invalidArgument, ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';

/** An axis, a list of axes, or null for all of them. */
export type ConstraintAxis = number | readonly number[] | null;

/** Checks `axis` as given (integers, no repeats); range is checked against the weight's rank. */
export function validateAxis(value: unknown, className: string): ConstraintAxis {
  if (value === null) return null;
  if (Number.isInteger(value)) return value as number;
  if (Array.isArray(value) && value.length > 0 && value.every((a) => Number.isInteger(a))) {
    if (new Set(value).size === value.length) return Object.freeze([...value]) as readonly number[];
  }
  throw invalidArgument('axis', `an integer, a non-empty list of distinct integers or null (${className})`, value);
}

/**
 * `axis` as non-negative axes of a tensor of `rank`; an axis out of range
 * is an error naming it and the rank (and the weight, when known).
 */
export function resolveAxes(axis: ConstraintAxis, rank: number, className: string, weight?: string): number[] {
  if (axis === null) return Array.from({ length: rank }, (_, i) => i);
  const axes = typeof axis === 'number' ? [axis] : [...axis];
  const resolved = axes.map((a) => (a < 0 ? a + rank : a));
  const bad = axes.find((_, i) => (resolved[i] as number) < 0 || (resolved[i] as number) >= rank);
  if (bad !== undefined) {
    const where = weight == null ? `a weight of rank ${rank}` : `weight ${weight} of rank ${rank}`;
    const expected = rank === 0 ? 'no axis (a scalar weight has none)' : `an axis in [${-rank}, ${rank - 1}]`;
    throw new ValueError(
      `Invalid value for argument axis of ${className}: axis ${bad} is out of range for ${where}: expected ${expected}. Received: axis=${formatValue(axis)}`,
      { argument: 'axis', expected, received: formatValue(axis) },
    );
  }
  if (new Set(resolved).size !== resolved.length) {
    throw new ValueError(
      `Invalid value for argument axis of ${className}: axes ${formatValue(axis)} name the same axis twice for ${weight ?? 'a weight'} of rank ${rank}.`,
      { argument: 'axis', expected: 'distinct axes', received: formatValue(axis) },
    );
  }
  return resolved;
}

/** `sqrt(sum(square(w), axes, keepdims))`, Keras's norm of the constraints. */
export function norms(w: tf.Tensor, axes: number[]): tf.Tensor {
  return tf.sqrt(sumOfSquares(w, axes));
}

/**
 * Whether `axes` are every axis of `w` but the last (a Dense kernel's axis
 * 0, a Conv kernel's `[0, 1, 2]`: the usual case) and the wasm backend's
 * column kernels take `w`: then the norms are one fused pass over the
 * weight and the rescaling another (tfjs's Sum would first transpose the
 * weight, and its multiply by a broadcast row takes a slow path; together
 * they made MaxNorm cost a tenth of an MLP's training step).
 */
function byColumns(w: tf.Tensor, axes: number[]): boolean {
  const cols = w.shape[w.rank - 1] as number;
  if (w.rank < 2 || cols === 0 || cols % 4 !== 0 || axes.length !== w.rank - 1) return false;
  return [...axes].sort((a, b) => a - b).every((a, i) => a === i) && fusedKernelsActive(w);
}

/** `sum(square(w), axes, keepdims)`. */
function sumOfSquares(w: tf.Tensor, axes: number[]): tf.Tensor {
  if (!byColumns(w, axes)) return tf.sum(tf.square(w), axes, true);
  const sums = tf.engine().runKernel(COLUMN_SUM_SQUARES, { x: w }) as tf.Tensor;
  return tf.reshape(sums, [...w.shape.slice(0, -1).map(() => 1), w.shape[w.rank - 1] as number]);
}

/** `w * (desired / (epsilon + norms))`, Keras's rescaling, in its order of operations. */
export function rescale(w: tf.Tensor, desired: tf.Tensor, norms: tf.Tensor, axes: number[]): tf.Tensor {
  const factors = tf.div(desired, tf.add(epsilon(), norms));
  if (!byColumns(w, axes)) return tf.mul(w, factors);
  return tf.engine().runKernel(SCALE_COLUMNS, { x: w, f: tf.reshape(factors, [-1]) }) as tf.Tensor;
}

/** A constraint whose math runs along `axis`: the check a layer runs when it creates the weight. */
export interface AxisConstraint {
  readonly axis: ConstraintAxis;
}

/** True for the built-in norm constraints. */
export function hasAxis(value: unknown): value is AxisConstraint & { constructor: { className: string } } {
  return typeof value === 'object' && value != null && 'axis' in value;
}
