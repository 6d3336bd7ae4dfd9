/** Small helpers for reading untrusted plain objects without touching prototypes. */

/** Keys that could reach or replace a prototype when copied into an object. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** True for `{...}` objects made by literals or `JSON.parse` (not arrays, class instances or tensors). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Own-property lookup: never follows the prototype chain. */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined | null, key: string): T | undefined {
  if (record == null || !Object.hasOwn(record, key)) return undefined;
  return record[key];
}
