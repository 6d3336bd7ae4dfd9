/**
 * A stride-1 correlation of an input spread by `strides` (stride - 1 zeros
 * between its elements) and padded, without writing the zeros: the forward
 * pass of a transposed convolution and the input gradient of a strided
 * convolution.
 *
 * Why: spreading costs a pass over s^rank times the input (slow rank-5 pads
 * and slices on wasm) and the correlation then multiplies mostly zeros. Split
 * by output phase instead: output position p = s * i + phase only meets the
 * kernel taps t = t0, t0 + s, ... (t0 = (left - phase) mod s), each on an
 * input position i + u + first. So each phase is a small stride-1
 * correlation of the input itself with every s-th tap of the kernel, and the
 * phases interleave by concatenating on the next axis and reshaping.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A stride-1, valid-after-`pads` correlation of channels-last `x` with `kernel` (spatial axes first). */
export type Correlate = (x: tf.Tensor, kernel: tf.Tensor, pads: [number, number][], dilations: number[]) => tf.Tensor;

interface Phase {
  /** The first kernel tap of this phase, and how many taps (every stride-th) it has. */
  firstTap: number;
  taps: number;
  /** The input position the phase's first output reads with its first tap. */
  firstInput: number;
  /** Output positions of this phase. */
  count: number;
}

/**
 * `correlate(pad(spread(x, strides), pads), kernel, dilations)`, whose output
 * has `(n - 1) * s + 1 + before + after - reach + 1` positions per axis.
 * Strides above 1 need dilations of 1 (Keras and tfjs refuse both).
 */
export function spreadCorrelation(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: readonly number[],
  pads: readonly [number, number][],
  dilations: readonly number[],
  outChannels: number,
  correlate: Correlate,
): tf.Tensor {
  const rank = strides.length;
  if (strides.every((s) => s === 1)) return correlate(x, kernel, [...pads], [...dilations]);
  const inputSize = x.shape.slice(1, 1 + rank);
  const kernelSize = kernel.shape.slice(0, rank);
  const outputSize = inputSize.map(
    (n, i) =>
      (n - 1) * (strides[i] as number) +
      1 +
      (pads[i] as [number, number])[0] +
      (pads[i] as [number, number])[1] -
      (kernelSize[i] as number) +
      1,
  );
  const rows = outputSize.map((m, i) => Math.ceil(m / (strides[i] as number)));
  const phases = outputSize.map((m, i) => {
    const s = strides[i] as number;
    const k = kernelSize[i] as number;
    const left = (pads[i] as [number, number])[0];
    return Array.from({ length: s }, (_, phase): Phase => {
      const firstTap = (((left - phase) % s) + s) % s;
      return {
        firstTap,
        taps: firstTap < k ? Math.ceil((k - firstTap) / s) : 0,
        firstInput: (phase + firstTap - left) / s,
        count: Math.max(Math.ceil((m - phase) / s), 0),
      };
    });
  });
  const batch = x.shape[0] as number;
  const block = (chosen: Phase[]): tf.Tensor => {
    const axis = chosen.length;
    if (axis === rank) return phaseOutput(x, kernel, chosen, strides, rows, batch, outChannels, correlate);
    const parts = (phases[axis] as Phase[]).map((phase) => block([...chosen, phase]));
    // Interleave on `axis`: concatenate on the next axis, then fold it back.
    const joined = tf.concat(parts, axis + 2);
    const shape = [...(parts[0] as tf.Tensor).shape];
    shape[axis + 1] = (shape[axis + 1] as number) * (strides[axis] as number);
    return tf.reshape(joined, shape);
  };
  const full = block([]);
  if (full.shape.slice(1, 1 + rank).every((size, i) => size === outputSize[i])) return full;
  return tf.slice(full, 0, [batch, ...outputSize, outChannels]);
}

/** One phase's output, zero-padded after to `rows` positions per axis. */
function phaseOutput(
  x: tf.Tensor,
  kernel: tf.Tensor,
  phases: Phase[],
  strides: readonly number[],
  rows: number[],
  batch: number,
  outChannels: number,
  correlate: Correlate,
): tf.Tensor {
  const rank = phases.length;
  const inputSize = x.shape.slice(1, 1 + rank) as number[];
  // The input positions the phase reads: from firstInput to its last output's last tap.
  const low = phases.map((p) => p.firstInput);
  const high = phases.map((p) => p.firstInput + p.count - 1 + p.taps - 1);
  const empty = phases.some(
    (p, i) =>
      p.taps === 0 || p.count === 0 || (high[i] as number) < 0 || (low[i] as number) >= (inputSize[i] as number),
  );
  if (empty) return tf.zeros([batch, ...rows, outChannels]);
  const begin = low.map((l) => Math.max(l, 0));
  const end = high.map((h, i) => Math.min(h, (inputSize[i] as number) - 1));
  const cropped = begin.every((b, i) => b === 0 && end[i] === (inputSize[i] as number) - 1)
    ? x
    : tf.slice(
        x,
        [0, ...begin, 0],
        [batch, ...begin.map((b, i) => (end[i] as number) - b + 1), x.shape[rank + 1] as number],
      );
  const pads = phases.map((_, i): [number, number] => [
    Math.max(-(low[i] as number), 0),
    Math.max((high[i] as number) - ((inputSize[i] as number) - 1), 0),
  ]);
  const kernelBegin = [...phases.map((p) => p.firstTap), ...kernel.shape.slice(rank).map(() => 0)];
  const kernelEnd = [...kernel.shape];
  const kernelStrides = [...strides, ...kernel.shape.slice(rank).map(() => 1)];
  const taps = tf.stridedSlice(kernel, kernelBegin, kernelEnd, kernelStrides);
  const y = correlate(
    cropped,
    taps,
    pads,
    phases.map(() => 1),
  );
  const short = phases.map((p, i): [number, number] => [0, (rows[i] as number) - p.count]);
  return short.some(([, after]) => after > 0) ? tf.pad(y, [[0, 0], ...short, [0, 0]]) : y;
}
