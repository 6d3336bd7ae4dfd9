/** TextVectorization: strings to token indices or token-count rows, as Keras's preprocessing layer. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { LAYER_OPTION_NAMES, type LayerInputs, type LayerOptions, type Shape } from '../layer-types.js';
import { refuseSparse } from './arguments.js';
import { StringLookup } from './string-lookup.js';
import { ngramsOf, type Split, type Standardize, splitText, standardizeText } from './text-tokens.js';

/** The output modes of TextVectorization. */
export type TextOutputMode = 'int' | 'one_hot' | 'multi_hot' | 'count' | 'tf_idf';

/** The options of `TextVectorization`, Keras's keyword arguments camelCased. */
export interface TextVectorizationOptions extends Omit<LayerOptions, 'dtype'> {
  /** The largest vocabulary, the padding and OOV indices included; default unbounded. */
  maxTokens?: number | null;
  /** `"lower_and_strip_punctuation"` (default), `"lower"`, `"strip_punctuation"` or null. */
  standardize?: Standardize;
  /** `"whitespace"` (default), `"character"` or null (each string one token). */
  split?: Split;
  /** Also (or only) n-grams: n gives widths 1..n, an array the widths; default null. */
  ngrams?: number | number[] | null;
  /** `"int"` (default), `"one_hot"`, `"multi_hot"` (`"binary"`) or `"count"`. */
  outputMode?: TextOutputMode | 'binary' | 'tf-idf';
  /** With `int`: pad or cut every sequence to this length; default the batch's longest. */
  outputSequenceLength?: number | null;
  /** With `multi_hot`/`count`: `maxTokens` columns whatever the vocabulary's size. */
  padToMaxTokens?: boolean;
  /** The tokens, most frequent first; without it, call `adapt`. */
  vocabulary?: string[] | null;
  /** With `tf_idf` and a `vocabulary`: each token's inverse document frequency (required then, as in Keras). */
  idfWeights?: number[] | null;
  /** Only false: tfjs has no sparse tensors. */
  sparse?: boolean;
  /** Only false: tfjs has no ragged tensors (int output is padded with 0). */
  ragged?: boolean;
  /** Only `"utf-8"`: tfjs string tensors hold UTF-8. */
  encoding?: 'utf-8';
  /** Keras's record of the vocabulary's size in its configs. */
  vocabularySize?: number | null;
  /** Accepted and ignored, as Keras's layer computes in strings. */
  dtype?: unknown;
}

const STANDARDIZE = ['lower_and_strip_punctuation', 'lower', 'strip_punctuation'] as const;
const SPLIT = ['whitespace', 'character'] as const;
const MODES = ['int', 'one_hot', 'multi_hot', 'count', 'tf_idf'] as const;
const decoder = new TextDecoder();

/** Keras's `validate_string_arg` error, with Keras's words. */
function unknownValue(argument: string, kerasName: string, allowed: readonly string[], value: unknown): ValueError {
  const shown = typeof value === 'string' ? value : formatValue(value);
  return new ValueError(
    `Unknown value for \`${kerasName}\` argument of TextVectorization. Allowed values are: (${allowed.map((a) => `'${a}'`).join(', ')}). Received: ${kerasName}=${shown}`,
    { argument, expected: `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, received: formatValue(value) },
  );
}

/**
 * Turns strings into token indices or token-count rows (Keras's
 * `TextVectorization`): each string standardized (ASCII lower case, ASCII
 * punctuation stripped), split (ASCII whitespace, or characters), optionally
 * into n-grams, then looked up in a vocabulary by a StringLookup with mask
 * token `""` (index 0: padding) and one OOV index (1, `"[UNK]"`). `int`
 * output is each string's indices padded with 0 to the batch's longest (or
 * to `outputSequenceLength`, cutting longer ones); `multi_hot`/`count`/
 * `one_hot` output is a row per string. The vocabulary is given, or learned
 * by `adapt` (most frequent first) and then saved as Keras saves it, as the
 * asset `vocabulary.txt`. Indices are int32 (Keras: int64).
 *
 * @example new layers.TextVectorization({ vocabulary: ['the', 'cat'] }).apply(tf.tensor1d(['The cat!', 'a cat'], 'string')) // [[2, 3], [1, 3]]
 */
export class TextVectorization extends Layer {
  static override readonly className: string = 'TextVectorization';
  readonly standardize: Standardize;
  readonly split: Split;
  /** The `ngrams` option as given. */
  readonly ngrams: number | number[] | null;
  readonly outputMode: TextOutputMode;
  readonly outputSequenceLength: number | null;
  readonly ragged: false;
  readonly encoding: 'utf-8';
  /** The n-gram widths used (null: tokens as they are). */
  readonly #widths: number[] | null;
  /** The idf weights given to the constructor (saved in the config), or null. */
  readonly inputIdfWeights: number[] | null;
  /** With `tf_idf`: the weight of each output column (OOV first), float32 as Keras's variable. */
  #idf: Float32Array | null = null;
  /** Keras's `_lookup_layer`, private so that it is not a nested layer of its own (Keras saves its state through this layer). */
  readonly #lookup: StringLookup;

  constructor(options: TextVectorizationOptions = {}) {
    const read = readOptions<TextVectorizationOptions>('TextVectorization', options, [
      ...LAYER_OPTION_NAMES,
      'maxTokens',
      'standardize',
      'split',
      'ngrams',
      'outputMode',
      'outputSequenceLength',
      'padToMaxTokens',
      'vocabulary',
      'idfWeights',
      'sparse',
      'ragged',
      'encoding',
      'vocabularySize',
    ]);
    const layerOptions = Object.fromEntries(
      LAYER_OPTION_NAMES.filter((k) => k in read && k !== 'dtype').map((k) => [
        k,
        (read as Record<string, unknown>)[k],
      ]),
    );
    super(layerOptions as LayerOptions);
    const standardize = read.standardize === undefined ? 'lower_and_strip_punctuation' : read.standardize;
    if (standardize !== null && !(STANDARDIZE as readonly unknown[]).includes(standardize)) {
      throw unknownValue('standardize', 'standardize', STANDARDIZE, standardize);
    }
    const split = read.split === undefined ? 'whitespace' : read.split;
    if (split !== null && !(SPLIT as readonly unknown[]).includes(split))
      throw unknownValue('split', 'split', SPLIT, split);
    let mode: unknown = read.outputMode ?? 'int';
    if (mode === 'binary') mode = 'multi_hot';
    if (mode === 'tf-idf') mode = 'tf_idf';
    if (!(MODES as readonly unknown[]).includes(mode)) throw unknownValue('outputMode', 'output_mode', MODES, mode);
    const idfWeights = read.idfWeights ?? null;
    if (idfWeights != null && mode !== 'tf_idf') {
      throw new ValueError(
        `\`idf_weights\` should only be set if \`output_mode\` is \`'tf_idf'\`. Received: idf_weights=${formatValue(idfWeights)} and output_mode=${String(mode)}`,
        {
          argument: 'idfWeights',
          expected: `null with output_mode "${String(mode)}"`,
          received: formatValue(idfWeights),
        },
      );
    }
    if (mode === 'tf_idf' && read.vocabulary != null && idfWeights == null) {
      throw new ValueError(
        'When specifying the `vocabulary` argument, in TF-IDF output mode, the `idf_weights` argument must also be provided.',
        { argument: 'idfWeights', expected: 'one weight per vocabulary token', received: 'null' },
      );
    }
    const ngrams = read.ngrams ?? null;
    const positive = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1;
    if (
      !(ngrams === null || positive(ngrams) || (Array.isArray(ngrams) && ngrams.length > 0 && ngrams.every(positive)))
    ) {
      throw new ValueError(
        `\`ngrams\` must be None, an integer, or a tuple of integers. Received: ngrams=${formatValue(ngrams)}`,
        { argument: 'ngrams', expected: 'null, a positive integer or an array of them', received: formatValue(ngrams) },
      );
    }
    const length = read.outputSequenceLength ?? null;
    if (mode === 'int' && !(length === null || positive(length))) {
      throw new ValueError(
        `\`output_sequence_length\` must be either None or an integer when \`output_mode\` is 'int'. Received: output_sequence_length=${formatValue(length)}`,
        { argument: 'outputSequenceLength', expected: 'null or a positive integer', received: formatValue(length) },
      );
    }
    if (mode !== 'int' && length !== null) {
      throw new ValueError(
        `\`output_sequence_length\` must not be set if \`output_mode\` is not 'int'. Received output_sequence_length=${formatValue(length)}.`,
        {
          argument: 'outputSequenceLength',
          expected: `null with output_mode "${mode}"`,
          received: formatValue(length),
        },
      );
    }
    if (read.ragged != null && read.ragged !== false) {
      throw new ValueError(
        `TextVectorization cannot output ragged tensors: tfjs has none, so only ragged=false is supported (int output is padded with 0). Received: ragged=${formatValue(read.ragged)}`,
        { argument: 'ragged', expected: 'false', received: formatValue(read.ragged) },
      );
    }
    const encoding = (read.encoding ?? 'utf-8').toLowerCase().replace('_', '-');
    if (encoding !== 'utf-8' && encoding !== 'utf8') {
      throw new ValueError(
        `TextVectorization supports only encoding="utf-8": tfjs string tensors hold UTF-8 bytes. Received: encoding=${formatValue(read.encoding)}`,
        { argument: 'encoding', expected: '"utf-8"', received: formatValue(read.encoding) },
      );
    }
    refuseSparse('TextVectorization', read.sparse);
    this.standardize = standardize;
    this.split = split;
    this.ngrams = Array.isArray(ngrams) ? [...ngrams] : ngrams;
    this.#widths =
      ngrams === null ? null : Array.isArray(ngrams) ? [...ngrams] : Array.from({ length: ngrams }, (_, i) => i + 1);
    this.outputMode = mode as TextOutputMode;
    this.outputSequenceLength = length;
    this.ragged = false;
    this.encoding = 'utf-8';
    // tf_idf is counts times the idf weights, which this layer keeps: the lookup counts.
    this.#lookup = new StringLookup({
      maxTokens: read.maxTokens ?? null,
      vocabulary: read.vocabulary ?? null,
      padToMaxTokens: read.padToMaxTokens ?? false,
      maskToken: '',
      outputMode: this.outputMode === 'tf_idf' ? 'count' : this.outputMode,
      vocabularySize: read.vocabularySize ?? null,
    });
    this.inputIdfWeights = idfWeights == null ? null : [...idfWeights];
    if (idfWeights != null && read.vocabulary != null) this.#setIdf(read.vocabulary, idfWeights);
  }

  /** The largest vocabulary (the lookup's). */
  get maxTokens(): number | null {
    return this.#lookup.maxTokens;
  }

  /** Whether multi-hot and count rows have `maxTokens` columns. */
  get padToMaxTokens(): boolean {
    return this.#lookup.padToMaxTokens;
  }

  /** Keras's `get_vocabulary`: `""` (padding, int output only), `"[UNK]"`, then the tokens; without them if asked. */
  getVocabulary(includeSpecialTokens = true): string[] {
    return this.#lookup.getVocabulary(includeSpecialTokens) as string[];
  }

  /** The number of indices, the padding and OOV ones included. */
  vocabularySize(): number {
    return this.#lookup.vocabularySize();
  }

  /** Sets the vocabulary (Keras's `set_vocabulary`), with its idf weights in `tf_idf` mode (and only then). */
  setVocabulary(vocabulary: readonly string[], idfWeights: readonly number[] | null = null): void {
    if (this.outputMode === 'tf_idf' && idfWeights == null) {
      throw new ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.", {
        argument: 'idfWeights',
        expected: 'one weight per vocabulary token',
        received: 'null',
      });
    }
    if (this.outputMode !== 'tf_idf' && idfWeights != null) {
      throw new ValueError(
        `\`idf_weights\` should only be set if output_mode is \`'tf_idf'\`. Received: output_mode=${this.outputMode} and idf_weights=${formatValue(idfWeights)}`,
        {
          argument: 'idfWeights',
          expected: `null with output_mode "${this.outputMode}"`,
          received: formatValue(idfWeights),
        },
      );
    }
    this.#lookup.setVocabulary(vocabulary);
    if (idfWeights != null) this.#setIdf(vocabulary, idfWeights);
  }

  /**
   * Keras's idf vector for a given vocabulary: the weights, after the mean
   * weight for the OOV index unless the vocabulary starts with `"[UNK]"`,
   * then zeros up to `maxTokens` with `padToMaxTokens`.
   */
  #setIdf(vocabulary: readonly string[], weights: readonly number[]): void {
    if (!Array.isArray(weights) || weights.some((w) => typeof w !== 'number' || !Number.isFinite(w))) {
      throw new ValueError(
        `TF-IDF data must be a 1-index array of numbers. Received: idf_weights=${formatValue(weights)}`,
        {
          argument: 'idfWeights',
          expected: 'an array of finite numbers',
          received: formatValue(weights),
        },
      );
    }
    if (weights.length !== vocabulary.length) {
      throw new ValueError(
        `\`idf_weights\` must be the same length as vocabulary. len(idf_weights) is ${weights.length}; len(vocabulary) is ${vocabulary.length}`,
        { argument: 'idfWeights', expected: `${vocabulary.length} weights`, received: `${weights.length} weights` },
      );
    }
    const special = vocabulary[0] === '[UNK]';
    const mean = weights.reduce((a, b) => a + b, 0) / Math.max(weights.length, 1);
    this.#padIdf(special ? [...weights] : [mean, ...weights]);
  }

  /** Zeros after the weights up to `maxTokens` (with `padToMaxTokens`), as float32. */
  #padIdf(weights: number[]): void {
    const size =
      this.padToMaxTokens && this.maxTokens != null ? Math.max(this.maxTokens, weights.length) : weights.length;
    const idf = new Float32Array(size);
    idf.set(weights);
    this.#idf = idf;
  }

  /** Each string's tokens: standardized, split, n-grams. */
  tokenize(text: string): string[] {
    return ngramsOf(splitText(standardizeText(text, this.standardize), this.split), this.#widths);
  }

  /** The strings of a tensor, one per sample: a split needs rank 1 or a last axis of 1, as in Keras. */
  #strings(x: tf.Tensor): string[] {
    if (x.dtype !== 'string') {
      throw new ValueError(`TextVectorization "${this.name}" takes a string tensor. Received: a ${x.dtype} tensor`, {
        argument: 'inputs',
        expected: 'a string tensor',
        received: `a ${x.dtype} tensor`,
      });
    }
    if (this.split !== null && x.rank > 1 && x.shape[x.rank - 1] !== 1) {
      throw new ValueError(
        `When using \`TextVectorization\` to tokenize strings, the input rank must be 1 or the last shape dimension must be 1. Received: inputs.shape=[${x.shape.join(', ')}] with rank=${x.rank}`,
        { argument: 'inputs', expected: 'shape [batch] or [batch, 1]', received: `shape [${x.shape.join(', ')}]` },
      );
    }
    if (x.rank > 2) {
      throw new ValueError(
        `TextVectorization takes strings of shape [batch] or [batch, 1]. Received: inputs.shape=[${x.shape.join(', ')}]`,
        {
          argument: 'inputs',
          expected: 'shape [batch] or [batch, 1]',
          received: `shape [${x.shape.join(', ')}]`,
        },
      );
    }
    return (x.dataSync() as unknown as (string | Uint8Array)[]).map((v) =>
      typeof v === 'string' ? v : decoder.decode(v),
    );
  }

  /**
   * Learns the vocabulary from `data` (Keras's `adapt`): the tokens of its
   * strings by frequency, the most frequent first (ties: the larger token
   * first), up to `maxTokens`. A string tensor, an array of strings, or an
   * array of string tensors (batches).
   */
  adapt(data: tf.Tensor | tf.Tensor[] | string[]): void {
    const texts = Array.isArray(data)
      ? data.flatMap((item) => (item instanceof tf.Tensor ? this.#strings(item) : [item]))
      : this.#strings(data);
    const bad = texts.find((t) => typeof t !== 'string');
    if (bad !== undefined)
      throw new ValueError(`TextVectorization.adapt takes strings. Received: ${formatValue(bad)}`, {
        argument: 'data',
        expected: 'strings',
        received: formatValue(bad),
      });
    const documents = texts.map((t) => this.tokenize(t));
    this.#lookup.adapt(documents.flat());
    if (this.outputMode === 'tf_idf') {
      // Keras's idf: log(1 + documents / (1 + documents with the token)), in float64, then float32; the OOV index gets the mean.
      const inDocuments = new Map<string, number>();
      for (const doc of documents)
        for (const token of new Set(doc)) inDocuments.set(token, (inDocuments.get(token) ?? 0) + 1);
      const tokens = this.getVocabulary(false);
      const idf = tokens.map((t) => Math.fround(Math.log(1 + documents.length / (1 + (inDocuments.get(t) ?? 0)))));
      let sum = 0;
      for (const w of idf) sum = Math.fround(sum + w);
      this.#padIdf([Math.fround(sum / Math.max(idf.length, 1)), ...idf]);
    }
  }

  /** Strings arrive as they are. */
  protected override keepsInputDtypes(): boolean {
    return true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const batch = shape.length === 0 ? null : (shape[0] ?? null);
    if (this.outputMode === 'int')
      return shape.length === 0 ? [this.outputSequenceLength] : [batch, this.outputSequenceLength];
    if (this.outputMode === 'one_hot') return this.#lookup.computeOutputShape([batch, 1]);
    return this.#lookup.computeOutputShape([batch, null]);
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const texts = this.#strings(x);
    if (this.outputMode === 'one_hot' && (this.split !== null || this.#widths != null)) {
      throw new ValueError(
        `When output_mode is not \`'int'\`, maximum supported output rank is 2. Received output_mode one_hot and input shape [${x.shape.join(', ')}], which would result in output rank 3: one_hot takes one token per string (split=None, no ngrams).`,
        { argument: 'outputMode', expected: '"multi_hot" or "count" with a split', received: '"one_hot"' },
      );
    }
    const rows = texts.map((t) => this.tokenize(t));
    const longest = rows.reduce((m, r) => Math.max(m, r.length), 0);
    const width = this.outputMode === 'int' ? (this.outputSequenceLength ?? longest) : Math.max(longest, 1);
    // Padding with the mask token "": index 0 in int output, no column in the others (Keras's ragged to_tensor and bincount).
    const padded = rows.flatMap((r) => [
      ...r.slice(0, width),
      ...new Array<string>(Math.max(0, width - r.length)).fill(''),
    ]);
    const scalar = x.rank === 0;
    if (width === 0) return tf.zeros(scalar ? [0] : [texts.length, 0], 'int32');
    const tokens = tf.tensor(padded, scalar ? [width] : [texts.length, width], 'string');
    try {
      const out = this.#lookup.apply(tokens) as tf.Tensor;
      if (this.outputMode !== 'tf_idf') return out;
      const idf = this.#idf;
      if (idf == null || idf.length !== out.shape[out.rank - 1]) {
        out.dispose();
        throw new ValueError(
          'TextVectorization in tf_idf mode needs its idf weights: pass `vocabulary` with `idfWeights`, call `setVocabulary(vocabulary, idfWeights)`, or `adapt`.',
          {
            argument: 'idfWeights',
            expected: 'a weight per output column',
            received: idf == null ? 'none' : `${idf.length} weights`,
          },
        );
      }
      const weighted = tf.tidy(() => tf.mul(out, tf.tensor1d(idf, 'float32')));
      out.dispose();
      return weighted;
    } finally {
      tokens.dispose();
    }
  }

  /** Keras's assets: the learned vocabulary, written for this layer and for its `_lookup_layer` (Keras's loader reads both). */
  saveAssets(): Record<string, string> | null {
    // Keras reads a tf_idf layer's `vars/idf_weights` whatever its vocabulary: a file without them would not load there.
    if (this.outputMode === 'tf_idf') throw this.#idfFileError();
    const files = this.#lookup.saveAssets();
    if (files == null) return null;
    const text = files['vocabulary.txt'] as string;
    return { 'vocabulary.txt': text, '_lookup_layer/vocabulary.txt': text };
  }

  /** Keras's `load_assets`: the learned vocabulary from `vocabulary.txt`. */
  loadAssets(files: ReadonlyMap<string, string>): void {
    if (this.outputMode === 'tf_idf') throw this.#idfFileError();
    this.#lookup.loadAssets(files);
  }

  /** Keras keeps a tf_idf layer's idf weights as a named entry of the weights file (`vars/idf_weights`), which this library does not read or write yet. */
  #idfFileError(): ValueError {
    return new ValueError(
      `TextVectorization "${this.name}" has output_mode "tf_idf": Keras keeps its idf weights in the weights file as \`vars/idf_weights\`, which this library does not read or write yet, so it is not saved to or loaded from .keras files (a layer given \`vocabulary\` and \`idfWeights\` keeps both in its config: rebuild it with layers.deserialize).`,
      {
        argument: 'outputMode',
        expected: '"int", "one_hot", "multi_hot" or "count" in a .keras file',
        received: '"tf_idf"',
      },
    );
  }

  override getConfig(): Record<string, unknown> {
    const lookup = this.#lookup.getConfig();
    return {
      ...super.getConfig(),
      maxTokens: this.#lookup.maxTokens,
      standardize: this.standardize,
      split: this.split,
      ngrams: Array.isArray(this.ngrams) ? [...this.ngrams] : this.ngrams,
      outputMode: this.outputMode,
      outputSequenceLength: this.outputSequenceLength,
      padToMaxTokens: this.#lookup.padToMaxTokens,
      sparse: false,
      ragged: false,
      vocabulary: lookup.vocabulary,
      idfWeights: this.inputIdfWeights == null ? null : [...this.inputIdfWeights],
      encoding: this.encoding,
      vocabularySize: this.vocabularySize(),
    };
  }

  override dispose(): void {
    this.#lookup.dispose();
    super.dispose();
  }
}
