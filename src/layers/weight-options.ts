/**
 * `addWeight`'s options, checked, and the variable they make: the weight's
 * initial value, its budget and its constraint, before the layer tracks it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ConstraintLike } from '../constraints/constraint.js';
import { constraintOption } from '../constraints/identifiers.js';
import { attachConstraint } from '../constraints/weight-constraint.js';
import { invalidArgument, ValueError } from '../errors.js';
import * as initializers from '../initializers/index.js';
import { get as getRegularizer, type RegularizerLike } from '../regularizers/index.js';
import { formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { chargeWeights } from '../utils/weight-budget.js';
import { parseDtype } from './dtype-policy.js';
import { checkBoolean } from './layer-checks.js';
import { type AddWeightOptions, MAX_WEIGHT_SIZE } from './layer-types.js';

/** A weight as `addWeight` makes it, before the layer records it. */
export interface NewWeight {
  name: string;
  variable: tf.Variable;
  regularizer: RegularizerLike | null;
  trainable: boolean;
}

/**
 * Checks `options` (every one before anything is allocated), charges the
 * weight budget, and makes the variable with its initial value and
 * constraint. `layerName` is for messages.
 */
export function makeWeight(layerName: string, options: AddWeightOptions): NewWeight {
  const read = readOptions<AddWeightOptions>('addWeight', options, [
    'name',
    'shape',
    'initializer',
    'regularizer',
    'constraint',
    'trainable',
    'dtype',
  ]);
  const { name, shape } = read;
  if (typeof name !== 'string' || name === '') {
    throw invalidArgument('name', 'a non-empty string', name);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw invalidArgument('shape', 'an array of non-negative integers', shape);
  }
  parseDtype(read.dtype);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > MAX_WEIGHT_SIZE) {
    throw new ValueError(
      `Weight ${name} of layer "${layerName}" would have ${size} elements, over the limit of ${MAX_WEIGHT_SIZE} (1 GiB of float32). Received: shape=${formatValue(shape)}`,
      { argument: 'shape', expected: `at most ${MAX_WEIGHT_SIZE} elements`, received: formatValue(shape) },
    );
  }
  const initializer = initializers.get(read.initializer ?? 'glorot_uniform') as initializers.Initializer;
  const trainable = checkBoolean(read.trainable ?? true, 'trainable');
  const regularizer = getRegularizer(read.regularizer);
  const constraint: ConstraintLike | null = constraintOption('constraint', read.constraint);
  chargeWeights(size, `weight ${name} of layer "${layerName}"`);
  const initial = tf.tidy(() => initializer.apply(shape, 'float32'));
  const variable = tf.variable(initial, trainable);
  initial.dispose();
  try {
    attachConstraint(variable, constraint, `${name} of layer "${layerName}"`);
  } catch (error) {
    variable.dispose();
    throw error;
  }
  return { name, variable, regularizer, trainable };
}
