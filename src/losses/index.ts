/**
 * The `losses` namespace, Keras's `keras.losses`: the losses, reduced the
 * Keras way (per sample over the last axis, then the mean over the batch:
 * "sum_over_batch_size"), as functions and as Keras's classes with configs
 * and Keras JSON.
 *
 * @packageDocumentation
 * @example const loss = losses.meanSquaredError(y, model.predict(x)); // a scalar
 */
import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import type { KerasObjectJson } from '../serialization/keras-json.js';
import {
  type DeserializeOptions,
  deserializeKerasObject,
  type ObjectFamily,
  serializeKerasObject,
} from '../serialization/serialization.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject, ownValue } from '../utils/objects.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  type CrossentropyOptions,
  Loss,
  LossFunctionWrapper,
  MeanAbsoluteError,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
} from './loss.js';

export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  type CrossentropyOptions,
  Loss,
  LossFunctionWrapper,
  type LossOptions,
  MeanAbsoluteError,
  MeanSquaredError,
  type Reduction,
  type SmoothedCrossentropyOptions,
  SparseCategoricalCrossentropy,
  type SparseCategoricalCrossentropyOptions,
} from './loss.js';

/** A loss: `(yTrue, yPred) => scalar`, the mean over the batch. */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Keras's loss names, for autocompletion. */
export type LossName =
  | 'mean_squared_error'
  | 'mse'
  | 'mean_absolute_error'
  | 'mae'
  | 'binary_crossentropy'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy';

/** What `compile` takes for one output's loss: a Keras name, a Loss object or a function. */
// `string & {}`: any other string still type-checks; `get` refuses an unknown one with the list.
export type LossIdentifier = LossName | (string & {}) | Loss | LossFunction;

/**
 * Keras's `keras.losses.mean_squared_error`, reduced: `mean((yPred - yTrue)^2)`
 * over the last axis, then the mean over the batch.
 *
 * @example losses.meanSquaredError(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 1]])) // 0.5
 */
export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return new MeanSquaredError().apply(yTrue, yPred);
}

/**
 * Keras's `keras.losses.mean_absolute_error`, reduced: `mean(|yPred - yTrue|)`
 * over the last axis, then the mean over the batch.
 *
 * @example losses.meanAbsoluteError(tf.tensor2d([[0, 2]]), tf.tensor2d([[1, 1]])) // 1
 */
export function meanAbsoluteError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return new MeanAbsoluteError().apply(yTrue, yPred);
}

/** `-(y log p + (1 - y) log(1 - p))`, mean over the last axis; `p` clipped to [1e-7, 1 - 1e-7]. */
export function binaryCrossentropy(options: CrossentropyOptions = {}): LossFunction {
  const loss = new BinaryCrossentropy(options);
  return (yTrue, yPred) => loss.apply(yTrue, yPred);
}

/** `-sum(y log p)` over the last axis, for one-hot `yTrue`. */
export function categoricalCrossentropy(options: CrossentropyOptions = {}): LossFunction {
  const loss = new CategoricalCrossentropy(options);
  return (yTrue, yPred) => loss.apply(yTrue, yPred);
}

/** `-log p[label]`, for integer labels of shape `[batch]` or `[batch, 1]`. */
export function sparseCategoricalCrossentropy(options: CrossentropyOptions = {}): LossFunction {
  const loss = new SparseCategoricalCrossentropy(options);
  return (yTrue, yPred) => loss.apply(yTrue, yPred);
}

const BY_NAME = new Map<string, () => Loss>([
  ['mean_squared_error', () => new MeanSquaredError()],
  ['mse', () => new MeanSquaredError()],
  ['mean_absolute_error', () => new MeanAbsoluteError()],
  ['mae', () => new MeanAbsoluteError()],
  ['binary_crossentropy', () => new BinaryCrossentropy()],
  ['categorical_crossentropy', () => new CategoricalCrossentropy()],
  ['sparse_categorical_crossentropy', () => new SparseCategoricalCrossentropy()],
]);

/** Names `get` accepts. */
export const LOSS_NAMES: readonly string[] = [...BY_NAME.keys()];

/** The built-in loss classes, by Keras class name, for Keras JSON. */
const FAMILY: ObjectFamily = {
  kind: 'loss',
  module: 'keras.losses',
  classes: new Map<string, typeof MeanSquaredError>([
    ['MeanSquaredError', MeanSquaredError],
    ['MeanAbsoluteError', MeanAbsoluteError],
    ['BinaryCrossentropy', BinaryCrossentropy],
    ['CategoricalCrossentropy', CategoricalCrossentropy],
    ['SparseCategoricalCrossentropy', SparseCategoricalCrossentropy],
  ]),
};

function unknownLoss(identifier: unknown): ValueError {
  return new ValueError(
    `Could not interpret loss identifier: ${formatValue(identifier)}. Expected one of ${LOSS_NAMES.join(', ')}, a Loss object or a function.`,
    { argument: 'loss', expected: LOSS_NAMES.join(', '), received: formatValue(identifier) },
  );
}

/**
 * The loss `identifier` names, as a Loss: a Keras name (a new object), a
 * Loss (as is) or a function (wrapped, named after it).
 */
export function toLoss(identifier: unknown): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier as LossFunction);
  const make = typeof identifier === 'string' ? BY_NAME.get(identifier) : undefined;
  if (make == null) throw unknownLoss(identifier);
  return make();
}

/**
 * A loss as a function: by Keras name (`"mse"`, `"sparse_categorical_crossentropy"`, ...),
 * a Loss object (its `apply`), or a function (as is).
 */
export function get(identifier: LossIdentifier): LossFunction {
  if (typeof identifier === 'function') return identifier;
  const loss = toLoss(identifier);
  return (yTrue, yPred) => loss.apply(yTrue, yPred);
}

/** A Loss as Keras JSON (`{module: "keras.losses", class_name, config, registered_name}`). */
export function serialize(loss: Loss): KerasObjectJson<Record<string, unknown>> {
  if (!(loss instanceof Loss) || loss instanceof LossFunctionWrapper) {
    throw new ValueError(`Cannot serialize ${formatValue(loss)}: expected a Loss object with getConfig().`, {
      argument: 'loss',
      expected: 'a Loss object',
      received: formatValue(loss),
    });
  }
  return serializeKerasObject(loss, FAMILY) as KerasObjectJson<Record<string, unknown>>;
}

/**
 * A Loss from Keras JSON: a built-in class, a registered or `customObjects`
 * one, or a built-in function by name (`{class_name: "function", config:
 * "mean_squared_error"}`, what Keras writes for `keras.losses.mean_squared_error`).
 */
export function deserialize(json: unknown, options: DeserializeOptions = {}): Loss {
  if (isPlainObject(json) && ownValue(json, 'class_name') === 'function') {
    const name = ownValue(json, 'config');
    const make = typeof name === 'string' ? BY_NAME.get(name) : undefined;
    if (make != null) return make();
  }
  const loss = deserializeKerasObject(json, FAMILY, options);
  if (typeof loss === 'function') return new LossFunctionWrapper(loss as LossFunction);
  if (!(loss instanceof Loss)) throw unknownLoss(json);
  return loss;
}
