/** ReversibleEmbedding: an Embedding that also projects vectors back to vocabulary logits. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { checkBoolean, singleInput } from '../layer-checks.js';
import { type CallOptions, LAYER_OPTION_NAMES, type LayerInputs, type Masks, type Shape } from '../layer-types.js';
import { EMBEDDING_OPTIONS, Embedding, type EmbeddingOptions } from './embedding.js';

/** The options of `ReversibleEmbedding`, Keras's `ReversibleEmbedding(input_dim, output_dim, tie_weights=True, ..., reverse_dtype=None, logit_soft_cap=None)` camelCased. */
export interface ReversibleEmbeddingOptions extends EmbeddingOptions {
  /** The reverse projection uses the transposed embeddings (true, default) or its own `(outputDim, inputDim)` weight. */
  tieWeights?: boolean;
  /** Only null or `"float32"`: the projection's dtype (Keras's `reverse_dtype`). */
  reverseDtype?: 'float32' | null;
  /** Reverse logits become `tanh(logits / cap) * cap`; default null (none). */
  logitSoftCap?: number | null;
}

const OWN_OPTIONS = ['tieWeights', 'reverseDtype', 'logitSoftCap'] as const;
const EMBEDDING_OPTION_NAMES = ['inputDim', ...EMBEDDING_OPTIONS];

/**
 * Keras's `ReversibleEmbedding`: `apply(ids)` embeds as `Embedding` does
 * (with its mask for `maskZero`); `apply(vectors, { reverse: true })` maps
 * `(..., outputDim)` vectors to `(..., inputDim)` logits with the transposed
 * embeddings (tied weights) or with `reverse_embeddings` (`tieWeights:
 * false`, initialized as the embeddings and not regularized, as in Keras),
 * soft-capped by `logitSoftCap`. The `embeddingsRegularizer` penalizes the
 * embeddings only.
 *
 * @example
 * const embed = new layers.ReversibleEmbedding({ inputDim: 100, outputDim: 16, embeddingsRegularizer: new L2(1e-4) });
 * const logits = embed.apply(embed.apply(x), { reverse: true }); // x int32 ids (batch, T); logits (batch, T, 100)
 */
export class ReversibleEmbedding extends Embedding {
  static override readonly className: string = 'ReversibleEmbedding';
  /** Keras call keywords that a Functional config records and a loaded graph passes on (`reverse=True`). */
  static readonly kerasCallKeywords: readonly string[] = ['reverse'];
  readonly tieWeights: boolean;
  readonly reverseDtype: 'float32' | null;
  readonly logitSoftCap: number | null;
  /** The untied reverse projection `(outputDim, inputDim)`, else null. */
  reverseEmbeddings: tf.Variable | null = null;

  constructor(options: ReversibleEmbeddingOptions) {
    readOptions('ReversibleEmbedding', options, [...LAYER_OPTION_NAMES, ...EMBEDDING_OPTION_NAMES, ...OWN_OPTIONS]);
    const { tieWeights, reverseDtype, logitSoftCap, ...embedding } = options;
    super(embedding);
    this.tieWeights = checkBoolean(tieWeights ?? true, 'tieWeights');
    if (reverseDtype != null && reverseDtype !== 'float32') {
      throw new ValueError(
        `Invalid value for argument reverseDtype: expected null or "float32" (this library computes in float32). Received: reverseDtype=${formatValue(reverseDtype)}`,
        { argument: 'reverseDtype', expected: 'null or "float32"', received: formatValue(reverseDtype) },
      );
    }
    this.reverseDtype = reverseDtype ?? null;
    const cap = logitSoftCap ?? null;
    if (cap !== null && !(typeof cap === 'number' && Number.isFinite(cap) && cap !== 0)) {
      throw new ValueError(
        `Invalid value for argument logitSoftCap: expected null or a finite nonzero number. Received: logitSoftCap=${formatValue(cap)}`,
        { argument: 'logitSoftCap', expected: 'null or a finite nonzero number', received: formatValue(cap) },
      );
    }
    this.logitSoftCap = cap;
  }

  override build(inputShape: Shape | Shape[]): void {
    super.build(inputShape);
    if (!this.tieWeights) {
      this.reverseEmbeddings = this.addWeight({
        name: 'reverse_embeddings',
        shape: [this.outputDim, this.inputDim],
        initializer: this.embeddingsInitializer,
      });
    }
  }

  override computeOutputShape(inputShape: Shape, options: CallOptions = {}): Shape {
    if (!options.reverse) return super.computeOutputShape(inputShape);
    return [...inputShape.slice(0, -1), this.inputDim];
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): tf.Tensor {
    if (options.reverse != null) checkBoolean(options.reverse, 'reverse');
    if (options.reverse !== true) return super.call(inputs);
    const x = singleInput(inputs);
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.outputDim) {
      throw new ValueError(
        `Layer "${this.name}" (ReversibleEmbedding) called with reverse: true expects vectors of size outputDim=${this.outputDim} on the last axis. Received: inputs.shape=${formatShape(x.shape)}`,
        { argument: 'inputs', expected: `a last axis of size ${this.outputDim}`, received: formatShape(x.shape) },
      );
    }
    return tf.tidy(() => {
      const kernel = this.tieWeights
        ? tf.transpose(this.embeddings as tf.Variable)
        : (this.reverseEmbeddings as tf.Variable);
      const vectors = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
      const flat = tf.reshape(vectors, [-1, this.outputDim]);
      const logits = tf.reshape(tf.matMul(flat, kernel), [...x.shape.slice(0, -1), this.inputDim]);
      const cap = this.logitSoftCap;
      return cap == null ? logits : tf.mul(tf.tanh(tf.div(logits, cap)), cap);
    });
  }

  /** The forward call's mask (ids, for `maskZero`); the reverse call (float vectors) makes none, as in Keras. */
  override computeMask(inputs: LayerInputs, mask: Masks): Masks {
    const x = singleInput(inputs);
    return x.dtype === 'float32' ? null : super.computeMask(inputs, mask);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      tieWeights: this.tieWeights,
      reverseDtype: this.reverseDtype,
      logitSoftCap: this.logitSoftCap,
    };
  }
}
