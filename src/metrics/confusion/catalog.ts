/**
 * The confusion-matrix metrics of issue 24 part 1 with the strings Keras's
 * `compile` accepts for each (the snake_case class name), for the
 * `metrics` barrel's name table.
 */
import type { Metric } from '../base.js';
import { F1Score, FBetaScore } from '../f-score.js';
import {
  PrecisionAtRecall,
  RecallAtPrecision,
  SensitivityAtSpecificity,
  SpecificityAtSensitivity,
} from './at-constraint.js';
import { AUC } from './auc.js';
import { FalseNegatives, FalsePositives, TrueNegatives, TruePositives } from './counts.js';
import { Precision, Recall } from './precision-recall.js';

/** A metric class with its Keras class name and `fromConfig`. */
// biome-ignore lint/suspicious/noExplicitAny: each class takes its own options type.
type MetricClass = (new (
  options?: any,
) => Metric) & { className: string; fromConfig(config: Record<string, unknown>): Metric };

/** Each class and the other strings Keras resolves to it. */
export const CONFUSION_METRIC_CLASSES: readonly (readonly [MetricClass, readonly string[]])[] = [
  [AUC, ['auc']],
  [Precision, ['precision']],
  [Recall, ['recall']],
  // Keras's compile makes these from a string with no arguments; the value they need then fails there too.
  [PrecisionAtRecall, ['precision_at_recall']],
  [RecallAtPrecision, ['recall_at_precision']],
  [SensitivityAtSpecificity, ['sensitivity_at_specificity']],
  [SpecificityAtSensitivity, ['specificity_at_sensitivity']],
  [TruePositives, ['true_positives']],
  [TrueNegatives, ['true_negatives']],
  [FalsePositives, ['false_positives']],
  [FalseNegatives, ['false_negatives']],
  [F1Score, ['f1_score']],
  [FBetaScore, ['f_beta_score']],
];
