/** 2D pooling over channels-last images. */
import * as tf from '@tensorflow/tfjs-core';
import { type Padding, requireChannelsLast, standardizePadding, standardizeTuple } from '../arguments.js';
import { Layer } from '../layer.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';

export interface MaxPooling2DOptions extends LayerOptions {
  /** Default 2. */
  poolSize?: number | number[];
  /** Default `poolSize`. */
  strides?: number | number[] | null;
  padding?: Exclude<Padding, 'causal'>;
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** The maximum over each `poolSize` window, moving by `strides`. */
export class MaxPooling2D extends Layer {
  static override readonly className: string = 'MaxPooling2D';
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';

  constructor(options: MaxPooling2DOptions = {}) {
    super(layerOptionsOf('MaxPooling2D', options, ['poolSize', 'strides', 'padding', 'dataFormat']));
    requireChannelsLast(options.dataFormat, 'MaxPooling2D');
    this.poolSize = standardizeTuple(options.poolSize ?? 2, 2, 'poolSize');
    this.strides = standardizeTuple(options.strides ?? this.poolSize, 2, 'strides');
    this.padding = standardizePadding(options.padding ?? 'valid', false) as 'valid' | 'same';
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const [batch, rows, cols, channels] = inputShape as [number | null, number | null, number | null, number | null];
    const out = [rows, cols].map((n, i) =>
      n === null
        ? null
        : this.padding === 'valid'
          ? Math.floor((n - (this.poolSize[i] as number)) / (this.strides[i] as number)) + 1
          : Math.ceil(n / (this.strides[i] as number)),
    );
    return [batch, ...out, channels];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.maxPool(x, this.poolSize as [number, number], this.strides as [number, number], this.padding);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      poolSize: [...this.poolSize],
      padding: this.padding,
      strides: [...this.strides],
      dataFormat: 'channelsLast',
    };
  }
}

/** The mean over the spatial axes: `[batch, h, w, c]` → `[batch, c]`. */
export class GlobalAveragePooling2D extends Layer {
  static override readonly className: string = 'GlobalAveragePooling2D';
  readonly keepdims: boolean;

  constructor(options: LayerOptions & { dataFormat?: 'channelsLast' | 'channels_last'; keepdims?: boolean } = {}) {
    super(layerOptionsOf('GlobalAveragePooling2D', options, ['dataFormat', 'keepdims']));
    requireChannelsLast(options.dataFormat, 'GlobalAveragePooling2D');
    this.keepdims = options.keepdims ?? false;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const [batch, , , channels] = inputShape as [number | null, number | null, number | null, number | null];
    return this.keepdims ? [batch, 1, 1, channels] : [batch, channels];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    return tf.mean(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs, [1, 2], this.keepdims);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channelsLast', keepdims: this.keepdims };
  }
}
