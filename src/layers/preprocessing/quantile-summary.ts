/**
 * Keras's approximate quantiles for `Discretization.adapt`
 * (`summarize`, `merge_summaries`, `compress_summary`,
 * `get_bin_boundaries` of keras/src/layers/preprocessing/discretization.py),
 * with NumPy's float32 and float64 steps where Keras has them.
 */

/** A summary: the values (ascending) and the weight each stands for, float32 as NumPy keeps them. */
export interface Summary {
  values: Float32Array;
  weights: Float32Array;
}

/** The empty summary `np.array([[], []])`. */
export function emptySummary(): Summary {
  return { values: new Float32Array(0), weights: new Float32Array(0) };
}

/** `summarize(values, epsilon)`: every `step`-th sorted value, each weighing `step`. */
export function summarize(data: ArrayLike<number>, epsilon: number): Summary {
  const sorted = Float32Array.from(data).sort();
  const step = Math.max(sorted.length / (1 / epsilon), 1);
  const start = Math.trunc(step - 1);
  const stride = Math.trunc(step);
  const values: number[] = [];
  for (let i = start; i < sorted.length; i += stride) values.push(sorted[i] as number);
  return { values: Float32Array.from(values), weights: new Float32Array(values.length).fill(Math.fround(step)) };
}

/** `merge_summaries(prev, next, epsilon)`: both, sorted by value, then compressed. */
export function mergeSummaries(a: Summary, b: Summary, epsilon: number): Summary {
  const values = [...a.values, ...b.values];
  const weights = [...a.weights, ...b.weights];
  const order = values.map((_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number) || i - j);
  const merged = {
    values: Float32Array.from(order, (i) => values[i] as number),
    weights: Float32Array.from(order, (i) => weights[i] as number),
  };
  return compressSummary(merged, epsilon);
}

/** NumPy's `np.interp(x, xp, fp)` for ascending `xp`. */
function interp(x: number, xp: ArrayLike<number>, fp: ArrayLike<number>): number {
  const n = xp.length;
  if (x < (xp[0] as number)) return fp[0] as number;
  if (x > (xp[n - 1] as number)) return fp[n - 1] as number;
  // The last j with xp[j] <= x.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((xp[mid] as number) <= x) lo = mid;
    else hi = mid - 1;
  }
  const j = lo;
  if (j === n - 1 || x === (xp[j] as number)) return fp[j] as number;
  const [x0, x1, y0, y1] = [xp[j] as number, xp[j + 1] as number, fp[j] as number, fp[j + 1] as number];
  const slope = (y1 - y0) / (x1 - x0);
  let y = slope * (x - x0) + y0;
  if (Number.isNaN(y)) {
    y = slope * (x - x1) + y1;
    if (Number.isNaN(y) && y0 === y1) y = y0;
  }
  return y;
}

/** `compress_summary(summary, epsilon)`: about `1 / epsilon` values, interpolated on the cumulative weights. */
export function compressSummary(summary: Summary, epsilon: number): Summary {
  if (summary.values.length * epsilon < 1) return summary;
  const count = Math.ceil(1 / epsilon);
  const percents = Array.from({ length: count }, (_, i) => epsilon + i * epsilon);
  const cumulative = new Float32Array(summary.weights.length);
  let total = 0;
  summary.weights.forEach((w, i) => {
    total = Math.fround(total + w);
    cumulative[i] = total;
  });
  const last = cumulative[cumulative.length - 1] as number;
  const cumulativePercents = cumulative.map((c) => Math.fround(c / last));
  const values = percents.map((p) => interp(p, cumulativePercents, summary.values));
  const weights = percents.map((p) => interp(p, cumulativePercents, cumulative));
  return {
    values: Float32Array.from(values),
    weights: Float32Array.from(weights, (w, i) => w - (i === 0 ? 0 : (weights[i - 1] as number))),
  };
}

/** `get_bin_boundaries(summary, num_bins)`: the compressed values but the last. */
export function binBoundaries(summary: Summary, numBins: number): number[] {
  return [...compressSummary(summary, 1 / numBins).values.slice(0, -1)];
}
