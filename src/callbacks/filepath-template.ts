/**
 * Keras's checkpoint file names: `filepath.format(epoch=epoch + 1, **logs)`,
 * Python's `str.format` with named fields (`{epoch:02d}`, `{val_loss:.2f}`)
 * and `{{`/`}}` for braces. The template is parsed once, when the callback
 * is made, so a malformed one fails before training.
 */
import { ValueError } from '../errors.js';
import { type FormatSpec, formatNumber, parseFormatSpec } from './python-format.js';

type Piece = string | { name: string; spec: FormatSpec };

/** A parsed file-name template. */
export interface FilepathTemplate {
  readonly text: string;
  readonly pieces: readonly Piece[];
}

function malformed(text: string, why: string): ValueError {
  return new ValueError(`Invalid filepath template ${JSON.stringify(text)}: ${why}.`, {
    argument: 'filepath',
    expected: 'a Python format string with named fields such as {epoch:02d} or {val_loss:.2f}',
    received: JSON.stringify(text),
  });
}

/** Parses `text`; fields must be names (no positions, attributes, indexes or conversions). */
export function parseFilepathTemplate(text: string): FilepathTemplate {
  const pieces: Piece[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '}') {
      if (text[i + 1] !== '}') throw malformed(text, "single '}' encountered (write '}}' for a brace)");
      literal += '}';
      i++;
      continue;
    }
    if (char !== '{') {
      literal += char;
      continue;
    }
    if (text[i + 1] === '{') {
      literal += '{';
      i++;
      continue;
    }
    const end = text.indexOf('}', i);
    if (end === -1) throw malformed(text, "'{' without its '}'");
    const field = text.slice(i + 1, end);
    const colon = field.indexOf(':');
    const name = colon === -1 ? field : field.slice(0, colon);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw malformed(text, `the field {${field}} is not a log name (letters, digits and _)`);
    }
    if (literal !== '') pieces.push(literal);
    literal = '';
    pieces.push({ name, spec: parseFormatSpec(colon === -1 ? '' : field.slice(colon + 1)) });
    i = end;
  }
  if (literal !== '') pieces.push(literal);
  return { text, pieces };
}

/**
 * The file name for these values: `integers` (epoch, batch: Python ints)
 * and `logs` (Python floats). A field missing from both throws Keras's message.
 */
export function formatFilepath(
  template: FilepathTemplate,
  integers: Readonly<Record<string, number>>,
  logs: Readonly<Record<string, number>>,
): string {
  return template.pieces
    .map((piece) => {
      if (typeof piece === 'string') return piece;
      const isInteger = Object.hasOwn(integers, piece.name);
      const value = isInteger ? integers[piece.name] : Object.hasOwn(logs, piece.name) ? logs[piece.name] : undefined;
      if (value === undefined) {
        throw new ValueError(
          `Failed to format this callback filepath: "${template.text}". Reason: '${piece.name}' is not in the logs (${Object.keys(logs).join(', ') || 'none'}).`,
          { argument: 'filepath', expected: 'fields among epoch, batch and the logs', received: piece.name },
        );
      }
      return formatNumber(value, piece.spec, isInteger);
    })
    .join('');
}
