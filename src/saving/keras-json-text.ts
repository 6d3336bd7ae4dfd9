/**
 * The text of a `config.json` that Python Keras reads back. JavaScript has
 * one number type, so `JSON.stringify` writes SGD's default momentum as `0`,
 * which Python reads as an int; and Keras refuses an int where it checks for
 * a float: `SGD(momentum=0)` ("`momentum` must be a float between [0, 1]"),
 * an optimizer's `learning_rate=1`, `FBetaScore(beta=1, threshold=1)`. The
 * values of those keys are written with a decimal point (`0.0`), as Python's
 * json writes a float; everything else is `JSON.stringify`'s text.
 */

/** Keys whose values Keras checks with `isinstance(value, float)` (keras/src: optimizers, metrics). */
const FLOAT_KEYS: ReadonlySet<string> = new Set(['learning_rate', 'momentum', 'beta', 'threshold']);

function randomToken(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `value` as JSON text, integer values of `FLOAT_KEYS` written as floats (`1.0`). */
export function kerasJsonText(value: unknown): string {
  // A marker no string of the config holds: JSON.stringify cannot write a number as `0.0` itself.
  const token = randomToken();
  const text = JSON.stringify(value, (key, item) =>
    FLOAT_KEYS.has(key) && Number.isInteger(item) && Math.abs(item as number) < 1e15 ? `${token}:${item}` : item,
  );
  return text.replace(new RegExp(`"${token}:(-?\\d+)"`, 'g'), '$1.0');
}
