/**
 * Static shapes of Keras ops on symbolic tensors, with Keras's rules: `null`
 * for an axis unknown until run time (the batch), NumPy broadcasting, and
 * Keras's error messages where a shape cannot work.
 */
import { ValueError } from '../../errors.js';
import type { Shape } from '../../layers/layer-types.js';
import { formatValue } from '../../utils/format.js';

/** `[null, 4]` as Keras prints shapes in its errors. */
export function shapeText(shape: Shape): string {
  return `[${shape.map((d) => (d == null ? 'None' : d)).join(', ')}]`;
}

/** NumPy broadcasting of two static shapes (Keras's `broadcast_shapes`), with Keras's error. */
export function broadcastShapes(a: Shape, b: Shape, opName: string): Shape {
  const rank = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    // Axes missing from the shorter shape count as 1; an unknown axis (null) stays unknown.
    const ia = a.length - rank + i;
    const ib = b.length - rank + i;
    const x = ia < 0 ? 1 : (a[ia] as number | null);
    const y = ib < 0 ? 1 : (b[ib] as number | null);
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x == null || y == null) out.push(x ?? y);
    else if (x === y) out.push(x);
    else {
      throw new ValueError(
        `Cannot broadcast shape, the failure dim has value ${x}, which cannot be broadcasted to ${y}. Input shapes are: ${shapeText(a)} and ${shapeText(b)}. (op ${opName})`,
        {
          argument: opName,
          expected: 'shapes that broadcast together',
          received: `${shapeText(a)} and ${shapeText(b)}`,
        },
      );
    }
  }
  return out;
}

/** An axis in `[0, rank)`, negative axes counted from the end; an error naming the op otherwise. */
export function normalizeAxis(axis: number, rank: number, opName: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ValueError(`${opName}: axis ${formatValue(axis)} is out of bounds for a tensor of rank ${rank}.`, {
      argument: 'axis',
      expected: `an integer in [${-rank}, ${rank})`,
      received: formatValue(axis),
    });
  }
  return axis < 0 ? axis + rank : axis;
}

/** The shape after reducing `axis` (all axes when null), the reduced axes kept as 1 with `keepdims`. */
export function reducedShape(shape: Shape, axis: unknown, keepdims: boolean, opName: string): Shape {
  if (axis == null) return keepdims ? shape.map(() => 1) : [];
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => normalizeAxis(a as number, shape.length, opName));
  if (keepdims) return shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return shape.filter((_, i) => !axes.includes(i));
}

/** Keras's reshape shape: `-1` inferred when the other axes are known, else unknown (`null`). */
export function reshapedShape(shape: Shape, newShape: readonly number[]): Shape {
  const known = shape.every((d) => d != null);
  if (!newShape.includes(-1)) return [...newShape];
  if (!known) return newShape.map((d) => (d === -1 ? null : d));
  const size = (shape as number[]).reduce((p, d) => p * d, 1);
  const rest = newShape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  return newShape.map((d) => (d === -1 ? size / rest : d));
}
