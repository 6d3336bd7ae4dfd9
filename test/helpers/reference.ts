/** Float64 reference implementations of the penalties, written from SEMANTICS §1. */

export interface Matrix {
  rows: number;
  columns: number;
  values: Float64Array;
}

export function matrix(rows: number, columns: number, values: ArrayLike<number>): Matrix {
  return { rows, columns, values: Float64Array.from(values) };
}

export function l1(factor: number, values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.abs(values[i] as number);
  return factor * sum;
}

export function l2(factor: number, values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] as number) ** 2;
  return factor * sum;
}

/** factor * mean over pairs i<j of |cos(v_i, v_j)|, vectors = rows or columns, norms floored at 1e-7. */
export function orthogonal(factor: number, m: Matrix, mode: 'rows' | 'columns'): number {
  const count = mode === 'rows' ? m.rows : m.columns;
  const length = mode === 'rows' ? m.columns : m.rows;
  const at = (v: number, k: number) => m.values[mode === 'rows' ? v * m.columns + k : k * m.columns + v] as number;
  const norms = Array.from({ length: count }, (_, v) => {
    let s = 0;
    for (let k = 0; k < length; k++) s += at(v, k) ** 2;
    return Math.max(Math.sqrt(s), 1e-7);
  });
  if (count < 2) return 0;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      let dot = 0;
      for (let k = 0; k < length; k++) dot += at(i, k) * at(j, k);
      sum += Math.abs(dot / ((norms[i] as number) * (norms[j] as number)));
    }
  }
  return (factor * sum) / ((count * (count - 1)) / 2);
}

/** Central finite differences of `f` at `x`, in float64. */
export function numericGradient(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-6): number[] {
  const point = Float64Array.from(x);
  return Array.from(point, (_, i) => {
    const saved = point[i] as number;
    point[i] = saved + h;
    const up = f(point);
    point[i] = saved - h;
    const down = f(point);
    point[i] = saved;
    return (up - down) / (2 * h);
  });
}

/** A deterministic pseudo-random sequence (mulberry32), so test inputs are fixed. */
export function randomValues(count: number, seed: number, scale = 1): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.fround((unit * 2 - 1) * scale);
  });
}
