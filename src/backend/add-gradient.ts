/**
 * The gradient of `Add` on `wasm` when one operand is a vector broadcast
 * along the last axis: a bias.
 *
 * Why: tfjs reduces the bias's gradient with `Sum` over the leading axes,
 * which on `wasm` transposes the whole gradient and then sums it with
 * scalar code: about 8 ms for a 32 x 24 x 24 x 64 batch, more than the
 * rest of the bias add. A fused SIMD pass of column sums does it at memory
 * speed. Every other broadcast keeps tfjs's gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import { COLUMN_SUMS, fusedKernelsActive } from './fused-kernels.js';
import { registerOwnGradient } from './own-gradients.js';

/** Whether `b` is a [C] vector added along the last axis of `a`, with C a multiple of 4. */
function isLastAxisBias(a: tf.Tensor, b: tf.Tensor): boolean {
  const cols = a.shape[a.rank - 1] as number;
  return a.rank >= 2 && b.rank === 1 && b.shape[0] === cols && cols % 4 === 0;
}

export function registerFastBiasGradient(): void {
  const stock = tf.getGradient('Add');
  if (stock == null) return;
  registerOwnGradient({
    kernelName: 'Add',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const grad = dy as tf.Tensor;
      if (!fusedKernelsActive(grad)) return stock.gradFunc(dy, saved, attrs);
      const columnSums = () => tf.engine().runKernel(COLUMN_SUMS, { x: grad }) as tf.Tensor;
      if (isLastAxisBias(a, b)) return { a: () => tf.reshape(grad, a.shape), b: columnSums };
      if (isLastAxisBias(b, a)) return { a: columnSums, b: () => tf.reshape(grad, b.shape) };
      return stock.gradFunc(dy, saved, attrs);
    },
  });
}
