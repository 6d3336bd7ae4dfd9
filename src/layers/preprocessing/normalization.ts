/** Normalization: `(x - mean) / sqrt(variance)` per feature, with Keras's `adapt` and `invert`. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { booleanOption } from './arguments.js';
import { meanAndVariance, mergeBatches } from './normalization-stats.js';

/** A number or nested arrays of numbers (NumPy's array-likes in Keras's arguments). */
export type NestedNumbers = number | NestedNumbers[];

/** The options of `Normalization`, Keras's `Normalization(axis=-1, mean=None, variance=None, invert=False)`. */
export interface NormalizationOptions extends LayerOptions {
  /** The axes that keep their own statistics (default `-1`, the features); `null` or `[]`: one mean and variance for all. */
  axis?: number | number[] | null;
  /** The mean to use instead of `adapt`; given with `variance`, broadcast over the kept axes. */
  mean?: NestedNumbers | null;
  /** The variance to use instead of `adapt`, of `mean`'s shape. */
  variance?: NestedNumbers | null;
  /** Undoes the normalization instead: `mean + x * sqrt(variance)`. Default false. */
  invert?: boolean;
}

/** Keras's `backend.epsilon()`: the least standard deviation divided by. */
const EPSILON = 1e-7;

function shapeOf(value: NestedNumbers): number[] {
  const shape: number[] = [];
  let level: NestedNumbers = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] as NestedNumbers;
  }
  return shape;
}

function statisticOption(argument: string, value: unknown): NestedNumbers | null {
  if (value == null) return null;
  const finite = (v: unknown): boolean =>
    Array.isArray(v) ? v.length > 0 && v.every(finite) : typeof v === 'number' && Number.isFinite(v);
  if (!finite(value)) throw invalidArgument(argument, 'a number or a nested array of numbers', value);
  return value as NestedNumbers;
}

function axisOption(value: unknown): number[] {
  if (value === undefined) return [-1];
  if (value === null) return [];
  const axes = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(axes) || !axes.every((a) => Number.isInteger(a))) {
    throw invalidArgument('axis', 'an integer, an array of integers or null', value);
  }
  return [...(axes as number[])];
}

/**
 * Shifts and scales inputs into a distribution centred on 0 with standard
 * deviation 1, per position along `axis` (Keras's `Normalization`):
 * `(x - mean) / max(sqrt(variance), 1e-7)`, or with `invert`
 * `mean + x * max(sqrt(variance), 1e-7)`. The statistics come from the
 * constructor's `mean` and `variance`, or from `adapt(data)`, which stores
 * them in the non-trainable weights `mean`, `variance` and `count` that
 * Keras saves. The gradient with respect to the inputs passes through.
 *
 * A layer made here and used before `adapt` without `mean` and `variance`
 * is an error (Keras silently divides by its initial variance of 1); one
 * made from a config (a loaded file) runs on the statistics it holds.
 *
 * @example const norm = new layers.Normalization(); norm.adapt(x); norm.apply(y)
 */
export class Normalization extends Layer {
  static override readonly className: string = 'Normalization';
  readonly axis: number[];
  readonly invert: boolean;
  /** Keras's `count` is an int variable: its files store it as an integer, read as a number here. */
  readonly kerasIntegerWeights: readonly string[] = ['count'];
  /** The constructor's `mean` (null when the layer is adapted). */
  readonly inputMean: NestedNumbers | null;
  readonly inputVariance: NestedNumbers | null;
  #keepAxes: number[] = [];
  #broadcastShape: number[] = [];
  #mean: tf.Tensor | null = null;
  #variance: tf.Tensor | null = null;
  #adaptMean: tf.Variable | null = null;
  #adaptVariance: tf.Variable | null = null;
  /** Whether the statistics are real: given, adapted, set or loaded. */
  #ready: boolean;

  constructor(options: NormalizationOptions = {}) {
    super(layerOptionsOf('Normalization', options, ['axis', 'mean', 'variance', 'invert']));
    this.axis = axisOption(options.axis);
    this.invert = booleanOption('invert', options.invert, false);
    const mean = statisticOption('mean', options.mean);
    const variance = statisticOption('variance', options.variance);
    if ((mean == null) !== (variance == null)) {
      throw new ValueError(
        `When setting values directly, both \`mean\` and \`variance\` must be set. Received: mean=${formatValue(mean)} and variance=${formatValue(variance)}`,
        {
          argument: mean == null ? 'mean' : 'variance',
          expected: 'both mean and variance, or neither',
          received: formatValue({ mean, variance }),
        },
      );
    }
    if (mean != null && variance != null) {
      const [meanShape, varianceShape] = [shapeOf(mean), shapeOf(variance)];
      if (formatShape(meanShape) !== formatShape(varianceShape)) {
        throw new ValueError(
          `When setting values directly, \`mean\` and \`variance\` must have the same shape. Received: mean shape ${formatShape(meanShape)} and variance shape ${formatShape(varianceShape)}`,
          {
            argument: 'variance',
            expected: `shape ${formatShape(meanShape)}`,
            received: `shape ${formatShape(varianceShape)}`,
          },
        );
      }
      if (meanShape.length > this.axis.length) {
        throw new ValueError(
          `The rank of \`mean\` must be less than or equal to the number of axes (${this.axis.length}). Received: mean shape ${formatShape(meanShape)} for axis ${formatValue(this.axis)}`,
          {
            argument: 'mean',
            expected: `rank at most ${this.axis.length}`,
            received: `shape ${formatShape(meanShape)}`,
          },
        );
      }
    }
    this.inputMean = mean;
    this.inputVariance = variance;
    this.#ready = mean != null;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape): void {
    const ndim = inputShape.length;
    if (this.axis.some((a) => a < -ndim || a >= ndim)) {
      throw new ValueError(
        `All \`axis\` values must be in the range [-ndim, ndim). Received inputs with ndim=${ndim}, while axis=${formatValue(this.axis)}`,
        { argument: 'axis', expected: `axes in [${-ndim}, ${ndim})`, received: formatValue(this.axis) },
      );
    }
    const keep = [...new Set(this.axis.map((a) => (a < 0 ? a + ndim : a)))].sort((a, b) => a - b);
    for (const d of keep) {
      if (inputShape[d] == null) {
        throw new ValueError(
          `All \`axis\` values to be kept must have a known shape. Received axis=${formatValue(this.axis)}, inputs.shape=${formatShape(inputShape)}, with unknown axis at index ${d}`,
          { argument: 'axis', expected: 'axes of known size', received: formatValue(this.axis) },
        );
      }
    }
    this.#keepAxes = keep;
    this.#broadcastShape = inputShape.map((d, i) => (keep.includes(i) ? (d as number) : 1));
    const statShape = keep.map((d) => inputShape[d] as number);
    if (this.inputMean == null) {
      this.#adaptMean = this.addWeight({ name: 'mean', shape: statShape, initializer: 'zeros', trainable: false });
      this.#adaptVariance = this.addWeight({
        name: 'variance',
        shape: statShape,
        initializer: 'ones',
        trainable: false,
      });
      // Keras's count is an int variable that adapt never updates; it is kept for the files' layout.
      this.addWeight({ name: 'count', shape: [], initializer: 'zeros', trainable: false });
      return;
    }
    const given = (value: NestedNumbers): tf.Tensor =>
      tf.tidy(() => {
        const t = tf.tensor(value as number, undefined, 'float32');
        if (t.rank === 0) return tf.broadcastTo(t, this.#broadcastShape);
        const expanded = new Array<number>(ndim).fill(1);
        for (let i = 1; i <= t.rank; i++) expanded[keep[keep.length - i] as number] = t.shape[t.rank - i] as number;
        return tf.broadcastTo(tf.reshape(t, expanded), this.#broadcastShape);
      });
    this.#mean = tf.keep(given(this.inputMean));
    this.#variance = tf.keep(given(this.inputVariance as NestedNumbers));
  }

  /**
   * Computes the mean and variance of `data` (Keras's `adapt`): a tensor or
   * nested arrays (one array, batch axis first), or an array of tensors
   * (batches, merged as Keras merges them). Builds the layer if needed.
   */
  adapt(data: tf.Tensor | tf.Tensor[] | NestedNumbers[]): void {
    if (this.inputMean != null) {
      throw new ValueError(
        `Normalization "${this.name}" was given mean and variance; adapt() has no statistics to set. Make it without them to adapt it.`,
        {
          argument: 'data',
          expected: 'a layer made without mean and variance',
          received: 'a layer with mean and variance',
        },
      );
    }
    const isBatches = Array.isArray(data) && data.length > 0 && data.every((b) => b instanceof tf.Tensor);
    if (Array.isArray(data) && data.length === 0) {
      throw new ValueError(
        'adapt() received an empty iterable (no batches). Expected at least one batch. Pass a non-empty array of tensors or one tensor.',
        { argument: 'data', expected: 'a non-empty array', received: '[]' },
      );
    }
    const batches = isBatches ? (data as tf.Tensor[]) : null;
    const single =
      batches == null ? (data instanceof tf.Tensor ? data : tf.tensor(data as number[], undefined, 'float32')) : null;
    try {
      const first = batches != null ? (batches[0] as tf.Tensor) : (single as tf.Tensor);
      const shape: Shape = [...first.shape];
      if (!this.built) this.build(shape);
      for (const batch of batches ?? [first]) {
        for (const d of this.#keepAxes) {
          if (batch.shape[d] !== this.#broadcastShape[d]) {
            throw new ValueError(
              `The layer was built with input_shape=${formatShape(this.buildInputShape as Shape)}, but adapt() is being called with data with an incompatible shape, data.shape=${formatShape(batch.shape)}`,
              {
                argument: 'data',
                expected: `axis ${d} of size ${this.#broadcastShape[d]}`,
                received: formatShape(batch.shape),
              },
            );
          }
        }
      }
      const stats = batches != null ? mergeBatches(batches, this.#keepAxes) : meanAndVariance(first, this.#keepAxes);
      const statShape = this.#keepAxes.map((d) => this.#broadcastShape[d] as number);
      tf.tidy(() => {
        (this.#adaptMean as tf.Variable).assign(tf.tensor(Float32Array.from(stats.mean), statShape, 'float32'));
        (this.#adaptVariance as tf.Variable).assign(tf.tensor(Float32Array.from(stats.variance), statShape, 'float32'));
      });
      this.#ready = true;
    } finally {
      if (single != null && single !== data) single.dispose();
    }
  }

  override setWeights(values: readonly (tf.Tensor | tf.TensorLike)[]): void {
    super.setWeights(values);
    this.#ready = true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    this.#checkReady();
    return tf.tidy(() => {
      const mean = this.#mean ?? tf.reshape(this.#adaptMean as tf.Variable, this.#broadcastShape);
      const variance = this.#variance ?? tf.reshape(this.#adaptVariance as tf.Variable, this.#broadcastShape);
      const std = tf.maximum(tf.sqrt(variance), EPSILON);
      const input = tf.cast(x, 'float32');
      return this.invert ? tf.add(mean, tf.mul(input, std)) : tf.div(tf.sub(input, mean), std);
    });
  }

  /** A layer never adapted nor given statistics refuses to run; weights changed since (loaded, assigned) count as given. */
  #checkReady(): void {
    if (this.#ready) return;
    const initial = tf.tidy(() =>
      tf
        .logicalAnd(
          tf.all(tf.equal(this.#adaptMean as tf.Variable, 0)),
          tf.all(tf.equal(this.#adaptVariance as tf.Variable, 1)),
        )
        .dataSync(),
    )[0];
    if (!initial) {
      this.#ready = true;
      return;
    }
    throw new ValueError(
      `Normalization layer "${this.name}" has no statistics: call adapt(data) before using it, or pass mean and variance to its constructor.`,
      { argument: 'mean', expected: 'an adapted layer, or mean and variance', received: 'neither' },
    );
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: [...this.axis],
      invert: this.invert,
      mean: this.inputMean,
      variance: this.inputVariance,
    };
  }

  /** A layer from a config (a loaded file) holds Keras's statistics as saved, adapted or not. */
  // biome-ignore lint/suspicious/noExplicitAny: as Layer.fromConfig.
  static override fromConfig<T extends Layer>(this: new (config: any) => T, config: Record<string, unknown>): T {
    const layer = new this(config);
    if (layer instanceof Normalization) layer.#ready = true;
    return layer;
  }

  override dispose(): void {
    tf.dispose([this.#mean, this.#variance].filter((t): t is tf.Tensor => t != null));
    this.#mean = null;
    this.#variance = null;
    this.#adaptMean = null;
    this.#adaptVariance = null;
    super.dispose();
  }
}
