/**
 * Dense's matmul as a kernel of its own: the backend's `_FusedMatMul`
 * (XNNPACK on wasm) with the layer's bias and relu fused in and, on `wasm`,
 * a built-in activity penalty of the result as a second output, its
 * gradient folded into the kernel's (see epilogue.ts).
 *
 * Why: a separate bias add, relu and penalty are each a tfjs kernel, a
 * tape node and a pass forward and backward; in an MLP step those small
 * kernels cost as much as a few percent of the step.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  type Epilogue,
  type EpilogueAttrs,
  epilogueAttrs,
  epilogueOutputs,
  type OutputWithPenalty,
  registerEpilogueGradient,
  reluInKernel,
  withPenalty,
} from './epilogue.js';

const DENSE = 'KerasRegularizersDense';

/** `relu?(x @ kernel + bias?)` for a [rows, inputDim] `x`, with the activity penalty when the backend computed it. */
export function dense(x: tf.Tensor, kernel: tf.Tensor, epilogue: Epilogue): OutputWithPenalty {
  const { bias = null, relu = false } = epilogue;
  if (!denseKernelReady(tf.getBackend())) {
    const y = bias == null ? tf.matMul(x, kernel) : tf.add(tf.matMul(x, kernel), bias);
    return { y: relu ? tf.relu(y) : y, activityPenalty: null };
  }
  const inputs: tf.NamedTensorMap = bias == null ? { x, kernel } : { x, kernel, bias };
  const attrs = epilogueAttrs(epilogue, x, kernel);
  return withPenalty(tf.engine().runKernel(DENSE, inputs, attrs as unknown as tf.NamedAttrMap), attrs);
}

/** A [rows, cols] tensor seen as [1, rows, cols], the batched shape `_FusedMatMul` reads. */
function batchOfOne(t: tf.TensorInfo): tf.TensorInfo {
  return { dataId: t.dataId, shape: [1, ...t.shape], dtype: t.dtype };
}

/** Registers the kernel for `backendName`, delegating to its `_FusedMatMul`; false when it has none. */
function denseKernelReady(backendName: string): boolean {
  if (tf.getKernel(DENSE, backendName) != null) return true;
  const fusedMatMul = tf.getKernel('_FusedMatMul', backendName);
  if (fusedMatMul == null) return false;
  tf.registerKernel({
    kernelName: DENSE,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const epilogueAttrs = attrs as unknown as EpilogueAttrs;
      const { x, kernel, bias } = inputs as Record<'x' | 'kernel' | 'bias', tf.TensorInfo>;
      const matMulInputs =
        bias == null ? { a: batchOfOne(x), b: batchOfOne(kernel) } : { a: batchOfOne(x), b: batchOfOne(kernel), bias };
      // Linear here, relu after: the backend's fused relu may turn NaN into 0 (see reluInKernel).
      const matMulAttrs = { transposeA: false, transposeB: false, activation: 'linear', leakyreluAlpha: 0 };
      const out = fusedMatMul.kernelFunc({
        inputs: matMulInputs,
        backend,
        attrs: matMulAttrs as unknown as tf.NamedAttrMap,
      }) as tf.TensorInfo;
      // [1, rows, units] as [rows, units]: the same data.
      const linear = { dataId: out.dataId, shape: out.shape.slice(1), dtype: out.dtype };
      const y = epilogueAttrs.activation === 'relu' ? reluInKernel(backend, linear) : linear;
      return epilogueOutputs(backend, y, epilogueAttrs);
    },
  });
  registerEpilogueGradient(DENSE, 'kernel', (grad, x, kernel) => ({
    // Explicit transposes: wasm's matmul with a transpose flag leaves XNNPACK (see matmul-gradient.ts).
    x: () => tf.matMul(grad, tf.transpose(kernel)),
    weight: () => tf.matMul(tf.transpose(x), grad),
  }));
  return true;
}
