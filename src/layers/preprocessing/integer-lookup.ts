/** IntegerLookup: integer tokens to vocabulary indices (and back), as Keras's preprocessing layer. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { LAYER_OPTION_NAMES, type LayerOptions } from '../layer-types.js';
import { oneOf } from './arguments.js';
import { IndexLookup } from './index-lookup.js';
import { INDEX_LOOKUP_OPTION_NAMES, type IndexLookupOptions } from './index-lookup-options.js';

/** The options of `IntegerLookup`, Keras's keyword arguments camelCased. */
export interface IntegerLookupOptions extends IndexLookupOptions<number> {
  /** Only `"int64"`, as in Keras (computed as int32 here). */
  vocabularyDtype?: 'int64';
  /** How unknown tokens pick among several OOV indices: `"floormod"` of the token (default) or `"farmhash"` of its decimal string. */
  oovMethod?: 'floormod' | 'farmhash';
}

/** The options, checked where Keras's IntegerLookup checks them before IndexLookup does. */
function readIntegerOptions(options: unknown): Readonly<Partial<IntegerLookupOptions>> {
  const read = readOptions<IntegerLookupOptions>('IntegerLookup', options, [
    ...LAYER_OPTION_NAMES,
    ...INDEX_LOOKUP_OPTION_NAMES,
    'vocabularyDtype',
    'oovMethod',
  ]);
  const maxTokens = read.maxTokens;
  if (maxTokens != null && maxTokens <= 1) {
    throw new ValueError(
      `If \`max_tokens\` is set for \`IntegerLookup\`, it must be greater than 1. Received: max_tokens=${formatValue(maxTokens)}`,
      { argument: 'maxTokens', expected: 'an integer > 1 or null', received: formatValue(maxTokens) },
    );
  }
  const numOov = read.numOovIndices;
  if (typeof numOov === 'number' && numOov < 0) {
    throw new ValueError(
      `The value of \`num_oov_indices\` argument for \`IntegerLookup\` must >= 0. Received: num_oov_indices=${numOov}`,
      { argument: 'numOovIndices', expected: 'an integer >= 0', received: String(numOov) },
    );
  }
  if ((read.vocabularyDtype ?? 'int64') !== 'int64') {
    throw new ValueError(
      `Only \`vocabulary_dtype='int64'\` is supported at this time. Received: vocabulary_dtype=${formatValue(read.vocabularyDtype)}`,
      { argument: 'vocabularyDtype', expected: '"int64"', received: formatValue(read.vocabularyDtype) },
    );
  }
  const method = oneOf('IntegerLookup', 'oov_method', read.oovMethod ?? 'floormod', ['floormod', 'farmhash'] as const);
  if (read.salt != null && method !== 'farmhash') {
    throw new ValueError(`\`salt\` can only be used when \`oov_method='farmhash'\`. Received: oov_method=${method}`, {
      argument: 'salt',
      expected: 'null',
      received: formatValue(read.salt),
    });
  }
  return read;
}

/** The base Layer options: Keras pops `dtype` (the layer computes in its vocabulary's dtype). */
export function baseLayerOptions(read: Readonly<Record<string, unknown>>): LayerOptions {
  return Object.fromEntries(
    LAYER_OPTION_NAMES.filter((k) => k in read && k !== 'dtype').map((k) => [k, read[k]]),
  ) as LayerOptions;
}

/**
 * Maps integer tokens to indices in a vocabulary (Keras's `IntegerLookup`):
 * index 0 is the mask (when `maskToken` is set and the output is `int`),
 * then `numOovIndices` indices for unknown tokens (one by `floormod` of the
 * token, or by FarmHash of its decimal string with `oovMethod: "farmhash"`),
 * then the vocabulary. With `invert`, indices map back to tokens. The
 * indices can be encoded as one-hot, multi-hot or count rows. The
 * vocabulary is given, or learned by `adapt` (by frequency); a given one is
 * saved in the config, a learned one as Keras's asset
 * `assets/<layer path>/vocabulary.txt`. Indices are int32 (Keras: int64).
 *
 * @example new layers.IntegerLookup({ vocabulary: [12, 36, 1138, 42] }).apply(tf.tensor2d([[12, 1138], [42, 1000]], undefined, 'int32')) // [[1, 3], [4, 0]]
 */
export class IntegerLookup extends IndexLookup<number> {
  static override readonly className: string = 'IntegerLookup';
  readonly oovMethod: 'floormod' | 'farmhash';

  constructor(options: IntegerLookupOptions = {}) {
    const read = readIntegerOptions(options);
    super(read, baseLayerOptions(read as Record<string, unknown>), 'IntegerLookup');
    this.oovMethod = read.oovMethod ?? 'floormod';
  }

  protected override defaultOovToken(): number {
    return -1;
  }

  protected override checkSpecialToken(argument: string, token: unknown): number | null {
    if (token == null) return null;
    if (typeof token !== 'number' || !Number.isInteger(token))
      throw invalidArgument(argument, 'an integer or null', token);
    return token;
  }

  protected override readTokens(x: tf.Tensor): number[] {
    if (x.dtype === 'string') {
      throw new ValueError(
        `IntegerLookup "${this.name}" takes integer tokens; use StringLookup for strings. Received: a string tensor`,
        {
          argument: 'inputs',
          expected: 'an int32 (or integer-valued float32) tensor',
          received: 'a string tensor',
        },
      );
    }
    return Array.from(x.dataSync() as ArrayLike<number>);
  }

  protected override tokenTensor(tokens: number[], shape: number[]): tf.Tensor {
    return tf.tensor(tokens, shape, 'int32');
  }

  protected override oovBucket(token: number): number {
    const n = this.numOovIndices;
    return this.oovMethod === 'floormod' ? ((token % n) + n) % n : this.hashBucket(String(token), n);
  }

  protected override parseAssetLine(line: string): number {
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
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), oovMethod: this.oovMethod };
  }
}
