/**
 * The recurrence as a loop of backend ops, differentiated by the tape: for
 * cells the fused recurrence does not cover (a custom cell, an activation
 * it does not compute, recurrent dropout, GRU with `resetAfter: false`).
 * Masks and `goBackwards` as in fast-recurrence.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RecurrenceResult } from './fast-recurrence.js';

/** One step: the output and the new states, from the step's time index and the states before it. */
export type StepFunction = (time: number, states: tf.Tensor[]) => tf.Tensor[];

export interface LoopSettings {
  steps: number;
  batch: number;
  goBackwards: boolean;
  zeroOutputForMask: boolean;
}

/** Runs `step` over the time steps; `mask` is `(batch, timesteps)` as 0/1, or null. */
export function loopRecurrence(
  step: StepFunction,
  initialStates: tf.Tensor[],
  mask: Uint8Array | null,
  { steps, batch, goBackwards, zeroOutputForMask }: LoopSettings,
): RecurrenceResult {
  return tf.tidy(() => {
    // Each step's mask column as a constant (batch, 1): masks carry no gradient.
    const column = (t: number) =>
      tf.tensor2d(
        Float32Array.from({ length: batch }, (_, b) => (mask as Uint8Array)[b * steps + t] as number),
        [batch, 1],
      );
    let states = initialStates;
    const outputs: tf.Tensor[] = [];
    for (let s = 0; s < steps; s++) {
      const t = goBackwards ? steps - 1 - s : s;
      const [output, ...next] = step(t, states) as [tf.Tensor, ...tf.Tensor[]];
      if (mask == null) {
        outputs.push(output);
        states = next;
        continue;
      }
      const keep = column(t);
      const hold = tf.sub(1, keep);
      // (batch, 1) as (batch, 1, ..., 1) against states with spatial axes (ConvLSTM's).
      const spread = (m: tf.Tensor, rank: number) =>
        rank <= 2 ? m : tf.reshape(m, [batch, ...new Array<number>(rank - 1).fill(1)]);
      const blend = (fresh: tf.Tensor, old: tf.Tensor) =>
        tf.add(tf.mul(fresh, spread(keep, fresh.rank)), tf.mul(old, spread(hold, old.rank)));
      // A masked step outputs the previous first state (the previous h), or zeros.
      outputs.push(
        zeroOutputForMask ? tf.mul(output, spread(keep, output.rank)) : blend(output, states[0] as tf.Tensor),
      );
      states = next.map((state, i) => blend(state, states[i] as tf.Tensor));
    }
    return { sequence: tf.stack(outputs, 1), last: outputs[steps - 1] as tf.Tensor, states };
  });
}
