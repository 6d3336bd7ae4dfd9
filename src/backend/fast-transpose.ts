/**
 * `Transpose` on `wasm` for float32 tensors whose permutation swaps the last
 * two axes, as 4x4 SIMD blocks.
 *
 * Why: those are the transposes matmul gradients ask for (see
 * matmul-gradient.ts), and tfjs's kernel moves one float at a time: 0.73 ms
 * for a 512 x 512 matrix here, 5% of an MLP training step. Every other
 * permutation and dtype goes to tfjs's kernel.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsActive, transposeLastTwoAxes } from './fused-kernels.js';

/** Whether `perm` keeps every axis but the last two, which it swaps. */
function swapsLastTwoAxes(perm: readonly number[]): boolean {
  const rank = perm.length;
  if (rank < 2 || perm[rank - 1] !== rank - 2 || perm[rank - 2] !== rank - 1) return false;
  return perm.slice(0, -2).every((axis, i) => axis === i);
}

export function registerFastTranspose(): void {
  const stock = tf.getKernel('Transpose', 'wasm');
  if (stock == null) return;
  tf.unregisterKernel('Transpose', 'wasm');
  tf.registerKernel({
    ...stock,
    kernelFunc: (params) => {
      const x = params.inputs.x as tf.TensorInfo;
      const { perm } = params.attrs as unknown as { perm: number[] };
      if (!swapsLastTwoAxes(perm) || !fusedKernelsActive(x)) return stock.kernelFunc(params);
      return transposeLastTwoAxes(params.backend as BackendWasm, x);
    },
  });
}
