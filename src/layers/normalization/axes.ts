/**
 * Axis options and input checks of the normalization and activation layers,
 * with Keras's error texts (`compute_output_shape`'s bounds message, the
 * `InputSpec` messages a built layer gives for inputs it cannot take).
 */
import { KerasTypeError, ValueError } from '../../errors.js';
import { formatShape, formatValue } from '../../utils/format.js';
import type { Shape } from '../layer-types.js';

/** An `axis` option: an integer, or (where `allowList`) a non-empty array of integers, copied. */
export function checkAxisOption(value: unknown, allowList: boolean, name = 'axis'): number | number[] {
  if (Number.isInteger(value)) return value as number;
  if (allowList && Array.isArray(value) && value.length > 0 && value.every((a) => Number.isInteger(a))) {
    return [...(value as number[])];
  }
  const expected = allowList ? 'an integer or a non-empty array of integers' : 'an integer';
  throw new KerasTypeError(
    `Invalid type for argument ${name}: expected ${expected}. Received: ${name}=${formatValue(value)}`,
    { argument: name, expected, received: formatValue(value) },
  );
}

/** `axis` as an index into `shape` (Python's negative indexing), or Keras's out-of-bounds error. */
export function resolveAxis(axis: number, shape: readonly (number | null)[], option: unknown = axis): number {
  const rank = shape.length;
  if (axis >= rank || axis < -rank) {
    throw new ValueError(
      `Axis ${axis} is out of bounds for input shape ${formatShape(shape)}. Received: axis=${formatValue(option)}`,
      { argument: 'axis', expected: `an axis in [${-rank}, ${rank - 1}]`, received: formatValue(option) },
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Each axis resolved against `shape`; the same axis twice is refused (Keras would build a weight it cannot use). */
export function resolveAxes(axes: readonly number[], shape: readonly (number | null)[], option: unknown): number[] {
  const resolved = axes.map((a) => resolveAxis(a, shape, option));
  if (new Set(resolved).size !== resolved.length) {
    throw new ValueError(
      `Invalid value for argument axis: expected distinct axes of inputs of rank ${shape.length}. Received: axis=${formatValue(option)}`,
      { argument: 'axis', expected: 'distinct axes', received: formatValue(option) },
    );
  }
  return resolved;
}

/** The size of axis `axis` of `shape`, which must be known and positive to size a weight. */
export function definedDimension(shape: Shape, axis: number, option: number, layerName: string): number {
  const dim = shape[axis];
  if (dim == null || dim <= 0) {
    throw new ValueError(
      `Axis ${option} of input tensor should have a defined dimension but the layer "${layerName}" received an input with shape ${formatShape(shape)}.`,
      { argument: 'inputs', expected: `a known size on axis ${option}`, received: formatShape(shape) },
    );
  }
  return dim;
}

/**
 * Keras's `InputSpec` check of a built layer: inputs of rank `ndim`, with
 * the given size on each axis of `axes` (`[axis as the option wrote it, size]`).
 */
export function checkInputSpec(
  layerName: string,
  shape: readonly (number | null)[],
  ndim: number,
  axes: ReadonlyArray<readonly [number, number]>,
): void {
  if (shape.length !== ndim) {
    throw new ValueError(
      `Input 0 of layer "${layerName}" is incompatible with the layer: expected ndim=${ndim}, found ndim=${shape.length}. Full shape received: ${formatShape(shape)}`,
      { argument: 'inputs', expected: `rank ${ndim}`, received: formatShape(shape) },
    );
  }
  for (const [axis, size] of axes) {
    const dim = shape[axis < 0 ? axis + ndim : axis];
    if (dim != null && dim !== size) {
      throw new ValueError(
        `Input 0 of layer "${layerName}" is incompatible with the layer: expected axis ${axis} of input shape to have value ${size}, but received input with shape ${formatShape(shape)}`,
        { argument: 'inputs', expected: `axis ${axis} of size ${size}`, received: formatShape(shape) },
      );
    }
  }
}
