/** Keras's `get_layer`: a layer among a model's, by name or index. */
import { ValueError } from '../errors.js';
import type { Layer } from '../layers/layer.js';

/** The layer named `nameOrIndex` (or at that index) among `candidates`, or Keras's error listing the names. */
export function findLayer(candidates: readonly Layer[], nameOrIndex: string | number): Layer {
  const found =
    typeof nameOrIndex === 'number' ? candidates[nameOrIndex] : candidates.find((l) => l.name === nameOrIndex);
  if (found != null) return found;
  const names = candidates.map((l) => l.name).join(', ');
  throw new ValueError(
    typeof nameOrIndex === 'number'
      ? `Was asked to retrieve layer at index ${nameOrIndex} but model only has ${candidates.length} layers.`
      : `No such layer: ${nameOrIndex}. Existing layers are: ${names}.`,
    { argument: 'nameOrIndex', expected: `one of ${names}`, received: String(nameOrIndex) },
  );
}
