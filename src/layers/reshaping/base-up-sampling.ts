/**
 * The rank-generic upsampling behind UpSampling1D/2D/3D: each position of
 * the spatial axes repeated `size` times (nearest neighbour), or, for 2D,
 * bilinear interpolation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataFormat } from '../arguments.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import type { LayerInputs, LayerOptions, Shape } from '../layer-types.js';
import { fromChannelsLast, toChannelsLast } from '../pooling/channels.js';
import { pool } from '../pooling/pool-ops.js';
import { checkInputRank, singleShape } from './input-shape.js';
import { spatialAxes } from './spatial-pairs.js';

/** The rank-generic layer of UpSampling1D/2D/3D: each position of the spatial axes repeated by its axis's factor. */
export abstract class BaseUpSampling extends Layer {
  readonly rank: 1 | 2 | 3;
  /** The factor per spatial axis. */
  protected readonly factors: readonly number[];
  readonly dataFormat: DataFormat;
  /** `"nearest"`, or `"bilinear"` (UpSampling2D). */
  protected readonly method: 'nearest' | 'bilinear';

  constructor(
    rank: 1 | 2 | 3,
    layerOptions: LayerOptions,
    factors: number[],
    dataFormat: DataFormat,
    method: 'nearest' | 'bilinear' = 'nearest',
  ) {
    super(layerOptions);
    this.rank = rank;
    this.factors = factors;
    this.dataFormat = dataFormat;
    this.method = method;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = [...singleShape(inputShape)];
    checkInputRank(shape, this.rank + 2, this.name);
    spatialAxes(this.rank, this.dataFormat).forEach((axis, i) => {
      const n = shape[axis];
      if (n != null) shape[axis] = n * (this.factors[i] as number);
    });
    return shape;
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    checkInputRank([...x.shape], this.rank + 2, this.name);
    return tf.tidy(() => {
      const last = toChannelsLast(x, this.dataFormat);
      const y =
        this.method === 'nearest'
          ? upsampleNearest(last, this.factors)
          : resizeBilinear(last as tf.Tensor4D, this.factors as [number, number]);
      return fromChannelsLast(y, this.dataFormat);
    });
  }
}

/**
 * Keras's `ops.image.resize(..., "bilinear")` by integer factors: half-pixel
 * centres, computed by tfjs's resizeBilinear. Its gradient is written here
 * because tfjs's ignores `halfPixelCenters` (it differentiates the
 * corner-aligned map instead): the resize is a linear map per axis,
 * `out = A_rows · x · A_colsᵀ`, so the gradient is `A_rowsᵀ · dy · A_cols`.
 */
function resizeBilinear(image: tf.Tensor4D, factors: [number, number]): tf.Tensor4D {
  const [batch, rows, cols, channels] = image.shape;
  const [outRows, outCols] = [rows * factors[0], cols * factors[1]];
  const resize = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc) => ({
    value: tf.image.resizeBilinear(input as tf.Tensor4D, [outRows, outCols], false, true),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) =>
      tf.tidy(() => {
        // Columns, then rows: each a matmul by the transposed interpolation matrix, broadcast over the batch.
        const byCols = tf.matMul(
          interpolationMatrix(cols, factors[1], true),
          tf.reshape(dy as tf.Tensor, [batch * outRows, outCols, channels]),
        );
        const byRows = tf.matMul(
          interpolationMatrix(rows, factors[0], true),
          tf.reshape(byCols, [batch, outRows, cols * channels]),
        );
        return tf.reshape(byRows, [batch, rows, cols, channels]);
      }),
  }));
  return resize(image) as tf.Tensor4D;
}

/**
 * The `(n * factor) x n` matrix of the resize along one axis (its transpose
 * with `transposed`), as a `[1, ., .]` tensor: output o samples the input at
 * `(o + 0.5) / factor - 0.5` with a triangle kernel; weights of positions
 * outside the input are dropped and the rest renormalised (JAX's
 * `scale_and_translate`, the same numbers as TensorFlow's clamping).
 */
function interpolationMatrix(n: number, factor: number, transposed: boolean): tf.Tensor3D {
  const out = n * factor;
  const values = new Float32Array(out * n);
  for (let o = 0; o < out; o++) {
    const at = (o + 0.5) / factor - 0.5;
    const taps = [Math.floor(at), Math.floor(at) + 1]
      .map((k) => [k, Math.max(0, 1 - Math.abs(at - k))] as const)
      .filter(([k, w]) => k >= 0 && k < n && w > 0);
    const total = taps.reduce((sum, [, w]) => sum + w, 0);
    for (const [k, w] of taps) values[transposed ? k * out + o : o * n + k] = w / total;
  }
  return tf.tensor3d(values, transposed ? [1, n, out] : [1, out, n]);
}

/**
 * Repeats each position of the spatial axes of channels-last `x` `factors[i]`
 * times (NumPy's `repeat` on each axis): a broadcast product with ones over a
 * new axis after each spatial one (3D: planes, then depth, XNNPACK's
 * broadcasts stopping at rank 6). The gradient sums each block of repeats:
 * a 'valid' average pool with windows = strides = factors, times the block's
 * size. Why not tfjs's tile and its gradient: on `wasm`, tile beyond rank 4
 * and the transposes of a reduction over middle axes took 90 ms each way for
 * a 32 x 14 x 14 x 32 batch, against under 10 here.
 */
function upsampleNearest(x: tf.Tensor, factors: readonly number[]): tf.Tensor {
  const inShape = [...x.shape];
  const area = factors.reduce((a, b) => a * b, 1);
  const repeat = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc) => ({
    value: repeatBlocks(input as tf.Tensor, factors),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) =>
      tf.tidy(() => {
        const mean = pool(dy as tf.Tensor, { mode: 'average', poolSize: factors, strides: factors, padding: 'valid' });
        return tf.reshape(tf.mul(mean, area), inShape);
      }),
  }));
  return repeat(x);
}

function repeatBlocks(x: tf.Tensor, factors: readonly number[]): tf.Tensor {
  const shape = x.shape;
  const channels = shape[shape.length - 1] as number;
  if (factors.length === 1) return repeatMiddle(x, factors[0] as number);
  if (factors.length === 2) return repeatPlane(x, factors[0] as number, factors[1] as number);
  const [batch, depth, rows, cols] = shape as [number, number, number, number];
  const planes = repeatPlane(
    tf.reshape(x, [batch * depth, rows, cols, channels]),
    factors[1] as number,
    factors[2] as number,
  );
  const [, outRows, outCols] = planes.shape as [number, number, number];
  const volume = repeatMiddle(tf.reshape(planes, [batch, depth, outRows * outCols * channels]), factors[0] as number);
  return tf.reshape(volume, [batch, depth * (factors[0] as number), outRows, outCols, channels]);
}

/** `(outer, n, inner)` with each of the n positions repeated `factor` times. */
function repeatMiddle(x: tf.Tensor, factor: number): tf.Tensor {
  const [outer, n, inner] = x.shape as [number, number, number];
  const spread = tf.mul(tf.reshape(x, [outer, n, 1, inner]), tf.ones([1, 1, factor, 1]));
  return tf.reshape(spread, [outer, n * factor, inner]);
}

/** `(batch, rows, cols, channels)` with each row repeated `rowFactor` times and each column `colFactor` times. */
function repeatPlane(x: tf.Tensor, rowFactor: number, colFactor: number): tf.Tensor {
  const [batch, rows, cols, channels] = x.shape as [number, number, number, number];
  const spread = tf.mul(
    tf.reshape(x, [batch, rows, 1, cols, 1, channels]),
    tf.ones([1, 1, rowFactor, 1, colFactor, 1]),
  );
  return tf.reshape(spread, [batch, rows * rowFactor, cols * colFactor, channels]);
}
