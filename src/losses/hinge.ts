/**
 * Keras's hinge losses (keras/src/losses/losses.py), for labels in {-1, 1}
 * or {0, 1} (the latter turned into -1/1, as Keras does when every label
 * is 0 or 1), and one-hot labels for the categorical hinge.
 */
import * as tf from '@tensorflow/tfjs-core';
import { aligned, Loss, type LossOptions, readLossOptions } from './loss.js';
import { refuseSparseLabels } from './probabilistic.js';

/** Keras's `convert_binary_labels_to_hinge`: `2y - 1` when every label is 0 or 1, else the labels as they are. */
function hingeLabels(y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const isBinary = tf.all(tf.logicalOr(tf.equal(y, 0), tf.equal(y, 1)));
    return tf.where(isBinary, tf.sub(tf.mul(y, 2), 1), y);
  });
}

/**
 * `mean(max(1 - y * yPred, 0))` over the last axis, labels -1/1 (or 0/1):
 * Keras's `keras.losses.Hinge` (`"hinge"`).
 *
 * @example new losses.Hinge()
 */
export class Hinge extends Loss {
  static override readonly className: string = 'Hinge';

  constructor(options: LossOptions = {}) {
    super(readLossOptions('Hinge', options), 'hinge');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const y = hingeLabels(aligned(yTrue, yPred));
      return tf.mean(tf.relu(tf.sub(1, tf.mul(y, yPred))), -1);
    });
  }
}

/**
 * `mean(max(1 - y * yPred, 0)^2)` over the last axis: Keras's
 * `keras.losses.SquaredHinge` (`"squared_hinge"`).
 *
 * @example new losses.SquaredHinge()
 */
export class SquaredHinge extends Loss {
  static override readonly className: string = 'SquaredHinge';

  constructor(options: LossOptions = {}) {
    super(readLossOptions('SquaredHinge', options), 'squared_hinge');
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const y = hingeLabels(aligned(yTrue, yPred));
      return tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(y, yPred)))), -1);
    });
  }
}

/**
 * `max(max((1 - y) * yPred) - sum(y * yPred) + 1, 0)` over the last axis,
 * for one-hot labels: Keras's `keras.losses.CategoricalHinge` (`"categorical_hinge"`).
 *
 * @example new losses.CategoricalHinge()
 */
export class CategoricalHinge extends Loss {
  static override readonly className: string = 'CategoricalHinge';

  constructor(options: LossOptions = {}) {
    super(readLossOptions('CategoricalHinge', options), 'categorical_hinge');
  }

  override checkTargets(yTrue: { shape: readonly number[] }, predShape: readonly number[], argument = 'y'): void {
    refuseSparseLabels(this.name, yTrue, predShape, argument);
    super.checkTargets(yTrue, predShape, argument);
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const y = aligned(yTrue, yPred);
      const pos = tf.sum(tf.mul(y, yPred), -1);
      const neg = tf.max(tf.mul(tf.sub(1, y), yPred), -1);
      return tf.maximum(tf.add(tf.sub(neg, pos), 1), 0);
    });
  }
}
