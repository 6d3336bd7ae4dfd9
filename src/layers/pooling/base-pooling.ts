/**
 * The rank-generic pooling behind MaxPooling1D/2D/3D and AveragePooling1D/2D/3D
 * (Keras's `BasePooling`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { type DataFormat, standardizeDataFormat, standardizePadding, standardizeTuple } from '../arguments.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkInputRank, singleShape } from '../reshaping/input-shape.js';
import { fromChannelsLast, toChannelsLast, withSpatial } from './channels.js';
import { pool } from './pool-ops.js';

/** The options of the pooling layers (`MaxPooling2D`, `AveragePooling1D`, ...), Keras's `(pool_size, strides=None, padding="valid", data_format=None)` camelCased. */
export interface PoolingOptions extends LayerOptions {
  /** The window: one number for every spatial axis, or one per axis. MaxPooling's default is 2. */
  poolSize?: number | number[];
  /** How far the window moves; default (and `null`) `poolSize`. */
  strides?: number | number[] | null;
  /** `"valid"` (default): windows inside the input; `"same"`: padded so the output has `ceil(n / stride)` positions. */
  padding?: 'valid' | 'same';
  /** `"channelsLast"` (default) or `"channelsFirst"`; Keras's snake_case spellings are accepted too. */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first';
}

/** AveragePooling's options: Keras gives `pool_size` no default there. */
export interface AveragePoolingOptions extends PoolingOptions {
  poolSize: number | number[];
}

const POOLING_OPTION_NAMES = ['poolSize', 'strides', 'padding', 'dataFormat'];

/**
 * The maximum (`mode: "max"`) or mean (`"average"`) over each `poolSize`
 * window, moving by `strides`. With `"same"` padding the mean counts only
 * the positions inside the input, as Keras (and TensorFlow) do. The
 * computation (on tfjs's 2D kernels, whatever the rank) is in pool-ops.ts.
 */
export abstract class BasePooling extends Layer {
  readonly rank: 1 | 2 | 3;
  readonly mode: 'max' | 'average';
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;

  constructor(
    rank: 1 | 2 | 3,
    mode: 'max' | 'average',
    className: string,
    options: PoolingOptions,
    defaultPoolSize?: number,
  ) {
    super(layerOptionsOf(className, options, POOLING_OPTION_NAMES));
    this.rank = rank;
    this.mode = mode;
    this.poolSize = [...standardizeTuple(options.poolSize ?? defaultPoolSize, rank, 'poolSize')];
    this.strides = [...standardizeTuple(options.strides ?? this.poolSize, rank, 'strides')];
    this.padding = standardizePadding(options.padding ?? 'valid', false) as 'valid' | 'same';
    this.dataFormat = standardizeDataFormat(options.dataFormat);
  }

  /** Keras's `compute_pooling_output_shape`, which refuses a window larger than a known ('valid') axis. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    checkInputRank(shape, this.rank + 2, this.name);
    const first = this.dataFormat === 'channelsLast' ? 1 : 2;
    const spatial = shape.slice(first, first + this.rank).map((n, i) => {
      if (n === null) return null;
      const span = this.poolSize[i] as number;
      const stride = this.strides[i] as number;
      const out = this.padding === 'valid' ? Math.floor((n - span) / stride) + 1 : Math.floor((n - 1) / stride) + 1;
      if (out <= 0) {
        throw new ValueError(
          `Computed output size would be zero or negative. Received: inputs.shape=${formatShape(shape)}, poolSize=${formatValue(this.poolSize)}, strides=${formatValue(this.strides)}, padding=${this.padding}`,
          {
            argument: 'inputs',
            expected: `at least ${span} positions on axis ${first + i}`,
            received: formatShape(shape),
          },
        );
      }
      return out;
    });
    return withSpatial(shape, spatial, this.dataFormat);
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    this.computeOutputShape([...x.shape]);
    return tf.tidy(() => fromChannelsLast(pool(toChannelsLast(x, this.dataFormat), this), this.dataFormat));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      poolSize: [...this.poolSize],
      padding: this.padding,
      strides: [...this.strides],
      dataFormat: this.dataFormat,
    };
  }
}
