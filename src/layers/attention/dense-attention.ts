/**
 * What Attention and AdditiveAttention share (Keras's `Attention`, which
 * `AdditiveAttention` subclasses): the `[query, value, key?]` inputs and
 * their masks, the causal mask, the masked softmax with Keras's
 * `scores - 1e9`, dropout of the weights, the weighted sum of the values and
 * the zeroing of masked queries. Subclasses say how scores are computed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { classNameOfInstance } from '../../utils/class-name.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { Layer } from '../layer.js';
import { checkBoolean } from '../layer-checks.js';
import type { CallOptions, LayerInputs, LayerOptions, LayerOutputs, Masks, Shape } from '../layer-types.js';
import { checkSeed, NoiseSeeds } from '../regularization/noise-arguments.js';

/** Options both dense attention layers take. */
export interface DenseAttentionOptions extends LayerOptions {
  /** Whether a trainable scale multiplies the scores. */
  useScale?: boolean;
  /** Fraction of the attention weights dropped in training calls, in [0, 1); default 0. */
  dropout?: number;
  /** Seed of the dropout; default null (the library's generator). */
  seed?: number | null;
}

/** The call options these layers read (Keras's call keywords). */
const CALL_OPTIONS = ['training', 'mask', 'useCausalMask', 'returnAttentionScores'];

/**
 * Keras's dense (Luong or Bahdanau) attention over `(batch, Tq, dim)`
 * queries and `(batch, Tv, dim)` values: `softmax(scores(query, key)) .
 * value`, with the value's mask (and the causal mask) hiding keys and the
 * query's mask zeroing outputs.
 *
 * @example const context = new layers.Attention().apply([a, b], { useCausalMask: true }); // a the queries, b the values
 */
export abstract class DenseAttention extends Layer {
  /** One tensor in may give a list out (`returnAttentionScores`). */
  declare readonly outputArity: 'one' | 'many';
  /** Keras call keywords that a Functional config records and a loaded graph passes on (`use_causal_mask=True`). */
  static readonly kerasCallKeywords: readonly string[] = ['useCausalMask', 'returnAttentionScores'];
  readonly useScale: boolean;
  readonly dropout: number;
  readonly seed: number | null;
  readonly #seeds: NoiseSeeds;
  /** Keras's attention layers pass the query's mask on to the output. */
  override supportsMasking = true;

  protected constructor(base: LayerOptions, options: DenseAttentionOptions, defaultScale: boolean) {
    super(base);
    this.useScale = checkBoolean(options.useScale ?? defaultScale, 'useScale');
    const dropout = options.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
      throw new ValueError(
        `Invalid value for argument dropout: expected a number in [0, 1). Received: dropout=${formatValue(dropout)}`,
        { argument: 'dropout', expected: 'a number in [0, 1)', received: formatValue(dropout) },
      );
    }
    this.dropout = dropout;
    this.seed = checkSeed(options.seed);
    this.#seeds = new NoiseSeeds(this.seed);
  }

  /** The scores `(batch, Tq, Tv)` of `query (batch, Tq, dim)` against `key (batch, Tv, dim)`. */
  protected abstract scores(query: tf.Tensor, key: tf.Tensor): tf.Tensor;

  /** `[query, value, key?]` shapes, checked as Keras's `_validate_inputs` and its matmuls do. */
  protected shapesOf(inputShape: Shape | Shape[]): { query: Shape; value: Shape; key: Shape } {
    const list = Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : null;
    if (list == null || list.length < 2 || list.length > 3) {
      const received = list == null ? formatShape(inputShape as Shape) : `a list of ${list.length} shapes`;
      throw new ValueError(
        `${classNameOfInstance(this)} layer must be called on a list of inputs, namely [query, value] or [query, value, key]. Received: inputs=${received}`,
        { argument: 'inputs', expected: '[query, value] or [query, value, key]', received },
      );
    }
    const [query, value, key = value] = list as [Shape, Shape, Shape?];
    const all = `[${list.map(formatShape).join(', ')}]`;
    const fail = (expected: string): never => {
      throw new ValueError(
        `Layer "${this.name}" (${classNameOfInstance(this)}) expects ${expected}. Received: inputs=${all}`,
        { argument: 'inputs', expected, received: all },
      );
    };
    if (![query, value, key].every((s) => s.length === 3)) fail('query, value and key of rank 3: (batch, T, dim)');
    if (query[2] != null && key[2] != null && query[2] !== key[2]) fail('query and key with the same last axis (dim)');
    if (value[1] != null && key[1] != null && value[1] !== key[1]) fail('value and key with the same axis 1 (Tv)');
    const batches = [query[0], value[0], key[0]].filter((d) => d != null);
    if (new Set(batches).size > 1) fail('query, value and key with the same batch size');
    return { query, value, key };
  }

  override computeOutputShape(inputShape: Shape | Shape[], options: CallOptions = {}): Shape | Shape[] {
    const { query, value, key } = this.shapesOf(inputShape);
    const output = [...query.slice(0, -1), value[2] ?? null];
    return options.returnAttentionScores ? [output, [...query.slice(0, -1), key[1] ?? null]] : output;
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const read = readOptions<CallOptions>(`${classNameOfInstance(this)}.apply`, options, CALL_OPTIONS);
    const [queryMask, valueMask] = this.masksOf(read.mask);
    for (const name of ['useCausalMask', 'returnAttentionScores'] as const) {
      if (read[name] != null) checkBoolean(read[name], name);
    }
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.shapesOf(list.map((x) => [...x.shape]));
    const [query, value, key = value] = list as [tf.Tensor, tf.Tensor, tf.Tensor?];
    return tf.tidy(() => {
      const scores = this.scores(query, key);
      const scoresMask = scoreMask(scores, valueMask, read.useCausalMask ?? false);
      let weights = tf.softmax(scoresMask == null ? scores : tf.where(scoresMask, scores, tf.sub(scores, 1e9)));
      if (read.training === true && this.dropout > 0) {
        const keep = tf.greaterEqual(
          tf.randomUniform(weights.shape, 0, 1, 'float32', this.#seeds.next()),
          this.dropout,
        );
        weights = tf.mul(weights, tf.div(tf.cast(keep, 'float32'), 1 - this.dropout));
      }
      let output = tf.matMul(weights, value);
      if (queryMask != null) output = tf.where(tf.expandDims(asBool(queryMask), -1), output, tf.zerosLike(output));
      return read.returnAttentionScores === true ? [output, weights] : output;
    });
  }

  /** `[queryMask, valueMask]` from the call's `mask` (Keras's list of 2 or 3; an entry may be null). */
  private masksOf(mask: Masks | undefined): [tf.Tensor | null, tf.Tensor | null] {
    if (mask == null) return [null, null];
    if (
      !Array.isArray(mask) ||
      mask.length < 2 ||
      mask.length > 3 ||
      !mask.every((m) => m == null || m instanceof tf.Tensor)
    ) {
      throw new ValueError(
        `${classNameOfInstance(this)} layer mask must be a list, namely [queryMask, valueMask] (or with keyMask), of tensors or null. Received: mask=${formatValue(mask)}`,
        {
          argument: 'mask',
          expected: '[queryMask, valueMask] or [queryMask, valueMask, keyMask]',
          received: formatValue(mask),
        },
      );
    }
    return [mask[0] ?? null, mask[1] ?? null];
  }

  /** The output carries the query's mask (Keras's `compute_mask`: `mask[0]`). */
  override computeMask(_inputs: LayerInputs, mask: Masks): Masks {
    return Array.isArray(mask) ? (mask[0] ?? null) : null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), useScale: this.useScale, dropout: this.dropout, seed: this.seed };
  }
}

function asBool(mask: tf.Tensor): tf.Tensor {
  return mask.dtype === 'bool' ? mask : tf.notEqual(mask, 0);
}

/**
 * Keras's `_calculate_score_mask`: the value's mask `(batch, 1, Tv)`, and-ed
 * with the causal mask `(1, Tq, Tv)` (query `i` sees keys `j <= i`) when asked.
 */
function scoreMask(scores: tf.Tensor, valueMask: tf.Tensor | null, causal: boolean): tf.Tensor | null {
  const value = valueMask == null ? null : tf.expandDims(asBool(valueMask), -2);
  if (!causal) return value;
  const [tq, tv] = scores.shape.slice(-2) as [number, number];
  const rows = tf.reshape(tf.range(0, tq, 1, 'int32'), [1, tq, 1]);
  const columns = tf.reshape(tf.range(0, tv, 1, 'int32'), [1, 1, tv]);
  const lower = tf.greaterEqual(rows, columns);
  return value == null ? lower : tf.logicalAnd(value, lower);
}
