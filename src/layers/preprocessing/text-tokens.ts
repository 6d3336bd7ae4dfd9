/**
 * The string steps of Keras's TextVectorization, as TensorFlow's string ops
 * do them (keras/src/layers/preprocessing/text_vectorization.py,
 * `_preprocess`): `tf.strings.lower` (ASCII letters only: Keras passes no
 * encoding), the punctuation regex, `tf.strings.split` on ASCII whitespace,
 * `tf.strings.unicode_split` into code points, and `tf.strings.ngrams`
 * joined by a space.
 */

/** Keras's standardizations; null leaves the text as it is. */
export type Standardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null;
/** Keras's splits; null keeps each string whole, as one token. */
export type Split = 'whitespace' | 'character' | null;

/** Keras's `r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'`: every ASCII punctuation character. */
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;
/** The whitespace of TensorFlow's StringSplitV2 without a separator (`absl::ascii_isspace`). */
const WHITESPACE = /[ \t\n\v\f\r]+/;

/** `text` standardized as Keras's TextVectorization does it. */
export function standardizeText(text: string, standardize: Standardize): string {
  let out = text;
  if (standardize === 'lower' || standardize === 'lower_and_strip_punctuation') {
    // tf.strings.lower without an encoding lowers ASCII letters only.
    out = out.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  }
  if (standardize === 'strip_punctuation' || standardize === 'lower_and_strip_punctuation') {
    out = out.replace(PUNCTUATION, '');
  }
  return out;
}

/** The tokens of one standardized string. */
export function splitText(text: string, split: Split): string[] {
  if (split === 'whitespace') return text.split(WHITESPACE).filter((t) => t !== '');
  if (split === 'character') return Array.from(text);
  return [text];
}

/** `tf.strings.ngrams(tokens, widths, separator=" ")`: every n-gram of each width in turn, none when too short. */
export function ngramsOf(tokens: readonly string[], widths: readonly number[] | null): string[] {
  if (widths == null) return [...tokens];
  const out: string[] = [];
  for (const width of widths) {
    for (let i = 0; i + width <= tokens.length; i++) out.push(tokens.slice(i, i + width).join(' '));
  }
  return out;
}
