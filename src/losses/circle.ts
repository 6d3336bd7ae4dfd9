/**
 * Keras's Circle loss (Sun et al., 2020; keras/src/losses/losses.py
 * `circle`): pairs within the batch, positives (same label) pulled together
 * and negatives pushed apart in cosine distance, each pair weighted by how
 * far it is from its optimum.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { formatShape } from '../utils/format.js';
import { asFloat, checkBoolean, checkNumber, shapeOf } from './checks.js';
import { Loss, type LossOptions, type MaskedLosses, readLossOptions } from './loss.js';

/** The options of `Circle`, Keras's `(gamma=80.0, margin=0.4, remove_diagonal=True, ...)`. */
export interface CircleOptions extends LossOptions {
  /** The scale of the similarities; default 80. */
  gamma?: number;
  /** The relaxation margin; default 0.4. */
  margin?: number;
  /** Whether a sample is left out of its own positives; default true. */
  removeDiagonal?: boolean;
}

/**
 * `logsumexp` of `x` over the entries of each row that `mask` keeps, and
 * whether the row kept any (an empty row is Keras's `-inf`, left out here
 * so that its gradient is 0, not NaN).
 */
function maskedLogSumExp(x: tf.Tensor, mask: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const kept = tf.where(mask, x, tf.fill(x.shape, -1e30));
  // The shift cancels out of the gradient, as in any logsumexp.
  const top = tf.max(kept, 1, true);
  const sum = tf.sum(tf.mul(tf.cast(mask, 'float32'), tf.exp(tf.sub(kept, top))), 1);
  const any = tf.greater(sum, 0);
  const lse = tf.add(tf.log(tf.where(any, sum, tf.onesLike(sum))), tf.reshape(top, sum.shape));
  return [lse, any];
}

/**
 * `softplus(logsumexp(-gamma a_p (margin - d_p)) + logsumexp(gamma a_n (1 -
 * margin - d_n)))` per sample, over its positive and negative pairs in the
 * batch (`d`: the cosine distance `max(1 - yPred yPred^T, 0)`; `a_p =
 * max(margin + d_p, 0)`, `a_n = max(1 + margin - d_n, 0)`). Embeddings
 * `yPred` of shape `[batch, dim]` are expected L2-normalised, integer labels
 * `yTrue` of shape `[batch]`. Samples with a loss of 0 (no positive or no
 * negative pair) are masked out of the mean, as in Keras.
 *
 * @example new losses.Circle({ gamma: 80, margin: 0.4 })
 */
export class Circle extends Loss {
  static override readonly className: string = 'Circle';
  readonly gamma: number;
  readonly margin: number;
  readonly removeDiagonal: boolean;

  constructor(options: CircleOptions = {}) {
    const read = readLossOptions<CircleOptions>('Circle', options, ['gamma', 'margin', 'removeDiagonal']);
    super(read, 'circle');
    this.gamma = checkNumber(read.gamma ?? 80, 'gamma');
    this.margin = checkNumber(read.margin ?? 0.4, 'margin');
    this.removeDiagonal = checkBoolean(read.removeDiagonal ?? true, 'removeDiagonal');
  }

  override valuesShape(predShape: readonly number[]): readonly number[] {
    return predShape.slice(0, 1);
  }

  override checkTargets(yTrue: { shape: readonly number[] }, predShape: readonly number[], argument = 'y'): void {
    const batch = predShape[0] as number;
    const fits =
      predShape.length === 2 && (shapeOf(yTrue) === formatShape([batch]) || shapeOf(yTrue) === formatShape([batch, 1]));
    if (fits) return;
    throw new ValueError(
      `${this.name} expects embeddings of shape [batch, dim] and integer labels of shape [batch] or [batch, 1]. Received: ${argument}.shape=${shapeOf(yTrue)}, output shape=${formatShape(predShape)}`,
      { argument, expected: `labels of shape [${batch}] with output shape [batch, dim]`, received: shapeOf(yTrue) },
    );
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const { values, mask } = this.callWithMask(yTrue, yPred);
    mask?.dispose();
    return values;
  }

  override callWithMask(yTrue: tf.Tensor, yPred: tf.Tensor): MaskedLosses {
    const [values, mask] = tf.tidy(() => {
      const n = yPred.shape[0] as number;
      const labels = tf.reshape(tf.cast(asFloat(yTrue), 'int32'), [n, 1]);
      const distances = tf.relu(tf.sub(1, tf.matMul(yPred, yPred, false, true)));
      const same = tf.equal(labels, tf.transpose(labels));
      const positive = this.removeDiagonal ? tf.logicalAnd(same, tf.logicalNot(tf.cast(tf.eye(n), 'bool'))) : same;
      const negative = tf.logicalNot(same);
      const posWeights = tf.relu(tf.mul(tf.add(this.margin, distances), tf.cast(positive, 'float32')));
      const negWeights = tf.relu(tf.mul(tf.sub(1 + this.margin, distances), tf.cast(negative, 'float32')));
      const posLogits = tf.mul(-this.gamma, tf.mul(posWeights, tf.sub(this.margin, distances)));
      const negLogits = tf.mul(this.gamma, tf.mul(negWeights, tf.sub(1 - this.margin, distances)));
      const [pLoss, hasPositive] = maskedLogSumExp(posLogits, positive);
      const [nLoss, hasNegative] = maskedLogSumExp(negLogits, negative);
      // softplus(-inf) = 0 where Keras's logsumexp of no pair is -inf.
      const both = tf.logicalAnd(hasPositive, hasNegative);
      const total = tf.where(both, tf.add(pLoss, nLoss), tf.zerosLike(pLoss));
      const losses = tf.where(both, tf.softplus(total), tf.zerosLike(total));
      return [losses, tf.greater(losses, 0)];
    });
    return { values, mask };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), gamma: this.gamma, margin: this.margin, removeDiagonal: this.removeDiagonal };
  }
}
