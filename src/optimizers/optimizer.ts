import * as tf from '@tensorflow/tfjs-core';
import { fusedL1L2 } from '../backend/fused-kernels.js';
import { applyConstraints } from '../constraints/variable-constraints.js';
import { ValueError } from '../errors.js';
import type { ClosedFormFactors } from '../regularizers/closed-form-factors.js';
import type { ProximalRegularizer, StepSize } from '../regularizers/proximal.js';
import { classNameToSnake } from '../serialization/case.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { checkLearningRate, type OptimizerOptions, readBaseSettings, scheduleNotSettable } from './base-options.js';
import { clipGradients } from './clipping.js';
import { averagesOf, overwriteWithAverages, updateAverages } from './ema.js';
import { accumulateGradients, resetAccumulators } from './gradient-accumulation.js';
import { LearningRateSchedule } from './schedules/learning-rate-schedule.js';
import { SlotStore } from './slot-store.js';
import { checkStateValues } from './state-values.js';
import { applyWeightDecay, type DecayExclusions, decayExclusions } from './weight-decay.js';

export {
  checkBooleanOption,
  checkNonNegative,
  checkUnitInterval,
  type OptimizerOptions,
  optimizerOptionNames,
} from './base-options.js';

type GradientPair = readonly [gradient: tf.Tensor | null | undefined, variable: tf.Variable];

/**
 * Base of the optimizers, with Keras 3's update rules and its order of
 * operations in `apply`: gradients divided by `lossScaleFactor`, accumulated
 * (`gradientAccumulationSteps`), clipped, weights decayed, the optimizer's
 * update, the moving averages (`useEma`), the weights' constraints, then the
 * step count. Subclasses declare their slots (`slotGroups`) and the update
 * of one weight. Keras's `keras.optimizers.Optimizer`.
 *
 * @example
 * const w = tf.variable(tf.ones([3]));
 * new optimizers.SGD({ learningRate: 0.1 }).applyGradients([[tf.onesLike(w), w]]); // w is now [0.9, 0.9, 0.9]
 */
export abstract class Optimizer {
  static readonly className: string = 'Optimizer';
  /** Keras's `name`: the class name in snake_case unless given. */
  readonly name: string;
  /** Each gradient clipped to this L2 norm (Keras's `clipnorm`), or null. */
  readonly clipnorm: number | null;
  /** Each gradient element clipped to `[-clipvalue, clipvalue]` (Keras's `clipvalue`), or null. */
  readonly clipvalue: number | null;
  /** All gradients scaled together to at most this joint norm (Keras's `global_clipnorm`), or null. */
  readonly globalClipnorm: number | null;
  /** Whether a moving average of the weights is kept (Keras's `use_ema`). */
  readonly useEma: boolean;
  /** The moving average's momentum (Keras's `ema_momentum`). */
  readonly emaMomentum: number;
  /** Every this many updates the weights take their averages (Keras's `ema_overwrite_frequency`), or null. */
  readonly emaOverwriteFrequency: number | null;
  /** Gradients are divided by this (Keras's `loss_scale_factor`), or null. */
  readonly lossScaleFactor: number | null;
  /** Updates every this many calls with the mean gradient (Keras's `gradient_accumulation_steps`), or null. */
  readonly gradientAccumulationSteps: number | null;
  #learningRate: number | LearningRateSchedule;
  readonly #weightDecay: number | null;
  /** Calls of `apply` so far (Keras's `_iterations`, saved as `iteration`). */
  #applied = 0;
  readonly #store = new SlotStore();
  #scalars: { iteration: tf.Variable; learningRate: tf.Variable } | null = null;
  #excludedFromDecay: DecayExclusions | null = null;

  constructor(options: OptimizerOptions, defaultLearningRate: number) {
    const settings = readBaseSettings(options, defaultLearningRate);
    this.name = settings.name ?? classNameToSnake(classNameOfInstance(this));
    this.#learningRate = settings.learningRate;
    this.#weightDecay = settings.weightDecay;
    this.clipnorm = settings.clipnorm;
    this.clipvalue = settings.clipvalue;
    this.globalClipnorm = settings.globalClipnorm;
    this.useEma = settings.useEma;
    this.emaMomentum = settings.emaMomentum;
    this.emaOverwriteFrequency = settings.emaOverwriteFrequency;
    this.lossScaleFactor = settings.lossScaleFactor;
    this.gradientAccumulationSteps = settings.gradientAccumulationSteps;
  }

  /**
   * The learning rate of the next update: the number given (changeable
   * between steps, by a callback), or the schedule's value at the number of
   * `apply` calls so far (Keras's `optimizer.learning_rate`). Setting a
   * schedule replaces the number; setting a number when the optimizer has a
   * schedule is refused, as in Keras.
   */
  get learningRate(): number {
    const rate = this.#learningRate;
    return rate instanceof LearningRateSchedule ? rate.call(this.#applied) : rate;
  }

  set learningRate(value: number | LearningRateSchedule) {
    if (value instanceof LearningRateSchedule) this.#learningRate = value;
    else if (this.#learningRate instanceof LearningRateSchedule) throw scheduleNotSettable();
    else this.#learningRate = checkLearningRate(value);
  }

  /** The schedule given as the learning rate, or null when it is a number. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.#learningRate instanceof LearningRateSchedule ? this.#learningRate : null;
  }

  /** Decoupled weight decay (Keras's `weight_decay`), or null. */
  get weightDecay(): number | null {
    return this.#weightDecay;
  }

  /**
   * Keras's `optimizer.iterations`: the number of updates so far (with
   * gradient accumulation, the `apply` calls divided by the steps, rounded
   * down). Setting it sets the count of `apply` calls to `value` times the
   * accumulation steps (the start of an accumulation).
   */
  get iterations(): number {
    const steps = this.gradientAccumulationSteps;
    return steps == null ? this.#applied : Math.floor(this.#applied / steps);
  }

  set iterations(value: number) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new ValueError(`iterations must be a non-negative integer. Received: iterations=${String(value)}`, {
        argument: 'iterations',
        expected: 'a non-negative integer',
        received: String(value),
      });
    }
    this.#applied = value * (this.gradientAccumulationSteps ?? 1);
  }

  /** Whether `build` ran (Keras's `built`): the slots exist. */
  get built(): boolean {
    return this.#store.weights.length > 0;
  }

  /**
   * The slot names of one weight, group by group, as Keras's `build` calls
   * `add_optimizer_variables` (each group's names interleaved per weight).
   */
  protected abstract slotGroups(): readonly (readonly string[])[];

  /** Shape of one slot (default: the weight's shape). */
  protected slotShape(variable: tf.Variable, _slot: string): number[] {
    return variable.shape;
  }

  /** Initial value of one slot (default 0). */
  protected slotInitialValue(_variable: tf.Variable, _slot: string): number {
    return 0;
  }

  /**
   * Updates `variable` in place from `gradient` (already unscaled,
   * accumulated, clipped and decayed by the base) with its slots by name, at
   * `step` = iterations + 1 (Keras's `local_step`), with the learning rate of
   * this step.
   */
  protected abstract update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    slots: Readonly<Record<string, tf.Variable>>,
    step: number,
    learningRate: number,
  ): void;

  /**
   * An update that folds a closed-form penalty in, in one fused pass, when
   * the optimizer has one: returns the penalty, or null to take the general
   * path (gradient plus penalty gradient, then `update`). Used only when the
   * gradient goes to the update as it is (no clipping, accumulation, loss
   * scale or weight decay).
   */
  protected updateWithPenalty(
    _variable: tf.Variable,
    _gradient: tf.Tensor,
    _factors: ClosedFormFactors,
    _slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    _learningRate: number,
  ): tf.Scalar | null {
    return null;
  }

  /**
   * The step size this optimizer's last `update` used for each coordinate
   * of `variable` (its slots already updated), for proximal regularizers:
   * `lr` for SGD, `lr / (√v̂ + ε)`-style tensors for the adaptive methods.
   * null (the default): proximal updates are refused.
   */
  protected proximalStepSize(
    _variable: tf.Variable,
    _slots: Readonly<Record<string, tf.Variable>>,
    _step: number,
    _learningRate: number,
  ): StepSize | null {
    return null;
  }

  /** Refuses proximal regularizers when this optimizer has no step size per weight (names the optimizer and the weight). */
  #checkProximal(proximal: ReadonlyMap<tf.Variable, ProximalRegularizer>): void {
    if (proximal.size === 0 || this.proximalStepSize !== Optimizer.prototype.proximalStepSize) return;
    const name = classNameOfInstance(this);
    const weight = [...proximal.keys()][0]?.name ?? '';
    const expected = 'SGD, Adam, AdamW, RMSprop or Adagrad (an optimizer with a known step size per weight)';
    throw new ValueError(
      `Invalid value for argument optimizer: proximal regularizers (weight ${JSON.stringify(weight)}) need the step size the optimizer used for each weight; expected ${expected}. Received: optimizer=${name}`,
      { argument: 'optimizer', expected, received: name },
    );
  }

  /**
   * Creates the slots of `variables` not built yet (Keras's `build`): the
   * moving averages when `useEma`, the gradient accumulators, then the
   * optimizer's own slots. `paths` (`dense/kernel`, parallel to
   * `variables`) name the slots as Keras does; the variables' own names
   * otherwise. Idempotent: known variables are skipped, new ones appended.
   */
  build(variables: readonly tf.Variable[], paths?: readonly string[]): void {
    const groups: (readonly string[])[] = [];
    if (this.useEma) groups.push(['average']);
    if (this.gradientAccumulationSteps != null) groups.push(['gradient_accumulator']);
    groups.push(...this.slotGroups());
    this.#store.add(variables, paths, groups, {
      shape: (v, slot) => (slot === 'average' || slot === 'gradient_accumulator' ? v.shape : this.slotShape(v, slot)),
      initialValue: (v, slot) =>
        slot === 'average' || slot === 'gradient_accumulator' ? 0 : this.slotInitialValue(v, slot),
    });
    // Keras's `iteration` and `learning_rate` exist once the optimizer is built: made here with the
    // slots, so that reading `variables` later (a save after training) allocates nothing.
    this.#syncedScalars();
  }

  /**
   * Keras's `optimizer.variables`: `iteration` (the `apply` calls, int32
   * here, int64 in Keras), `learning_rate` (absent with a schedule), then
   * every slot in creation order. The two scalars mirror `iterations` and
   * `learningRate` as of this call; change state through `loadVariables`.
   */
  get variables(): tf.Variable[] {
    const scalars = this.#syncedScalars();
    const head =
      this.#learningRate instanceof LearningRateSchedule
        ? [scalars.iteration]
        : [scalars.iteration, scalars.learningRate];
    return [...head, ...this.#store.slots.map((s) => s.value)];
  }

  /** Keras's names of `variables`, in the same order (`iteration`, `learning_rate`, `dense_kernel_momentum`, ...). */
  get variableNames(): string[] {
    const head = this.#learningRate instanceof LearningRateSchedule ? ['iteration'] : ['iteration', 'learning_rate'];
    return [...head, ...this.#store.slotNames()];
  }

  /**
   * Sets the whole state from values in `variables` order (Keras's
   * `load_own_variables`/`set_weights`): the count and every shape are
   * checked first, so a mismatch changes nothing.
   */
  loadVariables(values: readonly tf.Tensor[]): void {
    const targets = this.variables;
    checkStateValues(classNameOfInstance(this), this.variableNames, targets, values, this.built);
    const applied = Math.round((values[0] as tf.Tensor).dataSync()[0] as number);
    if (!(applied >= 0)) throw new ValueError(`Optimizer variable 0 (iteration) must be >= 0. Received: ${applied}`);
    const rate = this.#learningRate instanceof LearningRateSchedule ? null : (values[1] as tf.Tensor).dataSync()[0];
    if (rate != null) checkLearningRate(rate);
    const offset = rate == null ? 1 : 2;
    tf.tidy(() => {
      this.#store.slots.forEach((slot, i) => {
        const value = values[i + offset] as tf.Tensor;
        slot.value.assign(value.dtype === slot.value.dtype ? value : tf.cast(value, slot.value.dtype));
      });
    });
    this.#applied = applied;
    if (rate != null) this.#learningRate = rate;
  }

  /**
   * Keeps `variables` (or those whose name, the last part of their path,
   * matches one of `names`) out of the weight decay (Keras's
   * `exclude_from_weight_decay`, e.g. `{ names: ['bias'] }`).
   */
  excludeFromWeightDecay(exclude: { variables?: readonly tf.Variable[]; names?: readonly string[] }): void {
    this.#excludedFromDecay = decayExclusions(exclude.variables ?? [], exclude.names ?? []);
  }

  /** Keras's `scale_loss`: the loss times `lossScaleFactor` (as is without one); the training step scales its loss with it. */
  scaleLoss<T extends tf.Tensor>(loss: T): T {
    return this.lossScaleFactor == null ? loss : (tf.mul(loss, this.lossScaleFactor) as T);
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

  /** Whether each gradient reaches `update` as given: no loss scale, accumulation, clipping or weight decay. */
  protected get gradientsAsGiven(): boolean {
    return (
      this.lossScaleFactor == null &&
      this.gradientAccumulationSteps == null &&
      !(this.clipnorm != null && this.clipnorm > 0) &&
      !(this.clipvalue != null && this.clipvalue > 0) &&
      !(this.globalClipnorm != null && this.globalClipnorm > 0) &&
      !(this.#weightDecay != null && this.#weightDecay > 0)
    );
  }

  /**
   * Applies one update to each variable from its gradient (Keras's
   * `apply_gradients`). A missing gradient (`undefined`, as
   * `tf.variableGrads` leaves for a variable the loss does not reach) skips
   * that variable's update.
   */
  applyGradients(pairs: ReadonlyArray<GradientPair>): void {
    tf.dispose([...this.applyGradientsWithPenalties(pairs, new Map()).values()]);
  }

  /**
   * Keras's `apply(grads, trainable_variables)`: gradients in the order of
   * `variables`, or of the variables the optimizer was built on when omitted.
   */
  apply(gradients: ReadonlyArray<tf.Tensor | null | undefined>, variables?: readonly tf.Variable[]): void {
    const targets = variables ?? this.#store.weights;
    if (variables == null && !this.built) {
      throw new ValueError(
        'When passing gradients without variables, the optimizer must already be built on a list of variables. Call optimizer.build(trainableVariables) first.',
        { argument: 'variables', expected: 'a list of variables, or a built optimizer', received: 'undefined' },
      );
    }
    if (gradients.length !== targets.length) {
      throw new ValueError(
        `apply() got ${gradients.length} gradients for ${targets.length} variables: they must match one-to-one.`,
        { argument: 'gradients', expected: `${targets.length} gradients`, received: `${gradients.length}` },
      );
    }
    this.applyGradients(targets.map((v, i) => [gradients[i], v] as const));
  }

  /**
   * `applyGradients`, where each variable in `penalties` also has the
   * gradient of its closed-form penalty `l1 * sum|w| + l2 * sum w²` added
   * to its own: the training step's fast path for L1/L2/L1L2 weights, off
   * the gradient tape (fused backends only). Returns each penalty's value,
   * from the weights before the update; the caller disposes them. Each
   * variable in `proximal` takes its regularizer's proximal step after the
   * update, at the step size the update used (before the moving averages
   * and the constraints); an optimizer without step sizes refuses them
   * before anything changes.
   */
  applyGradientsWithPenalties(
    pairs: ReadonlyArray<GradientPair>,
    penalties: ReadonlyMap<tf.Variable, ClosedFormFactors>,
    proximal: ReadonlyMap<tf.Variable, ProximalRegularizer> = new Map(),
  ): Map<tf.Variable, tf.Scalar> {
    this.#checkProximal(proximal);
    if (pairs.length === 0) {
      // The training step's row-sparse path may have applied every update in place: the step still counts.
      this.#applied += 1;
      return new Map();
    }
    const store = this.#store;
    // Keras builds on every variable given, with or without a gradient.
    if (pairs.some(([, v]) => store.indexOf(v) === undefined)) this.build(pairs.map(([, v]) => v));
    const learningRate = this.learningRate;
    const step = this.iterations + 1;
    const asGiven = this.gradientsAsGiven;
    const values = new Map<tf.Variable, tf.Scalar>();
    tf.tidy(() => {
      const updated: tf.Variable[] = [];
      const gradients: tf.Tensor[] = [];
      const targets: tf.Variable[] = [];
      for (const [gradient, variable] of pairs) {
        const factors = penalties.get(variable);
        if (gradient == null && factors == null) continue;
        if (asGiven && factors != null && gradient != null) {
          const slots = store.slotsOf(store.indexOf(variable) as number);
          const penalty = this.updateWithPenalty(variable, gradient, factors, slots, step, learningRate);
          if (penalty != null) {
            values.set(variable, tf.keep(penalty));
            updated.push(variable);
            continue;
          }
        }
        // The penalty is not part of the scaled loss: only the tape's gradient is unscaled.
        let total =
          gradient == null || this.lossScaleFactor == null ? gradient : tf.div(gradient, this.lossScaleFactor);
        if (factors != null) {
          const [penalty, withPenalty] = fusedL1L2(variable, { ...factors, withGradient: true }, total ?? undefined);
          values.set(variable, tf.keep(penalty));
          total = withPenalty;
        }
        gradients.push(total as tf.Tensor);
        targets.push(variable);
      }
      this.#applyToVariables(gradients, targets, learningRate, step, proximal);
      updated.push(...targets);
      if (this.useEma) {
        updateAverages(store, this.iterations, this.emaMomentum);
        const frequency = this.emaOverwriteFrequency;
        if (frequency != null && (this.iterations + 1) % frequency === 0) overwriteWithAverages(store, store.weights);
      }
      applyConstraints(updated);
    });
    this.#applied += 1;
    return values;
  }

  /** Accumulation, clipping, weight decay and the update (Keras's `_backend_apply_gradients` before its EMA part). */
  #applyToVariables(
    gradients: tf.Tensor[],
    targets: tf.Variable[],
    learningRate: number,
    step: number,
    proximal: ReadonlyMap<tf.Variable, ProximalRegularizer>,
  ): void {
    if (targets.length === 0) return;
    const store = this.#store;
    const slotsOf = (v: tf.Variable) => store.slotsOf(store.indexOf(v) as number);
    const steps = this.gradientAccumulationSteps;
    const accumulators = steps == null ? [] : targets.map((v) => slotsOf(v).gradient_accumulator as tf.Variable);
    if (steps != null) {
      const mean = accumulateGradients(gradients, accumulators, this.#applied, steps);
      if (mean == null) return;
      gradients = mean;
    }
    gradients = clipGradients(gradients, this);
    if (this.#weightDecay != null) {
      const pathOf = (v: tf.Variable) => store.paths[store.indexOf(v) as number] ?? v.name;
      applyWeightDecay(targets, this.#weightDecay, learningRate, this.#excludedFromDecay, pathOf);
    }
    targets.forEach((variable, i) => {
      this.update(variable, gradients[i] as tf.Tensor, slotsOf(variable), step, learningRate);
      const regularizer = proximal.get(variable);
      if (regularizer == null) return;
      // The penalty's share of the step: its proximal operator at the step size of this update.
      const size = this.proximalStepSize(variable, slotsOf(variable), step, learningRate) as StepSize;
      variable.assign(regularizer.proximalStep(variable, size));
    });
    resetAccumulators(accumulators);
  }

  /**
   * Keras's `SwapEMAWeights` swap: each of `variables` (built ones) takes
   * its moving average and the average takes its value. Refused without `useEma`.
   */
  swapEmaWeights(variables: readonly tf.Variable[]): void {
    const averages = averagesOf(this.#store, variables, this.useEma, 'swapEmaWeights');
    tf.tidy(() => {
      variables.forEach((variable, i) => {
        const average = averages[i] as tf.Variable;
        const saved = tf.clone(variable);
        variable.assign(average);
        average.assign(saved);
      });
    });
  }

  /**
   * Keras's `finalize_variable_values`: with `useEma`, writes the moving
   * averages into `variables` (what `fit` does after its last epoch); no-op otherwise.
   */
  finalizeVariableValues(variables: readonly tf.Variable[]): void {
    if (!this.useEma || !this.built) return;
    overwriteWithAverages(this.#store, variables);
  }

  #syncedScalars(): { iteration: tf.Variable; learningRate: tf.Variable } {
    if (this.#scalars == null) {
      this.#scalars = tf.tidy(() => ({
        iteration: tf.variable(tf.scalar(0, 'int32'), false),
        learningRate: tf.variable(tf.scalar(0), false),
      }));
    }
    const scalars = this.#scalars;
    const rate = this.#learningRate;
    tf.tidy(() => {
      scalars.iteration.assign(tf.scalar(this.#applied, 'int32'));
      scalars.learningRate.assign(tf.scalar(rate instanceof LearningRateSchedule ? 0 : rate));
    });
    return scalars;
  }

  /**
   * The constructor's options (Keras's `get_config` camelCased, in its key
   * order): `learningRate` is the number or the schedule object.
   */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      learningRate: this.#learningRate,
      weightDecay: this.#weightDecay,
      clipnorm: this.clipnorm,
      globalClipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      useEma: this.useEma,
      emaMomentum: this.emaMomentum,
      emaOverwriteFrequency: this.emaOverwriteFrequency,
      lossScaleFactor: this.lossScaleFactor,
      gradientAccumulationSteps: this.gradientAccumulationSteps,
    };
  }

  /** Frees the slot variables (and the two scalars of `variables`); the optimizer builds again on its next update. */
  dispose(): void {
    this.#store.dispose();
    if (this.#scalars != null) {
      this.#scalars.iteration.dispose();
      this.#scalars.learningRate.dispose();
      this.#scalars = null;
    }
  }

  toString(): string {
    const rate =
      this.#learningRate instanceof LearningRateSchedule ? classNameOfInstance(this.#learningRate) : this.#learningRate;
    return `${classNameOfInstance(this)}(learningRate=${rate})`;
  }
}
