/**
 * What MultiHeadAttention and GroupedQueryAttention share: reading their
 * `[query, value, key?]` inputs and call options, the masks (given, causal,
 * sliding window), Keras's projection and attention equations, and
 * dot-product attention itself (scores, masked softmax, dropout, the
 * weighted sum of values) as contractions of einsum-equation.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import * as initializers from '../../initializers/index.js';
import { formatShape } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { contract } from '../core/einsum-equation.js';
import type { Layer } from '../layer.js';
import type { CallOptions, LayerInputs, Shape } from '../layer-types.js';
import { KerasTensor } from '../symbolic/keras-tensor.js';

/**
 * Keras's positional call arguments of the attention layers, in order: how
 * `apply([query, value, key?])` maps to Keras's `layer(query, value, key)`
 * in Keras JSON (a node's `args`/`kwargs`, `build_config.shapes_dict`).
 */
export const ATTENTION_CALL_ARGUMENTS = ['query', 'value', 'key'] as const;

/** The projections' call options: no mask, as Keras's call removes the inputs' masks before projecting them. */
export const NO_MASK: CallOptions = { mask: null };

/** The call options an attention layer takes (Keras's call keywords). */
const CALL_OPTION_NAMES = ['training', 'mask', 'attentionMask', 'useCausalMask', 'returnAttentionScores'];

export interface AttentionCall {
  training: boolean;
  /** Keras masks of query, value and key (`(B, T)`, `(B, S)`): those the inputs carry, or `options.mask`. */
  queryMask: tf.Tensor | null;
  valueMask: tf.Tensor | null;
  keyMask: tf.Tensor | null;
  attentionMask: tf.Tensor | null;
  useCausalMask: boolean;
  returnAttentionScores: boolean;
}

/**
 * Checks an attention layer's call options. The inputs' Keras masks come
 * in `mask`, one per input of `[query, value, key]`: those the tensors
 * carry (an Embedding's with `maskZero`), or given to `apply`.
 */
export function readAttentionCall(className: string, options: CallOptions = {}): AttentionCall {
  const read = readOptions<CallOptions & Record<string, unknown>>(`${className}.apply`, options, CALL_OPTION_NAMES);
  const masks = Array.isArray(read.mask) ? read.mask : [read.mask ?? null];
  const inputMask = (index: number): tf.Tensor | null => {
    const value = masks[index] ?? null;
    if (value !== null && !(value instanceof tf.Tensor)) throw invalidArgument('mask', 'tensors or null', read.mask);
    return value;
  };
  const mask = read.attentionMask ?? null;
  if (mask !== null && !(mask instanceof tf.Tensor)) {
    throw invalidArgument('attentionMask', 'a tensor or null', mask instanceof KerasTensor ? String(mask) : mask);
  }
  for (const name of ['useCausalMask', 'returnAttentionScores'] as const) {
    if (read[name] != null && typeof read[name] !== 'boolean') throw invalidArgument(name, 'a boolean', read[name]);
  }
  return {
    training: read.training ?? false,
    queryMask: inputMask(0),
    valueMask: inputMask(1),
    keyMask: inputMask(2),
    attentionMask: mask,
    useCausalMask: read.useCausalMask ?? false,
    returnAttentionScores: read.returnAttentionScores ?? false,
  };
}

function inputsError(layerName: string, received: string): ValueError {
  return new ValueError(
    `Layer "${layerName}" expects [query, value] or [query, value, key]: 2 or 3 tensors of rank >= 3 with the same batch size. Received: ${received}`,
    { argument: 'inputs', expected: '[query, value] or [query, value, key]', received },
  );
}

/** `[query, value, key?]` shapes; key defaults to value. */
export function attentionShapes(
  layerName: string,
  inputShape: Shape | Shape[],
): { query: Shape; value: Shape; key: Shape } {
  const list = Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : null;
  if (list == null || list.length < 2 || list.length > 3 || list.some((s) => s.length < 3)) {
    throw inputsError(
      layerName,
      list == null ? formatShape(inputShape as Shape) : `[${list.map(formatShape).join(', ')}]`,
    );
  }
  const [query, value, key = value] = list as [Shape, Shape, Shape?];
  return { query, value, key };
}

/** `[query, value, key?]` tensors; key defaults to value. */
export function attentionTensors(
  layerName: string,
  inputs: LayerInputs,
): { query: tf.Tensor; value: tf.Tensor; key: tf.Tensor } {
  const shapes = Array.isArray(inputs) ? inputs.map((x) => [...x.shape]) : [...inputs.shape];
  attentionShapes(layerName, shapes);
  const [query, value, key = value] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor?];
  if (query.shape[0] !== value.shape[0] || query.shape[0] !== key.shape[0]) {
    throw inputsError(layerName, `shapes ${[query, value, key].map((x) => formatShape(x.shape)).join(', ')}`);
  }
  return { query, value, key };
}

/** Keras's check that key and value agree on every axis but the last (their sequence axes). */
export function checkKeyValue(value: Shape, key: Shape): void {
  const same = value.length === key.length && value.slice(1, -1).every((d, i) => d === key[i + 1]);
  if (!same) {
    throw new ValueError(
      `All dimensions of \`value\` and \`key\`, except the last one, must be equal. Received: value_shape=${formatShape(value)} and key_shape=${formatShape(key)}`,
      { argument: 'key', expected: `the shape of value but the last axis`, received: formatShape(key) },
    );
  }
}

/** Keras's `_build_proj_equation`: free axes kept, `boundDims` contracted with the kernel, `outputDims` made. */
export function projectionEquation(
  freeDims: number,
  boundDims: number,
  outputDims: number,
): { equation: string; biasAxes: string; outputRank: number } {
  const letter = (i: number) => String.fromCharCode(97 + i);
  let input = '';
  let kernel = '';
  let output = '';
  let biasAxes = '';
  for (let i = 0; i < freeDims; i++) {
    input += letter(i);
    output += letter(i);
  }
  for (let i = 0; i < boundDims; i++) {
    input += letter(freeDims + i);
    kernel += letter(freeDims + i);
  }
  for (let i = 0; i < outputDims; i++) {
    const char = letter(freeDims + boundDims + i);
    kernel += char;
    output += char;
    biasAxes += char;
  }
  return { equation: `${input},${kernel}->${output}`, biasAxes, outputRank: output.length };
}

/** Keras's `_get_output_shape`: unknown sizes, then the known last ones. */
export function projectionOutputShape(outputRank: number, known: readonly number[]): (number | null)[] {
  return [...new Array<null>(Math.max(outputRank - known.length, 0)).fill(null), ...known];
}

/**
 * Keras's `_build_attention_equation` for projected tensors of `rank`
 * (`(batch, <attention axes>, heads, channels)`): the labels of the query
 * (target), of the key and value (source), and of the scores (product).
 */
export function attentionLabels(
  rank: number,
  attentionAxes: readonly number[],
): {
  target: string[];
  source: string[];
  product: string[];
} {
  const letter = (i: number) => String.fromCharCode(97 + i);
  const target = Array.from({ length: rank }, (_, i) => letter(i));
  const batchDims = target.map((_, i) => i).filter((i) => !attentionAxes.includes(i) && i !== rank - 1);
  let offset = rank;
  const source = target.map((label, i) => (batchDims.includes(i) || i === rank - 1 ? label : letter(offset++)));
  const product = [
    ...batchDims.map((i) => target[i] as string),
    ...attentionAxes.map((i) => target[i] as string),
    ...attentionAxes.map((i) => source[i] as string),
  ];
  return { target, source, product };
}

/** Keras's causal mask `(1, T, S)`: query `i` sees keys `j <= i`. */
function causalMask(t: number, s: number): tf.Tensor {
  const rows = tf.reshape(tf.range(0, t, 1, 'int32'), [1, t, 1]);
  const columns = tf.reshape(tf.range(0, s, 1, 'int32'), [1, 1, s]);
  return tf.greaterEqual(rows, columns);
}

/** Keras's sliding-window band `(1, T, S)`: `|i - j| < window`. */
function slidingWindowMask(t: number, s: number, window: number): tf.Tensor {
  const rows = tf.reshape(tf.range(0, t, 1, 'int32'), [1, t, 1]);
  const columns = tf.reshape(tf.range(0, s, 1, 'int32'), [1, 1, s]);
  return tf.less(tf.abs(tf.sub(rows, columns)), window);
}

/** A mask as booleans: true where nonzero (Keras's cast to bool), or, with `half`, above 0.5 (Keras's Softmax on a non-boolean mask). */
export function booleanMask(mask: tf.Tensor, rule: 'nonzero' | 'half' = 'nonzero'): tf.Tensor {
  if (mask.dtype === 'bool') return mask;
  return rule === 'half' ? tf.greater(mask, 0.5) : tf.notEqual(mask, 0);
}

/**
 * Keras's `_compute_attention_mask`: the inputs' masks (query `(B, T, 1)`,
 * value and key `(B, 1, S)`), the causal mask and the sliding window,
 * and-ed with the given attention mask, as booleans (null when none
 * applies). `t` and `s` are the query's and the value's axis 1.
 */
export function combinedMask(
  call: AttentionCall,
  t: number,
  s: number,
  slidingWindow: number | null,
  givenRule: 'nonzero' | 'half' | 'raw' = 'nonzero',
): tf.Tensor | null {
  const parts: tf.Tensor[] = [];
  if (call.queryMask != null) parts.push(tf.expandDims(booleanMask(call.queryMask), -1));
  if (call.valueMask != null) parts.push(tf.expandDims(booleanMask(call.valueMask), -2));
  if (call.keyMask != null) parts.push(tf.expandDims(booleanMask(call.keyMask), -2));
  if (call.useCausalMask) parts.push(causalMask(t, s));
  if (slidingWindow != null) parts.push(slidingWindowMask(t, s, slidingWindow));
  const auto = parts.length === 0 ? null : parts.reduce((a, b) => tf.logicalAnd(a, b));
  const given = call.attentionMask;
  if (given == null) return auto;
  if (auto == null) return givenRule === 'raw' ? given : booleanMask(given, givenRule);
  return tf.logicalAnd(booleanMask(given), auto);
}

/** The projections' initializers: a fresh copy each (Keras clones them so that seeded ones are not shared). */
export function cloneInitializer(initializer: initializers.Initializer): initializers.Initializer {
  return initializers.deserialize(initializers.serialize(initializer)) as initializers.Initializer;
}

export interface DotProductAttention {
  /** `1 / sqrt(key size)`, applied to the query. */
  scale: number;
  attentionAxes: readonly number[];
  /** The dropout of the attention weights and whether it runs (training). */
  dropout: { layer: Layer; rate: number; training: boolean };
  /**
   * Zero the weights of masked positions after the softmax. Keras does on
   * its explicit path (dropout, returned scores, or inputs of rank > 3);
   * its fused path leaves a fully masked row uniform.
   */
  zeroMasked: boolean;
  /** How a non-boolean mask reads when it reaches the softmax. */
  maskRule?: 'nonzero' | 'half';
}

/**
 * `softmax(mask(scale * query . key)) . value` over the attention axes, for
 * projected tensors `(batch, <axes>, heads, channels)`. Returns the weighted
 * values (the query's shape with the value's channels) and the attention
 * weights before dropout.
 */
export function dotProductAttention(
  query: tf.Tensor,
  key: tf.Tensor,
  value: tf.Tensor,
  mask: tf.Tensor | null,
  settings: DotProductAttention,
): { output: tf.Tensor; scores: tf.Tensor } {
  const { target, source, product } = attentionLabels(query.rank, settings.attentionAxes);
  const scaled = tf.mul(query, settings.scale);
  const logits = contract(key, source, scaled, target, product);
  const scores = maskedSoftmax(logits, mask, settings.attentionAxes.length, settings.zeroMasked, settings.maskRule);
  const { layer, rate, training } = settings.dropout;
  const dropped = rate > 0 ? (layer.apply(scores, { training }) as tf.Tensor) : scores;
  const output = contract(dropped, product, value, source, target);
  return { output, scores };
}

/**
 * Keras's `Softmax(axis=<last k axes>)` with a mask: masked logits become
 * -1e9 (`where`, not added), the mask expanded from the heads axis on.
 */
function maskedSoftmax(
  logits: tf.Tensor,
  mask: tf.Tensor | null,
  axes: number,
  zeroMasked: boolean,
  rule: 'nonzero' | 'half' = 'nonzero',
): tf.Tensor {
  let expanded: tf.Tensor | null = null;
  let x = logits;
  if (mask != null) {
    expanded = booleanMask(mask, rule);
    while (expanded.rank < logits.rank) expanded = tf.expandDims(expanded, expanded.rank + 1 - (axes * 2 + 1));
    const fits = expanded.rank === logits.rank && expanded.shape.every((d, i) => d === 1 || d === logits.shape[i]);
    if (!fits) {
      throw new ValueError(
        `The \`mask\` must be broadcastable to \`inputs\`. Each mask dimension must be 1 or match the corresponding input dimension. Received: inputs.shape=${formatShape(logits.shape)}, mask.shape=${formatShape(expanded.shape)}`,
        {
          argument: 'attentionMask',
          expected: `a shape that broadcasts to ${formatShape(logits.shape)}`,
          received: formatShape(mask.shape),
        },
      );
    }
    x = tf.where(expanded, logits, tf.scalar(-1e9));
  }
  let probs: tf.Tensor;
  if (axes === 1) probs = tf.softmax(x);
  else {
    const lead = x.shape.slice(0, x.rank - axes);
    probs = tf.reshape(tf.softmax(tf.reshape(x, [...lead, -1])), x.shape);
  }
  if (expanded != null && zeroMasked) probs = tf.mul(probs, tf.cast(expanded, 'float32'));
  return probs;
}

/**
 * `n` copies of each entry of `axis` in turn (Keras's `ops.repeat`): a tile
 * of rank 4 (tfjs's tile has gradients up to rank 4), the other axes merged.
 */
export function repeatAxis(x: tf.Tensor, repeats: number, axis: number): tf.Tensor {
  if (repeats === 1) return x;
  const shape = x.shape;
  const lead = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const rest = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const size = shape[axis] as number;
  const copies = tf.tile(tf.reshape(x, [lead, size, 1, rest]), [1, 1, repeats, 1]);
  const out = [...shape];
  out[axis] = size * repeats;
  return tf.reshape(copies, out);
}
