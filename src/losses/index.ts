/**
 * The `losses` namespace, Keras's `keras.losses`: the losses, reduced the
 * Keras way (per sample over the last axis, then the mean over the batch:
 * "sum_over_batch_size"), as functions and as Keras's classes with configs
 * and Keras JSON.
 *
 * @packageDocumentation
 * @example const loss = losses.meanSquaredError(y, model.predict(x)); // a scalar
 */
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
import { Circle } from './circle.js';
import { CTC } from './ctc.js';
import { BinaryFocalCrossentropy, CategoricalFocalCrossentropy } from './focal.js';
import type { LossFunction } from './functions.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import { Loss, LossFunctionWrapper } from './loss.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalGeneralizedCrossEntropy,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
} from './probabilistic.js';
import {
  CosineSimilarity,
  Huber,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
} from './regression.js';
import { Dice, Tversky } from './segmentation.js';

export { Circle, type CircleOptions } from './circle.js';
export { CTC, ctcLoss } from './ctc.js';
export {
  BinaryFocalCrossentropy,
  type BinaryFocalCrossentropyOptions,
  CategoricalFocalCrossentropy,
  type FocalCrossentropyOptions,
} from './focal.js';
export {
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  categoricalGeneralizedCrossEntropy,
  categoricalHinge,
  circle,
  cosineSimilarity,
  ctc,
  dice,
  hinge,
  huber,
  klDivergence,
  type LossFunction,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  poisson,
  sparseCategoricalCrossentropy,
  squaredHinge,
  tversky,
} from './functions.js';
export { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
export { Loss, LossFunctionWrapper, type LossOptions, type MaskedLosses, type Reduction } from './loss.js';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalGeneralizedCrossEntropy,
  type CategoricalGeneralizedCrossEntropyOptions,
  type CrossentropyOptions,
  KLDivergence,
  Poisson,
  type SmoothedCrossentropyOptions,
  SparseCategoricalCrossentropy,
  type SparseCategoricalCrossentropyOptions,
} from './probabilistic.js';
export {
  CosineSimilarity,
  type CosineSimilarityOptions,
  Huber,
  type HuberOptions,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
} from './regression.js';
export { Dice, type DiceOptions, type OverlapAxis, Tversky, type TverskyOptions } from './segmentation.js';

/** Keras's loss function names and aliases (`keras.losses.get` accepts each), for autocompletion. */
export type LossName =
  | 'mean_squared_error'
  | 'mse'
  | 'MSE'
  | 'mean_absolute_error'
  | 'mae'
  | 'MAE'
  | 'mean_absolute_percentage_error'
  | 'mape'
  | 'MAPE'
  | 'mean_squared_logarithmic_error'
  | 'msle'
  | 'MSLE'
  | 'cosine_similarity'
  | 'huber'
  | 'log_cosh'
  | 'kl_divergence'
  | 'kld'
  | 'KLD'
  | 'poisson'
  | 'hinge'
  | 'squared_hinge'
  | 'categorical_hinge'
  | 'binary_crossentropy'
  | 'bce'
  | 'BCE'
  | 'binary_focal_crossentropy'
  | 'categorical_crossentropy'
  | 'categorical_focal_crossentropy'
  | 'sparse_categorical_crossentropy'
  | 'dice'
  | 'tversky'
  | 'circle'
  | 'ctc';

/** Keras's loss class names (`keras.losses.get` accepts each, giving the class with its defaults), for autocompletion. */
export type LossClassName = (typeof CLASS_NAMES)[number];

/** What `compile` takes for one output's loss: a Keras name, a Loss object or a function. */
// `string & {}`: any other string still type-checks; `get` refuses an unknown one with the list.
export type LossIdentifier = LossName | LossClassName | (string & {}) | Loss | LossFunction;

const CLASSES = [
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  CosineSimilarity,
  Huber,
  LogCosh,
  KLDivergence,
  Poisson,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  BinaryCrossentropy,
  BinaryFocalCrossentropy,
  CategoricalCrossentropy,
  CategoricalFocalCrossentropy,
  SparseCategoricalCrossentropy,
  CategoricalGeneralizedCrossEntropy,
  Dice,
  Tversky,
  Circle,
  CTC,
] as const;

const CLASS_NAMES = [
  'MeanSquaredError',
  'MeanAbsoluteError',
  'MeanAbsolutePercentageError',
  'MeanSquaredLogarithmicError',
  'CosineSimilarity',
  'Huber',
  'LogCosh',
  'KLDivergence',
  'Poisson',
  'Hinge',
  'SquaredHinge',
  'CategoricalHinge',
  'BinaryCrossentropy',
  'BinaryFocalCrossentropy',
  'CategoricalCrossentropy',
  'CategoricalFocalCrossentropy',
  'SparseCategoricalCrossentropy',
  'Dice',
  'Tversky',
  'Circle',
  'CTC',
] as const;

type LossClass = new (options?: { name?: string }) => Loss;

/**
 * Keras's function names and their aliases (`ALL_OBJECTS_DICT` in
 * keras/src/losses/__init__.py), each with the class that computes it. A
 * name gives the class named after the function, as Keras's compile wraps
 * a function in a `LossFunctionWrapper` named after it.
 */
const FUNCTIONS: readonly [string, LossClass, string][] = [
  ['mean_squared_error', MeanSquaredError, 'mean_squared_error'],
  ['mse', MeanSquaredError, 'mean_squared_error'],
  ['MSE', MeanSquaredError, 'mean_squared_error'],
  ['mean_absolute_error', MeanAbsoluteError, 'mean_absolute_error'],
  ['mae', MeanAbsoluteError, 'mean_absolute_error'],
  ['MAE', MeanAbsoluteError, 'mean_absolute_error'],
  ['mean_absolute_percentage_error', MeanAbsolutePercentageError, 'mean_absolute_percentage_error'],
  ['mape', MeanAbsolutePercentageError, 'mean_absolute_percentage_error'],
  ['MAPE', MeanAbsolutePercentageError, 'mean_absolute_percentage_error'],
  ['mean_squared_logarithmic_error', MeanSquaredLogarithmicError, 'mean_squared_logarithmic_error'],
  ['msle', MeanSquaredLogarithmicError, 'mean_squared_logarithmic_error'],
  ['MSLE', MeanSquaredLogarithmicError, 'mean_squared_logarithmic_error'],
  ['cosine_similarity', CosineSimilarity, 'cosine_similarity'],
  ['huber', Huber, 'huber'],
  ['log_cosh', LogCosh, 'log_cosh'],
  ['kl_divergence', KLDivergence, 'kl_divergence'],
  ['kld', KLDivergence, 'kl_divergence'],
  ['KLD', KLDivergence, 'kl_divergence'],
  ['poisson', Poisson, 'poisson'],
  ['hinge', Hinge, 'hinge'],
  ['squared_hinge', SquaredHinge, 'squared_hinge'],
  ['categorical_hinge', CategoricalHinge, 'categorical_hinge'],
  ['binary_crossentropy', BinaryCrossentropy, 'binary_crossentropy'],
  ['bce', BinaryCrossentropy, 'binary_crossentropy'],
  ['BCE', BinaryCrossentropy, 'binary_crossentropy'],
  ['binary_focal_crossentropy', BinaryFocalCrossentropy, 'binary_focal_crossentropy'],
  ['categorical_crossentropy', CategoricalCrossentropy, 'categorical_crossentropy'],
  ['categorical_focal_crossentropy', CategoricalFocalCrossentropy, 'categorical_focal_crossentropy'],
  ['sparse_categorical_crossentropy', SparseCategoricalCrossentropy, 'sparse_categorical_crossentropy'],
  ['dice', Dice, 'dice'],
  ['tversky', Tversky, 'tversky'],
  ['circle', Circle, 'circle'],
  ['ctc', CTC, 'ctc'],
];

const BY_NAME = new Map<string, () => Loss>([
  ...FUNCTIONS.map(([key, cls, name]): [string, () => Loss] => [key, () => new cls({ name })]),
  // A class name gives the class with its defaults, as Keras's `get` does
  // (CategoricalGeneralizedCrossEntropy is not among Keras's names).
  ...CLASSES.filter((cls) => (CLASS_NAMES as readonly string[]).includes(cls.className)).map(
    (cls): [string, () => Loss] => [cls.className, () => new (cls as LossClass)()],
  ),
]);

/** The function names and aliases `get` accepts (`"mse"`, `"huber"`, ...): what a metric list may name too. */
export const LOSS_NAMES: readonly string[] = FUNCTIONS.map(([key]) => key);

/** The class names `get` accepts (`"MeanSquaredError"`, ...), each giving the class with its defaults. */
export const LOSS_CLASS_NAMES: readonly string[] = CLASS_NAMES;

/** The built-in loss classes, by Keras class name, for Keras JSON. */
const FAMILY: ObjectFamily = {
  kind: 'loss',
  module: 'keras.losses',
  classes: new Map<string, typeof Loss>(CLASSES.map((cls) => [cls.className, cls as unknown as typeof Loss])),
};

function unknownLoss(identifier: unknown): ValueError {
  return new ValueError(
    `Could not interpret loss identifier: ${formatValue(identifier)}. Expected one of ${LOSS_NAMES.join(', ')}, a class name (${LOSS_CLASS_NAMES.join(', ')}), a Loss object or a function.`,
    { argument: 'loss', expected: LOSS_NAMES.join(', '), received: formatValue(identifier) },
  );
}

/**
 * The loss `identifier` names, as a Loss: a Keras name (a new object), a
 * Keras config, a Loss (as is) or a function (wrapped, named after it).
 */
export function toLoss(identifier: unknown): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier as LossFunction);
  // A config (`{class_name, config}`), as Keras's `get` takes one.
  if (isPlainObject(identifier) && ownValue(identifier, 'class_name') != null) return deserialize(identifier);
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
