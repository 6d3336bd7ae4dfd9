/** Flat-index arithmetic over row-major shapes. */

/**
 * The position of element `flat` of a row-major tensor of `shape`, as
 * `[i, j, ...]` (NumPy's `unravel_index`).
 * For example, index 5 of shape `[2, 3]` is `[1, 2]`.
 */
export function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const position = new Array<number>(shape.length).fill(0);
  let rest = flat;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis] as number;
    position[axis] = rest % size;
    rest = Math.floor(rest / size);
  }
  return position;
}
