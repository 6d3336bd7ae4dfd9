/** What boston_housing and california_housing share: Keras's shuffle and split of x and y. */
import type { DatasetArray, Splits } from './ndarray.js';
import { sliceRows, takeRows } from './ndarray.js';
import { RandomState } from './random-state.js';

/** x and y shuffled by RandomState(seed), the first `int(n * (1 - testSplit))` rows training. */
export function shuffleSplit(
  x: DatasetArray,
  y: DatasetArray,
  testSplit: number,
  seed: number,
): Splits<DatasetArray, DatasetArray> {
  const n = x.shape[0] as number;
  const order = new RandomState(seed).permutation(n);
  const xs = takeRows(x, order);
  const ys = takeRows(y, order);
  const idx = Math.trunc(n * (1 - testSplit));
  return [
    [sliceRows(xs, 0, idx), sliceRows(ys, 0, idx)],
    [sliceRows(xs, idx, n), sliceRows(ys, idx, n)],
  ];
}
