/**
 * The adaptive poolings (Keras's `AdaptiveAveragePooling1D/2D/3D` and
 * `AdaptiveMaxPooling1D/2D/3D`): any spatial size in, `outputSize` out.
 * Bin `i` of an axis of length `L` pooled to `n` covers `[floor(i L / n),
 * ceil((i + 1) L / n))`, as Keras's (and PyTorch's) arithmetic; each
 * spatial axis is pooled in turn (depth, height, width), as Keras's JAX
 * backend does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { type DataFormat, standardizeDataFormat } from '../arguments.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkInputRank, singleShape } from '../reshaping/input-shape.js';
import { spatialAxesOf, withSpatial } from './channels.js';

/** The options of the adaptive poolings, Keras's `(output_size, data_format=None)` camelCased. */
export interface AdaptivePoolingOptions extends LayerOptions {
  /** The output's spatial size: one positive integer for every spatial axis, or one per axis. */
  outputSize: number | number[];
  /** `"channelsLast"` (default) or `"channelsFirst"`; Keras's snake_case spellings are accepted too. */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first';
}

/** Keras's bins of an axis of `length` pooled to `size`: `[start, end)` each. */
export function adaptiveBins(length: number, size: number): [number, number][] {
  return Array.from({ length: size }, (_, i) => [
    Math.floor((i * length) / size),
    Math.ceil(((i + 1) * length) / size),
  ]);
}

/**
 * The rank-generic adaptive pooling: `(batch, ...spatial, channels)` (or
 * channels first) to `(batch, ...outputSize, channels)`, each output the
 * mean (`mode: "average"`) or maximum (`"max"`) of its bin. No weights.
 *
 * @example const pooled = new layers.AdaptiveAveragePooling2D({ outputSize: 2 }).apply(x); // (batch, 2, 2, channels)
 */
export abstract class BaseAdaptivePooling extends Layer {
  readonly rank: 1 | 2 | 3;
  readonly mode: 'average' | 'max';
  readonly outputSize: number[];
  readonly dataFormat: DataFormat;

  constructor(rank: 1 | 2 | 3, mode: 'average' | 'max', className: string, options: AdaptivePoolingOptions) {
    super(layerOptionsOf(className, options, ['outputSize', 'dataFormat']));
    this.rank = rank;
    this.mode = mode;
    this.outputSize = readOutputSize(options?.outputSize, rank);
    this.dataFormat = standardizeDataFormat(options.dataFormat);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    checkInputRank(shape, this.rank + 2, this.name);
    return withSpatial(shape, this.outputSize, this.dataFormat);
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    checkInputRank([...x.shape], this.rank + 2, this.name);
    return tf.tidy(() => {
      let y = x;
      spatialAxesOf(this.rank, this.dataFormat).forEach((axis, i) => {
        y = poolAxis(y, axis, this.outputSize[i] as number, this.mode);
      });
      return y;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), outputSize: [...this.outputSize], dataFormat: this.dataFormat };
  }
}

/** `x` pooled along `axis` to `size` bins: one slice per bin, reduced, then joined. */
function poolAxis(x: tf.Tensor, axis: number, size: number, mode: 'average' | 'max'): tf.Tensor {
  const length = x.shape[axis] as number;
  if (length === 0) {
    throw new ValueError(
      `Adaptive pooling cannot pool an empty axis ${axis}. Received: inputs.shape=${formatValue(x.shape)}`,
      {
        argument: 'inputs',
        expected: `a nonzero size on axis ${axis}`,
        received: formatValue(x.shape),
      },
    );
  }
  const pieces = adaptiveBins(length, size).map(([start, end]) => {
    const begin = x.shape.map((_, a) => (a === axis ? start : 0));
    const extent = x.shape.map((d, a) => (a === axis ? end - start : d));
    const bin = tf.slice(x, begin, extent);
    return mode === 'average' ? tf.mean(bin, axis, true) : tf.max(bin, axis, true);
  });
  return pieces.length === 1 ? (pieces[0] as tf.Tensor) : tf.concat(pieces, axis);
}

/** Keras's `output_size`: an integer for every axis, or a list of `rank` of them; positive here. */
function readOutputSize(value: unknown, rank: number): number[] {
  const list = typeof value === 'number' ? new Array<number>(rank).fill(value) : value;
  if (!Array.isArray(list) || list.length !== rank || !list.every((d) => Number.isInteger(d) && d > 0)) {
    const expected =
      rank === 1 ? 'a positive integer (or a list of one)' : `a positive integer or a list of ${rank} of them`;
    throw new ValueError(
      `Invalid value for argument outputSize: expected ${expected}. Received: outputSize=${formatValue(value)}`,
      {
        argument: 'outputSize',
        expected,
        received: formatValue(value),
      },
    );
  }
  return [...list];
}

/**
 * Adaptive average pooling of sequences: `(batch, steps, channels)` to `(batch, outputSize, channels)`.
 *
 * @example new layers.AdaptiveAveragePooling1D({ outputSize: 4 })
 */
export class AdaptiveAveragePooling1D extends BaseAdaptivePooling {
  static override readonly className: string = 'AdaptiveAveragePooling1D';
  constructor(options: AdaptivePoolingOptions) {
    super(1, 'average', 'AdaptiveAveragePooling1D', options);
  }
}

/**
 * Adaptive average pooling of images: `(batch, h, w, channels)` to `(batch, ...outputSize, channels)`.
 *
 * @example new layers.AdaptiveAveragePooling2D({ outputSize: [7, 7] })
 */
export class AdaptiveAveragePooling2D extends BaseAdaptivePooling {
  static override readonly className: string = 'AdaptiveAveragePooling2D';
  constructor(options: AdaptivePoolingOptions) {
    super(2, 'average', 'AdaptiveAveragePooling2D', options);
  }
}

/**
 * Adaptive average pooling of volumes: `(batch, d, h, w, channels)` to `(batch, ...outputSize, channels)`.
 *
 * @example new layers.AdaptiveAveragePooling3D({ outputSize: 2 })
 */
export class AdaptiveAveragePooling3D extends BaseAdaptivePooling {
  static override readonly className: string = 'AdaptiveAveragePooling3D';
  constructor(options: AdaptivePoolingOptions) {
    super(3, 'average', 'AdaptiveAveragePooling3D', options);
  }
}

/**
 * Adaptive max pooling of sequences: `(batch, steps, channels)` to `(batch, outputSize, channels)`.
 *
 * @example new layers.AdaptiveMaxPooling1D({ outputSize: 4 })
 */
export class AdaptiveMaxPooling1D extends BaseAdaptivePooling {
  static override readonly className: string = 'AdaptiveMaxPooling1D';
  constructor(options: AdaptivePoolingOptions) {
    super(1, 'max', 'AdaptiveMaxPooling1D', options);
  }
}

/**
 * Adaptive max pooling of images: `(batch, h, w, channels)` to `(batch, ...outputSize, channels)`.
 *
 * @example new layers.AdaptiveMaxPooling2D({ outputSize: [7, 7], dataFormat: 'channelsFirst' })
 */
export class AdaptiveMaxPooling2D extends BaseAdaptivePooling {
  static override readonly className: string = 'AdaptiveMaxPooling2D';
  constructor(options: AdaptivePoolingOptions) {
    super(2, 'max', 'AdaptiveMaxPooling2D', options);
  }
}

/**
 * Adaptive max pooling of volumes: `(batch, d, h, w, channels)` to `(batch, ...outputSize, channels)`.
 *
 * @example new layers.AdaptiveMaxPooling3D({ outputSize: [1, 2, 2] })
 */
export class AdaptiveMaxPooling3D extends BaseAdaptivePooling {
  static override readonly className: string = 'AdaptiveMaxPooling3D';
  constructor(options: AdaptivePoolingOptions) {
    super(3, 'max', 'AdaptiveMaxPooling3D', options);
  }
}
