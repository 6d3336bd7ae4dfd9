/**
 * Keras's loss classes: each computes a value per sample (over the last
 * axis), then reduces them the Keras way (`"sum_over_batch_size"`: the mean
 * over the batch). They check their targets against the predictions'
 * shapes, so that a label in the wrong form is a clear error, not NaN or a
 * broadcast.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { classNameOfInstance } from '../utils/class-name.js';
import { formatShape, formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { predictionMask, sameRankShapes, weightedReduction } from './masked-reduction.js';

/** Keras's `backend.epsilon()`, used to clip probabilities away from 0 and 1. */
export const EPSILON = 1e-7;

/**
 * How per-sample losses become the scalar the optimizer minimises. Without
 * sample weights, `"mean"` and `"mean_with_sample_weight"` equal the default
 * `"sum_over_batch_size"`; `"sum"` adds them up.
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight';

const REDUCTIONS: readonly string[] = ['sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight'];

/** The options every loss class takes, Keras's `Loss(name=None, reduction="sum_over_batch_size")`. */
export interface LossOptions {
  /** Default: the snake_case name of the class (`"mean_squared_error"`). */
  name?: string;
  /** Default `"sum_over_batch_size"`. `"none"` (unreduced) is not supported. */
  reduction?: Reduction;
}

const LOSS_OPTIONS = ['name', 'reduction'];

function checkReduction(value: unknown): Reduction {
  if (typeof value !== 'string' || !REDUCTIONS.includes(value)) {
    throw invalidArgument('reduction', `one of ${REDUCTIONS.map((r) => JSON.stringify(r)).join(', ')}`, value);
  }
  return value as Reduction;
}

function checkName(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw invalidArgument('name', 'a non-empty string', value);
  return value;
}

/** The shape of `t` as a message prints it. */
const shapeOf = (t: { shape: readonly number[] }) => formatShape(t.shape);

/**
 * Base of the loss classes: Keras's `Loss`. Subclasses give `call`, the
 * loss of each sample; `apply` reduces it to the scalar `compile` uses.
 *
 * @example class MeanCubicError extends losses.Loss { constructor() { super({}, 'mean_cubic_error'); } override call(t: tf.Tensor, p: tf.Tensor) { return tf.mean(tf.abs(tf.pow(tf.sub(p, t), 3)), -1); } }
 */
export abstract class Loss {
  static readonly className: string = 'Loss';
  readonly name: string;
  readonly reduction: Reduction;

  constructor(options: LossOptions, defaultName: string) {
    this.name = checkName(options.name ?? defaultName);
    this.reduction = checkReduction(options.reduction ?? 'sum_over_batch_size');
  }

  /** The loss of each sample (a tensor of `yPred`'s shape without the last axis). */
  abstract call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;

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
   * step: `predShape` without its last axis). Keras aligns the ranks (a
   * trailing axis of 1 dropped or added) and broadcasts; a shape that does
   * not broadcast to the losses' shape without growing it is refused here,
   * where Keras fails in the backend's broadcast.
   */
  checkSampleWeight(
    sampleWeight: { shape: readonly number[] },
    predShape: readonly number[],
    argument = 'sampleWeight',
  ): void {
    const valuesShape = predShape.slice(0, -1);
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
   * The reduced loss: Keras's `loss(y_true, y_pred, sample_weight)`. A
   * Keras mask on `yPred` (attached by a masking layer) leaves masked
   * entries out; `sampleWeight` weighs each sample's loss (Keras's
   * `reduce_weighted_values`: with `"sum_over_batch_size"`,
   * `sum(loss * weight) / count`).
   */
  apply(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): tf.Scalar {
    this.checkTargets(yTrue, yPred.shape);
    if (sampleWeight != null) this.checkSampleWeight(sampleWeight, yPred.shape);
    const mask = predictionMask(yPred);
    return tf.tidy(() => {
      const perSample = this.call(yTrue, yPred);
      if (mask == null && sampleWeight == null) {
        return (this.reduction === 'sum' ? tf.sum(perSample) : tf.mean(perSample)) as tf.Scalar;
      }
      return weightedReduction(perSample, sampleWeight, mask, this.reduction);
    });
  }

  /** The constructor's options (camelCase); Keras JSON spells them in snake_case. */
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
function alignedShape(trueShape: readonly number[], predShape: readonly number[]): readonly number[] | null {
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
function aligned(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const y = yTrue.dtype === 'float32' ? yTrue : tf.cast(yTrue, 'float32');
  return y.rank === yPred.rank ? y : tf.reshape(y, yPred.shape);
}

/**
 * `mean((yPred - yTrue)^2)` over the last axis: Keras's `keras.losses.MeanSquaredError`
 * (`"mse"`, `"mean_squared_error"`).
 *
 * @example model.compile({ optimizer: 'adam', loss: new losses.MeanSquaredError() })
 */
export class MeanSquaredError extends Loss {
  static override readonly className: string = 'MeanSquaredError';

  constructor(options: LossOptions = {}) {
    super(readOptions<LossOptions>('MeanSquaredError', options, LOSS_OPTIONS), 'mean_squared_error');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mean(tf.square(tf.sub(yPred, aligned(yTrue, yPred))), -1));
  }
}

/**
 * `mean(|yPred - yTrue|)` over the last axis: Keras's `keras.losses.MeanAbsoluteError`
 * (`"mae"`, `"mean_absolute_error"`).
 *
 * @example new losses.MeanAbsoluteError().apply(y, model.predict(x)) // a scalar
 */
export class MeanAbsoluteError extends Loss {
  static override readonly className: string = 'MeanAbsoluteError';

  constructor(options: LossOptions = {}) {
    super(readOptions<LossOptions>('MeanAbsoluteError', options, LOSS_OPTIONS), 'mean_absolute_error');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mean(tf.abs(tf.sub(yPred, aligned(yTrue, yPred))), -1));
  }
}

/** The option the crossentropy functions (`losses.binaryCrossentropy`, ...) take: Keras's `from_logits`. */
export interface CrossentropyOptions {
  /** Whether `yPred` holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
}

/** The options of `BinaryCrossentropy` and `CategoricalCrossentropy`, Keras's `(from_logits=False, label_smoothing=0.0, axis=-1, ...)` camelCased. */
export interface SmoothedCrossentropyOptions extends LossOptions, CrossentropyOptions {
  /** Squeezes the labels towards 0.5 (binary) or 1/classes; default 0. */
  labelSmoothing?: number;
  /** The class axis; only -1 (the last) is supported. */
  axis?: number;
}

function checkBooleanOption(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(name, 'a boolean', value);
  return value;
}

function checkSmoothing(value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw invalidArgument('labelSmoothing', 'a number in [0, 1]', value);
  }
  return value;
}

function checkAxis(value: unknown): -1 {
  if (value !== -1) {
    throw new ValueError(
      `Unsupported value for argument axis: only -1 (the last axis) is supported. Received: axis=${formatValue(value)}`,
      { argument: 'axis', expected: '-1', received: formatValue(value) },
    );
  }
  return value;
}

const SMOOTHED_OPTIONS = [...LOSS_OPTIONS, 'fromLogits', 'labelSmoothing', 'axis'];

/** `-(y log p + (1 - y) log(1 - p))` per element, `p` clipped to [1e-7, 1 - 1e-7]; from logits, the stable form. */
export function binaryCrossentropyPerElement(yTrue: tf.Tensor, yPred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  return tf.tidy(() => {
    if (fromLogits) {
      // max(z, 0) - z y + log(1 + exp(-|z|)), stable for any logit.
      return tf.add(tf.sub(tf.relu(yPred), tf.mul(yPred, yTrue)), tf.log1p(tf.exp(tf.neg(tf.abs(yPred)))));
    }
    const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
    return tf.neg(tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p)))));
  });
}

/** Log-probabilities over the last axis, from logits or from (renormalised, clipped) probabilities. */
export function logProbabilities(yPred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  return tf.tidy(() => {
    if (fromLogits) return tf.logSoftmax(yPred, -1);
    const p = tf.div(yPred, tf.sum(yPred, -1, true));
    return tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON));
  });
}

/**
 * Binary crossentropy, mean over the last axis: labels in [0, 1] of the
 * predictions' shape. Keras's `keras.losses.BinaryCrossentropy`.
 *
 * @example new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 })
 */
export class BinaryCrossentropy extends Loss {
  static override readonly className: string = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: -1;

  constructor(options: SmoothedCrossentropyOptions = {}) {
    const read = readOptions<SmoothedCrossentropyOptions>('BinaryCrossentropy', options, SMOOTHED_OPTIONS);
    super(read, 'binary_crossentropy');
    this.fromLogits = checkBooleanOption(read.fromLogits ?? false, 'fromLogits');
    this.labelSmoothing = checkSmoothing(read.labelSmoothing ?? 0);
    this.axis = checkAxis(read.axis ?? -1);
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let y = aligned(yTrue, yPred);
      if (this.labelSmoothing > 0) y = tf.add(tf.mul(y, 1 - this.labelSmoothing), 0.5 * this.labelSmoothing);
      return tf.mean(binaryCrossentropyPerElement(y, yPred, this.fromLogits), -1);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/**
 * `-sum(y log p)` over the classes (the last axis), for one-hot labels.
 * Keras's `keras.losses.CategoricalCrossentropy`.
 *
 * @example new losses.CategoricalCrossentropy({ labelSmoothing: 0.1 })
 */
export class CategoricalCrossentropy extends Loss {
  static override readonly className: string = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: -1;

  constructor(options: SmoothedCrossentropyOptions = {}) {
    const read = readOptions<SmoothedCrossentropyOptions>('CategoricalCrossentropy', options, SMOOTHED_OPTIONS);
    super(read, 'categorical_crossentropy');
    this.fromLogits = checkBooleanOption(read.fromLogits ?? false, 'fromLogits');
    this.labelSmoothing = checkSmoothing(read.labelSmoothing ?? 0);
    this.axis = checkAxis(read.axis ?? -1);
  }

  override checkTargets(yTrue: { shape: readonly number[] }, predShape: readonly number[], argument = 'y'): void {
    const classes = predShape[predShape.length - 1] as number;
    const sparseShape = formatShape(predShape.slice(0, -1));
    const looksSparse =
      classes > 1 &&
      (formatShape(yTrue.shape) === sparseShape ||
        formatShape(yTrue.shape) === formatShape([...predShape.slice(0, -1), 1]));
    if (looksSparse) {
      throw new ValueError(
        `${this.name} expects one-hot labels of the model's output shape ${formatShape(predShape)}, but ${argument} has shape ${shapeOf(yTrue)}: integer class labels. Use sparse_categorical_crossentropy for integer labels.`,
        { argument, expected: `one-hot labels of shape ${formatShape(predShape)}`, received: shapeOf(yTrue) },
      );
    }
    super.checkTargets(yTrue, predShape, argument);
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let y = aligned(yTrue, yPred);
      if (this.labelSmoothing > 0) {
        const classes = yPred.shape[yPred.rank - 1] as number;
        y = tf.add(tf.mul(y, 1 - this.labelSmoothing), this.labelSmoothing / classes);
      }
      return tf.neg(tf.sum(tf.mul(y, logProbabilities(yPred, this.fromLogits)), -1));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/** The options of `SparseCategoricalCrossentropy`, Keras's `(from_logits=False, ignore_class=None, ...)` camelCased. */
export interface SparseCategoricalCrossentropyOptions extends LossOptions, CrossentropyOptions {
  /** Keras's label to leave out of the loss; only null (none) is supported. */
  ignoreClass?: number | null;
}

/**
 * `-log p[label]`, for integer class labels of shape `[batch]` or
 * `[batch, 1]`. Labels must be integers in `[0, classes)`: `fit`,
 * `evaluate` and `trainOnBatch` refuse others before any step (Keras gives
 * a backend-dependent value or error). Keras's `keras.losses.SparseCategoricalCrossentropy`.
 *
 * @example model.compile({ optimizer: 'adam', loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }) })
 */
export class SparseCategoricalCrossentropy extends Loss {
  static override readonly className: string = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: null;

  constructor(options: SparseCategoricalCrossentropyOptions = {}) {
    const read = readOptions<SparseCategoricalCrossentropyOptions>('SparseCategoricalCrossentropy', options, [
      ...LOSS_OPTIONS,
      'fromLogits',
      'ignoreClass',
    ]);
    super(read, 'sparse_categorical_crossentropy');
    this.fromLogits = checkBooleanOption(read.fromLogits ?? false, 'fromLogits');
    if (read.ignoreClass != null) {
      throw new ValueError(
        `Unsupported value for argument ignoreClass: only null is supported. Received: ignoreClass=${formatValue(read.ignoreClass)}`,
        { argument: 'ignoreClass', expected: 'null', received: formatValue(read.ignoreClass) },
      );
    }
    this.ignoreClass = null;
  }

  override checkTargets(yTrue: { shape: readonly number[] }, predShape: readonly number[], argument = 'y'): void {
    const batch = predShape.slice(0, -1);
    const accepted = [formatShape(batch), formatShape([...batch, 1])];
    if (accepted.includes(shapeOf(yTrue))) return;
    const received = `${argument}.shape=${shapeOf(yTrue)}, output shape=${formatShape(predShape)}`;
    const oneHot = shapeOf(yTrue) === formatShape(predShape);
    throw new ValueError(
      oneHot
        ? `${this.name} expects integer class labels of shape ${accepted[0]} or ${accepted[1]}, but ${argument} has the model's output shape ${formatShape(predShape)}: one-hot labels. Use categorical_crossentropy for one-hot labels.`
        : `${this.name} expects integer class labels of shape ${accepted[0]} or ${accepted[1]}. Received: ${received}`,
      { argument, expected: `shape ${accepted[0]} or ${accepted[1]}`, received: shapeOf(yTrue) },
    );
  }

  override checkTargetValues(yTrue: tf.Tensor, predShape: readonly number[], argument = 'y'): void {
    const classes = predShape[predShape.length - 1] as number;
    const values = yTrue.dataSync();
    for (let i = 0; i < values.length; i++) {
      const label = values[i] as number;
      if (Number.isInteger(label) && label >= 0 && label < classes) continue;
      throw new ValueError(
        `${this.name} expects integer class labels in [0, ${classes}) for a model output of ${classes} classes. Received: ${argument}[${i}]=${formatValue(label)}`,
        { argument, expected: `integers in [0, ${classes})`, received: formatValue(label) },
      );
    }
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const classes = yPred.shape[yPred.rank - 1] as number;
      const labels = tf.cast(tf.reshape(yTrue, [-1]), 'int32');
      const oneHot = tf.reshape(tf.oneHot(labels, classes), yPred.shape);
      return tf.neg(tf.sum(tf.mul(oneHot, logProbabilities(yPred, this.fromLogits)), -1));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, ignoreClass: this.ignoreClass };
  }
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
        return weightedReduction(value, sampleWeight, mask, this.reduction);
      }
      return (value.rank === 0 ? value : this.reduction === 'sum' ? tf.sum(value) : tf.mean(value)) as tf.Scalar;
    });
  }
}
