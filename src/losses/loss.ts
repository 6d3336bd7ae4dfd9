/**
 * Keras's `Loss` base (keras/src/losses/loss.py): each loss computes a
 * value per sample (`call`), then `compute` reduces it the Keras way
 * (`reduce_weighted_values`: sample weights, the prediction's Keras mask and
 * the loss's own mask, then `"sum_over_batch_size"`: the mean over the
 * batch). Losses check their targets against the predictions' shapes, so
 * that a label in the wrong form is a clear error, not NaN or a broadcast.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { formatShape } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { asFloat, shapeOf } from './checks.js';
import { predictionMask, reduceWeightedValues, sameRankShapes, weightedReduction } from './masked-reduction.js';

/** Keras's `backend.epsilon()`, used to clip probabilities away from 0 and 1. */
export const EPSILON = 1e-7;

/**
 * How per-sample losses become the value a loss returns. Without sample
 * weights, `"mean"` and `"mean_with_sample_weight"` equal the default
 * `"sum_over_batch_size"`; `"sum"` adds them up; `"none"` (or null) leaves
 * them unreduced (`compute` only: `compile` needs a scalar).
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight' | 'none';

const REDUCTIONS: readonly (string | null)[] = [
  'sum_over_batch_size',
  'sum',
  'mean',
  'mean_with_sample_weight',
  'none',
  null,
];

/** The options every loss class takes, Keras's `Loss(name=None, reduction="sum_over_batch_size", dtype=None)`. */
export interface LossOptions {
  /** Default: the snake_case name Keras gives the class (`"mean_squared_error"`). */
  name?: string;
  /** Default `"sum_over_batch_size"`; null means `"none"`, as in Keras. */
  reduction?: Reduction | null;
  /** The dtype of the computation: only `"float32"` (tfjs has no float64); null means float32. */
  dtype?: 'float32' | null;
}

/** The option names of `LossOptions`, for `readOptions`. */
export const LOSS_OPTIONS: readonly string[] = ['name', 'reduction', 'dtype'];

function checkReduction(value: unknown): Reduction | null {
  if ((typeof value !== 'string' && value !== null) || !REDUCTIONS.includes(value)) {
    throw invalidArgument('reduction', `one of ${REDUCTIONS.map((r) => JSON.stringify(r)).join(', ')}`, value);
  }
  return value as Reduction | null;
}

function checkName(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw invalidArgument('name', 'a non-empty string', value);
  return value;
}

function checkDtype(value: unknown): 'float32' {
  if (value !== 'float32') throw invalidArgument('dtype', '"float32" or null (tfjs computes losses in float32)', value);
  return value;
}

/** The loss of each sample and the mask the loss itself puts on it (Keras's `set_keras_mask` on the result). */
export interface MaskedLosses {
  values: tf.Tensor;
  mask: tf.Tensor | null;
}

/**
 * Base of the loss classes: Keras's `Loss`. Subclasses give `call`, the
 * loss of each sample; `compute` reduces it as Keras's `loss(y_true,
 * y_pred, sample_weight)` does, and `apply` is the scalar `compile` uses.
 *
 * @example class MeanCubicError extends losses.Loss { constructor() { super({}, 'mean_cubic_error'); } override call(t: tf.Tensor, p: tf.Tensor) { return tf.mean(tf.abs(tf.pow(tf.sub(p, t), 3)), -1); } }
 */
export abstract class Loss {
  static readonly className: string = 'Loss';
  readonly name: string;
  readonly reduction: Reduction | null;
  readonly dtype: 'float32';

  constructor(options: LossOptions, defaultName: string) {
    this.name = checkName(options.name ?? defaultName);
    this.reduction = checkReduction(options.reduction === undefined ? 'sum_over_batch_size' : options.reduction);
    this.dtype = checkDtype(options.dtype ?? 'float32');
  }

  /** The loss of each sample (for most losses a tensor of `yPred`'s shape without the last axis). */
  abstract call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;

  /**
   * `call`'s values with the mask the loss puts on them (Keras's
   * `SparseCategoricalCrossentropy(ignore_class)` and `Circle` do); the mask
   * is left out of the reduction as a prediction's Keras mask is.
   */
  callWithMask(yTrue: tf.Tensor, yPred: tf.Tensor): MaskedLosses {
    return { values: this.call(yTrue, yPred), mask: null };
  }

  /** The shape of `call`'s values for predictions of `predShape` (what sample weights weigh). */
  valuesShape(predShape: readonly number[]): readonly number[] {
    return predShape.slice(0, -1);
  }

  /**
   * Throws a ValueError when `yTrue` cannot be the target of predictions of
   * `predShape` (the static check every call makes). `argument` names the
   * targets in the message (`"y"`, `"validationData[1]"`).
   */
  checkTargets(yTrue: { shape: readonly number[] }, predShape: readonly number[], argument = 'y'): void {
    if (alignedShape(yTrue.shape, predShape) == null) {
      throw new ValueError(
        `${this.name}: ${argument} must have the shape of the model's output. Received: ${argument}.shape=${shapeOf(yTrue)}, output shape=${formatShape(predShape)}`,
        { argument, expected: `shape ${formatShape(predShape)}`, received: shapeOf(yTrue) },
      );
    }
  }

  /**
   * Throws a ValueError when a value of `yTrue` cannot be a target of
   * predictions of `predShape` (a class index out of range). Reads the
   * values: called once per dataset, before training starts.
   */
  checkTargetValues(_yTrue: tf.Tensor, _predShape: readonly number[], _argument = 'y'): void {}

  /**
   * Throws a ValueError when `sampleWeight` cannot weigh the losses of
   * predictions of `predShape` (a loss per sample, or per sample and time
   * step: `valuesShape(predShape)`). Keras aligns the ranks (a trailing
   * axis of 1 dropped or added) and broadcasts; a shape that does not
   * broadcast to the losses' shape without growing it is refused here,
   * where Keras fails in the backend's broadcast. A loss that gives one
   * value for the whole batch (Dice with `axis: null`) takes any weights.
   */
  checkSampleWeight(
    sampleWeight: { shape: readonly number[] },
    predShape: readonly number[],
    argument = 'sampleWeight',
  ): void {
    const valuesShape = this.valuesShape(predShape);
    if (valuesShape.length === 0) return;
    const [values, weights] = sameRankShapes(valuesShape, sampleWeight.shape);
    const fits = values.length === weights.length && weights.every((d, i) => d === values[i] || d === 1);
    if (fits && weights.length > 0 && weights[0] === values[0]) return;
    const expected =
      valuesShape.length <= 1
        ? `shape ${formatShape(valuesShape)}, one weight per sample`
        : `shape ${formatShape(valuesShape)} (one weight per sample and step) or ${formatShape([valuesShape[0] as number, 1])}`;
    throw new ValueError(
      `${this.name}: ${argument} must weigh the loss of each sample of the model's output (shape ${formatShape(predShape)}): expected ${expected}. Received: ${argument}.shape=${shapeOf(sampleWeight)}`,
      { argument, expected, received: shapeOf(sampleWeight) },
    );
  }

  /**
   * The loss as Keras's `loss(y_true, y_pred, sample_weight)` returns it: a
   * Keras mask on `yPred` (attached by a masking layer) and the loss's own
   * mask leave masked entries out; `sampleWeight` weighs each sample's loss
   * (with `"sum_over_batch_size"`, `sum(loss * weight) / count`). A scalar
   * for every reduction but `"none"` (the values unreduced); an empty batch
   * comes back empty, as in Keras.
   */
  compute(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): tf.Tensor {
    this.checkTargets(yTrue, yPred.shape);
    if (sampleWeight != null) this.checkSampleWeight(sampleWeight, yPred.shape);
    const inMask = predictionMask(yPred);
    return tf.tidy(() => {
      const { values, mask: outMask } = this.callWithMask(yTrue, yPred);
      const mask =
        inMask != null && outMask != null
          ? tf.logicalAnd(tf.cast(inMask, 'bool'), tf.cast(outMask, 'bool'))
          : (inMask ?? outMask);
      return reduceWeightedValues(values, sampleWeight, mask, this.reduction);
    });
  }

  /**
   * The reduced loss, the scalar `compile` minimises: `compute`, for every
   * reduction but `"none"` (refused: the training step needs a scalar);
   * an empty batch gives 0.
   */
  apply(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): tf.Scalar {
    if (this.reduction == null || this.reduction === 'none') {
      throw new ValueError(
        `${this.name}: apply() returns a scalar, but reduction is ${JSON.stringify(this.reduction)}: use compute() for the loss of each sample, or a reducing reduction ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight") to compile.`,
        { argument: 'reduction', expected: 'a reduction to a scalar', received: JSON.stringify(this.reduction) },
      );
    }
    this.checkTargets(yTrue, yPred.shape);
    if (sampleWeight != null) this.checkSampleWeight(sampleWeight, yPred.shape);
    const inMask = predictionMask(yPred);
    return tf.tidy(() => {
      const { values, mask: outMask } = this.callWithMask(yTrue, yPred);
      const mask =
        inMask != null && outMask != null
          ? tf.logicalAnd(tf.cast(inMask, 'bool'), tf.cast(outMask, 'bool'))
          : (inMask ?? outMask);
      return weightedReduction(values, sampleWeight, mask, this.reduction as Reduction);
    });
  }

  /** The constructor's options (camelCase) as Keras's `get_config` gives them; Keras JSON spells them in snake_case. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }

  // biome-ignore lint/suspicious/noExplicitAny: each subclass's constructor takes its own options type.
  static fromConfig<T extends Loss>(this: new (config: any) => T, config: Record<string, unknown>): T {
    return new this(config);
  }

  toString(): string {
    return `${classNameOfInstance(this)}(name=${this.name})`;
  }
}

/**
 * `yTrue`'s shape made to match `predShape` as Keras's
 * `squeeze_or_expand_to_same_rank` does (a trailing axis of 1 added or
 * dropped), or null when they differ otherwise.
 */
export function alignedShape(trueShape: readonly number[], predShape: readonly number[]): readonly number[] | null {
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  if (same(trueShape, predShape)) return trueShape;
  if (trueShape.length === predShape.length - 1 && predShape[predShape.length - 1] === 1) {
    return same([...trueShape, 1], predShape) ? predShape : null;
  }
  if (trueShape.length === predShape.length + 1 && trueShape[trueShape.length - 1] === 1) {
    return same(trueShape.slice(0, -1), predShape) ? predShape : null;
  }
  return null;
}

/** `yTrue` in `yPred`'s shape (after `checkTargets`), float32. */
export function aligned(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const y = asFloat(yTrue);
  return y.rank === yPred.rank ? y : tf.reshape(y, yPred.shape);
}

/** Reads a loss class's options: the common ones plus `extra`. */
export function readLossOptions<T extends LossOptions>(
  className: string,
  options: unknown,
  extra: readonly string[] = [],
): Readonly<Partial<T>> {
  return readOptions<T>(className, options, [...LOSS_OPTIONS, ...extra]);
}

/**
 * A plain loss function as a Loss (Keras's `LossFunctionWrapper`), named after the function.
 *
 * @example new losses.LossFunctionWrapper((t, p) => tf.mean(tf.abs(tf.sub(p, t)), -1), 'my_mae')
 */
export class LossFunctionWrapper extends Loss {
  static override readonly className: string = 'LossFunctionWrapper';
  readonly fn: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

  constructor(fn: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor, name = fn.name || 'loss') {
    super({ name }, name);
    this.fn = fn;
  }

  /** A function's own targets are its business: no shape check. */
  override checkTargets(): void {}

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return this.fn(yTrue, yPred);
  }

  /** A function's own weights are its business too: Keras broadcasts whatever it returns. */
  override checkSampleWeight(): void {}

  /**
   * The function's own value, as it reduced it (a custom function returns
   * the batch loss); with sample weights or a mask, reduced as Keras's
   * `LossFunctionWrapper` does.
   */
  override apply(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): tf.Scalar {
    const mask = predictionMask(yPred);
    return tf.tidy(() => {
      const value = this.fn(yTrue, yPred);
      if (sampleWeight != null || (mask != null && value.rank > 0)) {
        return weightedReduction(value, sampleWeight, mask, this.reduction as Reduction);
      }
      return (value.rank === 0 ? value : this.reduction === 'sum' ? tf.sum(value) : tf.mean(value)) as tf.Scalar;
    });
  }
}
