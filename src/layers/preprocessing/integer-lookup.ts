/** IntegerLookup: integer tokens to vocabulary indices (and back), as Keras's preprocessing layer. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { LAYER_OPTION_NAMES, type LayerInputs, type LayerOptions, type Shape } from '../layer-types.js';
import { booleanOption, oneOf, refuseSparse } from './arguments.js';
import { encodeCategorical, encodedShape } from './encode-categorical.js';
import { fingerprint64, sipHash24 } from './farmhash.js';
import { checkVocabulary, type LookupLayout, learnVocabulary, oovStartIndex, tokenStartIndex } from './vocabulary.js';

/** The options of `IntegerLookup`, Keras's keyword arguments camelCased. */
export interface IntegerLookupOptions extends Omit<LayerOptions, 'dtype'> {
  /** The largest vocabulary, special indices included (more than 1); default unbounded. */
  maxTokens?: number | null;
  /** How many indices unknown tokens share (default 1); 0 makes an unknown token an error. */
  numOovIndices?: number;
  /** The token that means "nothing here": it maps to index 0 (int output). Default null: none. */
  maskToken?: number | null;
  /** The token an index outside the vocabulary maps back to with `invert`; default -1. */
  oovToken?: number | null;
  /** The tokens, most frequent first; without it, call `adapt`. */
  vocabulary?: number[] | null;
  /** Only `"int64"`, as in Keras (computed as int32 here). */
  vocabularyDtype?: 'int64';
  /** Only null: the `tf_idf` output mode is not supported. */
  idfWeights?: null;
  /** Map indices back to tokens. */
  invert?: boolean;
  /** `"int"` (default), `"one_hot"`, `"multi_hot"` or `"count"`. */
  outputMode?: 'int' | 'one_hot' | 'multi_hot' | 'count' | 'binary';
  /** Only false: tfjs has no sparse tensors. */
  sparse?: boolean;
  /** Encode to `maxTokens` columns whatever the vocabulary's size. */
  padToMaxTokens?: boolean;
  /** How unknown tokens pick among several OOV indices: `"floormod"` of the token (default) or `"farmhash"` of its decimal string. */
  oovMethod?: 'floormod' | 'farmhash';
  /** With `"farmhash"`: a key (one integer or two) for the keyed SipHash instead. */
  salt?: number | [number, number] | null;
  /** Keras's record of the vocabulary's size in its configs; checked against the vocabulary when both are given. */
  vocabularySize?: number | null;
  /** Accepted and ignored, as Keras pops it: the layer computes in integers. */
  dtype?: unknown;
}

const OPTION_NAMES = [
  'maxTokens',
  'numOovIndices',
  'maskToken',
  'oovToken',
  'vocabulary',
  'vocabularyDtype',
  'idfWeights',
  'invert',
  'outputMode',
  'sparse',
  'padToMaxTokens',
  'oovMethod',
  'salt',
  'vocabularySize',
] as const;

function optionalInteger(argument: string, value: unknown): number | null {
  if (value == null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw invalidArgument(argument, 'an integer or null', value);
  return value;
}

/**
 * Maps integer tokens to indices in a vocabulary (Keras's `IntegerLookup`):
 * index 0 is the mask (when `maskToken` is set and the output is `int`),
 * then `numOovIndices` indices for unknown tokens (one by `floormod` of the
 * token when several), then the vocabulary. With `invert`, indices map back
 * to tokens. (`"farmhash"` hashes the token's decimal string, as Keras.)
 * The indices can be encoded as one-hot, multi-hot or count rows.
 * The vocabulary is given, or learned by `adapt` (by frequency); a given one
 * is saved in the config, a learned one as Keras's asset
 * `assets/<layer path>/vocabulary.txt`. Indices are int32 (Keras: int64).
 *
 * @example new layers.IntegerLookup({ vocabulary: [12, 36, 1138, 42] }).apply(tf.tensor2d([[12, 1138], [42, 1000]], undefined, 'int32')) // [[1, 3], [4, 0]]
 */
export class IntegerLookup extends Layer {
  static override readonly className: string = 'IntegerLookup';
  readonly maxTokens: number | null;
  readonly numOovIndices: number;
  readonly maskToken: number | null;
  readonly oovToken: number | null;
  readonly invert: boolean;
  readonly outputMode: 'int' | 'one_hot' | 'multi_hot' | 'count';
  readonly sparse: false;
  readonly padToMaxTokens: boolean;
  readonly oovMethod: 'floormod' | 'farmhash';
  readonly salt: [number, number] | null;
  /** The vocabulary given to the constructor (saved in the config), or null. */
  readonly inputVocabulary: number[] | null;
  #tokens: number[] = [];
  #index = new Map<number, number>();
  #frozenSize: number | null = null;

  constructor(options: IntegerLookupOptions = {}) {
    const read = readOptions<IntegerLookupOptions>('IntegerLookup', options, [...LAYER_OPTION_NAMES, ...OPTION_NAMES]);
    // Keras pops `dtype` (the layer computes in its vocabulary's dtype).
    const { dtype: _dtype, ...layerOptions } = Object.fromEntries(
      LAYER_OPTION_NAMES.filter((k) => k in read).map((k) => [k, (read as Record<string, unknown>)[k]]),
    );
    super(layerOptions as LayerOptions);
    const maxTokens = optionalInteger('maxTokens', read.maxTokens);
    if (maxTokens != null && maxTokens <= 1) {
      throw new ValueError(
        `If \`max_tokens\` is set for \`IntegerLookup\`, it must be greater than 1. Received: max_tokens=${maxTokens}`,
        {
          argument: 'maxTokens',
          expected: 'an integer > 1 or null',
          received: String(maxTokens),
        },
      );
    }
    const numOov = read.numOovIndices ?? 1;
    if (typeof numOov !== 'number' || !Number.isInteger(numOov) || numOov < 0) {
      throw new ValueError(
        `The value of \`num_oov_indices\` argument for \`IntegerLookup\` must >= 0. Received: num_oov_indices=${formatValue(numOov)}`,
        { argument: 'numOovIndices', expected: 'an integer >= 0', received: formatValue(numOov) },
      );
    }
    if ((read.vocabularyDtype ?? 'int64') !== 'int64') {
      throw new ValueError(
        `Only \`vocabulary_dtype='int64'\` is supported at this time. Received: vocabulary_dtype=${formatValue(read.vocabularyDtype)}`,
        { argument: 'vocabularyDtype', expected: '"int64"', received: formatValue(read.vocabularyDtype) },
      );
    }
    this.padToMaxTokens = booleanOption('padToMaxTokens', read.padToMaxTokens, false);
    if (this.padToMaxTokens && maxTokens == null) {
      throw new ValueError('If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens=null', {
        argument: 'maxTokens',
        expected: 'an integer with padToMaxTokens',
        received: 'null',
      });
    }
    this.oovMethod = oneOf('IntegerLookup', 'oov_method', read.oovMethod ?? 'floormod', [
      'floormod',
      'farmhash',
    ] as const);
    const salt = read.salt ?? null;
    if (salt != null && this.oovMethod !== 'farmhash') {
      throw new ValueError(
        `\`salt\` can only be used when \`oov_method='farmhash'\`. Received: oov_method=${this.oovMethod}`,
        {
          argument: 'salt',
          expected: 'null',
          received: formatValue(salt),
        },
      );
    }
    const word = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 53;
    if (salt != null && !(word(salt) || (Array.isArray(salt) && salt.length === 2 && salt.every(word)))) {
      throw new ValueError(
        `The \`salt\` argument for \`IndexLookup\` can only be a tuple of 2 integers, or a single integer. Received: salt=${formatValue(salt)}.`,
        { argument: 'salt', expected: 'a non-negative integer or two', received: formatValue(salt) },
      );
    }
    this.salt = salt == null ? null : typeof salt === 'number' ? [salt, salt] : [salt[0], salt[1]];
    const mode = read.outputMode === 'binary' ? 'multi_hot' : (read.outputMode ?? 'int');
    if ((mode as string) === 'tf_idf' || (mode as string) === 'tf-idf') {
      throw new ValueError(
        'IntegerLookup\'s output_mode "tf_idf" is not supported here (its idf weights are not implemented). Use "int", "one_hot", "multi_hot" or "count".',
        { argument: 'outputMode', expected: '"int", "one_hot", "multi_hot" or "count"', received: formatValue(mode) },
      );
    }
    this.outputMode = oneOf('IntegerLookup', 'output_mode', mode, ['int', 'one_hot', 'multi_hot', 'count'] as const);
    this.invert = booleanOption('invert', read.invert, false);
    if (this.invert && this.outputMode !== 'int') {
      throw new ValueError(
        `\`output_mode\` must be \`'int'\` when \`invert\` is true. Received: output_mode=${this.outputMode}`,
        {
          argument: 'outputMode',
          expected: '"int" with invert',
          received: this.outputMode,
        },
      );
    }
    this.sparse = refuseSparse('IntegerLookup', read.sparse);
    if (read.idfWeights != null) {
      throw new ValueError("`idf_weights` should only be set if `output_mode` is `'tf_idf'`.", {
        argument: 'idfWeights',
        expected: 'null',
        received: formatValue(read.idfWeights),
      });
    }
    this.maxTokens = maxTokens;
    this.numOovIndices = numOov;
    this.maskToken = optionalInteger('maskToken', read.maskToken);
    this.oovToken = read.oovToken === undefined ? -1 : optionalInteger('oovToken', read.oovToken);
    const vocabulary = read.vocabulary ?? null;
    if (vocabulary != null && !Array.isArray(vocabulary))
      throw invalidArgument('vocabulary', 'an array of integers or null', vocabulary);
    this.inputVocabulary = vocabulary == null ? null : [...vocabulary];
    if (vocabulary != null) this.setVocabulary(vocabulary);
    const size = optionalInteger('vocabularySize', read.vocabularySize);
    // An adapted layer's config carries its size and no vocabulary: it stands until the assets load.
    if (size != null && this.#frozenSize == null) this.#frozenSize = size;
  }

  get #layout(): LookupLayout {
    return {
      maskToken: this.maskToken,
      oovToken: this.oovToken,
      numOovIndices: this.numOovIndices,
      maxTokens: this.maxTokens,
      invert: this.invert,
      intOutput: this.outputMode === 'int',
    };
  }

  /** Sets the vocabulary (Keras's `set_vocabulary`), with or without the special tokens at its start. */
  setVocabulary(vocabulary: readonly number[]): void {
    const tokens = checkVocabulary(vocabulary, this.#layout);
    this.#setTokens(tokens);
  }

  #setTokens(tokens: number[]): void {
    const start = tokenStartIndex(this.#layout);
    const size = start + tokens.length;
    if (
      this.outputMode !== 'int' &&
      !this.padToMaxTokens &&
      this.#frozenSize != null &&
      this.built &&
      size !== this.#frozenSize
    ) {
      throw new ValueError(
        `When using \`output_mode=${this.outputMode}\` and \`pad_to_max_tokens=False\`, the vocabulary size cannot be changed after the layer is called. Old vocab size is ${this.#frozenSize}, new vocab size is ${size}`,
        { argument: 'vocabulary', expected: `${this.#frozenSize} entries`, received: `${size} entries` },
      );
    }
    this.#tokens = tokens;
    this.#index = new Map(tokens.map((t, i) => [t, start + i]));
    this.#frozenSize = size;
  }

  /** Keras's `get_vocabulary`: with the special tokens, each at its index, unless asked not to. */
  getVocabulary(includeSpecialTokens = true): number[] {
    const start = tokenStartIndex(this.#layout);
    const vocabulary = [...new Array(start).fill(this.oovToken), ...this.#tokens];
    if (this.maskToken != null && this.outputMode === 'int') vocabulary[0] = this.maskToken;
    return includeSpecialTokens ? vocabulary : vocabulary.slice(start);
  }

  /** The number of indices: special ones and tokens. */
  vocabularySize(): number {
    return tokenStartIndex(this.#layout) + this.#tokens.length;
  }

  /**
   * Learns the vocabulary from `data` (Keras's `adapt`): its tokens by
   * frequency, the most frequent first (ties: the larger token first), up
   * to `maxTokens`. A tensor, nested integer arrays, or an array of tensors.
   */
  adapt(data: tf.Tensor | tf.Tensor[] | number[] | number[][]): void {
    if (this.inputVocabulary != null) {
      throw new ValueError(
        `Cannot adapt layer '${this.name}' after setting a static vocabulary via \`vocabulary\` argument or \`set_vocabulary()\` method.`,
        { argument: 'data', expected: 'a layer made without a vocabulary', received: 'a layer with a vocabulary' },
      );
    }
    const batches =
      Array.isArray(data) && data.length > 0 && data.every((b) => b instanceof tf.Tensor)
        ? (data as tf.Tensor[]).map((b) => b.dataSync())
        : [
            data instanceof tf.Tensor
              ? data.dataSync()
              : ((data as number[]).flat(Number.POSITIVE_INFINITY) as number[]),
          ];
    const values = batches.flatMap((b) => Array.from(b as ArrayLike<number>));
    if (values.length === 0) return;
    this.#setTokens(learnVocabulary(values, this.#layout));
  }

  /** Tokens arrive as int32 (a float32 copy would round large ones). */
  protected override keepsInputDtypes(): boolean {
    return true;
  }

  #depth(): number {
    if (this.padToMaxTokens) return this.maxTokens as number;
    if (this.#frozenSize == null) {
      throw new ValueError(
        `When using \`output_mode=${this.outputMode}\` and \`pad_to_max_tokens=False\`, you must set the layer's vocabulary before calling it. Either pass a \`vocabulary\` argument to the layer, or call \`adapt\` with some sample data.`,
        { argument: 'vocabulary', expected: 'a vocabulary or an adapted layer', received: 'neither' },
      );
    }
    return this.#frozenSize;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (this.outputMode === 'int') return [...inputShape];
    return encodedShape(inputShape, this.outputMode, this.#depth());
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const depth = this.outputMode === 'int' ? 0 : this.#depth();
    const lookups = this.#lookup(x.dataSync() as ArrayLike<number>);
    return tf.tidy(() => {
      const indices = tf.tensor(lookups, x.shape, 'int32');
      return this.outputMode === 'int' ? indices : encodeCategorical(indices, this.outputMode, depth);
    });
  }

  /** Keras's `_lookup_dense` on the host: table, mask, then the OOV policy. */
  #lookup(values: ArrayLike<number>): Int32Array {
    const out = new Int32Array(values.length);
    if (this.invert) {
      const start = tokenStartIndex(this.#layout);
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        const token = this.#tokens[v - start];
        out[i] =
          this.maskToken != null && v === 0
            ? this.maskToken
            : v >= start && token !== undefined
              ? token
              : (this.oovToken ?? -1);
      }
      return out;
    }
    const oovStart = oovStartIndex(this.#layout);
    // The mask's index: 0 as an index; none (encoded as nothing) in the other modes.
    const maskValue = this.outputMode === 'int' ? 0 : -1;
    const unknown: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      const found = this.#index.get(v);
      if (this.maskToken != null && v === this.maskToken) out[i] = maskValue;
      else if (found !== undefined) out[i] = found;
      else if (this.numOovIndices === 0) unknown.push(v);
      else if (this.numOovIndices === 1) out[i] = oovStart;
      else out[i] = oovStart + this.#oovBucket(v);
    }
    if (unknown.length > 0) {
      throw new ValueError(
        `When \`num_oov_indices=0\` all inputs should be in vocabulary, found OOV values [${unknown.join(' ')}], consider setting \`num_oov_indices=1\`.`,
        { argument: 'inputs', expected: 'tokens in the vocabulary', received: `[${unknown.join(' ')}]` },
      );
    }
    return out;
  }

  /** Which of several OOV indices an unknown token takes: floormod, or TensorFlow's string hash buckets. */
  #oovBucket(token: number): number {
    const n = this.numOovIndices;
    if (this.oovMethod === 'floormod') return ((token % n) + n) % n;
    const bytes = new TextEncoder().encode(String(token));
    const hash =
      this.salt == null ? fingerprint64(bytes) : sipHash24(BigInt(this.salt[0]), BigInt(this.salt[1]), bytes);
    return Number(hash % BigInt(n));
  }

  /** Keras's `save_assets`: a learned vocabulary, one token a line with the special tokens; none when given. */
  saveAssets(): Record<string, string> | null {
    if (this.inputVocabulary != null || this.#frozenSize == null) return null;
    return { 'vocabulary.txt': this.getVocabulary(true).join('\n') };
  }

  /** Keras's `load_assets`: the learned vocabulary from `vocabulary.txt`. */
  loadAssets(files: ReadonlyMap<string, string>): void {
    if (this.inputVocabulary != null) return;
    const text = files.get('vocabulary.txt');
    if (text == null) return;
    const lines = text.split(/\r?\n/);
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const values = lines.map((line) => {
      const value = Number(line);
      if (line.trim() === '' || !Number.isInteger(value)) {
        throw new ValueError(
          `The vocabulary asset of layer "${this.name}" holds a line that is not an integer: ${formatValue(line)}`,
          {
            argument: 'vocabulary.txt',
            expected: 'one integer a line',
            received: formatValue(line),
          },
        );
      }
      return value;
    });
    this.setVocabulary(values);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      invert: this.invert,
      maxTokens: this.maxTokens,
      numOovIndices: this.numOovIndices,
      oovToken: this.oovToken,
      maskToken: this.maskToken,
      outputMode: this.outputMode,
      sparse: this.sparse,
      padToMaxTokens: this.padToMaxTokens,
      vocabularyDtype: 'int64',
      idfWeights: null,
      vocabulary: this.inputVocabulary == null ? null : [...this.inputVocabulary],
      vocabularySize: this.#frozenSize,
      oovMethod: this.oovMethod,
      salt: this.salt == null ? null : [...this.salt],
    };
  }
}
