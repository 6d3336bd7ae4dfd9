/** Shape checks shared by the single-input reshaping layers (Keras's `InputSpec(ndim=...)`). */
import { ValueError } from '../../errors.js';
import { formatShape } from '../../utils/format.js';
import type { Shape } from '../layer-types.js';

/** The one input's shape; given a list of shapes, the first, as `singleInput` takes the first tensor. */
export function singleShape(inputShape: Shape | Shape[]): Shape {
  return Array.isArray(inputShape[0]) ? (inputShape[0] as Shape) : (inputShape as Shape);
}

/** Keras's InputSpec check: the input must have rank `ndim`. */
export function checkInputRank(shape: Shape, ndim: number, layerName: string): void {
  if (shape.length === ndim) return;
  throw new ValueError(
    `Input 0 of layer "${layerName}" is incompatible with the layer: expected ndim=${ndim}, found ndim=${shape.length}. Full shape received: ${formatShape(shape)}`,
    { argument: 'inputs', expected: `rank ${ndim}`, received: formatShape(shape) },
  );
}
