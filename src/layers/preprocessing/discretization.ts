/** Discretization: values to bucket indices by boundaries, as Keras's preprocessing layer. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { type CategoricalOutputMode, oneOf, refuseSparse } from './arguments.js';
import { encodeCategorical, encodedShape } from './encode-categorical.js';
import { binBoundaries, emptySummary, mergeSummaries, summarize } from './quantile-summary.js';

/** The options of `Discretization`, Keras's `Discretization(bin_boundaries, num_bins, epsilon, output_mode, sparse)`. */
export interface DiscretizationOptions extends LayerOptions {
  /** Ascending boundaries: `[0, 1, 2]` makes the buckets `(-inf, 0)`, `[0, 1)`, `[1, 2)`, `[2, inf)`. */
  binBoundaries?: number[] | null;
  /** The number of buckets `adapt` makes from the data's quantiles (instead of `binBoundaries`). */
  numBins?: number | null;
  /** The quantile error `adapt` allows; default 0.01. */
  epsilon?: number;
  /** `"int"` (default, int32 indices), `"one_hot"`, `"multi_hot"` or `"count"`. */
  outputMode?: CategoricalOutputMode;
  /** Only false: tfjs has no sparse tensors. */
  sparse?: boolean;
}

const OUTPUT_MODES = ['int', 'one_hot', 'multi_hot', 'count'] as const;

/**
 * Buckets each input value by `binBoundaries` (Keras's `Discretization`,
 * NumPy's `digitize`: the index is the number of boundaries `<=` the
 * value), then encodes the indices per `outputMode`. With `numBins`,
 * `adapt(data)` sets the boundaries from approximate quantiles, exactly as
 * Keras computes them; the boundaries are part of the config (Keras saves
 * no weights for this layer).
 *
 * @example new layers.Discretization({ binBoundaries: [0, 1, 2] }).apply(tf.tensor([[-1, 0.5, 3]])) // [[0, 1, 3]]
 */
export class Discretization extends Layer {
  static override readonly className: string = 'Discretization';
  /** Null until adapted when made with `numBins`. */
  binBoundaries: number[] | null;
  readonly numBins: number | null;
  readonly epsilon: number;
  readonly outputMode: CategoricalOutputMode;
  readonly sparse: false;

  constructor(options: DiscretizationOptions = {}) {
    super(layerOptionsOf('Discretization', options, ['binBoundaries', 'numBins', 'epsilon', 'outputMode', 'sparse']));
    this.sparse = refuseSparse('Discretization', options.sparse);
    this.outputMode = oneOf('Discretization', 'output_mode', options.outputMode ?? 'int', OUTPUT_MODES);
    const numBins = options.numBins ?? null;
    if (numBins != null && (typeof numBins !== 'number' || !Number.isInteger(numBins) || numBins < 0)) {
      throw new ValueError(
        `\`num_bins\` must be greater than or equal to 0. Received: \`num_bins=${formatValue(numBins)}\``,
        {
          argument: 'numBins',
          expected: 'an integer >= 0',
          received: formatValue(numBins),
        },
      );
    }
    const boundaries = options.binBoundaries ?? null;
    if (
      boundaries != null &&
      !(Array.isArray(boundaries) && boundaries.every((b) => typeof b === 'number' && !Number.isNaN(b)))
    ) {
      throw invalidArgument('binBoundaries', 'an array of numbers', boundaries);
    }
    if (numBins != null && boundaries != null) {
      throw new ValueError(
        `Both \`num_bins\` and \`bin_boundaries\` should not be set. Received: \`num_bins=${numBins}\` and \`bin_boundaries=${formatValue(boundaries)}\``,
        { argument: 'binBoundaries', expected: 'numBins or binBoundaries, not both', received: 'both' },
      );
    }
    if (numBins == null && boundaries == null) {
      throw new ValueError('You need to set either `num_bins` or `bin_boundaries`.', {
        argument: 'numBins',
        expected: 'numBins or binBoundaries',
        received: 'neither',
      });
    }
    const epsilon = options.epsilon ?? 0.01;
    if (typeof epsilon !== 'number' || !(epsilon > 0 && epsilon <= 1)) {
      throw invalidArgument('epsilon', 'a number in (0, 1]', epsilon);
    }
    this.epsilon = epsilon;
    this.numBins = numBins;
    this.binBoundaries = boundaries == null ? null : [...boundaries];
  }

  /** Keras's from_config: a config with both (an adapted layer) restores the boundaries after construction. */
  // biome-ignore lint/suspicious/noExplicitAny: as Layer.fromConfig.
  static override fromConfig<T extends Layer>(this: new (config: any) => T, config: Record<string, unknown>): T {
    if (config.binBoundaries != null && config.numBins != null) {
      const { binBoundaries, ...rest } = config;
      const layer = new this(rest);
      if (!Array.isArray(binBoundaries) || !binBoundaries.every((b) => typeof b === 'number')) {
        throw invalidArgument('binBoundaries', 'an array of numbers', binBoundaries);
      }
      (layer as unknown as Discretization).binBoundaries = [...binBoundaries];
      return layer;
    }
    return new this(config);
  }

  /**
   * Sets the boundaries from `data`'s approximate quantiles (Keras's
   * `adapt`): a tensor, nested number arrays, or an array of tensors
   * (batches summarized one after another). Needs `numBins`.
   */
  adapt(data: tf.Tensor | tf.Tensor[] | number[] | number[][]): void {
    if (this.numBins == null) {
      throw new ValueError(
        'Cannot adapt a Discretization layer that has been initialized with `bin_boundaries`, use `num_bins` instead.',
        {
          argument: 'binBoundaries',
          expected: 'a layer made with numBins',
          received: 'a layer made with binBoundaries',
        },
      );
    }
    const batches =
      Array.isArray(data) && data.length > 0 && data.every((b) => b instanceof tf.Tensor)
        ? (data as tf.Tensor[]).map((b) => b.dataSync())
        : [
            data instanceof tf.Tensor
              ? data.dataSync()
              : ((data as number[]).flat(Number.POSITIVE_INFINITY) as number[]),
          ];
    let summary = emptySummary();
    for (const batch of batches) summary = mergeSummaries(summarize(batch, this.epsilon), summary, this.epsilon);
    this.binBoundaries = binBoundaries(summary, this.numBins);
  }

  /** The number of buckets: one more than the boundaries. */
  get depth(): number {
    return (this.binBoundaries?.length ?? (this.numBins as number) - 1) + 1;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return encodedShape(inputShape, this.outputMode, this.depth);
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const boundaries = this.binBoundaries;
    if (boundaries == null) {
      throw new ValueError(
        'You need to either pass the `bin_boundaries` argument at construction time or call `adapt(dataset)` before you can start using the `Discretization` layer.',
        { argument: 'binBoundaries', expected: 'bin boundaries or an adapted layer', received: 'neither' },
      );
    }
    return tf.tidy(() => {
      const values = tf.cast(x, 'float32');
      const indices =
        boundaries.length === 0
          ? tf.zeros(values.shape, 'int32')
          : tf.sum(
              tf.cast(tf.greaterEqual(tf.expandDims(values, -1), tf.tensor1d(boundaries, 'float32')), 'int32'),
              -1,
            );
      return encodeCategorical(indices, this.outputMode, boundaries.length + 1);
    });
  }

  /** Exactly Keras's keys: its constructor takes no others (no `trainable`). */
  override getConfig(): Record<string, unknown> {
    return {
      binBoundaries: this.binBoundaries == null ? null : [...this.binBoundaries],
      numBins: this.numBins,
      epsilon: this.epsilon,
      outputMode: this.outputMode,
      sparse: this.sparse,
      name: this.name,
      dtype: 'float32',
    };
  }
}
