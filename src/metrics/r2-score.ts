/**
 * Keras's `R2Score` (keras/src/metrics/regression_metrics.py): the
 * coefficient of determination from running sums per output, optionally
 * adjusted for the number of regressors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { sameRank, sameRankShapes } from '../losses/masked-reduction.js';
import { readOptions } from '../utils/options.js';
import { METRIC_OPTIONS, Metric, type MetricOptions } from './base.js';

/** How `R2Score` combines the outputs' scores: Keras's `class_aggregation`. */
export type R2ClassAggregation = 'uniform_average' | 'variance_weighted_average' | null;

/** The options of `R2Score`, Keras's `R2Score(class_aggregation="uniform_average", num_regressors=0, name, dtype)`. */
export interface R2ScoreOptions extends MetricOptions {
  /** `"uniform_average"` (default), `"variance_weighted_average"`, or `null` for one score per output. */
  classAggregation?: R2ClassAggregation;
  /** The number of independent regressors, for the adjusted R²; default 0 (plain R²). */
  numRegressors?: number;
}

const AGGREGATIONS: readonly R2ClassAggregation[] = [null, 'uniform_average', 'variance_weighted_average'];

/**
 * The coefficient of determination, `1 - SS_res / SS_tot` per output over
 * every sample seen: Keras's `keras.metrics.R2Score`. Inputs are
 * (batch, outputs); the per-output variables (`squared_sum`, `sum`,
 * `residual`, `count`) are made at the first update, after `num_samples`,
 * as Keras does. An output with constant targets scores 0 (Keras maps the
 * infinite ratio to 0).
 *
 * @example model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.R2Score()] })
 */
export class R2Score extends Metric {
  static override readonly className: string = 'R2Score';
  readonly classAggregation: R2ClassAggregation;
  readonly numRegressors: number;
  readonly numSamples: tf.Variable;
  #sums: { squaredSum: tf.Variable; sum: tf.Variable; residual: tf.Variable; count: tf.Variable } | null = null;

  constructor(options: R2ScoreOptions = {}) {
    const read = readOptions<R2ScoreOptions>('R2Score', options, [
      ...METRIC_OPTIONS,
      'classAggregation',
      'numRegressors',
    ]);
    super({ name: read.name, dtype: read.dtype }, 'r2_score');
    const aggregation = read.classAggregation === undefined ? 'uniform_average' : read.classAggregation;
    if (!AGGREGATIONS.includes(aggregation)) {
      throw invalidArgument('classAggregation', 'null, "uniform_average" or "variance_weighted_average"', aggregation);
    }
    const numRegressors = read.numRegressors ?? 0;
    if (typeof numRegressors !== 'number' || !Number.isInteger(numRegressors) || numRegressors < 0) {
      throw invalidArgument('numRegressors', 'an integer >= 0', numRegressors);
    }
    this.classAggregation = aggregation;
    this.numRegressors = numRegressors;
    this.numSamples = this.addVariable({ name: 'num_samples', shape: [] });
  }

  private build(trueShape: readonly number[], predShape: readonly number[]) {
    if (predShape.length !== 2 || trueShape.length !== 2) {
      throw new ValueError(
        `R2Score expects 2D inputs with shape (batch_size, output_dim). Received input shapes: yPred.shape=${JSON.stringify(predShape)} and yTrue.shape=${JSON.stringify(trueShape)}.`,
        { argument: 'yPred', expected: 'shape (batch_size, output_dim)', received: JSON.stringify(predShape) },
      );
    }
    const outputs = predShape[1] as number;
    this.#sums = {
      squaredSum: this.addVariable({ name: 'squared_sum', shape: [outputs] }),
      sum: this.addVariable({ name: 'sum', shape: [outputs] }),
      residual: this.addVariable({ name: 'residual', shape: [outputs] }),
      count: this.addVariable({ name: 'count', shape: [outputs] }),
    };
    return this.#sums;
  }

  override updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null = null): void {
    this.checkNotDisposed('updateState');
    const [yShape, pShape] = sameRankShapes(yTrue.shape, yPred.shape);
    const sums = this.#sums ?? this.build(yShape, pShape);
    if (yShape.length !== 2 || pShape.length !== 2 || pShape[1] !== sums.sum.shape[0] || yShape[1] !== pShape[1]) {
      throw new ValueError(
        `R2Score expects inputs of shape (batch_size, ${sums.sum.shape[0]}), as at its first update. Received input shapes: yPred.shape=${JSON.stringify(yPred.shape)} and yTrue.shape=${JSON.stringify(yTrue.shape)}.`,
        {
          argument: 'yTrue',
          expected: `shape (batch_size, ${sums.sum.shape[0]})`,
          received: JSON.stringify(yTrue.shape),
        },
      );
    }
    // An empty batch adds nothing (Keras adds zeros); tfjs's sum over an empty axis is not reliably 0.
    if (yTrue.size === 0) return;
    tf.tidy(() => {
      const [y, p] = sameRank(tf.cast(yTrue, 'float32'), tf.cast(yPred, 'float32'));
      let w: tf.Tensor = sampleWeight == null ? tf.scalar(1) : tf.cast(sampleWeight, 'float32');
      if (w.rank === 1) w = tf.expandDims(w, 1);
      w = tf.broadcastTo(w, y.shape);
      const weighted = tf.mul(y, w);
      sums.sum.assign(tf.add(sums.sum, tf.sum(weighted, 0)));
      sums.squaredSum.assign(tf.add(sums.squaredSum, tf.sum(tf.mul(y, weighted), 0)));
      sums.residual.assign(tf.add(sums.residual, tf.sum(tf.mul(tf.square(tf.sub(y, p)), w), 0)));
      sums.count.assign(tf.add(sums.count, tf.sum(w, 0)));
      this.numSamples.assign(tf.add(this.numSamples, y.size));
    });
  }

  /** R² per output, aggregated; NaN before the first update, as Keras's 0/0. */
  override result(): tf.Tensor {
    this.checkNotDisposed('result');
    const sums = this.#sums;
    if (sums == null) return tf.scalar(Number.NaN);
    const samples = this.numSamples.dataSync()[0] as number;
    return tf.tidy(() => {
      const mean = tf.div(sums.sum, sums.count);
      const total = tf.sub(sums.squaredSum, tf.mul(sums.sum, mean));
      let raw = tf.sub(1, tf.div(sums.residual, total));
      raw = tf.where(tf.isInf(raw), tf.zerosLike(raw), raw);
      let r2: tf.Tensor;
      if (this.classAggregation === 'uniform_average') r2 = tf.mean(raw);
      else if (this.classAggregation === 'variance_weighted_average')
        r2 = tf.div(tf.sum(tf.mul(total, raw)), tf.sum(total));
      else r2 = raw;
      // Keras falls back to the plain R² (with a warning) when p >= n - 1.
      if (this.numRegressors !== 0 && this.numRegressors < samples - 1) {
        r2 = tf.sub(1, tf.div(tf.mul(tf.sub(1, r2), samples - 1), samples - this.numRegressors - 1));
      }
      return r2;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), classAggregation: this.classAggregation, numRegressors: this.numRegressors };
  }
}
