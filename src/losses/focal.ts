/**
 * Keras's focal crossentropies (Lin et al., 2017), which weigh down the
 * examples a model already gets right: `(1 - p_t)^gamma` times the
 * crossentropy, as keras/src/losses/losses.py computes them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { canonicalAxis, checkAxis, checkBoolean, checkNumber, checkSmoothing } from './checks.js';
import { aligned, EPSILON, Loss, readLossOptions } from './loss.js';
import {
  binaryCrossentropyPerElement,
  refuseSparseLabels,
  type SmoothedCrossentropyOptions,
  withoutAxis,
} from './probabilistic.js';

/** The options of the focal losses, Keras's `(alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1, ...)`. */
export interface FocalCrossentropyOptions extends SmoothedCrossentropyOptions {
  /** The weight of the positive class (binary: only with `applyClassBalancing`); default 0.25. */
  alpha?: number;
  /** The focusing exponent of `(1 - p_t)`; >= 0, default 2. */
  gamma?: number;
}

/** The options of `BinaryFocalCrossentropy`: the focal ones and `applyClassBalancing`. */
export interface BinaryFocalCrossentropyOptions extends FocalCrossentropyOptions {
  /** Whether to weigh positives by `alpha` and negatives by `1 - alpha`; default false. */
  applyClassBalancing?: boolean;
}

const FOCAL_OPTIONS = ['fromLogits', 'labelSmoothing', 'axis', 'alpha', 'gamma'];

/**
 * `mean((1 - p_t)^gamma * bce)` along `axis` (`p_t = y p + (1 - y)(1 - p)`),
 * with `alpha` balancing when `applyClassBalancing`. Keras's
 * `keras.losses.BinaryFocalCrossentropy`.
 *
 * @example new losses.BinaryFocalCrossentropy({ applyClassBalancing: true, gamma: 2, fromLogits: true })
 */
export class BinaryFocalCrossentropy extends Loss {
  static override readonly className: string = 'BinaryFocalCrossentropy';
  readonly applyClassBalancing: boolean;
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: BinaryFocalCrossentropyOptions = {}) {
    const read = readLossOptions<BinaryFocalCrossentropyOptions>('BinaryFocalCrossentropy', options, [
      'applyClassBalancing',
      ...FOCAL_OPTIONS,
    ]);
    super(read, 'binary_focal_crossentropy');
    this.applyClassBalancing = checkBoolean(read.applyClassBalancing ?? false, 'applyClassBalancing');
    this.alpha = checkNumber(read.alpha ?? 0.25, 'alpha');
    this.gamma = checkNumber(read.gamma ?? 2, 'gamma');
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
      // Keras takes the sigmoid first and the crossentropy of the probabilities
      // (clipped), not the logits' exact form.
      const p = this.fromLogits ? tf.sigmoid(yPred) : yPred;
      const bce = binaryCrossentropyPerElement(y, p, false);
      const pT = tf.add(tf.mul(y, p), tf.mul(tf.sub(1, y), tf.sub(1, p)));
      let focal = tf.mul(tf.pow(tf.sub(1, pT), this.gamma), bce);
      if (this.applyClassBalancing) {
        focal = tf.mul(tf.add(tf.mul(y, this.alpha), tf.mul(tf.sub(1, y), 1 - this.alpha)), focal);
      }
      return tf.mean(focal, axis);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: this.axis,
      applyClassBalancing: this.applyClassBalancing,
      alpha: this.alpha,
      gamma: this.gamma,
    };
  }
}

/**
 * `sum(alpha (1 - p)^gamma * -y log p)` over the classes (along `axis`), `p`
 * the renormalised, clipped probabilities (softmax of logits): Keras's
 * `keras.losses.CategoricalFocalCrossentropy`, for one-hot labels.
 *
 * @example new losses.CategoricalFocalCrossentropy({ alpha: 0.25, gamma: 2 })
 */
export class CategoricalFocalCrossentropy extends Loss {
  static override readonly className: string = 'CategoricalFocalCrossentropy';
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: FocalCrossentropyOptions = {}) {
    const read = readLossOptions<FocalCrossentropyOptions>('CategoricalFocalCrossentropy', options, FOCAL_OPTIONS);
    super(read, 'categorical_focal_crossentropy');
    this.alpha = checkNumber(read.alpha ?? 0.25, 'alpha');
    this.gamma = checkNumber(read.gamma ?? 2, 'gamma');
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
        const classes = yPred.shape[yPred.rank - 1] as number;
        y = tf.add(tf.mul(y, 1 - this.labelSmoothing), this.labelSmoothing / classes);
      }
      const probabilities = this.fromLogits ? softmaxAlong(yPred, axis) : yPred;
      const output = tf.clipByValue(tf.div(probabilities, tf.sum(probabilities, axis, true)), EPSILON, 1 - EPSILON);
      const cce = tf.neg(tf.mul(y, tf.log(output)));
      const weighting = tf.mul(tf.pow(tf.sub(1, output), this.gamma), this.alpha);
      return tf.sum(tf.mul(weighting, cce), axis);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: this.axis,
      alpha: this.alpha,
      gamma: this.gamma,
    };
  }
}

/** Softmax along any axis (tfjs's own takes the last only). */
function softmaxAlong(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.exp(tf.sub(x, tf.logSumExp(x, axis, true)));
}
