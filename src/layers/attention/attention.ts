/** Attention: Keras's dot-product (Luong-style) attention layer, with its `"concat"` score mode. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { layerOptionsOf, type Shape } from '../layer-types.js';
import { DenseAttention, type DenseAttentionOptions } from './dense-attention.js';

/** How `Attention` scores a query against a key. */
export type ScoreMode = 'dot' | 'concat';

/** The options of `Attention`, Keras's `Attention(use_scale=False, score_mode="dot", dropout=0.0, seed=None)` camelCased. */
export interface AttentionLayerOptions extends DenseAttentionOptions {
  /** `"dot"` (default): `query . key`; `"concat"`: `sum(tanh(query + key))` over the features, times a trainable weight. */
  scoreMode?: ScoreMode;
}

/**
 * Dot-product attention (Keras's `Attention`): `apply([query, value])` or
 * `apply([query, value, key])` on `(batch, Tq, dim)` and `(batch, Tv, dim)`
 * tensors gives `softmax(scores) . value`, `(batch, Tq, dim)`. Scores are
 * `query . key` (times a trainable scalar `scale` with `useScale`), or with
 * `scoreMode: "concat"`, `concat_score_weight * sum(tanh(scale * (query + key)))`.
 * Masks the inputs carry (an Embedding's `maskZero`) hide padded values and
 * zero padded queries; `{ useCausalMask, returnAttentionScores, training }`
 * as Keras's call keywords. Keras's Attention takes no regularizers.
 *
 * @example
 * const attention = new layers.Attention({ useScale: true });
 * const context = attention.apply([a, b]); // queries a (batch, Tq, dim), values b (batch, Tv, dim)
 */
export class Attention extends DenseAttention {
  static override readonly className: string = 'Attention';
  readonly scoreMode: ScoreMode;
  /** The scalar that multiplies the scores (`useScale`), else null. */
  scale: tf.Variable | null = null;
  /** The scalar weight of `"concat"` scores, else null. */
  concatScoreWeight: tf.Variable | null = null;

  constructor(options: AttentionLayerOptions = {}) {
    super(layerOptionsOf('Attention', options, ['useScale', 'scoreMode', 'dropout', 'seed']), options, false);
    const mode = options.scoreMode ?? 'dot';
    if (mode !== 'dot' && mode !== 'concat') {
      throw new ValueError(
        `Invalid value for argument scoreMode. Expected one of {"dot", "concat"}. Received: scoreMode=${formatValue(mode)}`,
        { argument: 'scoreMode', expected: '"dot" or "concat"', received: formatValue(mode) },
      );
    }
    this.scoreMode = mode;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.shapesOf(inputShape);
    if (this.useScale) this.scale = this.addWeight({ name: 'scale', shape: [], initializer: 'ones' });
    if (this.scoreMode === 'concat') {
      this.concatScoreWeight = this.addWeight({ name: 'concat_score_weight', shape: [], initializer: 'ones' });
    }
  }

  protected override scores(query: tf.Tensor, key: tf.Tensor): tf.Tensor {
    if (this.scoreMode === 'dot') {
      const scores = tf.matMul(query, key, false, true);
      return this.scale == null ? scores : tf.mul(scores, this.scale);
    }
    // (batch, Tq, 1, dim) + (batch, 1, Tv, dim), Keras's broadcast.
    const sum = tf.add(tf.expandDims(query, -2), tf.expandDims(key, -3));
    const scaled = this.scale == null ? sum : tf.mul(this.scale, sum);
    return tf.mul(this.concatScoreWeight as tf.Variable, tf.sum(tf.tanh(scaled), -1));
  }

  override getConfig(): Record<string, unknown> {
    const { useScale, dropout, seed, ...base } = super.getConfig();
    return { ...base, useScale, scoreMode: this.scoreMode, dropout, seed };
  }
}
