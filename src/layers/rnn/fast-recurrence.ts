/**
 * The fused recurrence of SimpleRNN, LSTM and GRU (`resetAfter: true`): one
 * op with its own gradient. The input projection `x @ kernel + bias` is
 * computed before, for every step at once; per step, the op makes one
 * matmul `h @ recurrentKernel` on the backend and computes the gates on
 * plain numbers, keeping what the backward pass needs. The backward pass
 * walks the steps in reverse with one matmul each (`dz @ recurrentKernelᵀ`)
 * and forms the recurrent kernel's gradient in one matmul at the end.
 *
 * Masks follow Keras's scan (the JAX backend): a masked step keeps the
 * states and outputs the previous output state (zeros with
 * `zeroOutputForMask`); with `goBackwards` the outputs come in the order
 * the steps were taken.
 */
import * as tf from '@tensorflow/tfjs-core';
import { activate, activationDerivative } from './activation-math.js';

export type FastCellKind = 'simple' | 'lstm' | 'gru';

export interface FastRecurrenceSpec {
  kind: FastCellKind;
  units: number;
  /** Codes of activation-math.ts. */
  activation: number;
  recurrentActivation: number;
  goBackwards: boolean;
  zeroOutputForMask: boolean;
}

/** A type, not an interface: `tf.tidy` returns it. */
export type RecurrenceResult = {
  /** `(batch, timesteps, units)`, in the order the steps were taken. */
  sequence: tf.Tensor;
  /** The last step's output, `(batch, units)`. */
  last: tf.Tensor;
  /** The final states, each `(batch, units)`. */
  states: tf.Tensor[];
};

/** Gates per unit: z (SimpleRNN), i f c o (LSTM), z r h (GRU). */
export function gateCount(kind: FastCellKind): number {
  return kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1;
}

/** `rows @ matrix` on the backend, read back (not from inside tf.tidy, which would walk the array). */
function matMulRows(rows: Float32Array, count: number, width: number, matrix: tf.Tensor): Float32Array {
  const input = tf.tensor2d(rows, [count, width]);
  const product = tf.matMul(input, matrix);
  const values = product.dataSync() as Float32Array;
  tf.dispose([input, product]);
  return values;
}

/**
 * Runs the recurrence. `projected` is `(batch, timesteps, gates * units)`,
 * the input projection with the input bias; `recurrentBias` is GRU's
 * second bias row (or null); `mask` is `(batch, timesteps)` as 0/1, or null.
 */
export function fastRecurrence(
  spec: FastRecurrenceSpec,
  projected: tf.Tensor,
  recurrentKernel: tf.Tensor,
  initialStates: tf.Tensor[],
  recurrentBias: tf.Tensor | null,
  mask: Uint8Array | null,
): RecurrenceResult {
  const [batch, steps] = projected.shape as [number, number, number];
  const units = spec.units;
  const hasBias = recurrentBias != null;
  const stateCount = spec.kind === 'lstm' ? 2 : 1;
  const rows = steps + stateCount;
  const inputs = [projected, recurrentKernel, ...initialStates, ...(recurrentBias == null ? [] : [recurrentBias])];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const forward = runForward(spec, args.slice(0, inputs.length) as tf.Tensor[], mask, hasBias);
    return {
      value: tf.tensor3d(forward.packed, [batch, rows, units]),
      gradFunc: (dy: tf.Tensor) =>
        tf.tidy(() => runBackward(spec, forward, dy.dataSync() as Float32Array, recurrentKernel, mask, hasBias)),
    };
  });
  const packed = op(...inputs);
  return tf.tidy(() => {
    const sequence = tf.slice(packed, [0, 0, 0], [batch, steps, units]);
    const last = tf.reshape(tf.slice(packed, [0, steps - 1, 0], [batch, 1, units]), [batch, units]);
    const states = Array.from({ length: stateCount }, (_, i) =>
      tf.reshape(tf.slice(packed, [0, steps + i, 0], [batch, 1, units]), [batch, units]),
    );
    packed.dispose();
    return { sequence, last, states };
  });
}

/** What the forward pass keeps for the backward pass, on plain arrays. */
interface Forward {
  batch: number;
  steps: number;
  width: number;
  /** `(batch, timesteps + states, units)`: the outputs, then the final states. */
  packed: Float32Array;
  /** The h each step started from, `(batch, timesteps, units)` by time index. */
  hPrev: Float32Array;
  /** LSTM: the c each step started from, and the c it made. */
  cPrev: Float32Array | null;
  cNext: Float32Array | null;
  /** Gate inputs and values, `(batch, timesteps, gates * units)`. */
  pre: Float32Array;
  post: Float32Array;
  /** GRU: the recurrent part of the candidate, `h @ Rh + bh`. */
  recurrentH: Float32Array | null;
}

function runForward(spec: FastRecurrenceSpec, args: tf.Tensor[], mask: Uint8Array | null, hasBias: boolean): Forward {
  const [projected, recurrentKernel, h0, c0] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
  const [batch, steps, width] = projected.shape as [number, number, number];
  const { kind, units, activation: act, recurrentActivation: ract } = spec;
  const stateCount = kind === 'lstm' ? 2 : 1;
  const rows = steps + stateCount;
  const xp = projected.dataSync() as Float32Array;
  const bias = hasBias ? ((args[args.length - 1] as tf.Tensor).dataSync() as Float32Array) : null;
  const h = Float32Array.from(h0.dataSync() as Float32Array);
  const c = kind === 'lstm' ? Float32Array.from((c0 as tf.Tensor).dataSync() as Float32Array) : null;
  const packed = new Float32Array(batch * rows * units);
  const hPrev = new Float32Array(batch * steps * units);
  const cPrev = c == null ? null : new Float32Array(batch * steps * units);
  const cNext = c == null ? null : new Float32Array(batch * steps * units);
  const pre = new Float32Array(batch * steps * width);
  const post = new Float32Array(batch * steps * width);
  const recurrentH = kind === 'gru' ? new Float32Array(batch * steps * units) : null;
  for (let s = 0; s < steps; s++) {
    const t = spec.goBackwards ? steps - 1 - s : s;
    const m = matMulRows(h, batch, units, recurrentKernel);
    for (let b = 0; b < batch; b++) {
      const row = b * steps + t;
      const hRow = b * units;
      hPrev.set(h.subarray(hRow, hRow + units), row * units);
      if (c != null) (cPrev as Float32Array).set(c.subarray(hRow, hRow + units), row * units);
      const out = (b * rows + s) * units;
      if (mask != null && mask[row] === 0) {
        // A masked step: the states stay; the output is the previous h (or zeros).
        if (!spec.zeroOutputForMask) packed.set(h.subarray(hRow, hRow + units), out);
        if (c != null) (cNext as Float32Array).set(c.subarray(hRow, hRow + units), row * units);
        continue;
      }
      const g = row * width;
      const mRow = b * width;
      if (kind === 'simple') {
        for (let u = 0; u < units; u++) {
          const a = (xp[g + u] as number) + (m[mRow + u] as number);
          const y = activate(act, a);
          pre[g + u] = a;
          post[g + u] = y;
          h[hRow + u] = y;
        }
      } else if (kind === 'lstm') {
        const cs = c as Float32Array;
        for (let u = 0; u < units; u++) {
          for (let gate = 0; gate < 4; gate++) {
            const k = gate * units + u;
            const a = (xp[g + k] as number) + (m[mRow + k] as number);
            pre[g + k] = a;
            post[g + k] = gate === 2 ? activate(act, a) : activate(ract, a);
          }
          const [i, f, cc, o] = [
            post[g + u],
            post[g + units + u],
            post[g + 2 * units + u],
            post[g + 3 * units + u],
          ] as [number, number, number, number];
          cs[hRow + u] = f * (cs[hRow + u] as number) + i * cc;
          (cNext as Float32Array)[row * units + u] = cs[hRow + u] as number;
          h[hRow + u] = o * activate(act, cs[hRow + u] as number);
        }
      } else {
        const rh = recurrentH as Float32Array;
        for (let u = 0; u < units; u++) {
          const bz = bias == null ? 0 : (bias[u] as number);
          const br = bias == null ? 0 : (bias[units + u] as number);
          const bh = bias == null ? 0 : (bias[2 * units + u] as number);
          const az = (xp[g + u] as number) + (m[mRow + u] as number) + bz;
          const ar = (xp[g + units + u] as number) + (m[mRow + units + u] as number) + br;
          const z = activate(ract, az);
          const r = activate(ract, ar);
          const mh = Math.fround((m[mRow + 2 * units + u] as number) + bh);
          const ah = (xp[g + 2 * units + u] as number) + r * mh;
          const hh = activate(act, ah);
          pre[g + u] = az;
          pre[g + units + u] = ar;
          pre[g + 2 * units + u] = ah;
          post[g + u] = z;
          post[g + units + u] = r;
          post[g + 2 * units + u] = hh;
          rh[row * units + u] = mh;
          h[hRow + u] = z * (h[hRow + u] as number) + (1 - z) * hh;
        }
      }
      packed.set(h.subarray(hRow, hRow + units), out);
    }
  }
  for (let b = 0; b < batch; b++) {
    packed.set(h.subarray(b * units, (b + 1) * units), (b * rows + steps) * units);
    if (c != null) packed.set(c.subarray(b * units, (b + 1) * units), (b * rows + steps + 1) * units);
  }
  return { batch, steps, width, packed, hPrev, cPrev, cNext, pre, post, recurrentH };
}

/** Gradients of the inputs of `fastRecurrence`, from `dy` (the packed output's gradient). */
function runBackward(
  spec: FastRecurrenceSpec,
  fw: Forward,
  dy: Float32Array,
  recurrentKernel: tf.Tensor,
  mask: Uint8Array | null,
  hasBias: boolean,
): tf.Tensor[] {
  const { batch, steps, width } = fw;
  const { kind, units, activation: act, recurrentActivation: ract } = spec;
  const stateCount = kind === 'lstm' ? 2 : 1;
  const rows = steps + stateCount;
  const dh = new Float64Array(batch * units);
  const dc = kind === 'lstm' ? new Float64Array(batch * units) : null;
  for (let b = 0; b < batch; b++) {
    for (let u = 0; u < units; u++) {
      dh[b * units + u] = dy[(b * rows + steps) * units + u] as number;
      if (dc != null) dc[b * units + u] = dy[(b * rows + steps + 1) * units + u] as number;
    }
  }
  // The gradient of each step's projected input, and (GRU) of its recurrent product.
  const dProjected = new Float32Array(batch * steps * width);
  const dRecurrent = kind === 'gru' ? new Float32Array(batch * steps * width) : dProjected;
  const transposed = tf.transpose(recurrentKernel);
  const stepGrad = new Float32Array(batch * width);
  const dhDirect = new Float64Array(batch * units);
  for (let s = steps - 1; s >= 0; s--) {
    const t = spec.goBackwards ? steps - 1 - s : s;
    stepGrad.fill(0);
    for (let b = 0; b < batch; b++) {
      const row = b * steps + t;
      const hRow = b * units;
      const out = (b * rows + s) * units;
      if (mask != null && mask[row] === 0) {
        for (let u = 0; u < units; u++) {
          dhDirect[hRow + u] = (dh[hRow + u] as number) + (spec.zeroOutputForMask ? 0 : (dy[out + u] as number));
        }
        continue;
      }
      const g = row * width;
      const sg = b * width;
      if (kind === 'simple') {
        for (let u = 0; u < units; u++) {
          const d =
            ((dh[hRow + u] as number) + (dy[out + u] as number)) *
            activationDerivative(act, fw.pre[g + u] as number, fw.post[g + u] as number);
          dProjected[g + u] = d;
          stepGrad[sg + u] = d;
          dhDirect[hRow + u] = 0;
        }
      } else if (kind === 'lstm') {
        const dcs = dc as Float64Array;
        for (let u = 0; u < units; u++) {
          const dOut = (dh[hRow + u] as number) + (dy[out + u] as number);
          const [i, f, cc, o] = [
            fw.post[g + u],
            fw.post[g + units + u],
            fw.post[g + 2 * units + u],
            fw.post[g + 3 * units + u],
          ] as [number, number, number, number];
          const cNew = (fw.cNext as Float32Array)[row * units + u] as number;
          const tc = activate(act, cNew);
          const dC = (dcs[hRow + u] as number) + dOut * o * activationDerivative(act, cNew, tc);
          const grads = [dC * cc, dC * ((fw.cPrev as Float32Array)[row * units + u] as number), dC * i, dOut * tc];
          for (let gate = 0; gate < 4; gate++) {
            const k = gate * units + u;
            const a = fw.pre[g + k] as number;
            const y = fw.post[g + k] as number;
            const d =
              (grads[gate] as number) *
              (gate === 2 ? activationDerivative(act, a, y) : activationDerivative(ract, a, y));
            dProjected[g + k] = d;
            stepGrad[sg + k] = d;
          }
          dcs[hRow + u] = dC * f;
          dhDirect[hRow + u] = 0;
        }
      } else {
        const rh = fw.recurrentH as Float32Array;
        for (let u = 0; u < units; u++) {
          const dOut = (dh[hRow + u] as number) + (dy[out + u] as number);
          const z = fw.post[g + u] as number;
          const r = fw.post[g + units + u] as number;
          const hh = fw.post[g + 2 * units + u] as number;
          const hp = fw.hPrev[row * units + u] as number;
          const dAh = dOut * (1 - z) * activationDerivative(act, fw.pre[g + 2 * units + u] as number, hh);
          const dAz = dOut * (hp - hh) * activationDerivative(ract, fw.pre[g + u] as number, z);
          const dAr =
            dAh * (rh[row * units + u] as number) * activationDerivative(ract, fw.pre[g + units + u] as number, r);
          dProjected[g + u] = dAz;
          dProjected[g + units + u] = dAr;
          dProjected[g + 2 * units + u] = dAh;
          stepGrad[sg + u] = dAz;
          stepGrad[sg + units + u] = dAr;
          stepGrad[sg + 2 * units + u] = dAh * r;
          dhDirect[hRow + u] = dOut * z;
        }
        (dRecurrent as Float32Array).set(stepGrad.subarray(sg, sg + width), g);
      }
    }
    const fromKernel = matMulRows(stepGrad, batch, width, transposed);
    for (let k = 0; k < batch * units; k++) dh[k] = (dhDirect[k] as number) + (fromKernel[k] as number);
  }
  const grads: tf.Tensor[] = [
    tf.tensor3d(dProjected, [batch, steps, width]),
    tf.matMul(
      tf.transpose(tf.tensor2d(fw.hPrev, [batch * steps, units])),
      tf.tensor2d(dRecurrent, [batch * steps, width]),
    ),
    tf.tensor2d(Float32Array.from(dh), [batch, units]),
  ];
  if (dc != null) grads.push(tf.tensor2d(Float32Array.from(dc), [batch, units]));
  if (hasBias) {
    // The recurrent bias's gradient: the recurrent products' gradients, summed over batch and steps.
    const sum = new Float32Array(width);
    for (let r = 0; r < batch * steps; r++)
      for (let k = 0; k < width; k++) sum[k] = (sum[k] as number) + (dRecurrent[r * width + k] as number);
    grads.push(tf.tensor1d(sum));
  }
  return grads;
}
