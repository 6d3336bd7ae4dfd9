/**
 * Keras's intersection-over-union metrics (keras/src/metrics/iou_metrics.py):
 * a confusion matrix accumulated over the batches (`total_confusion_matrix`,
 * rows the true classes, columns the predicted), and the IoU of the target
 * classes read from it. `IoU`, `MeanIoU`, `BinaryIoU`, `OneHotIoU`,
 * `OneHotMeanIoU`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { METRIC_OPTIONS, Metric, type MetricOptions } from './base.js';

/** Keras's `backend.epsilon()`. */
const EPSILON = 1e-7;

/** The dtype of an IoU's confusion matrix: Keras defaults it to `"int32"` (weights are then truncated to integers). */
export type IoUDtype = 'int32' | 'float32';

/** The options every IoU takes, Keras's `_IoUBase(num_classes, name, dtype, ignore_class, sparse_y_true, sparse_y_pred, axis)`. */
export interface IoUBaseOptions extends Omit<MetricOptions, 'dtype'> {
  /**
   * The confusion matrix's dtype: `"int32"` (Keras's default: a float
   * sample weight is truncated toward 0, so 0.3 counts as 0) or `"float32"`.
   */
  dtype?: IoUDtype;
  /** A class id (say the void class 255 or -1) whose labelled entries are left out. */
  ignoreClass?: number | null;
  /** The class axis that `argMax` reads when labels or predictions are not sparse; default -1. */
  axis?: number;
}

/** The options of `IoU`, Keras's `IoU(num_classes, target_class_ids, ...)`. */
export interface IoUOptions extends IoUBaseOptions {
  /** How many classes (the confusion matrix is `numClasses` x `numClasses`). Required. */
  numClasses?: number;
  /** The classes whose IoU is averaged. Required. */
  targetClassIds?: readonly number[];
  /** Whether labels are class ids (default) or one-hot/probabilities to `argMax`. */
  sparseYTrue?: boolean;
  /** Whether predictions are class ids (default) or scores to `argMax`. */
  sparseYPred?: boolean;
}

const BASE_OPTIONS = [...METRIC_OPTIONS, 'ignoreClass', 'axis'];

function checkNumClasses(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidArgument(
      'numClasses',
      'an integer >= 1 (required: the confusion matrix is numClasses x numClasses)',
      value,
    );
  }
  return value;
}

function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(name, 'a boolean', value);
  return value;
}

function checkTargets(value: unknown, numClasses: number): number[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidArgument('targetClassIds', 'a non-empty array of class ids', value);
  }
  for (const id of value) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= numClasses) {
      // Keras: "Target class id 2 is out of range, which is [0, 2)."
      throw invalidArgument(
        'targetClassIds',
        `class ids in [0, ${numClasses}): target class id ${id} is out of range`,
        value,
      );
    }
  }
  return [...value];
}

interface IoUSettings {
  name?: string;
  dtype: IoUDtype;
  numClasses: number;
  targetClassIds: number[];
  ignoreClass: number | null;
  sparseYTrue: boolean;
  sparseYPred: boolean;
  axis: number;
}

function readBase(read: Partial<IoUBaseOptions>): { dtype: IoUDtype; ignoreClass: number | null; axis: number } {
  const dtype = read.dtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32') throw invalidArgument('dtype', '"int32" or "float32"', dtype);
  const ignoreClass = read.ignoreClass ?? null;
  if (ignoreClass !== null && (typeof ignoreClass !== 'number' || !Number.isInteger(ignoreClass))) {
    throw invalidArgument('ignoreClass', 'an integer class id or null', ignoreClass);
  }
  const axis = read.axis ?? -1;
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw invalidArgument('axis', 'an integer', axis);
  return { dtype, ignoreClass, axis };
}

/**
 * The IoU of the target classes, averaged over those seen: Keras's
 * `keras.metrics.IoU`, `true_positives / (true_positives + false_positives +
 * false_negatives)` from a confusion matrix accumulated over the batches.
 * Entries whose label or prediction is outside [0, numClasses), or whose
 * label is `ignoreClass`, are left out, as in Keras.
 *
 * @example const m = new metrics.IoU({ numClasses: 3, targetClassIds: [0, 2] }); m.updateState(tf.tensor1d([0, 1, 2], 'int32'), tf.tensor1d([0, 2, 2], 'int32'));
 */
export class IoU extends Metric {
  static override readonly className: string = 'IoU';
  readonly numClasses: number;
  readonly targetClassIds: number[];
  readonly ignoreClass: number | null;
  readonly sparseYTrue: boolean;
  readonly sparseYPred: boolean;
  readonly axis: number;
  /** The confusion matrix's dtype as Keras names it (`dtype` of the base is the result's, float32). */
  readonly stateDtype: IoUDtype;
  /** Keras's `total_confusion_matrix`, held as float32 (whole numbers when `stateDtype` is int32). */
  readonly totalCm: tf.Variable;

  constructor(options: IoUOptions = {}) {
    const read = readOptions<IoUOptions>('IoU', options, [
      ...BASE_OPTIONS,
      'numClasses',
      'targetClassIds',
      'sparseYTrue',
      'sparseYPred',
    ]);
    const numClasses = checkNumClasses(read.numClasses);
    const settings: IoUSettings = {
      name: read.name,
      ...readBase(read),
      numClasses,
      targetClassIds: checkTargets(read.targetClassIds, numClasses),
      sparseYTrue: checkBoolean(read.sparseYTrue ?? true, 'sparseYTrue'),
      sparseYPred: checkBoolean(read.sparseYPred ?? true, 'sparseYPred'),
    };
    super({ name: settings.name }, 'io_u');
    this.numClasses = settings.numClasses;
    this.targetClassIds = settings.targetClassIds;
    this.ignoreClass = settings.ignoreClass;
    this.sparseYTrue = settings.sparseYTrue;
    this.sparseYPred = settings.sparseYPred;
    this.axis = settings.axis;
    this.stateDtype = settings.dtype;
    this.totalCm = this.addVariable({ name: 'total_confusion_matrix', shape: [numClasses, numClasses] });
  }

  /** Keras's `_IoUBase.update_state`: arg max where not sparse, flatten, mask out of range and ignored, count. */
  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    tf.tidy(() => {
      let t = this.sparseYTrue ? yTrue : tf.argMax(yTrue, this.axis);
      let p = this.sparseYPred ? yPred : tf.argMax(yPred, this.axis);
      t = this.toStateDtype(t);
      p = this.toStateDtype(p);
      if (p.rank !== 1) p = tf.reshape(p, [-1]);
      if (t.rank !== 1) t = tf.reshape(t, [-1]);
      if (t.size !== p.size) {
        throw invalidArgument(
          'yTrue',
          `labels with as many entries as the predictions (${p.size}, shape ${JSON.stringify(yPred.shape)})`,
          `a tensor of shape ${JSON.stringify(yTrue.shape)}`,
        );
      }
      let w: tf.Tensor = sampleWeight == null ? tf.scalar(1) : this.toStateDtype(sampleWeight);
      if (w.rank > 1) w = tf.reshape(w, [-1]);
      if (w.size !== 1 && w.size !== t.size) {
        throw invalidArgument(
          'sampleWeight',
          `a scalar or one weight per entry (${t.size})`,
          `a tensor of shape ${JSON.stringify(sampleWeight?.shape)}`,
        );
      }
      // An empty batch adds nothing (Keras adds a zero matrix); tfjs's sums over an empty axis are not reliably 0.
      if (t.size === 0) return;
      w = tf.broadcastTo(w, t.shape);
      const n = this.numClasses;
      let inBounds = tf.logicalAnd(
        tf.logicalAnd(tf.greaterEqual(t, 0), tf.less(t, n)),
        tf.logicalAnd(tf.greaterEqual(p, 0), tf.less(p, n)),
      );
      if (this.ignoreClass != null) inBounds = tf.logicalAnd(inBounds, tf.notEqual(t, this.ignoreClass));
      const zeros = tf.zerosLike(t);
      const trueIds = tf.cast(tf.where(inBounds, t, zeros), 'int32');
      const predIds = tf.cast(tf.where(inBounds, p, zeros), 'int32');
      const weights = tf.where(inBounds, w, zeros);
      // cm[i, j] = sum of the weights of entries labelled i and predicted j: (n x N) . (N x n).
      const weightedTrue = tf.mul(tf.transpose(tf.oneHot(trueIds, n).toFloat()), tf.expandDims(weights, 0));
      const current = tf.matMul(weightedTrue, tf.oneHot(predIds, n).toFloat());
      this.totalCm.assign(tf.add(this.totalCm, current));
    });
  }

  /** Keras converts labels, predictions and weights to the metric's dtype: int32 truncates toward 0. */
  private toStateDtype(x: tf.Tensor): tf.Tensor {
    if (this.stateDtype === 'int32') return tf.cast(tf.cast(x, 'int32'), 'float32');
    return tf.cast(x, 'float32');
  }

  /** The mean IoU of `targetClassIds` over those with a non-zero denominator (0 when none). */
  override result(): tf.Tensor {
    this.checkNotDisposed('result');
    return tf.tidy(() => {
      const predicted = tf.sum(this.totalCm, 0);
      const actual = tf.sum(this.totalCm, 1);
      const truePositives = tf.mul(this.totalCm, tf.eye(this.numClasses)).sum(1);
      const denominator = tf.sub(tf.add(predicted, actual), truePositives);
      const ids = tf.tensor1d(this.targetClassIds, 'int32');
      const tp = tf.gather(truePositives, ids);
      const den = tf.gather(denominator, ids);
      const valid = tf.greater(den, 1e-9);
      const iou = tf.where(valid, tf.div(tp, tf.add(den, EPSILON)), tf.zerosLike(tp));
      return tf.div(tf.sum(iou), tf.add(tf.sum(tf.cast(valid, 'float32')), EPSILON));
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      dtype: this.stateDtype,
      numClasses: this.numClasses,
      targetClassIds: [...this.targetClassIds],
      ignoreClass: this.ignoreClass,
      sparseYTrue: this.sparseYTrue,
      sparseYPred: this.sparseYPred,
      axis: this.axis,
    };
  }
}

/** The options of `MeanIoU`, Keras's `MeanIoU(num_classes, name, dtype, ignore_class, sparse_y_true, sparse_y_pred, axis)`. */
export type MeanIoUOptions = Omit<IoUOptions, 'targetClassIds'>;

/**
 * The IoU averaged over every class seen: Keras's `keras.metrics.MeanIoU`
 * (an `IoU` whose targets are all `numClasses` classes).
 *
 * @example model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: [new metrics.MeanIoU({ numClasses: 3, sparseYPred: false })] })
 */
export class MeanIoU extends IoU {
  static override readonly className: string = 'MeanIoU';
  constructor(options: MeanIoUOptions = {}, className = 'MeanIoU', defaultName = 'mean_io_u') {
    const read = readOptions<MeanIoUOptions>(className, options, [
      ...BASE_OPTIONS,
      'numClasses',
      'sparseYTrue',
      'sparseYPred',
    ]);
    const numClasses = checkNumClasses(read.numClasses);
    super({ ...read, name: read.name ?? defaultName, targetClassIds: Array.from({ length: numClasses }, (_, i) => i) });
  }
  override getConfig(): Record<string, unknown> {
    const { targetClassIds: _, ...config } = super.getConfig();
    return {
      numClasses: config.numClasses,
      name: config.name,
      dtype: config.dtype,
      ignoreClass: config.ignoreClass,
      sparseYTrue: config.sparseYTrue,
      sparseYPred: config.sparseYPred,
      axis: config.axis,
    };
  }
}

/** The options of `BinaryIoU`, Keras's `BinaryIoU(target_class_ids=(0, 1), threshold=0.5, name, dtype)`. */
export interface BinaryIoUOptions extends Omit<MetricOptions, 'dtype'> {
  /** `[0]`, `[1]` or `[0, 1]` (default): the classes whose IoU is averaged. */
  targetClassIds?: readonly number[];
  /** A prediction at or above it is class 1; default 0.5. */
  threshold?: number;
  /** The confusion matrix's dtype; Keras's default `"int32"` truncates weights (and labels) to integers. */
  dtype?: IoUDtype;
}

/**
 * IoU of a binary task from scores thresholded at `threshold`: Keras's
 * `keras.metrics.BinaryIoU`.
 *
 * @example model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: [new metrics.BinaryIoU({ targetClassIds: [1], threshold: 0.5 })] })
 */
export class BinaryIoU extends IoU {
  static override readonly className: string = 'BinaryIoU';
  readonly threshold: number;
  constructor(options: BinaryIoUOptions = {}) {
    const read = readOptions<BinaryIoUOptions>('BinaryIoU', options, [
      ...METRIC_OPTIONS,
      'targetClassIds',
      'threshold',
    ]);
    const threshold = read.threshold ?? 0.5;
    if (typeof threshold !== 'number' || Number.isNaN(threshold))
      throw invalidArgument('threshold', 'a number', threshold);
    super({
      name: read.name ?? 'binary_io_u',
      dtype: read.dtype,
      numClasses: 2,
      targetClassIds: read.targetClassIds ?? [0, 1],
    });
    this.threshold = threshold;
  }
  /** Keras: labels to the dtype, predictions `>= threshold` as 0/1, then `IoU`'s update. */
  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    const thresholded = tf.tidy(() => tf.cast(tf.greaterEqual(tf.cast(yPred, 'float32'), this.threshold), 'float32'));
    try {
      super.updateState(yTrue, thresholded, sampleWeight);
    } finally {
      thresholded.dispose();
    }
  }
  override getConfig(): Record<string, unknown> {
    return {
      targetClassIds: [...this.targetClassIds],
      threshold: this.threshold,
      name: this.name,
      dtype: this.stateDtype,
    };
  }
}

/** The options of `OneHotIoU`, Keras's `OneHotIoU(num_classes, target_class_ids, name, dtype, ignore_class, sparse_y_pred=False, axis)`. */
export type OneHotIoUOptions = Omit<IoUOptions, 'sparseYTrue'>;

/**
 * `IoU` for one-hot labels (and, by default, scores for predictions), both
 * read by `argMax`: Keras's `keras.metrics.OneHotIoU`.
 *
 * @example new metrics.OneHotIoU({ numClasses: 3, targetClassIds: [0, 2] })
 */
export class OneHotIoU extends IoU {
  static override readonly className: string = 'OneHotIoU';
  constructor(options: OneHotIoUOptions = {}) {
    const read = readOptions<OneHotIoUOptions>('OneHotIoU', options, [
      ...BASE_OPTIONS,
      'numClasses',
      'targetClassIds',
      'sparseYPred',
    ]);
    super({ ...read, name: read.name ?? 'one_hot_io_u', sparseYTrue: false, sparseYPred: read.sparseYPred ?? false });
  }
  override getConfig(): Record<string, unknown> {
    return {
      numClasses: this.numClasses,
      targetClassIds: [...this.targetClassIds],
      name: this.name,
      dtype: this.stateDtype,
      ignoreClass: this.ignoreClass,
      sparseYPred: this.sparseYPred,
      axis: this.axis,
    };
  }
}

/** The options of `OneHotMeanIoU`, Keras's `OneHotMeanIoU(num_classes, name, dtype, ignore_class, sparse_y_pred=False, axis)`. */
export type OneHotMeanIoUOptions = Omit<MeanIoUOptions, 'sparseYTrue'>;

/**
 * `MeanIoU` for one-hot labels (and, by default, scores for predictions):
 * Keras's `keras.metrics.OneHotMeanIoU`.
 *
 * @example model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new metrics.OneHotMeanIoU({ numClasses: 3 })] })
 */
export class OneHotMeanIoU extends MeanIoU {
  static override readonly className: string = 'OneHotMeanIoU';
  constructor(options: OneHotMeanIoUOptions = {}) {
    const read = readOptions<OneHotMeanIoUOptions>('OneHotMeanIoU', options, [
      ...BASE_OPTIONS,
      'numClasses',
      'sparseYPred',
    ]);
    super(
      { ...read, sparseYTrue: false, sparseYPred: read.sparseYPred ?? false },
      'OneHotMeanIoU',
      'one_hot_mean_io_u',
    );
  }
  override getConfig(): Record<string, unknown> {
    return {
      numClasses: this.numClasses,
      name: this.name,
      dtype: this.stateDtype,
      ignoreClass: this.ignoreClass,
      sparseYPred: this.sparseYPred,
      axis: this.axis,
    };
  }
}
