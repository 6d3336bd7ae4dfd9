/**
 * Keras's `IndexLookup` (keras/src/layers/preprocessing/index_lookup.py),
 * the base of IntegerLookup and StringLookup: tokens to indices in a
 * vocabulary (and back), the mask and OOV indices, encodings of the
 * indices, `adapt`, configs and the vocabulary asset.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import type { LayerInputs, LayerOptions, Shape } from '../layer-types.js';
import { encodeCategorical, encodedShape } from './encode-categorical.js';
import { fingerprint64, sipHash24 } from './farmhash.js';
import { checkIndexLookupOptions, type IndexLookupOptions, type LookupOutputMode } from './index-lookup-options.js';
import {
  checkVocabulary,
  type LookupLayout,
  learnVocabulary,
  oovStartIndex,
  type Token,
  tokenStartIndex,
} from './vocabulary.js';

/**
 * Maps tokens to indices in a vocabulary (Keras's `IndexLookup`): index 0
 * is the mask (when `maskToken` is set and the output is `int`), then
 * `numOovIndices` indices for unknown tokens, then the vocabulary; with
 * `invert`, indices map back to tokens. Subclasses say how tokens are read
 * from and written to tensors and how unknown tokens pick an OOV index.
 *
 * @example new layers.IntegerLookup({ vocabulary: [12, 36] }).apply(tf.tensor1d([36, 7], 'int32')) // [2, 0]
 */
export abstract class IndexLookup<T extends Token> extends Layer {
  readonly maxTokens: number | null;
  readonly numOovIndices: number;
  readonly maskToken: T | null;
  readonly oovToken: T | null;
  readonly invert: boolean;
  readonly outputMode: LookupOutputMode;
  readonly sparse: false;
  readonly padToMaxTokens: boolean;
  readonly salt: [number, number] | null;
  /** The vocabulary given to the constructor (saved in the config), or null. */
  readonly inputVocabulary: T[] | null;
  #tokens: T[] = [];
  #index = new Map<T, number>();
  #frozenSize: number | null = null;

  /** `read` is the subclass's checked options; `className` names the layer in Keras's messages. */
  constructor(read: Readonly<Partial<IndexLookupOptions<T>>>, layerOptions: LayerOptions, className: string) {
    super(layerOptions);
    const settings = checkIndexLookupOptions(read, className);
    this.maxTokens = settings.maxTokens;
    this.numOovIndices = settings.numOovIndices;
    this.padToMaxTokens = settings.padToMaxTokens;
    this.outputMode = settings.outputMode;
    this.invert = settings.invert;
    this.sparse = settings.sparse;
    this.salt = settings.salt;
    this.maskToken = this.checkSpecialToken('maskToken', read.maskToken ?? null);
    this.oovToken = this.checkSpecialToken(
      'oovToken',
      read.oovToken === undefined ? this.defaultOovToken() : read.oovToken,
    );
    const vocabulary = read.vocabulary ?? null;
    if (vocabulary != null && !Array.isArray(vocabulary))
      throw invalidArgument('vocabulary', 'an array of tokens or null', vocabulary);
    this.inputVocabulary = vocabulary == null ? null : [...vocabulary];
    if (vocabulary != null) this.setVocabulary(vocabulary);
    const size = read.vocabularySize ?? null;
    if (size != null && !(Number.isInteger(size) && size >= 0))
      throw invalidArgument('vocabularySize', 'a non-negative integer or null', size);
    // An adapted layer's config carries its size and no vocabulary: it stands until the asset loads.
    if (size != null && this.#frozenSize == null) this.#frozenSize = size;
  }

  /** The OOV token when none is given (-1, `"[UNK]"`). */
  protected abstract defaultOovToken(): T;
  /** A mask or OOV token of the right type, or null. */
  protected abstract checkSpecialToken(argument: string, token: unknown): T | null;
  /** The input tensor's tokens. */
  protected abstract readTokens(x: tf.Tensor): T[];
  /** Tokens as a tensor of `shape` (an inverted lookup's output). */
  protected abstract tokenTensor(tokens: T[], shape: number[]): tf.Tensor;
  /** Which of several OOV indices an unknown token takes, in [0, numOovIndices). */
  protected abstract oovBucket(token: T): number;
  /** A line of a vocabulary asset as a token. */
  protected abstract parseAssetLine(line: string): T;

  /** TensorFlow's string hash buckets of `text`: FarmHash, or SipHash with the salt. */
  protected hashBucket(text: string, buckets: number): number {
    const bytes = new TextEncoder().encode(text);
    const hash =
      this.salt == null ? fingerprint64(bytes) : sipHash24(BigInt(this.salt[0]), BigInt(this.salt[1]), bytes);
    return Number(hash % BigInt(buckets));
  }

  get #layout(): LookupLayout<T> {
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
  setVocabulary(vocabulary: readonly T[]): void {
    this.#setTokens(checkVocabulary(vocabulary, this.#layout));
  }

  #setTokens(tokens: T[]): void {
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
  getVocabulary(includeSpecialTokens = true): (T | null)[] {
    const start = tokenStartIndex(this.#layout);
    const vocabulary: (T | null)[] = [...new Array<T | null>(start).fill(this.oovToken), ...this.#tokens];
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
   * to `maxTokens`. A tensor, nested arrays of tokens, or an array of tensors.
   */
  adapt(data: tf.Tensor | tf.Tensor[] | T[] | T[][]): void {
    if (this.inputVocabulary != null) {
      throw new ValueError(
        `Cannot adapt layer '${this.name}' after setting a static vocabulary via \`vocabulary\` argument or \`set_vocabulary()\` method.`,
        { argument: 'data', expected: 'a layer made without a vocabulary', received: 'a layer with a vocabulary' },
      );
    }
    const tensors =
      data instanceof tf.Tensor
        ? [data]
        : Array.isArray(data) && data.length > 0 && data.every((b) => b instanceof tf.Tensor)
          ? (data as tf.Tensor[])
          : null;
    const values =
      tensors != null
        ? tensors.flatMap((t) => this.readTokens(t))
        : ((data as T[]).flat(Number.POSITIVE_INFINITY) as T[]);
    if (values.length === 0) return;
    this.#setTokens(learnVocabulary(values, this.#layout));
  }

  /** Tokens arrive as they are (a float32 copy would round large integers; strings stay strings). */
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
    if (this.invert)
      return this.tokenTensor(this.#lookupInverse(Array.from(x.dataSync() as ArrayLike<number>)), [...x.shape]);
    const lookups = this.#lookup(this.readTokens(x));
    return tf.tidy(() => {
      const indices = tf.tensor(lookups, x.shape, 'int32');
      return this.outputMode === 'int' ? indices : encodeCategorical(indices, this.outputMode, depth);
    });
  }

  /** Indices to tokens: index 0 is the mask token (when set), an index outside the vocabulary the OOV token. */
  #lookupInverse(indices: readonly number[]): T[] {
    const start = tokenStartIndex(this.#layout);
    const oov = this.oovToken ?? this.defaultOovToken();
    return indices.map((v) => {
      if (this.maskToken != null && v === 0) return this.maskToken;
      const token = v >= start ? this.#tokens[v - start] : undefined;
      return token !== undefined ? token : oov;
    });
  }

  /** Keras's `_lookup_dense` on the host: the table, the mask, then the OOV policy. */
  #lookup(tokens: readonly T[]): Int32Array {
    const out = new Int32Array(tokens.length);
    const oovStart = oovStartIndex(this.#layout);
    // The mask's index: 0 as an index; none (encoded as nothing) in the other modes.
    const maskValue = this.outputMode === 'int' ? 0 : -1;
    const unknown: T[] = [];
    tokens.forEach((token, i) => {
      const found = this.#index.get(token);
      if (this.maskToken != null && token === this.maskToken) out[i] = maskValue;
      else if (found !== undefined) out[i] = found;
      else if (this.numOovIndices === 0) unknown.push(token);
      else if (this.numOovIndices === 1) out[i] = oovStart;
      else out[i] = oovStart + this.oovBucket(token);
    });
    if (unknown.length > 0) {
      const shown = `[${unknown.map((t) => (typeof t === 'string' ? `"${t}"` : String(t))).join(' ')}]`;
      throw new ValueError(
        `When \`num_oov_indices=0\` all inputs should be in vocabulary, found OOV values ${shown}, consider setting \`num_oov_indices=1\`.`,
        { argument: 'inputs', expected: 'tokens in the vocabulary', received: shown },
      );
    }
    return out;
  }

  /** Keras's `save_assets`: a learned vocabulary, one token a line with the special tokens; none when given. */
  saveAssets(): Record<string, string> | null {
    if (this.inputVocabulary != null || this.#frozenSize == null) return null;
    return { 'vocabulary.txt': this.getVocabulary(true).map(String).join('\n') };
  }

  /** Keras's `load_assets`: the learned vocabulary from `vocabulary.txt`. */
  loadAssets(files: ReadonlyMap<string, string>): void {
    if (this.inputVocabulary != null) return;
    const text = files.get('vocabulary.txt');
    if (text == null) return;
    const lines = text.split(/\r?\n/);
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    this.setVocabulary(lines.map((line) => this.parseAssetLine(line)));
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
      oovMethod: 'floormod',
      salt: this.salt == null ? null : [...this.salt],
    };
  }
}
