/**
 * The per-weight variables of an optimizer (Keras's optimizer variables
 * made by `add_variable_from_reference`), kept in the order Keras creates
 * them, so that entry i of `Optimizer.variables` is what Keras saves as
 * `optimizer/vars/<i>`.
 */
import * as tf from '@tensorflow/tfjs-core';

/** One slot: the index of its weight in `SlotStore.weights`, its slot name (`momentum`) and its variable. */
export interface Slot {
  readonly weightIndex: number;
  readonly slot: string;
  readonly value: tf.Variable;
}

/** How a slot is made: its shape and initial value (an optimizer's `slotShape`/`slotInitialValue`). */
export interface SlotMaker {
  shape(weight: tf.Variable, slot: string): number[];
  initialValue(weight: tf.Variable, slot: string): number;
}

/** The weights an optimizer was built on and their slots. */
export class SlotStore {
  /** The built weights in build order (Keras's `_trainable_variables`). */
  readonly weights: tf.Variable[] = [];
  /** Each weight's path (`dense/kernel`), parallel to `weights`. */
  readonly paths: string[] = [];
  /** Every slot in Keras's creation order. */
  readonly slots: Slot[] = [];
  readonly #index = new Map<tf.Variable, number>();
  readonly #byWeight: Record<string, tf.Variable>[] = [];

  /** Index of `weight` in `weights`, or undefined when the optimizer was not built on it. */
  indexOf(weight: tf.Variable): number | undefined {
    return this.#index.get(weight);
  }

  /** The slots of one built weight, by slot name. */
  slotsOf(index: number): Readonly<Record<string, tf.Variable>> {
    return this.#byWeight[index] as Record<string, tf.Variable>;
  }

  /** Keras's name of each slot, `<path with / as _>_<slot>` (`dense_kernel_momentum`), in `slots` order. */
  slotNames(): string[] {
    return this.slots.map(({ weightIndex, slot }) => {
      const path = this.paths[weightIndex] as string;
      return `${path.replaceAll('/', '_').replaceAll(':', '_')}_${slot}`;
    });
  }

  /**
   * Adds the weights not yet known, then their slots group by group, each
   * group's names interleaved per weight (Keras's `add_optimizer_variables`).
   * Paths given for known weights replace theirs (a training step may
   * have built the optimizer before the model's paths were at hand).
   * Returns how many weights were added.
   */
  add(
    weights: readonly tf.Variable[],
    paths: readonly string[] | undefined,
    groups: readonly (readonly string[])[],
    maker: SlotMaker,
  ): number {
    const fresh: number[] = [];
    weights.forEach((weight, i) => {
      const known = this.#index.get(weight);
      if (known !== undefined) {
        if (paths?.[i] != null) this.paths[known] = paths[i] as string;
        return;
      }
      this.#index.set(weight, this.weights.length);
      fresh.push(this.weights.length);
      this.weights.push(weight);
      this.paths.push(paths?.[i] ?? weight.name);
      this.#byWeight.push({});
    });
    for (const group of groups) {
      for (const index of fresh) {
        const weight = this.weights[index] as tf.Variable;
        for (const slot of group) {
          const initial = tf.fill(maker.shape(weight, slot), maker.initialValue(weight, slot), weight.dtype);
          const value = tf.variable(initial, false);
          initial.dispose();
          (this.#byWeight[index] as Record<string, tf.Variable>)[slot] = value;
          this.slots.push({ weightIndex: index, slot, value });
        }
      }
    }
    return fresh.length;
  }

  /** Frees every slot and forgets the weights. */
  dispose(): void {
    for (const slot of this.slots) slot.value.dispose();
    this.slots.length = 0;
    this.weights.length = 0;
    this.paths.length = 0;
    this.#byWeight.length = 0;
    this.#index.clear();
  }
}
