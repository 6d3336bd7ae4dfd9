/** ZeroPadding1D/2D/3D: zeros added before and after each spatial axis. */
import * as tf from '@tensorflow/tfjs-core';
import { type DataFormat, standardizeDataFormat, standardizeTuple } from '../arguments.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkInputRank, singleShape } from './input-shape.js';
import { type Pair, spatialAxes, standardizePairs } from './spatial-pairs.js';

/** The options of `ZeroPadding1D`/`2D`/`3D`, by the type of `padding` (`P`); Keras's `(padding, data_format=None)` camelCased. */
export interface ZeroPaddingOptions<P> extends LayerOptions {
  /** Zeros on each side: an int for every side, one int per axis, or a `[before, after]` pair per axis; default 1. */
  padding?: P;
  /** `"channelsLast"` (default) or `"channelsFirst"`; Keras's snake_case spellings are accepted too. */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first';
}

/** The options of `ZeroPadding1D`, Keras's `ZeroPadding1D(padding=1)`: `padding` is an int or `[before, after]`. */
export type ZeroPadding1DOptions = ZeroPaddingOptions<number | number[]>;
/** The options of `ZeroPadding2D`, Keras's `ZeroPadding2D(padding=(1, 1), data_format=None)`. */
export type ZeroPadding2DOptions = ZeroPaddingOptions<number | (number | number[])[]>;
/** The options of `ZeroPadding3D`, Keras's `ZeroPadding3D(padding=((1, 1), (1, 1), (1, 1)), data_format=None)`. */
export type ZeroPadding3DOptions = ZeroPadding2DOptions;

/** The rank-generic layer: `pairs[i]` zeros go before and after spatial axis `i`. */
export abstract class BaseZeroPadding extends Layer {
  readonly rank: 1 | 2 | 3;
  readonly dataFormat: DataFormat;
  /** `[before, after]` per spatial axis. */
  readonly pairs: readonly Pair[];

  constructor(rank: 1 | 2 | 3, className: string, options: ZeroPaddingOptions<unknown>) {
    super(layerOptionsOf(className, options, ['padding', 'dataFormat']));
    this.rank = rank;
    this.dataFormat = standardizeDataFormat(options.dataFormat);
    const padding = options.padding ?? 1;
    this.pairs =
      rank === 1
        ? [standardizeTuple(padding, 2, 'padding', true) as Pair]
        : standardizePairs(padding, rank, 'padding', 'pad');
  }

  /** `padding` as Keras holds it and writes it in the config (a new array at each read). */
  abstract get padding(): readonly number[] | readonly (readonly number[])[];

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = [...singleShape(inputShape)];
    checkInputRank(shape, this.rank + 2, this.name);
    spatialAxes(this.rank, this.dataFormat).forEach((axis, i) => {
      const size = shape[axis];
      const [before, after] = this.pairs[i] as Pair;
      if (size != null) shape[axis] = size + before + after;
    });
    return shape;
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    checkInputRank([...x.shape], this.rank + 2, this.name);
    const paddings = x.shape.map((): Pair => [0, 0]);
    spatialAxes(this.rank, this.dataFormat).forEach((axis, i) => {
      paddings[axis] = [...(this.pairs[i] as Pair)];
    });
    return tf.pad(x, paddings);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding, dataFormat: this.dataFormat };
  }
}

/**
 * Zeros before and after the steps of `(batch, steps, features)`.
 *
 * @example new layers.ZeroPadding1D({ padding: [1, 2] }).apply(x) // [b, 5, c] → [b, 8, c]
 */
export class ZeroPadding1D extends BaseZeroPadding {
  static override readonly className: string = 'ZeroPadding1D';

  constructor(options: ZeroPadding1DOptions = {}) {
    super(1, 'ZeroPadding1D', options);
  }

  /** `[before, after]`. */
  override get padding(): [number, number] {
    return [...(this.pairs[0] as Pair)];
  }
}

/**
 * Zeros around the rows and columns of `(batch, rows, cols, channels)`.
 *
 * @example new layers.ZeroPadding2D({ padding: [[1, 0], [2, 2]] }).apply(x) // [b, 5, 5, c] → [b, 6, 9, c]
 */
export class ZeroPadding2D extends BaseZeroPadding {
  static override readonly className: string = 'ZeroPadding2D';

  constructor(options: ZeroPadding2DOptions = {}) {
    super(2, 'ZeroPadding2D', options);
  }

  /** `[[top, bottom], [left, right]]`. */
  override get padding(): [number, number][] {
    return this.pairs.map((p): Pair => [...p]);
  }
}

/**
 * Zeros around the three spatial axes of `(batch, d1, d2, d3, channels)`.
 *
 * @example new layers.ZeroPadding3D({ padding: 1 }).apply(x) // [b, 4, 4, 4, c] → [b, 6, 6, 6, c]
 */
export class ZeroPadding3D extends BaseZeroPadding {
  static override readonly className: string = 'ZeroPadding3D';

  constructor(options: ZeroPadding3DOptions = {}) {
    super(3, 'ZeroPadding3D', options);
  }

  /** `[before, after]` per spatial axis. */
  override get padding(): [number, number][] {
    return this.pairs.map((p): Pair => [...p]);
  }
}
