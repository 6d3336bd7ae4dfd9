/** Argument checks and small computations of the Layer base. */
import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsActive } from '../backend/fused-kernels.js';
import { invalidArgument, ValueError } from '../errors.js';
import { l1l2Penalty } from '../regularizers/closed-form.js';
import { closedFormFactors } from '../regularizers/closed-form-factors.js';
import { computePenalty, type RegularizerLike } from '../regularizers/index.js';
import { formatValue } from '../utils/format.js';
import type { LayerInputs, Shape } from './layer-types.js';

/** Keras's `divide_no_nan(loss, batch)`; the batch is a known number, so a plain division serves. */
export function activityPenalty(regularizer: RegularizerLike, output: tf.Tensor): tf.Scalar {
  if (output.rank === 0) return computePenalty(regularizer, output);
  const batch = output.shape[0] as number;
  // divide_no_nan: an empty batch has no penalty. Not computed at all: tfjs-backend-webgl's Sum of an empty tensor throws.
  if (batch === 0) return tf.scalar(0);
  const factors = closedFormFactors(regularizer);
  if (factors != null && fusedKernelsActive(output)) {
    // (l * sum) / batch as (l / batch) * sum: the fused kernel then writes the
    // final gradient in its one pass, with no scaling pass in the backward step.
    return l1l2Penalty(output, factors.l1 / batch, factors.l2 / batch);
  }
  return tf.tidy(() => tf.div(computePenalty(regularizer, output), batch) as tf.Scalar);
}

export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') {
    throw invalidArgument(name, 'a boolean', value);
  }
  return value;
}

export function checkInputs(inputs: unknown, layerName: string): void {
  const ok =
    inputs instanceof tf.Tensor ||
    (Array.isArray(inputs) && inputs.length > 0 && inputs.every((x) => x instanceof tf.Tensor));
  if (!ok) {
    throw new ValueError(
      `Invalid inputs for layer ${layerName}: expected a tensor or an array of tensors. Received: ${formatValue(inputs)}`,
      { argument: 'inputs', expected: 'a tensor or an array of tensors', received: formatValue(inputs) },
    );
  }
}

/** Whether two shapes (or lists of shapes) agree on every axis but the batch axis. */
export function sameSampleShape(a: Shape | Shape[], b: Shape | Shape[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((d, i) => {
    const other = b[i];
    if (Array.isArray(d) || Array.isArray(other)) {
      return Array.isArray(d) && Array.isArray(other) && sameSampleShape(d, other);
    }
    return i === 0 || d === other;
  });
}

/** The one tensor of a single-input layer (the first when given an array). */
export function singleInput(inputs: LayerInputs): tf.Tensor {
  return Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
}
