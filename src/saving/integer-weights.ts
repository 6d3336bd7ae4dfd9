/**
 * Keras's integer variables in weight files: a layer lists, in
 * `kerasIntegerWeights`, the names of its weights that Keras keeps as ints
 * (Normalization's `count`); only those are read from integer datasets, so
 * that an integer kernel is still refused.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '../layers/layer.js';

/** Whether `variable` of `layer` is one Keras stores as an integer. */
export function isKerasIntegerWeight(layer: Layer, variable: tf.Variable): boolean {
  const integers = (layer as { kerasIntegerWeights?: readonly string[] }).kerasIntegerWeights ?? [];
  if (integers.length === 0) return false;
  const name = layer.weightRecords().find((r) => r.variable === variable)?.name;
  return name != null && integers.includes(name);
}
