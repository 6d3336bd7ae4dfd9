/**
 * Keras's `MelSpectrogram.linear_to_mel_weight_matrix`: the HTK mel
 * filterbank, triangles of peak 1. Keras computes it in float32 ops; each
 * step here is rounded to float32 the same way (in float64 the weights
 * differ from Keras's by up to 1e-5, relative).
 */

const MEL_BREAK_FREQUENCY_HERTZ = 700;
const MEL_HIGH_FREQUENCY_Q = 1127;

const f32 = Math.fround;

/** Hertz to mel in float32: `1127 ln(1 + f / 700)`. */
export function hertzToMel(hertz: number): number {
  // XLA turns the division by a constant into a product by its float32 reciprocal.
  return f32(MEL_HIGH_FREQUENCY_Q * f32(Math.log(f32(1 + f32(f32(hertz) * f32(1 / MEL_BREAK_FREQUENCY_HERTZ))))));
}

/** JAX's float32 `linspace(start, stop, count)`: `start (1 - s) + stop s` with `s = i / (count - 1)`, the last value `stop`. */
function linspace(start: number, stop: number, count: number): number[] {
  const div = count - 1;
  return Array.from({ length: count }, (_, i) => {
    if (i === div) return f32(stop);
    const step = f32(i / div);
    return f32(f32(f32(start) * f32(1 - step)) + f32(f32(stop) * step));
  });
}

/**
 * The `[spectrogramBins, melBins]` matrix that maps linear bins on
 * `[0, samplingRate / 2]` to mel bands between `lowerHertz` and
 * `upperHertz`: band m rises from edge m to m+1 and falls to m+2 (edges
 * even in mel), the DC bin zero, as Keras (and TensorFlow) compute it.
 */
export function melWeightMatrix(
  melBins: number,
  spectrogramBins: number,
  samplingRate: number,
  lowerHertz: number,
  upperHertz: number,
): Float32Array {
  const linear = linspace(0, f32(f32(samplingRate) / 2), spectrogramBins)
    .slice(1)
    .map(hertzToMel);
  const edges = linspace(hertzToMel(lowerHertz), hertzToMel(upperHertz), melBins + 2);
  const matrix = new Float32Array(spectrogramBins * melBins);
  linear.forEach((mel, i) => {
    for (let m = 0; m < melBins; m++) {
      const [lower, center, upper] = [edges[m] as number, edges[m + 1] as number, edges[m + 2] as number];
      const rising = f32(f32(mel - lower) / f32(center - lower));
      const falling = f32(f32(upper - mel) / f32(upper - center));
      matrix[(i + 1) * melBins + m] = Math.max(0, Math.min(rising, falling));
    }
  });
  return matrix;
}
