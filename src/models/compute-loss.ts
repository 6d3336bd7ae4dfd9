/** `model.computeLoss`: the loss of a custom training loop, penalties included. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { readOptions } from '../utils/options.js';
import type { Compiled } from './compile.js';
import { type Targets, targetList } from './data-checks.js';
import type { Predictions } from './model-layout.js';
import { compiledLoss, noLossError, sumLosses } from './step.js';

/** A tensor that is not disposed: `computeLoss` reads its arguments as given (no casts). */
function liveTensor(value: unknown, argument: string): tf.Tensor {
  if (!(value instanceof tf.Tensor) || value.isDisposed) {
    throw invalidArgument(argument, 'a tensor that has not been disposed', value);
  }
  return value;
}

/**
 * The compiled loss of `yPred` against `y` (both laid out per output, as
 * `fit` takes targets) plus the sum of `model.losses`.
 */
export function computeLoss(
  model: Layer,
  compiled: Compiled,
  outputNames: string[],
  options: { y: Targets; yPred: Predictions },
): tf.Scalar {
  const { y, yPred } = readOptions<{ y: Targets; yPred: Predictions }>('computeLoss()', options, ['y', 'yPred']);
  const ys = targetList(y, 'y', outputNames, 'computeLoss').map(([t, name]) => liveTensor(t, name));
  const yPreds = targetList(yPred, 'yPred', outputNames, 'computeLoss').map(([t, name]) => liveTensor(t, name));
  return tf.tidy(() => {
    const dataLoss = compiledLoss(compiled, ys, yPreds);
    const penalties = model.losses;
    if (dataLoss == null && penalties.length === 0) throw noLossError();
    const penaltySum = sumLosses(penalties);
    return (dataLoss == null ? penaltySum : tf.add(dataLoss, penaltySum)) as tf.Scalar;
  });
}

/**
 * The sum of a model's (or layer's) `losses`: every penalty, as one scalar.
 * For custom training loops: `total = dataLoss + regularizationLoss(model)`.
 */
export function regularizationLoss(model: Layer): tf.Scalar {
  return tf.tidy(() => sumLosses(model.losses));
}
