/**
 * ConvLSTM's run over a sequence, on backend ops differentiated by the tape
 * (loopRecurrence): the input convolutions for every step at once (time
 * major, folded into the batch), then per step the recurrent convolutions (strides
 * 1, `same`, no dilation, as Keras's `recurrent_conv`) and the gates i, f,
 * c, o as in LSTMCell. Computes channels-last; channels-first sequences and
 * states are transposed on the way in and out.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as activations from '../../activations/index.js';
import { convolution, samePadding } from '../../ops/convolution.js';
import { nextSeed } from '../../utils/random.js';
import type { ConvWindow } from '../convolutional/conv-window.js';
import type { RecurrenceResult } from './fast-recurrence.js';
import { loopRecurrence } from './recurrence.js';
import type { SequenceSettings } from './rnn-cell.js';

/** What the run reads from a built ConvLSTMCell. */
export interface ConvLSTMParts {
  window: ConvWindow;
  kernel: tf.Tensor;
  recurrentKernel: tf.Tensor;
  bias: tf.Tensor | null;
  activation: activations.Activation;
  recurrentActivation: activations.Activation;
  dropout: number;
  recurrentDropout: number;
  seed: number | null;
}

/** Permutation of a tensor's axes moving the axis at `from` to `to`. */
function moveAxis(rank: number, from: number, to: number): number[] {
  const order = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== from);
  order.splice(to, 0, from);
  return order;
}

/**
 * Runs the cell over `x` `(batch, timesteps, ...step)` in the window's data
 * format from `initialStates` (h, c); `mask` is `(batch, timesteps)` as
 * 0/1, or null. The result is in the same data format.
 *
 * Each gate has its own convolutions (Keras's form), on time-major inputs:
 * a step's projected inputs are then whole rows, and no step slices the
 * channel axis, which the backends copy element by element.
 */
export function runConvLSTM(
  parts: ConvLSTMParts,
  x: tf.Tensor,
  initialStates: tf.Tensor[],
  mask: Uint8Array | null,
  settings: SequenceSettings,
): RecurrenceResult {
  const [batch, steps] = x.shape as [number, number];
  const first = parts.window.dataFormat === 'channelsFirst';
  const rank = parts.window.rank;
  // Channels-first `(b, t, c, ...s)` and `(b, c, ...s)` move their channels last, and back at the end.
  const sequenceOut = (t: tf.Tensor) => (first ? tf.transpose(t, moveAxis(rank + 3, rank + 2, 2)) : t);
  const stateIn = (t: tf.Tensor) => (first ? tf.transpose(t, moveAxis(rank + 2, 1, rank + 1)) : t);
  const stateOut = (t: tf.Tensor) => (first ? tf.transpose(t, moveAxis(rank + 2, rank + 1, 1)) : t);
  // A step's input and a state, channels-last: the dropout masks' shapes.
  const lastOf = (shape: readonly number[]) =>
    first ? [shape[0] as number, ...shape.slice(2), shape[1] as number] : [...shape];
  const masks = {
    input: dropoutMasks(parts, parts.dropout, lastOf([batch, ...x.shape.slice(2)]), settings.training, 0),
    recurrent: dropoutMasks(
      parts,
      parts.recurrentDropout,
      lastOf((initialStates[0] as tf.Tensor).shape),
      settings.training,
      4,
    ),
  };
  try {
    return tf.tidy(() => {
      // (b, t, ...) to time-major (t, b, ...step) channels-last, in one transpose.
      const timeMajor = tf.transpose(x, first ? [1, 0, ...range(3, rank + 3), 2] : [1, 0, ...range(2, rank + 3)]);
      const projected = project(parts, timeMajor, masks.input);
      const recurrentKernels = tf.split(parts.recurrentKernel, 4, rank + 1);
      // Each step's rows as a piece of one split: its gradient is one concat, not a pad per step.
      const perStep = projected.map((block) => tf.split(block, steps, 0));
      const result = loopRecurrence(
        (t, states) =>
          step(
            parts,
            perStep.map((pieces) => pieces[t] as tf.Tensor),
            recurrentKernels,
            states,
            masks.recurrent,
          ),
        initialStates.map(stateIn),
        mask,
        { steps, batch, goBackwards: settings.goBackwards, zeroOutputForMask: settings.zeroOutputForMask },
      );
      return {
        sequence: sequenceOut(result.sequence),
        last: stateOut(result.last),
        states: result.states.map(stateOut),
      };
    });
  } finally {
    tf.dispose([...(masks.input ?? []), ...(masks.recurrent ?? [])]);
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/**
 * Keras's dropout masks for one call (`dropout_mask_count = 4`): one per
 * gate, each the shape of a step's input (or state). A fixed seed gives
 * each mask its own offset so that the eight masks differ.
 */
function dropoutMasks(
  parts: ConvLSTMParts,
  rate: number,
  shape: number[],
  training: boolean,
  offset: number,
): tf.Tensor[] | null {
  if (!training || !(rate > 0 && rate < 1)) return null;
  return Array.from({ length: 4 }, (_, g) =>
    tf.tidy(() => {
      const seed = parts.seed == null ? nextSeed() : parts.seed + offset + g;
      const kept = tf.greaterEqual(tf.randomUniform(shape, 0, 1, 'float32', seed), rate);
      return tf.div(tf.cast(kept, 'float32'), 1 - rate);
    }),
  );
}

/**
 * Each gate's input convolution with its bias for every step at once, on
 * time-major `x` `(timesteps, batch, ...step)`: four `(timesteps * batch,
 * ...out, filters)`; with dropout, each gate sees its own dropped inputs.
 */
function project(parts: ConvLSTMParts, x: tf.Tensor, masks: tf.Tensor[] | null): tf.Tensor[] {
  const [steps, batch, ...step] = x.shape as [number, number, ...number[]];
  const { strides, padding, dilationRate } = parts.window;
  const kernels = tf.split(parts.kernel, 4, parts.kernel.rank - 1);
  const biases = parts.bias == null ? [null, null, null, null] : tf.split(parts.bias, 4);
  const folded = tf.reshape(x, [steps * batch, ...step]);
  return kernels.map((kernel, g) => {
    const mask = masks?.[g];
    const input = mask == null ? folded : tf.reshape(tf.mul(x, tf.expandDims(mask, 0)), [steps * batch, ...step]);
    return convolution(input, kernel, strides, padding, dilationRate, { bias: biases[g] ?? null });
  });
}

/** One step from the step's projected inputs (one per gate) and `[h, c]`: `[h, h, c]`, channels-last. */
function step(
  parts: ConvLSTMParts,
  projected: tf.Tensor[],
  recurrentKernels: tf.Tensor[],
  states: tf.Tensor[],
  masks: tf.Tensor[] | null,
): tf.Tensor[] {
  const [h, c] = states as [tf.Tensor, tf.Tensor];
  const ones = new Array<number>(parts.window.rank).fill(1);
  // Keras's recurrent convolution: strides 1, `same`, no dilation. The padding is made once for
  // the four gates (and its gradient, a slice, taken once), then each gate convolves `valid`.
  const pads = parts.window.kernelSize.map((k, i) => samePadding(h.shape[i + 1] as number, k, 1, 1));
  const pad = (t: tf.Tensor) => (pads.some(([a, b]) => a + b > 0) ? tf.pad(t, [[0, 0], ...pads, [0, 0]]) : t);
  const padded = masks == null ? pad(h) : null;
  const [zi, zf, zc, zo] = recurrentKernels.map((kernel, g) => {
    const mask = masks?.[g];
    const input = padded ?? pad(mask == null ? h : tf.mul(h, mask));
    return tf.add(projected[g] as tf.Tensor, convolution(input, kernel, ones, 'valid', ones));
  }) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  const ra = parts.recurrentActivation;
  const cNext = tf.add(tf.mul(ra(zf), c), tf.mul(ra(zi), parts.activation(zc)));
  const hNext = tf.mul(ra(zo), parts.activation(cNext));
  return [hNext, hNext, cNext];
}
