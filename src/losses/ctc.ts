/**
 * Keras's CTC loss (`keras.losses.CTC`, `ctc`): the negative log-likelihood
 * of a label sequence under per-step logits, by the forward algorithm in log
 * space exactly as Keras's JAX backend runs it (`ctc_loss`, after optax's
 * `ctc_loss_with_forward_probs`): blank index 0, labels padded with 0, every
 * sequence the full length of the logits.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { formatShape } from '../utils/format.js';
import { shapeOf } from './checks.js';
import { Loss, type LossOptions, readLossOptions } from './loss.js';

/** Keras's stand-in for log(0): a transition it forbids costs this much. */
const LOG_EPSILON = -1e5;

/** `log(exp(a) + exp(b))`, stable. */
function logAddExp(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const top = tf.maximum(a, b);
  return tf.add(top, tf.log1p(tf.exp(tf.neg(tf.abs(tf.sub(a, b))))));
}

/** `phi` with `phi[:, 1:]` log-added to `added` (Keras's `update_phi_score`). */
function updatePhi(phi: tf.Tensor2D, added: tf.Tensor): tf.Tensor2D {
  const [b, width] = phi.shape;
  const first = tf.slice(phi, [0, 0], [b, 1]);
  return tf.concat([first, logAddExp(tf.slice(phi, [0, 1], [b, width - 1]), added)], 1) as tf.Tensor2D;
}

/**
 * The CTC loss of each sequence: `yTrue` integer labels `[batch, maxLabels]`
 * (0 is the blank and pads the end), `yPred` logits `[batch, steps, classes]`.
 */
export function ctcLoss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const [batch, steps, classes] = yPred.shape as [number, number, number];
    const n = yTrue.shape[1] as number;
    const labels = tf.cast(yTrue, 'int32');
    const logprobs = tf.sub(yPred, tf.logSumExp(yPred, -1, true));
    const labelLengths = tf.sum(tf.cast(tf.notEqual(labels, 0), 'int32'), 1);
    // repeat[b, i] = 1 when label i repeats label i + 1 (then a blank must separate them).
    const repeat =
      n > 1
        ? tf.concat(
            [
              tf.cast(
                tf.equal(tf.slice(labels, [0, 0], [batch, n - 1]), tf.slice(labels, [0, 1], [batch, n - 1])),
                'float32',
              ),
              tf.zeros([batch, 1]),
            ],
            1,
          )
        : tf.zeros([batch, n]);
    const oneHot = tf.oneHot(tf.reshape(labels, [-1]), classes).reshape([batch, n, classes]);
    // [B, T, N]: the log-probability of emitting each label at each step.
    const emitLogprobs = tf.matMul(logprobs, oneHot, false, true);
    const blankLogprobs = tf.reshape(tf.slice(logprobs, [0, 0, 0], [batch, steps, 1]), [batch, steps]);

    let phi = tf.concat([tf.zeros([batch, 1]), tf.fill([batch, n], LOG_EPSILON)], 1) as tf.Tensor2D;
    let emit: tf.Tensor = tf.fill([batch, n], LOG_EPSILON);
    const repeatPenalty = tf.mul(repeat, LOG_EPSILON);
    const noRepeatPenalty = tf.mul(tf.sub(1, repeat), LOG_EPSILON);
    for (let t = 0; t < steps; t++) {
      const emitT = tf.reshape(tf.slice(emitLogprobs, [0, t, 0], [batch, 1, n]), [batch, n]);
      const blankT = tf.slice(blankLogprobs, [0, t], [batch, 1]);
      // emit-to-blank transition, except into a repeated label
      const prevPhi = updatePhi(phi, tf.add(emit, repeatPenalty));
      // blank-to-emit and emit self-loop
      const nextEmit = logAddExp(tf.add(tf.slice(prevPhi, [0, 0], [batch, n]), emitT), tf.add(emit, emitT));
      // blank self-loop, and emit-to-blank only before a repeated label
      let nextPhi = tf.add(prevPhi, blankT) as tf.Tensor2D;
      nextPhi = updatePhi(nextPhi, tf.add(tf.add(emit, blankT), noRepeatPenalty));
      phi = nextPhi;
      emit = nextEmit;
    }
    const last = updatePhi(phi, emit);
    const pick = tf.oneHot(labelLengths, n + 1);
    return tf.neg(tf.sum(tf.mul(last, pick), 1)) as tf.Tensor1D;
  });
}

/**
 * Connectionist temporal classification: `-log p(yTrue | yPred)` summed
 * over every alignment of the labels to the steps. `yTrue`: integer labels
 * `[batch, maxLabels]`, 0 the blank that pads them; `yPred`: logits
 * `[batch, steps, classes]`. Keras's `keras.losses.CTC` (`"ctc"`).
 *
 * @example new losses.CTC().compute(tf.tensor2d([[1, 2]], [1, 2], 'int32'), x) // x: logits [1, steps, 3]
 */
export class CTC extends Loss {
  static override readonly className: string = 'CTC';

  constructor(options: LossOptions = {}) {
    super(readLossOptions('CTC', options), 'ctc');
  }

  override valuesShape(predShape: readonly number[]): readonly number[] {
    return predShape.slice(0, 1);
  }

  override checkTargets(yTrue: { shape: readonly number[] }, predShape: readonly number[], argument = 'y'): void {
    if (predShape.length !== 3) {
      throw new ValueError(
        `${this.name}: logits yPred are expected to be a tensor of shape (batch_size, max_length, num_classes). Received: yPred.shape=${formatShape(predShape)}`,
        { argument: 'yPred', expected: 'shape [batch, steps, classes]', received: formatShape(predShape) },
      );
    }
    if (yTrue.shape.length !== 2 || yTrue.shape[0] !== predShape[0] || (yTrue.shape[1] as number) < 1) {
      throw new ValueError(
        `${this.name}: targets ${argument} are expected to be a tensor of shape (batch_size, max_length) in integer format, with the batch of the logits (${predShape[0]}). Received: ${argument}.shape=${shapeOf(yTrue)}`,
        { argument, expected: `shape [${predShape[0]}, maxLabels]`, received: shapeOf(yTrue) },
      );
    }
  }

  override checkTargetValues(yTrue: tf.Tensor, predShape: readonly number[], argument = 'y'): void {
    const classes = predShape[2] as number;
    const values = yTrue.dataSync();
    for (let i = 0; i < values.length; i++) {
      const label = values[i] as number;
      if (Number.isInteger(label) && label >= 0 && label < classes) continue;
      throw new ValueError(
        `${this.name} expects integer labels in [0, ${classes}) (0 the blank) for logits of ${classes} classes. Received: ${argument}[${i}]=${label}`,
        { argument, expected: `integers in [0, ${classes})`, received: String(label) },
      );
    }
  }

  override call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    this.checkTargets(yTrue, yPred.shape, 'yTrue');
    return ctcLoss(yTrue, yPred);
  }
}
