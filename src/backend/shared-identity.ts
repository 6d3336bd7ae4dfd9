/**
 * `Identity` on `wasm` that shares the input's memory instead of copying it.
 *
 * Why: tfjs clones every tensor a gradient saves (`matMul` saves both
 * operands, `relu` its output, `customGrad` whatever it is told), and its
 * engine clones through the `Identity` kernel. The `cpu` backend's Identity
 * shares the data by reference count; `wasm`'s copies it, a full pass over
 * every saved tensor in every training step. Tensors are immutable and the
 * `wasm` backend counts references already (its `Reshape` shares memory the
 * same way), so sharing is safe.
 */

import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

let stock: tf.KernelConfig | undefined;

/** tfjs's own `Identity` for `wasm`, the one replaced (for the test that it still copies). */
export function stockWasmIdentity(): tf.KernelConfig | undefined {
  return stock;
}

export function registerSharedIdentity(): void {
  if (stock != null) return;
  stock = tf.getKernel('Identity', 'wasm');
  if (stock == null) return;
  const stockKernel = stock.kernelFunc;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (params) => {
      const x = params.inputs.x as tf.TensorInfo;
      // Strings live outside the heap: the stock kernel handles them.
      if (x.dtype === 'string') return stockKernel(params);
      (params.backend as BackendWasm).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}
