/**
 * What `Model` needs to know of its own kind without importing its
 * subclasses (Functional and Sequential import model.ts): how it takes its
 * inputs, how `predict` shapes its outputs, and which constructor
 * arguments make a Functional model.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { LayerOptions } from '../layers/layer-types.js';
import { LAYERS } from '../layers/serialization.js';
import { isPlainObject } from '../utils/objects.js';
import type { InputLayout } from './data-checks.js';
import type { Functional, FunctionalOptions, GraphTensors } from './functional/functional.js';
import type { Model } from './model.js';
import type { Sequential } from './sequential.js';

/**
 * What `predict` returns: a tensor for a model of one output; for several,
 * an array in output order, or a record by name when the model's outputs
 * were given as a record.
 */
export type Predictions = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

/**
 * Whether `model` is of the class registered as `name`: the classes
 * register when they load, so this looks them up instead of importing them.
 */
export function isRegistered<T>(model: Model, name: 'Functional' | 'Sequential'): model is Model & T {
  const cls = LAYERS.classes.get(name) as unknown;
  return typeof cls === 'function' && model instanceof cls;
}

/**
 * How `model` takes its inputs: a Functional model has `inputs.length`
 * named ones (an input record is keyed by the names its inputs were given
 * under, else by the input layers' names); a Sequential takes one tensor; a
 * subclassed model takes whatever its `call` reads.
 */
export function inputLayoutOf(model: Model): InputLayout {
  if (isRegistered<Functional>(model, 'Functional')) {
    const structure = model.inputStructure;
    return { count: model.inputs.length, keys: structure.kind === 'record' ? structure.keys : model.inputNames };
  }
  if (isRegistered<Sequential>(model, 'Sequential')) return { count: 1, keys: null };
  return { count: null, keys: null };
}

/** Outputs as `predict` gives them: a record when the outputs were given as one, the tensor for a list of one. */
export function shapePredictions(model: Model, outputs: tf.Tensor | tf.Tensor[]): Predictions {
  if (Array.isArray(outputs) && isRegistered<Functional>(model, 'Functional')) {
    // A Functional model runs in output order; outputs given as a record come back as one.
    const structure = model.outputStructure;
    if (structure.kind === 'record') {
      return Object.fromEntries(structure.keys.map((key, i) => [key, outputs[i] as tf.Tensor]));
    }
    // Keras's Functional returns the tensor itself for outputs given as a list of one (unpack_singleton).
    if (outputs.length === 1) return outputs[0] as tf.Tensor;
  }
  return outputs;
}

/** The Functional options among Model's constructor arguments, or null for a subclassed model's layer options. */
export function graphArguments(
  first: unknown,
  outputs: unknown,
  options: LayerOptions | undefined,
): FunctionalOptions | null {
  if (outputs !== undefined)
    return { ...(options ?? {}), inputs: first as GraphTensors, outputs: outputs as GraphTensors };
  if (isPlainObject(first) && ('inputs' in first || 'outputs' in first)) return first as unknown as FunctionalOptions;
  return null;
}
