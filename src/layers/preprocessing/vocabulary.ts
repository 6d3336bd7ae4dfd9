/**
 * Keras's IndexLookup vocabulary rules (keras/src/layers/preprocessing/
 * index_lookup.py), for integer tokens: where the mask and OOV indices go,
 * how a given vocabulary is checked, and the vocabulary `adapt` learns.
 */
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';

/** A lookup token: an integer (IntegerLookup) or a string (StringLookup). */
export type Token = number | string;

/** The special-token layout: `[mask?] [oov x numOovIndices] tokens...`. */
export interface LookupLayout<T extends Token = Token> {
  maskToken: T | null;
  oovToken: T | null;
  numOovIndices: number;
  maxTokens: number | null;
  invert: boolean;
  /** Whether the output is indices (`int`): only then does the mask take index 0. */
  intOutput: boolean;
}

/** Index of the first OOV slot: 1 when a mask token takes index 0 (int output only). */
export function oovStartIndex(layout: LookupLayout): number {
  return layout.maskToken != null && layout.intOutput ? 1 : 0;
}

/** Index of the first vocabulary token. */
export function tokenStartIndex(layout: LookupLayout): number {
  return oovStartIndex(layout) + layout.numOovIndices;
}

const format = (tokens: readonly Token[]) =>
  `[${tokens.map((t) => (typeof t === 'string' ? `'${t}'` : String(t))).join(', ')}]`;

/**
 * The tokens of a vocabulary given to the layer (Keras's `set_vocabulary`):
 * special tokens at its start in Keras's order are dropped; repeats, a mask
 * or (inverting) an OOV token among the tokens, and a vocabulary over
 * `maxTokens` are Keras's errors.
 */
export function checkVocabulary<T extends Token>(vocabulary: readonly T[], layout: LookupLayout<T>): T[] {
  if (vocabulary.length === 0) {
    throw new ValueError('Cannot set an empty vocabulary. Received: vocabulary=[]', {
      argument: 'vocabulary',
      expected: 'a non-empty array of integers',
      received: '[]',
    });
  }
  for (const token of vocabulary) {
    if (typeof token === 'string') continue;
    const value = token as number;
    if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
      throw new ValueError(
        `IntegerLookup tokens must be integers in the int32 range (tfjs has no int64 tensors). Received: vocabulary entry ${formatValue(token)}`,
        { argument: 'vocabulary', expected: 'int32 integers', received: formatValue(token) },
      );
    }
  }
  const oovStart = oovStartIndex(layout);
  const tokenStart = tokenStartIndex(layout);
  const special = [
    ...new Array(oovStart).fill(layout.maskToken),
    ...new Array(layout.numOovIndices).fill(layout.oovToken),
  ];
  const foundSpecial = special.length <= vocabulary.length && special.every((t, i) => vocabulary[i] === t);
  const tokens = foundSpecial ? vocabulary.slice(tokenStart) : [...vocabulary];
  const counts = new Map<T, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  const repeated = [...counts].filter(([, n]) => n > 1).map(([t]) => t);
  if (repeated.length > 0) {
    throw new ValueError(
      `The passed vocabulary has at least one repeated term. Please uniquify your dataset. The repeated terms are: ${format(repeated)}`,
      { argument: 'vocabulary', expected: 'unique tokens', received: `repeated ${format(repeated)}` },
    );
  }
  const misplaced = (name: string, token: T) =>
    new ValueError(
      `Found reserved ${name === 'mask_token' ? 'mask' : 'OOV'} token at unexpected location in \`vocabulary\`. Note that passed \`vocabulary\` does not need to include the OOV and mask tokens. Either remove all mask and OOV tokens, or include them only at the start of the vocabulary in precisely this order: ${format(special)}. Received: ${name}=${token} at vocabulary index [${vocabulary.lastIndexOf(token)}]`,
      {
        argument: 'vocabulary',
        expected: `${name} only at the start`,
        received: `${token} at index ${vocabulary.lastIndexOf(token)}`,
      },
    );
  if (layout.maskToken != null && tokens.includes(layout.maskToken)) throw misplaced('mask_token', layout.maskToken);
  if (layout.oovToken != null && layout.invert && tokens.includes(layout.oovToken)) {
    throw misplaced('oov_token', layout.oovToken);
  }
  const size = tokenStart + tokens.length;
  if (layout.maxTokens != null && size > layout.maxTokens) {
    throw new ValueError(
      `Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is ${size}; \`max_tokens\` is ${layout.maxTokens}.`,
      { argument: 'vocabulary', expected: `at most ${layout.maxTokens} entries`, received: `${size} entries` },
    );
  }
  return tokens;
}

/**
 * The vocabulary Keras's `adapt` learns: every token but the mask and OOV
 * tokens, by count (most frequent first), ties by token (largest first),
 * cut to `maxTokens` less the special indices.
 */
export function learnVocabulary<T extends Token>(values: Iterable<T>, layout: LookupLayout<T>): T[] {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (layout.maskToken != null) counts.delete(layout.maskToken);
  if (layout.oovToken != null) counts.delete(layout.oovToken);
  const sorted = [...counts].sort(([ta, ca], [tb, cb]) => cb - ca || compareTokens(tb, ta)).map(([t]) => t);
  return layout.maxTokens != null ? sorted.slice(0, Math.max(0, layout.maxTokens - tokenStartIndex(layout))) : sorted;
}

const encoder = new TextEncoder();

/** NumPy's order of tokens: numbers by value, strings by their UTF-8 bytes. */
function compareTokens(a: Token, b: Token): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [encoder.encode(String(a)), encoder.encode(String(b))];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  }
  return x.length - y.length;
}
