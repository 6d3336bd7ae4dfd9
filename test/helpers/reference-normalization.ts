/**
 * Float64 forward passes of the normalization layers, written from their
 * definitions (not from Keras's order of operations), to check the float32
 * layers' gradients by finite differences.
 */

const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);

/** The multi-index of flat position `flat` in `shape`. */
function coordinates(flat: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let rest = flat;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = rest % (shape[i] as number);
    rest = Math.floor(rest / (shape[i] as number));
  }
  return out;
}

/** The flat index, within the sub-shape of `axes`, of the coordinates on those axes. */
function indexOn(coords: readonly number[], shape: readonly number[], axes: readonly number[]): number {
  return axes.reduce((index, axis) => index * (shape[axis] as number) + (coords[axis] as number), 0);
}

export interface NormalizationSpec {
  /** The axes each mean and variance is taken over. */
  statAxes: number[];
  /** The axes gamma and beta run along (their flat index is over these axes, in this order). */
  paramAxes: number[];
  gamma: Float64Array | null;
  beta: Float64Array | null;
  epsilon: number;
  /** Statistics to use instead of the batch's (BatchNormalization's moving averages), by group (the non-stat axes). */
  fixed?: { mean: Float64Array; variance: Float64Array };
  /** LayerNormalization's rms_scaling: `x / sqrt(variance + epsilon) * gamma`, no centring. */
  rms?: boolean;
}

/** `(x - mean) / sqrt(variance + epsilon) * gamma + beta`, statistics per group of the non-stat axes. */
export function normalizeReference(x: Float64Array, shape: number[], spec: NormalizationSpec): Float64Array {
  const groupAxes = shape.map((_, i) => i).filter((i) => !spec.statAxes.includes(i));
  const groups = product(groupAxes.map((a) => shape[a] as number));
  const count = product(spec.statAxes.map((a) => shape[a] as number));
  const group = Array.from(x, (_, flat) => indexOn(coordinates(flat, shape), shape, groupAxes));
  let mean = spec.fixed?.mean;
  let variance = spec.fixed?.variance;
  if (mean == null || variance == null) {
    const sums = new Float64Array(groups);
    x.forEach((v, i) => {
      sums[group[i] as number] = (sums[group[i] as number] as number) + v;
    });
    const m = sums.map((s) => s / count);
    const squares = new Float64Array(groups);
    x.forEach((v, i) => {
      const g = group[i] as number;
      squares[g] = (squares[g] as number) + (v - (m[g] as number)) ** 2;
    });
    mean = m;
    variance = squares.map((s) => s / count);
  }
  const [mu, va] = [mean, variance];
  return x.map((v, i) => {
    const g = group[i] as number;
    const p = indexOn(coordinates(i, shape), shape, spec.paramAxes);
    const centred = spec.rms ? v : v - (mu[g] as number);
    const normalized = centred / Math.sqrt((va[g] as number) + spec.epsilon);
    return (
      normalized * (spec.gamma == null ? 1 : (spec.gamma[p] as number)) +
      (spec.beta == null ? 0 : (spec.beta[p] as number))
    );
  });
}

/** `x / ||x||` over `axes`, per slice of the other axes. */
export function unitNormalizeReference(x: Float64Array, shape: number[], axes: number[]): Float64Array {
  const groupAxes = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const group = Array.from(x, (_, flat) => indexOn(coordinates(flat, shape), shape, groupAxes));
  const squares = new Float64Array(product(groupAxes.map((a) => shape[a] as number)));
  x.forEach((v, i) => {
    squares[group[i] as number] = (squares[group[i] as number] as number) + v * v;
  });
  return x.map((v, i) => v / Math.sqrt(squares[group[i] as number] as number));
}
