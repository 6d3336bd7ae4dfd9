import { isPlainObject } from './objects.js';

/**
 * Formats a received value for an error message: numbers as JavaScript prints
 * them (`-1`, `NaN`, `Infinity`), strings quoted, `undefined` and functions by
 * name, objects as JSON, so the message shows exactly what was passed.
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol') return value.toString();
  if (isTensorLike(value)) return `Tensor(shape=${formatShape(value.shape)}, dtype=${value.dtype})`;
  if (!Array.isArray(value) && !isPlainObject(value)) return `[object ${value.constructor?.name ?? 'Object'}]`;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json.length > 200 ? `${json.slice(0, 197)}...` : json;
  } catch {
    // Cyclic or otherwise unserialisable: fall through to the tag.
  }
  return Object.prototype.toString.call(value);
}

/** Formats a shape the way our messages print shapes: `[2,3]` becomes `[2, 3]`. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => d ?? 'null').join(', ')}]`;
}

function isTensorLike(value: object): value is { shape: number[]; dtype: string } {
  const t = value as { shape?: unknown; dtype?: unknown; dataId?: unknown };
  return Array.isArray(t.shape) && typeof t.dtype === 'string' && t.dataId != null;
}
