/**
 * Keras's `encode_categorical_inputs`: integer indices as themselves
 * (`int`), one-hot rows, or multi-hot / count rows over the second axis,
 * shared by Discretization, CategoryEncoding, Hashing and IntegerLookup.
 * Indices outside `[0, depth)` encode as zeros, as JAX's one_hot does.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../layer-types.js';
import type { CategoricalOutputMode } from './arguments.js';

/** Encodes int32 `indices` with `depth` classes; `int` gives int32, the others float32. */
export function encodeCategorical(indices: tf.Tensor, mode: CategoricalOutputMode, depth: number): tf.Tensor {
  return tf.tidy(() => {
    const ids = tf.cast(indices, 'int32');
    if (mode === 'int') return ids;
    const x = ids.rank === 0 ? tf.expandDims(ids, -1) : ids;
    if (mode === 'one_hot') {
      const squeezed = x.rank > 1 && x.shape[x.rank - 1] === 1 ? tf.squeeze(x, [x.rank - 1]) : x;
      return tf.cast(tf.oneHot(squeezed, depth), 'float32');
    }
    const hot = tf.cast(tf.oneHot(x, depth), 'float32');
    const axis = x.rank > 1 ? 1 : 0;
    return mode === 'multi_hot' ? tf.max(hot, axis) : tf.sum(hot, axis);
  });
}

/** The shape `encodeCategorical` gives for inputs of `inputShape`. */
export function encodedShape(inputShape: Shape, mode: CategoricalOutputMode, depth: number): Shape {
  if (mode === 'int') return [...inputShape];
  const shape = inputShape.length === 0 ? [1] : inputShape;
  if (mode === 'one_hot') {
    const squeezed = shape.length > 1 && shape[shape.length - 1] === 1 ? shape.slice(0, -1) : shape;
    return [...squeezed, depth];
  }
  return shape.length > 1 ? [shape[0] as number | null, ...shape.slice(2), depth] : [depth];
}
