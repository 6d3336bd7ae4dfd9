/**
 * Keras's probabilistic losses (keras/src/losses/losses.py and the JAX
 * backend's `binary_crossentropy`, `categorical_crossentropy` and
 * `sparse_categorical_crossentropy`): crossentropies from probabilities
 * (clipped to [1e-7, 1 - 1e-7]) or logits, KL divergence, Poisson and the
 * generalized crossentropy.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { formatShape, formatValue } from '../utils/format.js';
import { asFloat, canonicalAxis, checkAxis, checkBoolean, checkNumber, checkSmoothing, shapeOf } from './checks.js';
import { aligned, EPSILON, Loss, type LossOptions, type MaskedLosses, readLossOptions } from './loss.js';

/** The option the crossentropy functions (`losses.binaryCrossentropy`, ...) take: Keras's `from_logits`. */
export interface CrossentropyOptions {
  /** Whether `yPred` holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
}

/** The options of `BinaryCrossentropy` and `CategoricalCrossentropy`, Keras's `(from_logits=False, label_smoothing=0.0, axis=-1, ...)` camelCased. */
export interface SmoothedCrossentropyOptions extends LossOptions, CrossentropyOptions {
  /** Squeezes the labels towards 0.5 (binary) or 1/classes; default 0. */
  labelSmoothing?: number;
  /** The axis the mean (binary) or the classes (categorical) run along; default -1. */
  axis?: number;
}

const SMOOTHED_OPTIONS = ['fromLogits', 'labelSmoothing', 'axis'];

/**
 * `-(y log p + (1 - y) log(1 - p))` per element, `p` clipped to
 * [1e-7, 1 - 1e-7]; from logits, `-(y logsigmoid(z) + (1 - y) logsigmoid(-z))`
 * (the JAX backend's form, finite for any logit).
 */
export function binaryCrossentropyPerElement(yTrue: tf.Tensor, yPred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  return tf.tidy(() => {
    if (fromLogits) {
      // logsigmoid(z) = -softplus(-z); tfjs's own logSigmoid fails under tf.grad.
      const logSig = tf.neg(tf.softplus(tf.neg(yPred)));
      const logSigNeg = tf.neg(tf.softplus(yPred));
      return tf.neg(tf.add(tf.mul(yTrue, logSig), tf.mul(tf.sub(1, yTrue), logSigNeg)));
    }
    const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
    return tf.neg(tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p)))));
  });
}

/**
 * Log-probabilities along `axis`: `log_softmax` of logits, or the log of the
 * probabilities renormalised to sum to 1 and clipped to [1e-7, 1 - 1e-7].
 */
export function logProbabilities(yPred: tf.Tensor, fromLogits: boolean, axis = -1): tf.Tensor {
  return tf.tidy(() => {
    if (fromLogits) return tf.sub(yPred, tf.logSumExp(yPred, axis, true));
    const p = tf.div(yPred, tf.sum(yPred, axis, true));
    return tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON));
  });
}

/** `predShape` without `axis`: the shape of a loss reduced along it. */
export function withoutAxis(predShape: readonly number[], axis: number, lossName: string): number[] {
  const a = canonicalAxis(axis, predShape.length, lossName);
  return predShape.filter((_, i) => i !== a);
}

/**
 * Binary crossentropy, mean along `axis`: labels in [0, 1] of the
 * predictions' shape. Keras's `keras.losses.BinaryCrossentropy`.
 *
 * @example new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 })
 */
export class BinaryCrossentropy extends Loss {
  static override readonly className: string = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: SmoothedCrossentropyOptions = {}) {
    const read = readLossOptions<SmoothedCrossentropyOptions>('BinaryCrossentropy', options, SMOOTHED_OPTIONS);
    super(read, 'binary_crossentropy');
    this.fromLogits = checkBoolean(read.fromLogits ?? false, 'fromLogits');
    this.labelSmoothing = checkSmoothing(read.labelSmoothing ?? 0);
    this.axis = checkAxis(read.axis ?? -1) as number;
  }

  override valuesShape(predShape: readonly number[]): readonly number[] {
    return withoutAxis(predShape, this.axis, this.name);
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const axis = canonicalAxis(this.axis, yPred.rank, this.name);
    return tf.tidy(() => {
      let y = aligned(yTrue, yPred);
      if (this.labelSmoothing > 0) y = tf.add(tf.mul(y, 1 - this.labelSmoothing), 0.5 * this.labelSmoothing);
      return tf.mean(binaryCrossentropyPerElement(y, yPred, this.fromLogits), axis);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/**
 * Refuses integer class labels where one-hot labels of `predShape` are
 * expected (the classes on the last axis), pointing to the sparse loss.
 */
export function refuseSparseLabels(
  lossName: string,
  yTrue: { shape: readonly number[] },
  predShape: readonly number[],
  argument: string,
): void {
  const classes = predShape[predShape.length - 1] as number;
  const sparseShape = formatShape(predShape.slice(0, -1));
  const looksSparse =
    classes > 1 && (shapeOf(yTrue) === sparseShape || shapeOf(yTrue) === formatShape([...predShape.slice(0, -1), 1]));
  if (looksSparse) {
    throw new ValueError(
      `${lossName} expects one-hot labels of the model's output shape ${formatShape(predShape)}, but ${argument} has shape ${shapeOf(yTrue)}: integer class labels. Use sparse_categorical_crossentropy for integer labels.`,
      { argument, expected: `one-hot labels of shape ${formatShape(predShape)}`, received: shapeOf(yTrue) },
    );
  }
}

/**
 * `-sum(y log p)` over the classes (along `axis`), for one-hot labels.
 * Keras's `keras.losses.CategoricalCrossentropy`.
 *
 * @example new losses.CategoricalCrossentropy({ labelSmoothing: 0.1 })
 */
export class CategoricalCrossentropy extends Loss {
  static override readonly className: string = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: SmoothedCrossentropyOptions = {}) {
    const read = readLossOptions<SmoothedCrossentropyOptions>('CategoricalCrossentropy', options, SMOOTHED_OPTIONS);
    super(read, 'categorical_crossentropy');
    this.fromLogits = checkBoolean(read.fromLogits ?? false, 'fromLogits');
    this.labelSmoothing = checkSmoothing(read.labelSmoothing ?? 0);
    this.axis = checkAxis(read.axis ?? -1) as number;
  }

  override valuesShape(predShape: readonly number[]): readonly number[] {
    return withoutAxis(predShape, this.axis, this.name);
  }

  override checkTargets(yTrue: { shape: readonly number[] }, predShape: readonly number[], argument = 'y'): void {
    refuseSparseLabels(this.name, yTrue, predShape, argument);
    super.checkTargets(yTrue, predShape, argument);
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const axis = canonicalAxis(this.axis, yPred.rank, this.name);
    return tf.tidy(() => {
      let y = aligned(yTrue, yPred);
      if (this.labelSmoothing > 0) {
        // Keras divides by the size of the last axis, whatever `axis` is.
        const classes = yPred.shape[yPred.rank - 1] as number;
        y = tf.add(tf.mul(y, 1 - this.labelSmoothing), this.labelSmoothing / classes);
      }
      return tf.neg(tf.sum(tf.mul(y, logProbabilities(yPred, this.fromLogits, axis)), axis));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/** The options of `SparseCategoricalCrossentropy`, Keras's `(from_logits=False, ignore_class=None, axis=-1, ...)` camelCased. */
export interface SparseCategoricalCrossentropyOptions extends LossOptions, CrossentropyOptions {
  /** A label left out of the loss (its entries weigh 0, and the mean is over the others); default null. */
  ignoreClass?: number | null;
  /** The class axis: only -1 (Keras does not save it either). */
  axis?: number;
}

/** Accepted integer-label shapes for predictions of `predShape`: `[...batch]` or `[...batch, 1]`. */
function checkSparseLabels(
  lossName: string,
  yTrue: { shape: readonly number[] },
  predShape: readonly number[],
  argument: string,
): void {
  const batch = predShape.slice(0, -1);
  const accepted = [formatShape(batch), formatShape([...batch, 1])];
  if (accepted.includes(shapeOf(yTrue))) return;
  const received = `${argument}.shape=${shapeOf(yTrue)}, output shape=${formatShape(predShape)}`;
  const oneHot = shapeOf(yTrue) === formatShape(predShape);
  throw new ValueError(
    oneHot
      ? `${lossName} expects integer class labels of shape ${accepted[0]} or ${accepted[1]}, but ${argument} has the model's output shape ${formatShape(predShape)}: one-hot labels. Use categorical_crossentropy for one-hot labels.`
      : `${lossName} expects integer class labels of shape ${accepted[0]} or ${accepted[1]}. Received: ${received}`,
    { argument, expected: `shape ${accepted[0]} or ${accepted[1]}`, received: shapeOf(yTrue) },
  );
}

/** Throws unless every label is an integer in [0, classes) (or `ignored`). */
function checkClassIndices(
  lossName: string,
  yTrue: tf.Tensor,
  predShape: readonly number[],
  argument: string,
  ignored: number | null,
): void {
  const classes = predShape[predShape.length - 1] as number;
  const values = yTrue.dataSync();
  for (let i = 0; i < values.length; i++) {
    const label = values[i] as number;
    if ((Number.isInteger(label) && label >= 0 && label < classes) || label === ignored) continue;
    throw new ValueError(
      `${lossName} expects integer class labels in [0, ${classes}) for a model output of ${classes} classes. Received: ${argument}[${i}]=${formatValue(label)}`,
      { argument, expected: `integers in [0, ${classes})`, received: formatValue(label) },
    );
  }
}

/** Integer labels (`[...batch]` or `[...batch, 1]`) one-hot over the last axis of `yPred`. */
function oneHotLabels(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const classes = yPred.shape[yPred.rank - 1] as number;
  const labels = tf.cast(tf.reshape(yTrue, [-1]), 'int32');
  return tf.reshape(tf.oneHot(labels, classes), yPred.shape);
}

/**
 * `-log p[label]`, for integer class labels of shape `[batch]` or
 * `[batch, 1]`. Labels must be integers in `[0, classes)` (or
 * `ignoreClass`): `fit`, `evaluate` and `trainOnBatch` refuse others before
 * any step (Keras gives a backend-dependent value or error). With
 * `ignoreClass`, those entries give 0 and are masked out of the mean.
 * Keras's `keras.losses.SparseCategoricalCrossentropy`.
 *
 * @example model.compile({ optimizer: 'adam', loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }) })
 */
export class SparseCategoricalCrossentropy extends Loss {
  static override readonly className: string = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;

  constructor(options: SparseCategoricalCrossentropyOptions = {}) {
    const read = readLossOptions<SparseCategoricalCrossentropyOptions>('SparseCategoricalCrossentropy', options, [
      'fromLogits',
      'ignoreClass',
      'axis',
    ]);
    super(read, 'sparse_categorical_crossentropy');
    this.fromLogits = checkBoolean(read.fromLogits ?? false, 'fromLogits');
    const ignoreClass = read.ignoreClass ?? null;
    if (ignoreClass !== null && !(typeof ignoreClass === 'number' && Number.isInteger(ignoreClass))) {
      throw invalidArgument('ignoreClass', 'an integer or null', ignoreClass);
    }
    this.ignoreClass = ignoreClass;
    if ((read.axis ?? -1) !== -1) {
      throw new ValueError(
        `Unsupported value for argument axis: only -1 (the last axis) is supported. Received: axis=${formatValue(read.axis)}`,
        { argument: 'axis', expected: '-1', received: formatValue(read.axis) },
      );
    }
  }

  override checkTargets(yTrue: { shape: readonly number[] }, predShape: readonly number[], argument = 'y'): void {
    checkSparseLabels(this.name, yTrue, predShape, argument);
  }

  override checkTargetValues(yTrue: tf.Tensor, predShape: readonly number[], argument = 'y'): void {
    checkClassIndices(this.name, yTrue, predShape, argument, this.ignoreClass);
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const { values, mask } = this.callWithMask(yTrue, yPred);
    mask?.dispose();
    return values;
  }

  override callWithMask(yTrue: tf.Tensor, yPred: tf.Tensor): MaskedLosses {
    const ignoreClass = this.ignoreClass;
    if (ignoreClass == null) {
      return {
        values: tf.tidy(() =>
          tf.neg(tf.sum(tf.mul(oneHotLabels(yTrue, yPred), logProbabilities(yPred, this.fromLogits)), -1)),
        ),
        mask: null,
      };
    }
    const [values, mask] = tf.tidy(() => {
      const labels = tf.reshape(asFloat(yTrue), yPred.shape.slice(0, -1));
      const valid = tf.notEqual(labels, ignoreClass);
      const safe = tf.where(valid, labels, tf.zerosLike(labels));
      // Keras zeroes the ignored rows' predictions first (0/0 from probabilities,
      // replaced afterwards); computing them as they are and replacing the
      // result gives the same values and the same zero gradient there, with no
      // NaN in between.
      const losses = tf.neg(tf.sum(tf.mul(oneHotLabels(safe, yPred), logProbabilities(yPred, this.fromLogits)), -1));
      return [tf.where(valid, losses, tf.zerosLike(losses)), valid];
    });
    return { values, mask };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, ignoreClass: this.ignoreClass };
  }
}

/**
 * `sum(y log(y / p))` over the last axis, `y` and `p` clipped to [1e-7, 1]:
 * Keras's `keras.losses.KLDivergence` (`"kld"`, `"kl_divergence"`).
 *
 * @example new losses.KLDivergence()
 */
export class KLDivergence extends Loss {
  static override readonly className: string = 'KLDivergence';

  constructor(options: LossOptions = {}) {
    super(readLossOptions('KLDivergence', options), 'kl_divergence');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const y = tf.clipByValue(aligned(yTrue, yPred), EPSILON, 1);
      const p = tf.clipByValue(yPred, EPSILON, 1);
      return tf.sum(tf.mul(y, tf.log(tf.div(y, p))), -1);
    });
  }
}

/**
 * `mean(yPred - yTrue log(yPred + 1e-7))` over the last axis: Keras's
 * `keras.losses.Poisson` (`"poisson"`).
 *
 * @example new losses.Poisson()
 */
export class Poisson extends Loss {
  static override readonly className: string = 'Poisson';

  constructor(options: LossOptions = {}) {
    super(readLossOptions('Poisson', options), 'poisson');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mean(tf.sub(yPred, tf.mul(aligned(yTrue, yPred), tf.log(tf.add(yPred, EPSILON)))), -1));
  }
}

/** The options of `CategoricalGeneralizedCrossEntropy`, Keras's `(q=0.5, ...)`. */
export interface CategoricalGeneralizedCrossEntropyOptions extends LossOptions {
  /** In (0, 1): towards 0 the crossentropy, at 1 the MAE; default 0.5. */
  q?: number;
}

/**
 * `(1 - p[label]^q) / q` for integer class labels and probabilities: the
 * noise-robust crossentropy of Zhang & Sabuncu (2018). Keras's
 * `keras.losses.CategoricalGeneralizedCrossEntropy`.
 *
 * @example new losses.CategoricalGeneralizedCrossEntropy({ q: 0.7 })
 */
export class CategoricalGeneralizedCrossEntropy extends Loss {
  static override readonly className: string = 'CategoricalGeneralizedCrossEntropy';
  readonly q: number;

  constructor(options: CategoricalGeneralizedCrossEntropyOptions = {}) {
    const read = readLossOptions<CategoricalGeneralizedCrossEntropyOptions>(
      'CategoricalGeneralizedCrossEntropy',
      options,
      ['q'],
    );
    super(read, 'categorical_generalized_cross_entropy');
    const q = checkNumber(read.q ?? 0.5, 'q');
    // Keras: "q must be in the interval (0, 1)".
    if (!(q > 0 && q < 1)) throw invalidArgument('q', 'a number in the interval (0, 1)', q);
    this.q = q;
  }

  override checkTargets(yTrue: { shape: readonly number[] }, predShape: readonly number[], argument = 'y'): void {
    checkSparseLabels(this.name, yTrue, predShape, argument);
  }

  override checkTargetValues(yTrue: tf.Tensor, predShape: readonly number[], argument = 'y'): void {
    checkClassIndices(this.name, yTrue, predShape, argument, null);
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      // Keras casts the labels to int (truncating) before one_hot.
      const labels = tf.cast(asFloat(yTrue), 'int32');
      const p = tf.sum(tf.mul(yPred, oneHotLabels(labels, yPred)), -1);
      return tf.div(tf.sub(1, tf.pow(p, this.q)), this.q);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), q: this.q };
  }
}
