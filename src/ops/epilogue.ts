/**
 * What a layer does after its matmul or convolution, fused into that
 * kernel where the backend can: `relu?(y + bias?)`, and on `wasm` a
 * built-in L1/L2/L1L2 activity penalty of the result as a second output,
 * its gradient folded into the kernel's. Shared by the Dense and the 2D
 * convolution kernels.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { ACTIVITY_GRAD, COLUMN_SUMS, fusedKernelsActive, penaltyValue } from '../backend/fused-kernels.js';
import { reluGradient } from '../backend/relu-gradient.js';
import type { ClosedFormFactors } from '../regularizers/closed-form-factors.js';

export interface Epilogue {
  bias?: tf.Tensor | null;
  relu?: boolean;
  /**
   * An activity penalty `l1 * sum|y| + l2 * sum y²` of the result, computed
   * with it where the backend can (factors already divided by the batch).
   */
  activity?: ClosedFormFactors | null;
}

/** A kernel's result, and its activity penalty when it was computed with it (else null). */
export interface OutputWithPenalty {
  y: tf.Tensor;
  activityPenalty: tf.Scalar | null;
}

/** Runs `body` in a tidy that keeps its output and penalty (a tidy's result holds no null). */
export function tidyWithPenalty(body: () => OutputWithPenalty): OutputWithPenalty {
  const [y, activityPenalty] = tf.tidy(() => {
    const out = body();
    return out.activityPenalty == null ? [out.y] : [out.y, out.activityPenalty];
  });
  return { y: y as tf.Tensor, activityPenalty: (activityPenalty as tf.Scalar | undefined) ?? null };
}

/** The epilogue as kernel attributes. */
export interface EpilogueAttrs {
  activation: 'linear' | 'relu';
  /** A second output: the activity penalty of the first (wasm only, where its fused kernels are). */
  withActivity: boolean;
  activityL1: number;
  activityL2: number;
}

/**
 * Inside a kernel: the relu of `y` through the backend's own Relu kernel,
 * freeing `y`. The layer kernels ask the backend's fused matmul and
 * convolution for a linear result and apply this after: XNNPACK's fused
 * clamp (wasm) turns NaN into 0, so a NaN input gave a finite loss there,
 * while Keras and the cpu backend give NaN. Relu alone keeps NaN.
 */
export function reluInKernel(backend: unknown, y: tf.TensorInfo): tf.TensorInfo {
  const relu = tf.getKernel('Relu', tf.getBackend());
  if (relu == null) throw new Error(`The ${tf.getBackend()} backend has no Relu kernel.`);
  const out = relu.kernelFunc({ inputs: { x: y }, backend: backend as tf.KernelBackend, attrs: {} }) as tf.TensorInfo;
  (backend as tf.KernelBackend).disposeData(y.dataId);
  return out;
}

/** `activity` is computed in the kernel only where the fused kernels take both operands. */
export function epilogueAttrs({ relu = false, activity = null }: Epilogue, x: tf.Tensor, w: tf.Tensor): EpilogueAttrs {
  const withActivity = activity != null && fusedKernelsActive(x) && fusedKernelsActive(w);
  return {
    activation: relu ? 'relu' : 'linear',
    withActivity,
    activityL1: withActivity ? (activity?.l1 ?? 0) : 0,
    activityL2: withActivity ? (activity?.l2 ?? 0) : 0,
  };
}

/** A kernel's outputs (`y`, then the penalty when `withActivity`) as an OutputWithPenalty. */
export function withPenalty(result: tf.Tensor | tf.Tensor[], { withActivity }: EpilogueAttrs): OutputWithPenalty {
  if (!withActivity) return { y: result as tf.Tensor, activityPenalty: null };
  const [y, penalty] = result as tf.Tensor[];
  return { y: y as tf.Tensor, activityPenalty: penalty as tf.Scalar };
}

/** Inside a kernel: `y`, plus its penalty as a second output when asked. */
export function epilogueOutputs(
  backend: unknown,
  y: tf.TensorInfo,
  attrs: EpilogueAttrs,
): tf.TensorInfo | tf.TensorInfo[] {
  if (!attrs.withActivity) return y;
  return [y, penaltyValue(backend as BackendWasm, y, attrs.activityL1, attrs.activityL2)];
}

/**
 * The gradient before the activation, from the saved output `y` and the
 * kernel's upstream gradient(s): with a penalty output, y's own gradient
 * plus the penalty's, through the relu, in one pass.
 */
export function preActivationGradient(y: tf.Tensor, dy: tf.Tensor | tf.Tensor[], attrs: EpilogueAttrs): tf.Tensor {
  if (attrs.withActivity) {
    const [dyOutput, dyPenalty] = dy as tf.Tensor[];
    const activityAttrs = { l1: attrs.activityL1, l2: attrs.activityL2, relu: attrs.activation === 'relu' };
    return tf
      .engine()
      .runKernel(
        ACTIVITY_GRAD,
        { y, dy: dyOutput as tf.Tensor, dp: dyPenalty as tf.Tensor },
        activityAttrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
  }
  return attrs.activation === 'relu' ? reluGradient(y, dy as tf.Tensor) : (dy as tf.Tensor);
}

/**
 * Registers the gradient of a fused layer kernel with inputs `x`, a weight
 * named `weightName` and optionally `bias`: `weightGradients` gets the
 * gradient before the activation (see preActivationGradient), `x`, the
 * weight and the attributes, and returns the lazy gradients of x and the
 * weight; the bias's is its column sums.
 */
export function registerEpilogueGradient<A extends EpilogueAttrs>(
  kernelName: string,
  weightName: string,
  weightGradients: (
    grad: tf.Tensor,
    x: tf.Tensor,
    weight: tf.Tensor,
    attrs: A,
  ) => { x: () => tf.Tensor; weight: () => tf.Tensor },
): void {
  if (tf.getGradient(kernelName) != null) return;
  tf.registerGradient({
    kernelName,
    inputsToSave: ['x', weightName],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, weight, y] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const layerAttrs = attrs as unknown as A;
      const grad = preActivationGradient(y, dy, layerAttrs);
      const gradients = weightGradients(grad, x, weight, layerAttrs);
      return { x: gradients.x, [weightName]: gradients.weight, bias: () => biasGradient(grad) };
    },
  });
}

/** A bias's gradient: sums over every axis but the last. */
export function biasGradient(grad: tf.Tensor): tf.Tensor {
  const channels = grad.shape[grad.rank - 1] as number;
  if (fusedKernelsActive(grad) && channels % 4 === 0) {
    return tf.engine().runKernel(COLUMN_SUMS, { x: grad }) as tf.Tensor;
  }
  return tf.sum(
    grad,
    grad.shape.slice(0, -1).map((_, i) => i),
  );
}
