/**
 * The rank-generic global pooling behind GlobalMaxPooling1D/2D/3D and
 * GlobalAveragePooling1D/2D/3D (Keras's `BaseGlobalPooling`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { type DataFormat, standardizeDataFormat } from '../arguments.js';
import { Layer } from '../layer.js';
import { checkBoolean, singleInput } from '../layer-checks.js';
import { type CallOptions, type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkInputRank, singleShape } from '../reshaping/input-shape.js';
import { spatialAxesOf, withSpatial } from './channels.js';

/** The options of the global pooling layers (`GlobalAveragePooling2D`, `GlobalMaxPooling1D`, ...), Keras's `(data_format=None, keepdims=False)`. */
export interface GlobalPoolingOptions extends LayerOptions {
  /** `"channelsLast"` (default) or `"channelsFirst"`; Keras's snake_case spellings are accepted too. */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first';
  /** Keep the spatial axes, each of size 1; default false. */
  keepdims?: boolean;
}

/**
 * The maximum (`mode: "max"`) or mean (`"average"`) over all spatial axes:
 * `(batch, ...spatial, channels)` → `(batch, channels)`, or with `keepdims`
 * `(batch, 1, ..., 1, channels)`.
 */
export abstract class BaseGlobalPooling extends Layer {
  readonly rank: 1 | 2 | 3;
  readonly mode: 'max' | 'average';
  readonly dataFormat: DataFormat;
  readonly keepdims: boolean;

  constructor(rank: 1 | 2 | 3, mode: 'max' | 'average', className: string, options: GlobalPoolingOptions) {
    super(layerOptionsOf(className, options, ['dataFormat', 'keepdims']));
    this.rank = rank;
    this.mode = mode;
    this.dataFormat = standardizeDataFormat(options.dataFormat);
    this.keepdims = checkBoolean(options.keepdims ?? false, 'keepdims');
  }

  /** The spatial axes of the input. */
  protected get spatialAxes(): number[] {
    return spatialAxesOf(this.rank, this.dataFormat);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    checkInputRank(shape, this.rank + 2, this.name);
    if (this.keepdims) return withSpatial(shape, new Array<number>(this.rank).fill(1), this.dataFormat);
    const channels = (this.dataFormat === 'channelsLast' ? shape[shape.length - 1] : shape[1]) ?? null;
    return [shape[0] ?? null, channels];
  }

  override call(inputs: LayerInputs, _options?: CallOptions): tf.Tensor {
    const x = singleInput(inputs);
    checkInputRank([...x.shape], this.rank + 2, this.name);
    return this.mode === 'max'
      ? globalMax(x, this.spatialAxes, this.keepdims)
      : tf.mean(x, this.spatialAxes, this.keepdims);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}

/**
 * The maximum over `axes`, with Keras's gradient: shared equally by the
 * inputs equal to the maximum (JAX and TensorFlow divide by their count;
 * tfjs gives each of them the whole gradient). Found by `x - max == 0`:
 * tfjs's broadcast `equal` on `wasm` is a scalar loop (270 ms for a 32 x 28
 * x 28 x 32 batch), its broadcast subtraction an XNNPACK kernel.
 */
function globalMax(x: tf.Tensor, axes: number[], keepdims: boolean): tf.Tensor {
  const max = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const value = tf.max(input as tf.Tensor, axes, true);
    (save as tf.GradSaveFunc)([input as tf.Tensor, value]);
    return {
      value: keepdims ? value : tf.squeeze(value, axes),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [source, top] = saved as [tf.Tensor, tf.Tensor];
          const hits = tf.cast(tf.equal(tf.sub(source, top), 0), 'float32');
          const share = tf.div(tf.reshape(dy as tf.Tensor, top.shape), tf.sum(hits, axes, true));
          return tf.mul(hits, share);
        }),
    };
  });
  return max(x);
}
