import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { classNameOfInstance } from '../utils/class-name.js';

export interface OptimizerOptions {
  /** Step size; default per optimizer (Keras: 0.01 for SGD, 0.001 for the others). */
  learningRate?: number;
  /** Decoupled weight decay: `w -= learningRate * weightDecay * w` before each update (AdamW's, any optimizer's). */
  weightDecay?: number | null;
}

/**
 * Base of the optimizers, with Keras 3's update rules (which differ from
 * tfjs-core's own optimizers in where epsilon enters). Subclasses give the
 * number of slot variables per weight and the update of one weight.
 */
export abstract class Optimizer {
  static readonly className: string = 'Optimizer';
  #learningRate: number;
  #weightDecay: number | null;
  /** Number of updates applied so far (Keras's `optimizer.iterations`). */
  iterations = 0;
  readonly #slots = new Map<tf.Variable, tf.Variable[]>();

  constructor(options: OptimizerOptions, defaultLearningRate: number) {
    this.#learningRate = checkNonNegative(options.learningRate ?? defaultLearningRate, 'learningRate');
    this.#weightDecay = options.weightDecay == null ? null : checkNonNegative(options.weightDecay, 'weightDecay');
  }

  /** May be changed between steps (a schedule, a callback). */
  get learningRate(): number {
    return this.#learningRate;
  }

  set learningRate(value: number) {
    this.#learningRate = checkNonNegative(value, 'learningRate');
  }

  get weightDecay(): number | null {
    return this.#weightDecay;
  }

  /** How many zero-initialised slot variables (momentum, moments) each weight needs. */
  protected abstract slotCount(): number;

  /** Updates `variable` in place from `gradient`, at step `step` (1-based), with its slots. */
  protected abstract update(variable: tf.Variable, gradient: tf.Tensor, slots: tf.Variable[], step: number): void;

  /**
   * Applies one update to each variable from its gradient. A missing
   * gradient (`undefined`, as `tf.variableGrads` leaves for a variable the
   * loss does not reach) skips that variable's update.
   */
  applyGradients(pairs: ReadonlyArray<readonly [gradient: tf.Tensor | null | undefined, variable: tf.Variable]>): void {
    this.iterations += 1;
    const step = this.iterations;
    tf.tidy(() => {
      for (const [gradient, variable] of pairs) {
        if (gradient == null) continue;
        if (this.#weightDecay != null && this.#weightDecay > 0) {
          variable.assign(tf.sub(variable, tf.mul(variable, this.#weightDecay * this.#learningRate)));
        }
        this.update(variable, gradient, this.slotsOf(variable), step);
      }
    });
  }

  private slotsOf(variable: tf.Variable): tf.Variable[] {
    let slots = this.#slots.get(variable);
    if (slots == null) {
      slots = Array.from({ length: this.slotCount() }, () => tf.variable(tf.zerosLike(variable), false));
      this.#slots.set(variable, slots);
    }
    return slots;
  }

  getConfig(): Record<string, unknown> {
    return { learningRate: this.#learningRate, weightDecay: this.#weightDecay };
  }

  /** Frees the slot variables. */
  dispose(): void {
    for (const slots of this.#slots.values()) for (const slot of slots) slot.dispose();
    this.#slots.clear();
  }

  toString(): string {
    return `${classNameOfInstance(this)}(learningRate=${this.#learningRate})`;
  }
}

export function checkNonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(name, 'a non-negative number', value);
  }
  return value;
}

export function checkUnitInterval(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw invalidArgument(name, 'a number in [0, 1)', value);
  }
  return value;
}
