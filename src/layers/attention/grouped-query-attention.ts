/**
 * GroupedQueryAttention (Keras's `GroupQueryAttention`): attention whose
 * key and value have fewer heads than the query, each shared by a group of
 * query heads (one head: multi-query attention; as many as the query:
 * multi-head attention).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type * as regularizers from '../../regularizers/index.js';
import { Softmax } from '../activations/softmax.js';
import { inNameScope } from '../call-context.js';
import { EinsumDense } from '../core/einsum-dense.js';
import { Layer } from '../layer.js';
import {
  type CallOptions,
  type LayerInputs,
  type LayerOptions,
  type LayerOutputs,
  layerOptionsOf,
  type Masks,
  type Shape,
} from '../layer-types.js';
import { uniqueLayerName } from '../naming.js';
import { Dropout } from '../regularization/dropout.js';
import {
  ATTENTION_CALL_ARGUMENTS,
  attentionShapes,
  attentionTensors,
  checkKeyValue,
  combinedMask,
  dotProductAttention,
  NO_MASK,
  readAttentionCall,
  repeatAxis,
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

/** The options of `GroupedQueryAttention`, Keras's `GroupedQueryAttention(head_dim, num_query_heads, num_key_value_heads, dropout=0.0, ...)` camelCased. */
export interface GroupedQueryAttentionOptions extends AttentionOptions {
  /** Size of each attention head. */
  headDim: number;
  numQueryHeads: number;
  /** Heads of key and value: a divisor of `numQueryHeads`. */
  numKeyValueHeads: number;
  /**
   * Penalty on the layer's output and on the output of every projection,
   * each divided by its batch size, as Keras applies it.
   */
  activityRegularizer?: regularizers.RegularizerIdentifier;
}

/**
 * Grouped-query attention: `apply([query, value])` or `apply([query, value,
 * key])` with `{ attentionMask, useCausalMask, returnAttentionScores,
 * training }`, as MultiHeadAttention. The output has the query's shape.
 *
 * @example new layers.GroupedQueryAttention({ headDim: 16, numQueryHeads: 8, numKeyValueHeads: 2 })
 */
export class GroupedQueryAttention extends Layer {
  /** Keras files it as `GroupQueryAttention` (its public name); the class, and so the default layer name, is `GroupedQueryAttention`. */
  static override readonly className: string = 'GroupQueryAttention';
  /** One tensor in may give a list out (see `OneInputResult`). */
  declare readonly outputArity: 'one' | 'many';
  /** The Python class name, from which Keras names the layer and its group in `model.weights.h5`. */
  static readonly pythonClassName = 'GroupedQueryAttention';
  static readonly kerasCallArguments = ATTENTION_CALL_ARGUMENTS;
  readonly headDim: number;
  readonly numQueryHeads: number;
  readonly numKeyValueHeads: number;
  protected readonly settings: AttentionSettings;
  queryDense: EinsumDense | null = null;
  keyDense: EinsumDense | null = null;
  gateDense: EinsumDense | null = null;
  valueDense: EinsumDense | null = null;
  outputDense: EinsumDense | null = null;
  #softmaxLayer: Softmax | null = null;
  #dropoutLayer: Dropout | null = null;
  /** Keras's attention layers pass the query's mask on to the output. */
  override supportsMasking = true;

  constructor(options: GroupedQueryAttentionOptions) {
    const own = ['headDim', 'numQueryHeads', 'numKeyValueHeads', ...ATTENTION_OPTION_NAMES];
    const base: LayerOptions = layerOptionsOf('GroupQueryAttention', options, own);
    const headDim = positiveOption(options.headDim, 'headDim');
    const numQueryHeads = positiveOption(options.numQueryHeads, 'numQueryHeads');
    const numKeyValueHeads = positiveOption(options.numKeyValueHeads, 'numKeyValueHeads');
    if (numQueryHeads % numKeyValueHeads !== 0) {
      throw new ValueError(
        `\`numQueryHeads\` must be divisible by \`numKeyValueHeads\`. Received: numQueryHeads=${numQueryHeads}, numKeyValueHeads=${numKeyValueHeads}`,
        {
          argument: 'numKeyValueHeads',
          expected: `a divisor of numQueryHeads=${numQueryHeads}`,
          received: String(numKeyValueHeads),
        },
      );
    }
    super({ ...base, name: base.name ?? uniqueLayerName(GroupedQueryAttention.pythonClassName) });
    this.headDim = headDim;
    this.numQueryHeads = numQueryHeads;
    this.numKeyValueHeads = numKeyValueHeads;
    this.settings = resolveAttentionOptions(options);
  }

  get dropout(): number {
    return this.settings.dropout;
  }

  get useBias(): boolean {
    return this.settings.useBias;
  }

  /** The projections, each with the attribute name Keras saves it under in `model.weights.h5`. */
  kerasChildren(): [string, Layer][] {
    const children: [string, Layer | null][] = [
      ['_dropout_layer', this.#dropoutLayer],
      ['_gate_dense', this.gateDense],
      ['_key_dense', this.keyDense],
      ['_output_dense', this.outputDense],
      ['_query_dense', this.queryDense],
      ['_softmax', this.#softmaxLayer],
      ['_value_dense', this.valueDense],
    ];
    return children.filter((c): c is [string, Layer] => c[1] != null);
  }

  /** Builds the projections, their weights named under this layer's (`multi_head_attention/query/kernel`), as Keras. */
  override build(inputShape: Shape | Shape[]): void {
    inNameScope(this.name, () => this.buildProjections(inputShape));
  }

  private buildProjections(inputShape: Shape | Shape[]): void {
    const { query, value, key } = attentionShapes(this.name, inputShape);
    if (query.length !== 3) {
      throw new ValueError(
        `Layer "${this.name}" takes query, value and key of rank 3, (batch, sequence, features). Received: query shape [${query.map((d) => d ?? 'null').join(', ')}]`,
        { argument: 'inputs', expected: 'rank 3', received: String(query.length) },
      );
    }
    const bias = (axes: string) => (this.settings.useBias ? axes : null);
    const projection = (equation: string, heads: number, axes: string, name: string, activation?: string) =>
      new EinsumDense({
        equation,
        outputShape: [null, heads, this.headDim],
        biasAxes: bias(axes),
        name,
        ...(activation != null ? { activation } : {}),
        ...projectionOptions(this.settings),
      });
    this.queryDense = projection('bqm,muh->bquh', this.numQueryHeads, 'uh', 'query');
    this.queryDense.build(query);
    this.keyDense = projection('bkm,mvh->bkvh', this.numKeyValueHeads, 'vh', 'key');
    this.keyDense.build(key);
    if (this.settings.useGate) {
      this.gateDense = projection('bqm,muh->bquh', this.numQueryHeads, 'uh', 'gate', 'sigmoid');
      this.gateDense.build(query);
    }
    this.valueDense = projection('bkm,mvh->bkvh', this.numKeyValueHeads, 'vh', 'value');
    this.valueDense.build(value);
    // Keras's softmax layer: the softmax is computed with the mask in dotProductAttention, the layer
    // is kept for its name (later layers are numbered as in Keras) and its place in Keras's files.
    this.#softmaxLayer = new Softmax({ axis: -1 });
    this.#dropoutLayer = new Dropout({ rate: this.settings.dropout, seed: this.settings.seed });
    this.outputDense = new EinsumDense({
      equation: 'bquh,uhm->bqm',
      outputShape: [null, query[2] as number],
      biasAxes: bias('m'),
      name: 'attention_output',
      ...projectionOptions(this.settings),
    });
    this.outputDense.build([null, null, this.numQueryHeads, this.headDim]);
  }

  override computeOutputShape(inputShape: Shape | Shape[], options: CallOptions = {}): Shape | Shape[] {
    const { query, value, key } = attentionShapes(this.name, inputShape);
    if (query[query.length - 1] !== value[value.length - 1]) {
      const show = (s: Shape) => `[${s.map((d) => d ?? 'null').join(', ')}]`;
      throw new ValueError(
        `The last dimension of \`query_shape\` and \`value_shape\` must be equal, but are ${query[query.length - 1]}, ${value[value.length - 1]}. Received: query_shape=${show(query)}, value_shape=${show(value)}`,
        { argument: 'value', expected: `last axis ${query[query.length - 1]}`, received: show(value) },
      );
    }
    checkKeyValue(value, key);
    if (!options.returnAttentionScores) return [...query];
    return [[...query], [query[0] ?? null, this.numQueryHeads, query[1] ?? null, key[1] ?? null]];
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const call = readAttentionCall('GroupQueryAttention', options);
    const { query, value, key } = attentionTensors(this.name, inputs);
    return tf.tidy(() => {
      const t = query.shape[1] as number;
      const s = value.shape[1] as number;
      const mask = combinedMask(call, t, s, this.settings.slidingWindow, 'raw');
      const gate = this.gateDense == null ? null : (this.gateDense.apply(query, NO_MASK) as tf.Tensor);
      const q = (this.queryDense as EinsumDense).apply(query, NO_MASK) as tf.Tensor;
      const repeats = this.numQueryHeads / this.numKeyValueHeads;
      const k = repeatAxis((this.keyDense as EinsumDense).apply(key, NO_MASK) as tf.Tensor, repeats, 2);
      const v = repeatAxis((this.valueDense as EinsumDense).apply(value, NO_MASK) as tf.Tensor, repeats, 2);
      const explicit = this.settings.dropout > 0 || call.returnAttentionScores;
      const { output, scores } = dotProductAttention(q, k, v, mask, {
        scale: 1 / Math.sqrt(this.headDim),
        attentionAxes: [1],
        dropout: { layer: this.#dropoutLayer as Dropout, rate: this.settings.dropout, training: call.training },
        zeroMasked: explicit,
        // Keras's Softmax reads a non-boolean mask as `> 0.5`; its fused path casts it to bool.
        maskRule: explicit ? 'half' : 'nonzero',
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
    const { kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, ...rest } = attentionConfig(
      this.settings,
    );
    return {
      ...super.getConfig(),
      headDim: this.headDim,
      numQueryHeads: this.numQueryHeads,
      numKeyValueHeads: this.numKeyValueHeads,
      useBias: this.settings.useBias,
      useGate: this.settings.useGate,
      slidingWindow: this.settings.slidingWindow,
      dropout: this.settings.dropout,
      kernelInitializer,
      biasInitializer,
      kernelRegularizer,
      biasRegularizer,
      ...rest,
    };
  }
}
