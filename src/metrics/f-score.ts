/**
 * Keras's `FBetaScore` and `F1Score` (keras/src/metrics/f_score_metrics.py):
 * per-class (or pooled, `average: "micro"`) true positives, false positives
 * and false negatives of thresholded predictions, and the F-beta score.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { readOptions } from '../utils/options.js';
import { METRIC_OPTIONS, Metric, type MetricOptions } from './base.js';
import { EPSILON } from './confusion/update.js';

/** How the per-class scores are combined: none (one per class), pooled counts, their mean, or weighted by support. */
export type FScoreAverage = null | 'micro' | 'macro' | 'weighted';

/** The options of `FBetaScore`, Keras's `FBetaScore(average=None, beta=1.0, threshold=None, ...)`. */
export interface FBetaScoreOptions extends MetricOptions {
  /** `null` (default: a score per class), `"micro"`, `"macro"` or `"weighted"`. */
  average?: FScoreAverage;
  /** The weight of recall against precision, > 0; default 1. */
  beta?: number;
  /** A prediction above it is positive, in (0, 1]; default: the largest of each sample (ties too) is. */
  threshold?: number | null;
}

/** The options of `F1Score`: those of FBetaScore without `beta`. */
export type F1ScoreOptions = Omit<FBetaScoreOptions, 'beta'>;

const shapeText = (shape: readonly number[]) => `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;

/** FBetaScore's counts, once built. */
interface FScoreState {
  tp: tf.Variable;
  fp: tf.Variable;
  fn: tf.Variable;
  weights: tf.Variable;
}

/**
 * The F-beta score, `(1 + beta²) · precision · recall / (beta² · precision + recall)`,
 * over 2-D labels and predictions (samples, classes): Keras's `keras.metrics.FBetaScore`.
 * Its result is a vector (one score per class) when `average` is null.
 *
 * @example new metrics.FBetaScore({ beta: 2, average: 'macro', threshold: 0.5 })
 */
export class FBetaScore extends Metric {
  static override readonly className: string = 'FBetaScore';
  readonly average: FScoreAverage;
  readonly beta: number;
  readonly threshold: number | null;
  #state: FScoreState | null = null;

  constructor(options: FBetaScoreOptions = {}, className = 'FBetaScore', defaultName = 'fbeta_score') {
    const allowed =
      className === 'F1Score'
        ? METRIC_OPTIONS.concat(['average', 'threshold'])
        : METRIC_OPTIONS.concat(['average', 'beta', 'threshold']);
    const read = readOptions<FBetaScoreOptions>(className, options, allowed);
    super(read, defaultName);
    const average = read.average ?? null;
    if (![null, 'micro', 'macro', 'weighted'].includes(average)) {
      throw new ValueError(
        `Invalid \`average\` argument value. Expected one of: {null, 'micro', 'macro', 'weighted'}. Received: average=${String(average)}`,
        { argument: 'average', expected: "null, 'micro', 'macro' or 'weighted'", received: String(average) },
      );
    }
    const beta = read.beta ?? 1;
    if (typeof beta !== 'number' || !Number.isFinite(beta) || beta <= 0) {
      throw new ValueError(`Invalid \`beta\` argument value. It should be > 0. Received: beta=${String(beta)}`, {
        argument: 'beta',
        expected: 'a number > 0',
        received: String(beta),
      });
    }
    const threshold = read.threshold ?? null;
    if (threshold != null && (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1))) {
      throw new ValueError(
        `Invalid \`threshold\` argument value. It should verify 0 < threshold <= 1. Received: threshold=${String(threshold)}`,
        { argument: 'threshold', expected: 'a number in (0, 1]', received: String(threshold) },
      );
    }
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
  }

  #build(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    if (yPred.rank !== 2 || yTrue.rank !== 2) {
      throw new ValueError(
        `FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input shapes: y_pred.shape=${shapeText(yPred.shape)} and y_true.shape=${shapeText(yTrue.shape)}.`,
        { argument: 'yPred', expected: 'rank-2 labels and predictions', received: shapeText(yPred.shape) },
      );
    }
    const shape = this.average === 'micro' ? [] : [yPred.shape[1] as number];
    this.#state = {
      tp: this.addVariable({ name: 'true_positives', shape }),
      fp: this.addVariable({ name: 'false_positives', shape }),
      fn: this.addVariable({ name: 'false_negatives', shape }),
      weights: this.addVariable({ name: 'intermediate_weights', shape }),
    };
  }

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    if (this.#state == null) this.#build(yTrue, yPred);
    const s = this.#state as FScoreState;
    if (
      yTrue.rank !== 2 ||
      yPred.rank !== 2 ||
      yTrue.shape[1] !== yPred.shape[1] ||
      yTrue.shape[0] !== yPred.shape[0]
    ) {
      throw new ValueError(
        `FBetaScore: labels of shape ${shapeText(yTrue.shape)} do not fit predictions of shape ${shapeText(yPred.shape)}.`,
        { argument: 'yTrue', expected: `the shape ${shapeText(yPred.shape)}`, received: shapeText(yTrue.shape) },
      );
    }
    if (s.tp.rank === 1 && s.tp.shape[0] !== yPred.shape[1]) {
      throw new ValueError(
        `FBetaScore was built for ${s.tp.shape[0]} classes; yPred has shape ${shapeText(yPred.shape)}.`,
        {
          argument: 'yPred',
          expected: `${s.tp.shape[0]} classes`,
          received: shapeText(yPred.shape),
        },
      );
    }
    // An empty batch adds nothing (and zero-size tensors trip the wasm kernels).
    if (yPred.size === 0) return;
    tf.tidy(() => {
      const p = tf.cast(yPred, 'float32');
      const positive =
        this.threshold == null
          ? tf.logicalAnd(tf.greaterEqual(p, tf.max(p, -1, true)), tf.greater(tf.abs(p), 1e-9))
          : tf.greater(p, this.threshold);
      const pred = tf.cast(positive, 'float32');
      const truth = tf.cast(yTrue, 'float32');
      const axis = this.average === 'micro' ? undefined : 0;
      const weighted = (v: tf.Tensor) =>
        tf.sum(sampleWeight == null ? v : tf.mul(v, tf.expandDims(tf.cast(sampleWeight, 'float32'), 1)), axis);
      s.tp.assign(tf.add(s.tp, weighted(tf.mul(pred, truth))));
      s.fp.assign(tf.add(s.fp, weighted(tf.mul(pred, tf.sub(1, truth)))));
      s.fn.assign(tf.add(s.fn, weighted(tf.mul(tf.sub(1, pred), truth))));
      s.weights.assign(tf.add(s.weights, weighted(truth)));
    });
  }

  override result(): tf.Tensor {
    this.checkNotDisposed('result');
    const s = this.#state;
    // Nothing seen yet (the state is shaped by the first batch): Keras fails there; 0 here.
    if (s == null) return tf.scalar(0);
    return tf.tidy(() => {
      const precision = tf.div(s.tp, tf.add(tf.add(s.tp, s.fp), EPSILON));
      const recall = tf.div(s.tp, tf.add(tf.add(s.tp, s.fn), EPSILON));
      const beta2 = this.beta ** 2;
      const mean = tf.div(tf.mul(precision, recall), tf.add(tf.add(tf.mul(beta2, precision), recall), EPSILON));
      const f = tf.mul(mean, 1 + beta2);
      if (this.average === 'weighted') {
        const weights = tf.div(s.weights, tf.add(tf.sum(s.weights), EPSILON));
        return tf.sum(tf.mul(f, weights));
      }
      if (this.average != null) return tf.mean(f);
      return f;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), average: this.average, beta: this.beta, threshold: this.threshold };
  }
}

/**
 * The F1 score, the harmonic mean of precision and recall: Keras's
 * `keras.metrics.F1Score` (FBetaScore with beta 1).
 *
 * @example model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new metrics.F1Score({ average: 'macro' })] })
 */
export class F1Score extends FBetaScore {
  static override readonly className: string = 'F1Score';
  constructor(options: F1ScoreOptions = {}) {
    super(options, 'F1Score', 'f1_score');
  }
  override getConfig(): Record<string, unknown> {
    const { beta: _beta, ...config } = super.getConfig();
    return config;
  }
}
