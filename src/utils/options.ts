import { KerasTypeError } from '../errors.js';
import { formatValue } from './format.js';
import { isPlainObject } from './objects.js';

/**
 * Reads an options object (a constructor's, a method's such as `fit()`'s,
 * or a config given to `fromConfig`): it must be a plain object whose keys
 * are all known, so that a typo (`{ l3: 0.1 }`, `{ epoch: 5 }`) is an error
 * naming the key, not a silent default. When a known name is close to the
 * unknown key (Keras's snake_case spelling of it, or a small typo), the
 * message ends with `Did you mean "validationSplit"?`.
 */
export function readOptions<T extends object = Record<string, unknown>>(
  className: string,
  options: unknown,
  allowed: readonly string[],
): Readonly<Partial<T>> {
  const expected = allowed.length > 0 ? allowed.join(', ') : 'no options';
  if (!isPlainObject(options)) {
    throw new KerasTypeError(
      `${className} expects an options object {${expected}}. Received: ${formatValue(options)}`,
      {
        argument: 'options',
        expected: `{${expected}}`,
        received: formatValue(options),
      },
    );
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const suggestion = nearestOption(key, allowed);
      const hint = suggestion == null ? '' : `. Did you mean ${JSON.stringify(suggestion)}?`;
      throw new KerasTypeError(
        `${className} got an unexpected option ${JSON.stringify(key)}. Expected: ${expected}. Received: ${formatValue(options)}${hint}`,
        { argument: key, expected, received: formatValue(options) },
      );
    }
  }
  return options as Partial<T>;
}

/**
 * The known option `key` most likely meant: the one it names in another
 * spelling (`validation_split`, `ValidationSplit` for `validationSplit`),
 * else the nearest by edit distance when that is at most 2 and less than
 * half the key's length (so `epoch` suggests `epochs`, `l2` suggests nothing).
 */
export function nearestOption(key: string, allowed: readonly string[]): string | null {
  const plain = (name: string) => name.replaceAll('_', '').toLowerCase();
  const sameName = allowed.find((name) => plain(name) === plain(key));
  if (sameName != null) return sameName;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of allowed) {
    const distance = editDistance(plain(key), plain(name));
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return bestDistance <= 2 && bestDistance * 2 < key.length ? best : null;
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions turning `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The end of an "unknown name" message: the nearest known name when one is
 * close (`. Did you mean "l2"?`), then every valid one, so a user never has
 * to look them up.
 */
export function knownNamesHint(name: string, known: readonly string[]): string {
  const suggestion = nearestOption(name, known);
  const hint = suggestion == null ? '' : ` Did you mean ${JSON.stringify(suggestion)}?`;
  return `.${hint} Valid names: ${known.map((n) => JSON.stringify(n)).join(', ')}.`;
}
