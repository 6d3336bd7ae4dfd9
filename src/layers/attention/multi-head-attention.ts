/**
 * MultiHeadAttention (Keras's `MultiHeadAttention`): query, key and value
 * projected per head by EinsumDense layers, scaled dot-product attention
 * over the attention axes, and an EinsumDense back to the output shape.
 * The kernel and bias regularizers (and the activity regularizer) are those
 * of every projection, as Keras applies them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type * as regularizers from '../../regularizers/index.js';
import { formatValue } from '../../utils/format.js';
import { Softmax } from '../activations/softmax.js';
import { inNameScope } from '../call-context.js';
import { EinsumDense } from '../core/einsum-dense.js';
import { Layer } from '../layer.js';
import {
  type CallOptions,
  type LayerInputs,
  type LayerOutputs,
  layerOptionsOf,
  type Masks,
  type Shape,
} from '../layer-types.js';
import { Dropout } from '../regularization/dropout.js';
import {
  ATTENTION_CALL_ARGUMENTS,
  attentionLabels,
  attentionShapes,
  attentionTensors,
  checkKeyValue,
  combinedMask,
  dotProductAttention,
  NO_MASK,
  projectionEquation,
  projectionOutputShape,
  readAttentionCall,
} from './attention-core.js';
import {
  ATTENTION_OPTION_NAMES,
  type AttentionOptions,
  type AttentionSettings,
  attentionConfig,
  positiveOption,
  projectionOptions,
  resolveAttentionOptions,
} from './attention-options.js';

/** The options of `MultiHeadAttention`, Keras's `MultiHeadAttention(num_heads, key_dim, value_dim=None, dropout=0.0, ...)` camelCased. */
export interface MultiHeadAttentionOptions extends AttentionOptions {
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value; default `keyDim`. */
  valueDim?: number | null;
  /** The output's shape after the batch and attention axes; default the query's last axis. */
  outputShape?: number | number[] | null;
  /** The axes attention runs over, of the query's axes; default all but the batch and last (features). */
  attentionAxes?: number | number[] | null;
  /**
   * Penalty on the output of every projection (query, key, value, output),
   * each divided by its batch size, as Keras applies it; the layer's own
   * `activityRegularizer` property stays null.
   */
  activityRegularizer?: regularizers.RegularizerIdentifier;
}

function readOutputShape(value: unknown): number[] | null {
  // Keras: `if output_shape:`, so 0 and an empty list mean none.
  if (value == null || value === 0 || (Array.isArray(value) && value.length === 0)) return null;
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || !list.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(
      `Invalid \`outputShape\`: ${formatValue(value)}. When specified, the \`outputShape\` should be a positive integer or an array of them.`,
      { argument: 'outputShape', expected: 'a positive integer or an array of them', received: formatValue(value) },
    );
  }
  return [...list];
}

function readAttentionAxes(value: unknown): number[] | null {
  if (value == null) return null;
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || !list.every((d) => Number.isInteger(d))) {
    throw new ValueError(
      `\`attentionAxes\` must be an integer or an array of integers. Received: attentionAxes=${formatValue(value)}`,
      { argument: 'attentionAxes', expected: 'an integer or an array of integers', received: formatValue(value) },
    );
  }
  return [...list];
}

/**
 * Multi-head scaled dot-product attention. `apply([query, value])` or
 * `apply([query, value, key])` (Keras's `mha(query, value, key)`), with
 * `{ attentionMask, useCausalMask, returnAttentionScores, training }`; on
 * symbolic tensors in a Functional graph too.
 *
 * @example
 * const mha = new layers.MultiHeadAttention({ numHeads: 4, keyDim: 16, kernelRegularizer: new L2(1e-4) });
 * const y = mha.apply([x, x], { useCausalMask: true }); // self-attention, (B, T, dim)
 */
export class MultiHeadAttention extends Layer {
  static override readonly className: string = 'MultiHeadAttention';
  /** One tensor in may give a list out (see `OneInputResult`). */
  declare readonly outputArity: 'one' | 'many';
  /** Keras's positional call arguments, `query, value, key`: how `apply([query, value, key?])` maps to Keras's `layer(query, value, key)` in Keras JSON. */
  static readonly kerasCallArguments = ATTENTION_CALL_ARGUMENTS;
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly outputShape: number[] | null;
  #attentionAxes: number[] | null;
  protected readonly settings: AttentionSettings;
  // The projections, in Keras's order (their weights come in this order).
  queryDense: EinsumDense | null = null;
  keyDense: EinsumDense | null = null;
  gateDense: EinsumDense | null = null;
  valueDense: EinsumDense | null = null;
  outputDense: EinsumDense | null = null;
  #softmaxLayer: Softmax | null = null;
  #dropoutLayer: Dropout | null = null;
  /** Keras's attention layers pass the query's mask on to the output. */
  override supportsMasking = true;

  constructor(options: MultiHeadAttentionOptions) {
    const own = ['numHeads', 'keyDim', 'valueDim', 'outputShape', 'attentionAxes', ...ATTENTION_OPTION_NAMES];
    const { activityRegularizer: _forProjections, ...base } = layerOptionsOf('MultiHeadAttention', options, own);
    const numHeads = positiveOption(options.numHeads, 'numHeads');
    const keyDim = positiveOption(options.keyDim, 'keyDim');
    const valueDim = options.valueDim == null ? null : positiveOption(options.valueDim, 'valueDim', true);
    super(base);
    this.numHeads = numHeads;
    this.keyDim = keyDim;
    this.valueDim = valueDim ?? keyDim;
    this.outputShape = readOutputShape(options.outputShape);
    this.#attentionAxes = readAttentionAxes(options.attentionAxes);
    this.settings = resolveAttentionOptions(options);
  }

  get dropout(): number {
    return this.settings.dropout;
  }

  get useBias(): boolean {
    return this.settings.useBias;
  }

  /** The axes attention runs over: as given until built, then normalized (Keras's `attention_axes`). */
  get attentionAxes(): number[] | null {
    return this.#attentionAxes == null ? null : [...this.#attentionAxes];
  }

  /** The projections, each with the attribute name Keras saves it under in `model.weights.h5`. */
  kerasChildren(): [string, Layer][] {
    const children: [string, Layer | null][] = [
      ['key_dense', this.keyDense],
      ['output_dense', this.outputDense],
      ['query_dense', this.queryDense],
      ['value_dense', this.valueDense],
      ['_dropout_layer', this.#dropoutLayer],
      ['_gate_dense', this.gateDense],
      ['_softmax', this.#softmaxLayer],
    ];
    return children.filter((c): c is [string, Layer] => c[1] != null);
  }

  /** Builds the projections, their weights named under this layer's (`multi_head_attention/query/kernel`), as Keras. */
  override build(inputShape: Shape | Shape[]): void {
    inNameScope(this.name, () => this.buildProjections(inputShape));
  }

  private buildProjections(inputShape: Shape | Shape[]): void {
    const { query, value, key } = attentionShapes(this.name, inputShape);
    checkKeyValue(value, key);
    const common = () => projectionOptions(this.settings);
    const bias = (axes: string) => (this.settings.useBias ? axes : null);
    const headProjection = (rank: number, name: string, size: number, shape: Shape, activation?: string) => {
      const { equation, biasAxes, outputRank } = projectionEquation(rank - 1, 1, 2);
      const layer = new EinsumDense({
        equation,
        outputShape: projectionOutputShape(outputRank - 1, [this.numHeads, size]),
        biasAxes: bias(biasAxes),
        name,
        ...(activation != null ? { activation } : {}),
        ...common(),
      });
      layer.build(shape);
      return { layer, outputRank };
    };
    this.queryDense = headProjection(query.length, 'query', this.keyDim, query).layer;
    this.keyDense = headProjection(key.length, 'key', this.keyDim, key).layer;
    if (this.settings.useGate) {
      this.gateDense = headProjection(query.length, 'gate', this.valueDim, query, 'sigmoid').layer;
    }
    const valueProjection = headProjection(value.length, 'value', this.valueDim, value);
    this.valueDense = valueProjection.layer;
    this.buildAttention(valueProjection.outputRank);
    const outputShape = this.outputShape ?? [query[query.length - 1] as number];
    const { equation, biasAxes, outputRank } = projectionEquation(query.length - 1, 2, outputShape.length);
    this.outputDense = new EinsumDense({
      equation,
      outputShape: projectionOutputShape(outputRank - 1, outputShape),
      biasAxes: bias(biasAxes),
      name: 'attention_output',
      ...common(),
    });
    const projected = this.queryDense.computeOutputShape(query);
    this.outputDense.build([...projected.slice(0, -1), this.valueDim]);
  }

  /** Keras's `_build_attention`: the attention axes normalized, the softmax and dropout made. */
  private buildAttention(rank: number): void {
    const given = this.#attentionAxes;
    const axes =
      given == null ? Array.from({ length: rank - 3 }, (_, i) => i + 1) : given.map((a) => (a >= 0 ? a : rank - 1 + a));
    if (axes.length === 0 || axes.some((a) => a < 1 || a > rank - 3) || new Set(axes).size !== axes.length) {
      throw new ValueError(
        `Invalid attentionAxes for inputs of rank ${rank - 1}: expected distinct axes between 1 and ${rank - 3} (not the batch or the last axis). Received: attentionAxes=${formatValue(given)}`,
        { argument: 'attentionAxes', expected: `axes in [1, ${rank - 3}]`, received: formatValue(given) },
      );
    }
    this.#attentionAxes = axes;
    // Keras's softmax and dropout layers: the softmax is computed with the mask in dotProductAttention,
    // the layer is kept for its name (later layers are numbered as in Keras) and its place in Keras's files.
    const scoresRank = rank - 1 + axes.length;
    this.#softmaxLayer = new Softmax({ axis: axes.map((_, i) => scoresRank - axes.length + i) });
    this.#dropoutLayer = new Dropout({ rate: this.settings.dropout, seed: this.settings.seed });
  }

  override computeOutputShape(inputShape: Shape | Shape[], options: CallOptions = {}): Shape | Shape[] {
    const { query, value, key } = attentionShapes(this.name, inputShape);
    checkKeyValue(value, key);
    const output = this.outputShape == null ? [...query] : [...query.slice(0, -1), ...this.outputShape];
    if (!options.returnAttentionScores) return output;
    // The weights' shape: (batch, <other axes>, heads, <query attention axes>, <key attention axes>).
    const axes = this.#attentionAxes ?? Array.from({ length: query.length - 2 }, (_, i) => i + 1);
    const projectedQuery = [...query.slice(0, -1), this.numHeads, this.keyDim];
    const projectedKey = [...key.slice(0, -1), this.numHeads, this.keyDim];
    const { target, product } = attentionLabels(projectedQuery.length, axes);
    const scores = product.map((label, i) =>
      i < product.length - axes.length
        ? (projectedQuery[target.indexOf(label)] ?? null)
        : (projectedKey[axes[i - (product.length - axes.length)] as number] ?? null),
    );
    return [output, scores];
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const call = readAttentionCall('MultiHeadAttention', options);
    const { query, value, key } = attentionTensors(this.name, inputs);
    return tf.tidy(() => {
      const t = query.shape[1] as number;
      const s = value.shape[1] as number;
      const mask = combinedMask(call, t, s, this.settings.slidingWindow);
      const gate = this.gateDense == null ? null : (this.gateDense.apply(query, NO_MASK) as tf.Tensor);
      const q = (this.queryDense as EinsumDense).apply(query, NO_MASK) as tf.Tensor;
      const k = (this.keyDense as EinsumDense).apply(key, NO_MASK) as tf.Tensor;
      const v = (this.valueDense as EinsumDense).apply(value, NO_MASK) as tf.Tensor;
      const { output, scores } = dotProductAttention(q, k, v, mask, {
        scale: 1 / Math.sqrt(this.keyDim),
        attentionAxes: this.#attentionAxes as number[],
        dropout: { layer: this.#dropoutLayer as Dropout, rate: this.settings.dropout, training: call.training },
        zeroMasked: this.settings.dropout > 0 || call.returnAttentionScores || q.rank !== 4,
      });
      const attended = gate == null ? output : tf.mul(output, gate);
      const result = (this.outputDense as EinsumDense).apply(attended, NO_MASK) as tf.Tensor;
      return call.returnAttentionScores ? [result, scores] : result;
    });
  }

  /** The output carries the query's mask (the scores, when returned, none). */
  override computeMask(_inputs: LayerInputs, mask: Masks): Masks {
    return Array.isArray(mask) ? (mask[0] ?? null) : mask;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.settings.dropout,
      useBias: this.settings.useBias,
      useGate: this.settings.useGate,
      outputShape: this.outputShape == null ? null : [...this.outputShape],
      attentionAxes: this.attentionAxes,
      slidingWindow: this.settings.slidingWindow,
      ...attentionConfig(this.settings),
    };
  }
}
