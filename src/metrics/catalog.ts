/**
 * The metric classes of issue 24 part 2 with the strings Keras's `compile`
 * accepts for each (Keras's `ALL_OBJECTS_DICT`: the snake_case class name
 * and the aliases), for the `metrics` barrel's name table.
 */
import type { Metric } from './base.js';
import { ConcordanceCorrelation, PearsonCorrelation } from './correlation.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import { BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU } from './iou.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
} from './probabilistic.js';
import { R2Score } from './r2-score.js';
import {
  CosineSimilarity,
  LogCoshError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  RootMeanSquaredError,
} from './regression-errors.js';
import { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './top-k.js';

/** A metric class with its Keras class name and `fromConfig`. */
type MetricClass = (new (
  options?: never,
) => Metric) & {
  className: string;
  fromConfig(config: Record<string, unknown>): Metric;
};

/** Each class and the other strings Keras resolves to it (`"io_u"`, `"mape"`, `"bce"`, ...). */
export const MORE_METRIC_CLASSES: readonly (readonly [MetricClass, readonly string[]])[] = [
  [TopKCategoricalAccuracy, ['top_k_categorical_accuracy']],
  [SparseTopKCategoricalAccuracy, ['sparse_top_k_categorical_accuracy']],
  [IoU, ['io_u']],
  [MeanIoU, ['mean_io_u']],
  [BinaryIoU, ['binary_io_u']],
  [OneHotIoU, ['one_hot_io_u']],
  [OneHotMeanIoU, ['one_hot_mean_io_u']],
  [R2Score, ['r2_score']],
  [RootMeanSquaredError, ['root_mean_squared_error']],
  [BinaryCrossentropy, ['binary_crossentropy', 'bce', 'BCE']],
  [CategoricalCrossentropy, ['categorical_crossentropy']],
  [SparseCategoricalCrossentropy, ['sparse_categorical_crossentropy']],
  [KLDivergence, ['kl_divergence']],
  [Poisson, ['poisson']],
  [CosineSimilarity, ['cosine_similarity']],
  [LogCoshError, ['log_cosh_error']],
  [MeanAbsolutePercentageError, ['mean_absolute_percentage_error', 'mape', 'MAPE']],
  [MeanSquaredLogarithmicError, ['mean_squared_logarithmic_error', 'msle', 'MSLE']],
  [Hinge, ['hinge']],
  [SquaredHinge, ['squared_hinge']],
  [CategoricalHinge, ['categorical_hinge']],
  [PearsonCorrelation, ['pearson_correlation']],
  [ConcordanceCorrelation, ['concordance_correlation']],
];
