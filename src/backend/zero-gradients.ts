/**
 * Gradients for tfjs-core kernels whose output does not vary smoothly with
 * their inputs (comparisons, logic). TensorFlow and Keras treat them as
 * constants; tfjs has no gradient for them, so `tf.grad` fails on any tape
 * that passes through one, even when it only feeds a `where` condition:
 * `tf.where(x > 0, x, 0)`, and tfjs's own `divNoNan`, which compares with
 * `zerosLike(a / b)`. We register a zero gradient for each such kernel that
 * has none, so those tapes differentiate as in Keras.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerOwnGradient } from './own-gradients.js';

const BINARY_KERNELS = [
  'Equal',
  'NotEqual',
  'Greater',
  'GreaterEqual',
  'Less',
  'LessEqual',
  'LogicalAnd',
  'LogicalOr',
  'LogicalXor',
];
const UNARY_KERNELS = ['LogicalNot', 'IsNan', 'IsInf', 'IsFinite'];

/** Zeros shaped like an input: the gradient of a piecewise-constant op. */
function zerosFor(input: tf.Tensor | undefined): () => tf.Tensor {
  return () => tf.zeros((input as tf.Tensor).shape, 'float32');
}

export function registerZeroGradients(): void {
  for (const kernelName of BINARY_KERNELS) {
    if (tf.getGradient(kernelName) != null) continue;
    registerOwnGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => ({ a: zerosFor(saved[0]), b: zerosFor(saved[1]) }),
    });
  }
  for (const kernelName of UNARY_KERNELS) {
    if (tf.getGradient(kernelName) != null) continue;
    registerOwnGradient({ kernelName, inputsToSave: ['x'], gradFunc: (_dy, saved) => ({ x: zerosFor(saved[0]) }) });
  }
}
