/** The options of Keras's lookup layers (IndexLookup's arguments), checked with Keras's words. */
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import type { LayerOptions } from '../layer-types.js';
import { booleanOption, refuseSparse } from './arguments.js';
import type { Token } from './vocabulary.js';

/** The output modes of the lookup layers (`tf_idf` is refused). */
export type LookupOutputMode = 'int' | 'one_hot' | 'multi_hot' | 'count';

/** The options every lookup layer shares, Keras's IndexLookup arguments camelCased. */
export interface IndexLookupOptions<T extends Token> extends Omit<LayerOptions, 'dtype'> {
  /** The largest vocabulary, special indices included (more than 1); default unbounded. */
  maxTokens?: number | null;
  /** How many indices unknown tokens share (default 1); 0 makes an unknown token an error. */
  numOovIndices?: number;
  /** The token that means "nothing here": it maps to index 0 (int output). Default null: none. */
  maskToken?: T | null;
  /** The token an index outside the vocabulary maps back to with `invert`. */
  oovToken?: T | null;
  /** The tokens, most frequent first; without it, call `adapt`. */
  vocabulary?: T[] | null;
  /** Only null: the `tf_idf` output mode is not supported. */
  idfWeights?: null;
  /** Map indices back to tokens. */
  invert?: boolean;
  /** `"int"` (default), `"one_hot"`, `"multi_hot"` (`"binary"`) or `"count"`. */
  outputMode?: LookupOutputMode | 'binary';
  /** Only false: tfjs has no sparse tensors. */
  sparse?: boolean;
  /** Encode to `maxTokens` columns whatever the vocabulary's size. */
  padToMaxTokens?: boolean;
  /** With hashed OOV buckets: a key (one integer or two) for the keyed SipHash. */
  salt?: number | [number, number] | null;
  /** Keras's record of the vocabulary's size in its configs. */
  vocabularySize?: number | null;
  /** Accepted and ignored, as Keras pops it: the layer computes in its tokens' type. */
  dtype?: unknown;
}

/** The option names IndexLookup reads (subclasses add theirs). */
export const INDEX_LOOKUP_OPTION_NAMES = [
  'maxTokens',
  'numOovIndices',
  'maskToken',
  'oovToken',
  'vocabulary',
  'idfWeights',
  'invert',
  'outputMode',
  'sparse',
  'padToMaxTokens',
  'salt',
  'vocabularySize',
] as const;

/** A salt as Keras keeps it: two key words, or null. */
export function saltOption(salt: unknown, className: string): [number, number] | null {
  if (salt == null) return null;
  const word = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 53;
  if (word(salt)) return [salt as number, salt as number];
  if (Array.isArray(salt) && salt.length === 2 && salt.every(word)) return [salt[0], salt[1]];
  throw new ValueError(
    `The \`salt\` argument for \`${className}\` can only be a tuple of 2 integers, or a single integer. Received: salt=${formatValue(salt)}.`,
    { argument: 'salt', expected: 'a non-negative integer or two', received: formatValue(salt) },
  );
}

/** The settings every lookup layer checks as Keras's IndexLookup does. */
export interface IndexLookupSettings {
  maxTokens: number | null;
  numOovIndices: number;
  padToMaxTokens: boolean;
  outputMode: LookupOutputMode;
  invert: boolean;
  sparse: false;
  salt: [number, number] | null;
}

/** Checks the options IndexLookup checks; `className` names the layer in Keras's messages. */
export function checkIndexLookupOptions<T extends Token>(
  read: Readonly<Partial<IndexLookupOptions<T>>>,
  className: string,
): IndexLookupSettings {
  const maxTokens = read.maxTokens ?? null;
  if (maxTokens != null && (!Number.isInteger(maxTokens) || maxTokens <= 1)) {
    throw new ValueError(
      `If set, \`max_tokens\` must be greater than 1. Received: max_tokens=${formatValue(maxTokens)}`,
      {
        argument: 'maxTokens',
        expected: 'an integer > 1 or null',
        received: formatValue(maxTokens),
      },
    );
  }
  const numOov = read.numOovIndices ?? 1;
  if (typeof numOov !== 'number' || !Number.isInteger(numOov) || numOov < 0) {
    throw new ValueError(
      `\`num_oov_indices\` must be greater than or equal to 0. Received: num_oov_indices=${formatValue(numOov)}`,
      { argument: 'numOovIndices', expected: 'an integer >= 0', received: formatValue(numOov) },
    );
  }
  const padToMaxTokens = booleanOption('padToMaxTokens', read.padToMaxTokens, false);
  if (padToMaxTokens && maxTokens == null) {
    throw new ValueError('If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens=null', {
      argument: 'maxTokens',
      expected: 'an integer with padToMaxTokens',
      received: 'null',
    });
  }
  const mode = read.outputMode === 'binary' ? 'multi_hot' : (read.outputMode ?? 'int');
  if ((mode as string) === 'tf_idf' || (mode as string) === 'tf-idf') {
    throw new ValueError(
      `${className}'s output_mode "tf_idf" is not supported here (its idf weights are not implemented). Use "int", "one_hot", "multi_hot" or "count".`,
      { argument: 'outputMode', expected: '"int", "one_hot", "multi_hot" or "count"', received: formatValue(mode) },
    );
  }
  const modes = ['int', 'one_hot', 'multi_hot', 'count'];
  if (!modes.includes(mode)) {
    throw new ValueError(
      `Unknown value for \`output_mode\` argument of ${className}. Allowed values are: ('int', 'one_hot', 'multi_hot', 'count', 'tf_idf'). Received: output_mode=${formatValue(mode)}`,
      { argument: 'outputMode', expected: modes.map((m) => `"${m}"`).join(', '), received: formatValue(mode) },
    );
  }
  const outputMode = mode as LookupOutputMode;
  const invert = booleanOption('invert', read.invert, false);
  if (invert && outputMode !== 'int') {
    throw new ValueError(
      `\`output_mode\` must be \`'int'\` when \`invert\` is true. Received: output_mode=${outputMode}`,
      {
        argument: 'outputMode',
        expected: '"int" with invert',
        received: outputMode,
      },
    );
  }
  const sparse = refuseSparse(className, read.sparse);
  if (read.idfWeights != null) {
    throw new ValueError("`idf_weights` should only be set if `output_mode` is `'tf_idf'`.", {
      argument: 'idfWeights',
      expected: 'null',
      received: formatValue(read.idfWeights),
    });
  }
  const salt = saltOption(read.salt, 'IndexLookup');
  return { maxTokens, numOovIndices: numOov, padToMaxTokens, outputMode, invert, sparse, salt };
}
