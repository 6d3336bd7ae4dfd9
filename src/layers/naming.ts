import { classNameToSnake } from '../serialization/case.js';

const counters = new Map<string, number>();

/** Keras's auto names: `dense`, `dense_1`, `dense_2`, ... per class. */
export function uniqueLayerName(className: string): string {
  const prefix = classNameToSnake(className);
  const count = counters.get(prefix) ?? 0;
  counters.set(prefix, count + 1);
  return count === 0 ? prefix : `${prefix}_${count}`;
}
