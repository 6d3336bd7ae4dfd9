/** `setWeights`: values checked against the weights' count and shapes, then assigned. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { formatShape, formatValue } from '../utils/format.js';

/** Assigns `values` to `weights` in order: the count checked first, each shape before its assignment. */
export function assignWeights(
  layerName: string,
  weights: readonly tf.Variable[],
  values: readonly (tf.Tensor | tf.TensorLike)[],
): void {
  if (!Array.isArray(values) || values.length !== weights.length) {
    const received = Array.isArray(values) ? `${values.length} arrays` : formatValue(values);
    throw new ValueError(`Layer ${layerName} expects ${weights.length} weights. Received: ${received}`, {
      argument: 'weights',
      expected: `${weights.length} arrays`,
      received,
    });
  }
  tf.tidy(() => {
    values.forEach((value, index) => {
      const variable = weights[index] as tf.Variable;
      const tensor = value instanceof tf.Tensor ? value : tf.tensor(value, variable.shape, 'float32');
      if (!tf.util.arraysEqual(tensor.shape, variable.shape)) {
        throw new ValueError(
          `Invalid weight ${index} for layer ${layerName}: expected shape ${formatShape(variable.shape)}. Received: shape ${formatShape(tensor.shape)}`,
          {
            argument: `weights[${index}]`,
            expected: formatShape(variable.shape),
            received: formatShape(tensor.shape),
          },
        );
      }
      variable.assign(tensor.dtype === 'float32' ? tensor : tf.cast(tensor, 'float32'));
    });
  });
}
