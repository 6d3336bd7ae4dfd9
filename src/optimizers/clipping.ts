/**
 * Keras's gradient clipping (`BaseOptimizer._clip_gradients`): by each
 * gradient's norm, by the norm of all of them together, or element-wise.
 * All in float32 tensors, as Keras computes them.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The clipping an optimizer was given (at most one is set). */
export interface ClipSettings {
  clipnorm: number | null;
  globalClipnorm: number | null;
  clipvalue: number | null;
}

/**
 * The gradients clipped as Keras does: `clipnorm` first, then
 * `globalClipnorm`, then `clipvalue`, each only when it is > 0 (Keras tests
 * truthiness, so 0 means no clipping). Call inside `tf.tidy`.
 */
export function clipGradients(gradients: tf.Tensor[], clip: ClipSettings): tf.Tensor[] {
  const { clipnorm, globalClipnorm, clipvalue } = clip;
  if (clipnorm != null && clipnorm > 0) return gradients.map((g) => clipByNorm(g, clipnorm));
  if (globalClipnorm != null && globalClipnorm > 0) return clipByGlobalNorm(gradients, globalClipnorm);
  if (clipvalue != null && clipvalue > 0) return gradients.map((g) => tf.clipByValue(g, -clipvalue, clipvalue));
  return gradients;
}

/** `g * c / max(‖g‖, c)`: a gradient with norm over `c` scaled down to norm `c` (Keras's `_clip_by_norm`). */
export function clipByNorm(gradient: tf.Tensor, clipnorm: number): tf.Tensor {
  const norm = tf.sqrt(tf.sum(tf.square(gradient)));
  return tf.div(tf.mul(gradient, clipnorm), tf.maximum(norm, clipnorm));
}

/**
 * Every gradient times `c * min(1/‖all‖, 1/c)`, plus `‖all‖ - ‖all‖` so that a
 * non-finite norm makes them NaN (Keras's `clip_by_global_norm`).
 */
export function clipByGlobalNorm(gradients: tf.Tensor[], clipnorm: number): tf.Tensor[] {
  if (gradients.length === 0) return gradients;
  const squares = gradients.map((g) => tf.sum(tf.square(g)));
  const norm = tf.sqrt(squares.length === 1 ? (squares[0] as tf.Tensor) : tf.addN(squares));
  const scale = tf.add(tf.mul(tf.minimum(tf.div(1, norm), 1 / clipnorm), clipnorm), tf.sub(norm, norm));
  return gradients.map((g) => tf.mul(g, scale));
}
