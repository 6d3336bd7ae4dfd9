/**
 * Float64 reference forward passes of Keras's SimpleRNN, LSTM and GRU cells
 * over a sequence, written from Keras's formulas (keras/src/layers/rnn/*.py)
 * and its JAX scan for masks: a masked step keeps the states and outputs
 * the previous h (zeros with `zeroOutputForMask`); `goBackwards` takes the
 * steps in reverse and returns the outputs in that order.
 */

export interface RnnSpec {
  kind: 'simple' | 'lstm' | 'gru';
  units: number;
  /** GRU only; default true. */
  resetAfter?: boolean;
  goBackwards?: boolean;
  zeroOutputForMask?: boolean;
}

export interface RnnWeights {
  /** `(inputDim, gates * units)`, row-major. */
  kernel: ArrayLike<number>;
  /** `(units, gates * units)`. */
  recurrent: ArrayLike<number>;
  /** `(gates * units)`, or GRU's `(2, 3 * units)` with resetAfter; null without bias. */
  bias: ArrayLike<number> | null;
}

const sigmoid = (a: number) => 1 / (1 + Math.exp(-a));

/** The outputs `(batch, timesteps, units)` in the order the steps were taken, then each final state `(batch, units)`, flat. */
export function rnnForward(
  spec: RnnSpec,
  x: ArrayLike<number>,
  [batch, steps, inputDim]: [number, number, number],
  w: RnnWeights,
  mask: ArrayLike<boolean> | null = null,
  initial: ArrayLike<number>[] | null = null,
): number[] {
  const u = spec.units;
  const gates = spec.kind === 'lstm' ? 4 : spec.kind === 'gru' ? 3 : 1;
  const width = gates * u;
  const resetAfter = spec.resetAfter ?? true;
  const at = (m: ArrayLike<number>, i: number) => m[i] as number;
  const inputBias = (k: number) => (w.bias == null ? 0 : at(w.bias, k));
  const recurrentBias = (k: number) =>
    w.bias == null || spec.kind !== 'gru' || !resetAfter ? 0 : at(w.bias, width + k);
  const outputs: number[] = new Array(batch * steps * u).fill(0);
  const finals: number[][] = [];
  const cFinals: number[][] = [];
  for (let b = 0; b < batch; b++) {
    let h = Array.from({ length: u }, (_, j) => (initial == null ? 0 : at(initial[0] as ArrayLike<number>, b * u + j)));
    let c = Array.from({ length: u }, (_, j) => (initial?.[1] == null ? 0 : at(initial[1], b * u + j)));
    for (let s = 0; s < steps; s++) {
      const t = spec.goBackwards ? steps - 1 - s : s;
      const out = (b * steps + s) * u;
      if (mask != null && !mask[b * steps + t]) {
        for (let j = 0; j < u; j++) outputs[out + j] = spec.zeroOutputForMask ? 0 : (h[j] as number);
        continue;
      }
      // x @ kernel + input bias, and h @ recurrent (+ GRU's recurrent bias), per gate column.
      const xp = Array.from({ length: width }, (_, k) => {
        let sum = inputBias(k);
        for (let d = 0; d < inputDim; d++) sum += at(x, (b * steps + t) * inputDim + d) * at(w.kernel, d * width + k);
        return sum;
      });
      const hp = (vector: number[], k: number) => {
        let sum = 0;
        for (let j = 0; j < u; j++) sum += (vector[j] as number) * at(w.recurrent, j * width + k);
        return sum;
      };
      if (spec.kind === 'simple') {
        h = h.map((_, j) => Math.tanh((xp[j] as number) + hp(h, j)));
      } else if (spec.kind === 'lstm') {
        const z = xp.map((v, k) => v + hp(h, k));
        const gate = (g: number, j: number) => z[g * u + j] as number;
        c = c.map((cj, j) => sigmoid(gate(1, j)) * cj + sigmoid(gate(0, j)) * Math.tanh(gate(2, j)));
        h = h.map((_, j) => sigmoid(gate(3, j)) * Math.tanh(c[j] as number));
      } else {
        const z = h.map((_, j) => sigmoid((xp[j] as number) + hp(h, j) + recurrentBias(j)));
        const r = h.map((_, j) => sigmoid((xp[u + j] as number) + hp(h, u + j) + recurrentBias(u + j)));
        const candidate = h.map((_, j) => {
          const recurrentH = resetAfter
            ? (r[j] as number) * (hp(h, 2 * u + j) + recurrentBias(2 * u + j))
            : hp(
                h.map((hj, i) => hj * (r[i] as number)),
                2 * u + j,
              );
          return Math.tanh((xp[2 * u + j] as number) + recurrentH);
        });
        h = h.map((hj, j) => (z[j] as number) * hj + (1 - (z[j] as number)) * (candidate[j] as number));
      }
      for (let j = 0; j < u; j++) outputs[out + j] = h[j] as number;
    }
    finals.push(h);
    cFinals.push(c);
  }
  return [...outputs, ...finals.flat(), ...(spec.kind === 'lstm' ? cFinals.flat() : [])];
}
