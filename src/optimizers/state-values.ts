/** The checks of `Optimizer.loadVariables`: every problem found before any state changes. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { formatShape } from '../utils/format.js';

/**
 * Refuses `values` unless there is one tensor per optimizer variable, each
 * of its variable's shape (Keras's `set_weights` checks), naming the first
 * that does not fit; an unbuilt optimizer's message says to build it first.
 */
export function checkStateValues(
  className: string,
  names: readonly string[],
  targets: readonly tf.Variable[],
  values: unknown,
  built: boolean,
): asserts values is readonly tf.Tensor[] {
  if (!Array.isArray(values) || values.length !== targets.length) {
    const count = Array.isArray(values) ? values.length : 'no list';
    throw new ValueError(
      `${className} has ${targets.length} variables (${names.join(', ')}) but ${count} values were given.${built ? '' : ' Build it first: optimizer.build(model.trainableWeights).'}`,
      { argument: 'values', expected: `${targets.length} tensors`, received: `${count}` },
    );
  }
  values.forEach((value: unknown, i) => {
    const target = targets[i] as tf.Variable;
    if (!(value instanceof tf.Tensor) || !tf.util.arraysEqual(value.shape, target.shape)) {
      const shape = value instanceof tf.Tensor ? formatShape(value.shape) : 'not a tensor';
      throw new ValueError(
        `Optimizer variable ${i} (${names[i]}) has shape ${formatShape(target.shape)}, not compatible with the given value's shape ${shape}.`,
        { argument: `values[${i}]`, expected: formatShape(target.shape), received: shape },
      );
    }
  });
}
