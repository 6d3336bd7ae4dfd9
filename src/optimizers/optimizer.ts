import * as tf from '@tensorflow/tfjs-core';
import { fusedL1L2 } from '../backend/fused-kernels.js';
import { invalidArgument } from '../errors.js';
import type { ClosedFormFactors } from '../regularizers/closed-form-factors.js';
import { classNameOfInstance } from '../utils/class-name.js';

/** The options every optimizer takes, Keras's `learning_rate` and `weight_decay` camelCased. */
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
 * Keras's `keras.optimizers.Optimizer`.
 *
 * @example
 * const w = tf.variable(tf.ones([3]));
 * new optimizers.SGD({ learningRate: 0.1 }).applyGradients([[tf.onesLike(w), w]]); // w is now [0.9, 0.9, 0.9]
 */
export abstract class Optimizer {
  static readonly className: string = 'Optimizer';
  #learningRate: number;
  #weightDecay: number | null;
  /** Number of updates applied so far (Keras's `optimizer.iterations`). */
  iterations = 0;
  readonly #slots = new Map<tf.Variable, tf.Variable[]>();

  constructor(options: OptimizerOptions, defaultLearningRate: number) {
    // Only a missing option takes the default: null is an error, as in Keras.
    this.#learningRate = checkNonNegative(
      options.learningRate === undefined ? defaultLearningRate : options.learningRate,
      'learningRate',
    );
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

  /**
   * The learning rate when this optimizer's update of a weight is
   * `w -= learningRate * g` and nothing else, so that rows with a zero
   * gradient stay as they are (the training step then updates only the
   * embedding rows a batch used); null otherwise.
   */
  rowSparseLearningRate(): number | null {
    return null;
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
    tf.dispose([...this.applyGradientsWithPenalties(pairs, new Map()).values()]);
  }

  /**
   * `applyGradients`, where each variable in `penalties` also has the
   * gradient of its closed-form penalty `l1 * sum|w| + l2 * sum w²` added
   * to its own: the training step's fast path for L1/L2/L1L2 weights, off
   * the gradient tape (fused backends only). Returns each penalty's value,
   * from the weights before the update; the caller disposes them.
   */
  applyGradientsWithPenalties(
    pairs: ReadonlyArray<readonly [gradient: tf.Tensor | null | undefined, variable: tf.Variable]>,
    penalties: ReadonlyMap<tf.Variable, ClosedFormFactors>,
  ): Map<tf.Variable, tf.Scalar> {
    this.iterations += 1;
    const step = this.iterations;
    const values = new Map<tf.Variable, tf.Scalar>();
    const decays = this.#weightDecay != null && this.#weightDecay > 0;
    tf.tidy(() => {
      for (const [gradient, variable] of pairs) {
        const factors = penalties.get(variable);
        if (gradient == null && factors == null) continue;
        if (factors != null && gradient != null && !decays) {
          const penalty = this.updateWithPenalty(variable, gradient, factors, this.slotsOf(variable), step);
          if (penalty != null) {
            values.set(variable, tf.keep(penalty));
            continue;
          }
        }
        let total = gradient as tf.Tensor;
        if (factors != null) {
          const [penalty, withPenalty] = fusedL1L2(variable, { ...factors, withGradient: true }, gradient ?? undefined);
          values.set(variable, tf.keep(penalty));
          total = withPenalty as tf.Tensor;
        }
        if (decays) {
          variable.assign(tf.sub(variable, tf.mul(variable, (this.#weightDecay as number) * this.#learningRate)));
        }
        this.update(variable, total, this.slotsOf(variable), step);
      }
    });
    return values;
  }

  /**
   * An update that folds a closed-form penalty in, in one fused pass, when
   * the optimizer has one: returns the penalty, or null to take the general
   * path (gradient plus penalty gradient, then `update`).
   */
  protected updateWithPenalty(
    _variable: tf.Variable,
    _gradient: tf.Tensor,
    _factors: ClosedFormFactors,
    _slots: tf.Variable[],
    _step: number,
  ): tf.Scalar | null {
    return null;
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
