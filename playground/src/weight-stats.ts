/**
 * Numbers the page draws from a kernel: a histogram that keeps the tails,
 * the share of near-zero weights, and the Gram matrix of cosines that
 * OrthogonalRegularizer pushes towards the identity.
 */

/** A weight counts as near zero below this magnitude (the threshold of the MNIST demo's table). */
export const NEAR_ZERO = 1e-3;

export interface Histogram {
  /** Bins span [-limit, limit], the largest magnitude, so no weight falls outside. */
  limit: number;
  counts: Uint32Array;
}

export function histogram(values: Float32Array, bins: number): Histogram {
  let limit = 0;
  for (const v of values) limit = Math.max(limit, Math.abs(v));
  if (limit === 0) limit = 1;
  const counts = new Uint32Array(bins);
  for (const v of values) {
    const bin = Math.min(bins - 1, Math.floor(((v + limit) / (2 * limit)) * bins));
    counts[bin] = (counts[bin] as number) + 1;
  }
  return { limit, counts };
}

export function nearZeroShare(values: Float32Array): number {
  let count = 0;
  for (const v of values) if (Math.abs(v) < NEAR_ZERO) count++;
  return values.length === 0 ? 0 : count / values.length;
}

/**
 * |cos| between every pair of vectors of a row-major `[inputs, units]`
 * kernel: its columns (one per unit) for mode `columns`, its rows (one per
 * input) for `rows`, normalised as the regularizer does (norm floored at 1e-7).
 */
export function absCosines(
  kernel: Float32Array,
  inputs: number,
  units: number,
  mode: 'rows' | 'columns',
): { size: number; values: Float32Array } {
  const [count, length] = mode === 'columns' ? [units, inputs] : [inputs, units];
  const at = mode === 'columns' ? (v: number, k: number) => k * units + v : (v: number, k: number) => v * units + k;
  const unit = new Float32Array(count * length);
  for (let v = 0; v < count; v++) {
    let norm = 0;
    for (let k = 0; k < length; k++) norm += (kernel[at(v, k)] as number) ** 2;
    const scale = 1 / Math.max(Math.sqrt(norm), 1e-7);
    for (let k = 0; k < length; k++) unit[v * length + k] = (kernel[at(v, k)] as number) * scale;
  }
  const values = new Float32Array(count * count);
  for (let i = 0; i < count; i++) {
    for (let j = i; j < count; j++) {
      let dot = 0;
      for (let k = 0; k < length; k++) dot += (unit[i * length + k] as number) * (unit[j * length + k] as number);
      values[i * count + j] = Math.abs(dot);
      values[j * count + i] = Math.abs(dot);
    }
  }
  return { size: count, values };
}

/** The mean |cos| over distinct pairs: OrthogonalRegularizer's penalty divided by its factor. */
export function meanOffDiagonal({ size, values }: { size: number; values: Float32Array }): number {
  if (size < 2) return 0;
  let sum = 0;
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) if (i !== j) sum += values[i * size + j] as number;
  return sum / (size * (size - 1));
}
