/** AdditiveAttention: Keras's Bahdanau-style attention layer. */
import * as tf from '@tensorflow/tfjs-core';
import { layerOptionsOf, type Shape } from '../layer-types.js';
import { DenseAttention, type DenseAttentionOptions } from './dense-attention.js';

/** The options of `AdditiveAttention`, Keras's `AdditiveAttention(use_scale=True, dropout=0.0, seed=None)` camelCased. */
export type AdditiveAttentionOptions = DenseAttentionOptions;

/**
 * Additive attention (Keras's `AdditiveAttention`): the scores of
 * `(batch, Tq, dim)` queries against `(batch, Tv, dim)` keys are
 * `sum(scale * tanh(query + key))` over the features, `scale` a trainable
 * `(dim)` vector (glorot-uniform; 1 without `useScale`); then
 * `softmax(scores) . value`, with Keras's masks, causal mask and dropout as
 * in `Attention`. Keras's AdditiveAttention takes no regularizers.
 *
 * @example
 * const attention = new layers.AdditiveAttention();
 * const context = attention.apply([a, b]); // queries a (batch, Tq, dim), values b (batch, Tv, dim)
 */
export class AdditiveAttention extends DenseAttention {
  static override readonly className: string = 'AdditiveAttention';
  /** The `(dim)` scale of the scores (`useScale`), else null. */
  scale: tf.Variable | null = null;

  constructor(options: AdditiveAttentionOptions = {}) {
    super(layerOptionsOf('AdditiveAttention', options, ['useScale', 'dropout', 'seed']), options, true);
  }

  override build(inputShape: Shape | Shape[]): void {
    const { query } = this.shapesOf(inputShape);
    if (this.useScale) {
      this.scale = this.addWeight({ name: 'scale', shape: [query[2] as number], initializer: 'glorot_uniform' });
    }
  }

  protected override scores(query: tf.Tensor, key: tf.Tensor): tf.Tensor {
    const tanh = tf.tanh(tf.add(tf.expandDims(query, -2), tf.expandDims(key, -3)));
    return tf.sum(this.scale == null ? tanh : tf.mul(this.scale, tanh), -1);
  }
}
