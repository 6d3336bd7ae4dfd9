/**
 * Keras masks carried on tensors. A layer that supports masking attaches the
 * mask of each output to it, in tfjs's own `tensor.kerasMask` slot: the mask
 * is a kept clone that `output.dispose()` (or the `tf.tidy` that owns the
 * output) frees with it, so masks travel with their tensors through
 * Sequential and Functional models and never outlive them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from './layer.js';
import type { LayerInputs, LayerOutputs, Masks } from './layer-types.js';

/** The mask attached to `x`, or null. */
export function maskOf(x: tf.Tensor): tf.Tensor | null {
  const mask = x.kerasMask;
  return mask != null && !mask.isDisposed ? mask : null;
}

/** The masks attached to the inputs: one mask (or null) for a tensor, a list for a list, null when there is none. */
export function masksOf(inputs: LayerInputs): Masks {
  if (!Array.isArray(inputs)) return maskOf(inputs);
  const masks = inputs.map(maskOf);
  return masks.some((m) => m != null) ? masks : null;
}

/** Whether `masks` holds a mask. */
export function hasMask(masks: Masks | undefined): boolean {
  return Array.isArray(masks) ? masks.some((m) => m != null) : masks != null;
}

/**
 * Attaches `masks` to `inputs` until the returned function is called, which
 * puts back what they carried: a mask given to a model's `apply` then
 * reaches the model's first layers as the mask of their inputs.
 */
export function attachForCall(inputs: LayerInputs, masks: Masks): () => void {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const maskList = Array.isArray(masks) ? masks : [masks];
  const saved = list.map((x) => x.kerasMask);
  const attached = list.map((x, i) => {
    const mask = maskList[i] ?? null;
    if (mask == null) return null;
    const copy = tf.keep(tf.clone(mask));
    x.kerasMask = copy;
    return copy;
  });
  return () => {
    list.forEach((x, i) => {
      x.kerasMask = saved[i];
    });
    for (const copy of attached) copy?.dispose();
  };
}

const warned = new WeakSet<Layer>();

/**
 * Keras's mask bookkeeping after a call: a layer that supports masking
 * attaches `computeMask(inputs, mask)` to its outputs (unless they carry one
 * already); one that does not drops the mask, with a warning once per layer.
 */
export function attachOutputMasks(layer: Layer, inputs: LayerInputs, outputs: LayerOutputs, mask: Masks): void {
  const list = Array.isArray(outputs) ? outputs : [outputs];
  if (!layer.supportsMasking) {
    if (hasMask(mask) && !warned.has(layer)) {
      warned.add(layer);
      console.warn(
        `Layer '${layer.name}' (of type ${layer.constructor.name}) was passed an input with a mask attached to it. However, this layer does not support masking and will therefore destroy the mask information. Downstream layers will not see the mask.`,
      );
    }
    return;
  }
  if (list.every((y) => maskOf(y) != null)) return;
  tf.tidy(() => {
    const computed = layer.computeMask(inputs, mask);
    const masks = Array.isArray(computed) ? computed : [computed];
    list.forEach((y, i) => {
      const m = masks[i] ?? null;
      // A kept copy: the output owns it, whatever happens to the mask it was made from.
      if (m != null && maskOf(y) == null) y.kerasMask = tf.keep(tf.clone(m));
    });
  });
}

/** Whether every input is float32 (nothing to cast). */
export function allFloat32(inputs: LayerInputs): boolean {
  return Array.isArray(inputs) ? inputs.every((x) => x.dtype === 'float32') : inputs.dtype === 'float32';
}

/**
 * The inputs as float32 (int32 and bool cast, as Keras's float layers
 * promote them), with the copies made, which the caller frees.
 */
export function floatInputs(inputs: LayerInputs): { inputs: LayerInputs; copies: tf.Tensor[] } {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const copies: tf.Tensor[] = [];
  const cast = list.map((x) => {
    if (x.dtype === 'float32' || x.dtype === 'string' || x.dtype === 'complex64') return x;
    const copy = tf.cast(x, 'float32');
    copies.push(copy);
    return copy;
  });
  return { inputs: Array.isArray(inputs) ? cast : (cast[0] as tf.Tensor), copies };
}
