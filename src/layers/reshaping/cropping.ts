/** Cropping1D/2D/3D: positions removed from the start and end of each spatial axis. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { type DataFormat, standardizeDataFormat, standardizeTuple } from '../arguments.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkInputRank, singleShape } from './input-shape.js';
import { type Pair, spatialAxes, standardizePairs } from './spatial-pairs.js';

/** The options of `Cropping1D`, Keras's `Cropping1D(cropping=(1, 1))`. */
export interface Cropping1DOptions extends LayerOptions {
  /** Positions removed at the start and the end: one int for both, or `[start, end]`; default `[1, 1]`. */
  cropping?: number | number[];
}

/** The options of `Cropping2D`, Keras's `Cropping2D(cropping=((0, 0), (0, 0)), data_format=None)` camelCased. */
export interface Cropping2DOptions extends LayerOptions {
  /** An int for every side, one int per axis, or a `[start, end]` pair per axis; default 0 (Cropping3D: 1). */
  cropping?: number | (number | number[])[];
  /** `"channelsLast"` (default) or `"channelsFirst"`; Keras's snake_case spellings are accepted too. */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first';
}

/** The options of `Cropping3D`: those of `Cropping2D`, over three spatial axes (default 1 on every side). */
export type Cropping3DOptions = Cropping2DOptions;

/** The rank-generic layer: `pairs[i]` positions go from the start and the end of spatial axis `i`. */
export abstract class BaseCropping extends Layer {
  readonly rank: 1 | 2 | 3;
  readonly dataFormat: DataFormat;
  /** `[start, end]` per spatial axis. */
  readonly pairs: readonly Pair[];

  constructor(rank: 1 | 2 | 3, className: string, options: Cropping2DOptions, defaultCropping: number) {
    super(layerOptionsOf(className, options, rank === 1 ? ['cropping'] : ['cropping', 'dataFormat']));
    this.rank = rank;
    this.dataFormat = standardizeDataFormat(options.dataFormat);
    const cropping = options.cropping ?? defaultCropping;
    this.pairs =
      rank === 1
        ? [[...standardizeTuple(cropping, 2, 'cropping', true)] as Pair]
        : standardizePairs(cropping, rank, 'cropping', 'crop');
  }

  /** `cropping` as Keras holds it and writes it in the config (a new array at each read). */
  abstract get cropping(): readonly number[] | readonly (readonly number[])[];

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    checkInputRank(shape, this.rank + 2, this.name);
    return this.croppedShape(shape, 'input_shape');
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    checkInputRank([...x.shape], this.rank + 2, this.name);
    const size = this.croppedShape([...x.shape], 'inputs.shape') as number[];
    const begin = x.shape.map(() => 0);
    spatialAxes(this.rank, this.dataFormat).forEach((axis, i) => {
      begin[axis] = (this.pairs[i] as Pair)[0];
    });
    return tf.slice(x, begin, size);
  }

  /** The shape after cropping; Keras's error when a known axis would keep no position. */
  private croppedShape(shape: Shape, received: string): Shape {
    const out = [...shape];
    spatialAxes(this.rank, this.dataFormat).forEach((axis, i) => {
      const n = shape[axis];
      const [start, end] = this.pairs[i] as Pair;
      if (n == null) return;
      if (start + end >= n) {
        const text =
          this.rank === 1
            ? `\`cropping\` parameter of \`Cropping1D\` layer must be smaller than the input length. Received: ${received}=${formatShape(shape)}, cropping=${formatValue(this.cropping)}`
            : `Values in \`cropping\` argument should be smaller than the corresponding spatial dimension of the input. Received: ${received}=${formatShape(shape)}, cropping=${formatValue(this.cropping)}`;
        throw new ValueError(text, {
          argument: 'cropping',
          expected: `less than ${n} positions in all on axis ${axis}`,
          received: formatValue(this.cropping),
        });
      }
      out[axis] = n - start - end;
    });
    return out;
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), cropping: this.cropping };
    // Keras's Cropping1D has no data_format.
    if (this.rank > 1) config.dataFormat = this.dataFormat;
    return config;
  }
}

/**
 * Removes steps from the start and end of `(batch, steps, features)`.
 *
 * @example new layers.Cropping1D({ cropping: [1, 2] }).apply(x) // [b, 8, c] → [b, 5, c]
 */
export class Cropping1D extends BaseCropping {
  static override readonly className: string = 'Cropping1D';

  constructor(options: Cropping1DOptions = {}) {
    super(1, 'Cropping1D', options, 1);
  }

  /** `[start, end]`. */
  override get cropping(): [number, number] {
    return [...(this.pairs[0] as Pair)];
  }
}

/**
 * Removes rows and columns from the edges of `(batch, rows, cols, channels)`.
 *
 * @example new layers.Cropping2D({ cropping: [[1, 1], [2, 0]] }).apply(x) // [b, 6, 6, c] → [b, 4, 4, c]
 */
export class Cropping2D extends BaseCropping {
  static override readonly className: string = 'Cropping2D';

  constructor(options: Cropping2DOptions = {}) {
    super(2, 'Cropping2D', options, 0);
  }

  /** `[[top, bottom], [left, right]]`. */
  override get cropping(): [number, number][] {
    return this.pairs.map((p): Pair => [...p]);
  }
}

/**
 * Removes positions from the edges of the three spatial axes of `(batch, d1, d2, d3, channels)`.
 *
 * @example new layers.Cropping3D({ cropping: 1 }).apply(x) // [b, 6, 6, 6, c] → [b, 4, 4, 4, c]
 */
export class Cropping3D extends BaseCropping {
  static override readonly className: string = 'Cropping3D';

  constructor(options: Cropping3DOptions = {}) {
    super(3, 'Cropping3D', options, 1);
  }

  /** `[start, end]` per spatial axis. */
  override get cropping(): [number, number][] {
    return this.pairs.map((p): Pair => [...p]);
  }
}
