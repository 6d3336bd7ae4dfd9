/** StringLookup: string tokens to vocabulary indices (and back), as Keras's preprocessing layer. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { LAYER_OPTION_NAMES } from '../layer-types.js';
import { IndexLookup } from './index-lookup.js';
import { INDEX_LOOKUP_OPTION_NAMES, type IndexLookupOptions } from './index-lookup-options.js';
import { baseLayerOptions } from './integer-lookup.js';

/** The options of `StringLookup`, Keras's keyword arguments camelCased. */
export interface StringLookupOptions extends IndexLookupOptions<string> {
  /** Only `"utf-8"` (Keras's default): tfjs string tensors hold UTF-8 bytes. */
  encoding?: 'utf-8';
  /** Keras's IndexLookup records `"floormod"`; string tokens always hash into several OOV indices. */
  oovMethod?: 'floormod' | 'farmhash';
}

const decoder = new TextDecoder();

/**
 * Maps string tokens to indices in a vocabulary (Keras's `StringLookup`):
 * index 0 is the mask (when `maskToken` is set and the output is `int`),
 * then `numOovIndices` indices for unknown tokens (by TensorFlow's FarmHash
 * buckets of the token, or SipHash with a `salt`, as Keras), then the
 * vocabulary. With `invert`, indices map back to a string tensor. The
 * indices can be encoded as one-hot, multi-hot or count rows. The
 * vocabulary is given, or learned by `adapt`; a learned one is saved as
 * Keras's asset `assets/<layer path>/vocabulary.txt`. Indices are int32
 * (Keras: int64).
 *
 * @example new layers.StringLookup({ vocabulary: ['a', 'b', 'c', 'd'] }).apply(tf.tensor2d([['a', 'c'], ['d', 'z']])) // [[1, 3], [4, 0]]
 */
export class StringLookup extends IndexLookup<string> {
  static override readonly className: string = 'StringLookup';
  readonly encoding: 'utf-8';
  readonly oovMethod: 'floormod' | 'farmhash';

  constructor(options: StringLookupOptions = {}) {
    const read = readOptions<StringLookupOptions>('StringLookup', options, [
      ...LAYER_OPTION_NAMES,
      ...INDEX_LOOKUP_OPTION_NAMES,
      'encoding',
      'oovMethod',
    ]);
    const encoding = (read.encoding ?? 'utf-8').toLowerCase().replace('_', '-');
    if (encoding !== 'utf-8' && encoding !== 'utf8') {
      throw new ValueError(
        `StringLookup supports only encoding="utf-8": tfjs string tensors hold UTF-8 bytes. Received: encoding=${formatValue(read.encoding)}`,
        { argument: 'encoding', expected: '"utf-8"', received: formatValue(read.encoding) },
      );
    }
    super(read, baseLayerOptions(read as Record<string, unknown>), 'StringLookup');
    this.encoding = 'utf-8';
    this.oovMethod = read.oovMethod ?? 'floormod';
  }

  protected override defaultOovToken(): string {
    return '[UNK]';
  }

  protected override checkSpecialToken(argument: string, token: unknown): string | null {
    if (token == null) return null;
    if (typeof token !== 'string') throw invalidArgument(argument, 'a string or null', token);
    return token;
  }

  protected override readTokens(x: tf.Tensor): string[] {
    if (x.dtype !== 'string') {
      throw new ValueError(
        `StringLookup "${this.name}" takes a string tensor; use IntegerLookup for integers. Received: a ${x.dtype} tensor`,
        {
          argument: 'inputs',
          expected: 'a string tensor',
          received: `a ${x.dtype} tensor`,
        },
      );
    }
    // tfjs gives a string tensor's values as strings (older versions as UTF-8 bytes).
    return (x.dataSync() as unknown as (string | Uint8Array)[]).map((v) =>
      typeof v === 'string' ? v : decoder.decode(v),
    );
  }

  protected override tokenTensor(tokens: string[], shape: number[]): tf.Tensor {
    return tf.tensor(tokens, shape, 'string');
  }

  protected override oovBucket(token: string): number {
    return this.hashBucket(token, this.numOovIndices);
  }

  protected override parseAssetLine(line: string): string {
    return line;
  }

  override getConfig(): Record<string, unknown> {
    const { vocabularyDtype: _dtype, ...config } = super.getConfig();
    return { ...config, oovMethod: this.oovMethod, encoding: this.encoding };
  }
}
