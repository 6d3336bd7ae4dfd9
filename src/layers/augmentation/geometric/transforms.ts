/**
 * Keras's geometric image ops on JAX, on float32 rank-4 batches: the affine
 * transform (`keras.ops.image.affine_transform`), the perspective transform
 * (`perspective_transform`, with its homography) and the affine matrix of
 * `BaseImagePreprocessingLayer._compute_affine_matrix`. Transforms are
 * Keras's 8-vectors `[a0, a1, a2, b0, b1, b2, c0, c1]`: the output pixel
 * `(x, y)` reads the input at `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`
 * with `k = c0 x + c1 y + 1` (for the affine ones `k = 1`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataFormat } from '../../preprocessing/arguments.js';
import { mapCoordinates, type SampleSettings } from './map-coordinates.js';

/** `images` as NHWC, and the function that brings a result back to `dataFormat`. */
export function toChannelsLast(images: tf.Tensor4D, dataFormat: DataFormat): tf.Tensor4D {
  return dataFormat === 'channelsLast' ? images : tf.transpose(images, [0, 2, 3, 1]);
}

/** The inverse of `toChannelsLast`. */
export function fromChannelsLast(images: tf.Tensor4D, dataFormat: DataFormat): tf.Tensor4D {
  return dataFormat === 'channelsLast' ? images : tf.transpose(images, [0, 3, 1, 2]);
}

/** Column `i` of a `[batch, 8]` transform, shaped `[batch, 1, 1]` to broadcast over a grid. */
function entry(transform: tf.Tensor2D, i: number): tf.Tensor {
  const batch = transform.shape[0];
  return tf.reshape(tf.slice(transform, [0, i], [batch, 1]), [batch, 1, 1]);
}

/** The output grid's column and row numbers, `[1, 1, width]` and `[1, height, 1]`, float32. */
function grid(height: number, width: number): { x: tf.Tensor; y: tf.Tensor } {
  return {
    x: tf.reshape(tf.range(0, width, 1, 'float32'), [1, 1, width]),
    y: tf.reshape(tf.range(0, height, 1, 'float32'), [1, height, 1]),
  };
}

/**
 * Keras's `affine_transform` (JAX): each image resampled through its
 * transform (`transform` is `[batch, 8]`; the last two entries, zero for an
 * affine map, are ignored as JAX ignores them).
 */
export function affineTransform(
  images: tf.Tensor4D,
  transform: tf.Tensor2D,
  settings: SampleSettings,
  dataFormat: DataFormat,
): tf.Tensor4D {
  return tf.tidy(() => {
    const nhwc = toChannelsLast(images, dataFormat);
    const [, height, width] = nhwc.shape;
    const { x, y } = grid(height, width);
    // JAX's einsum sums y * T[0, k] + x * T[1, k], then adds the offset.
    const rows = tf.add(tf.add(tf.mul(y, entry(transform, 4)), tf.mul(x, entry(transform, 3))), entry(transform, 5));
    const cols = tf.add(tf.add(tf.mul(y, entry(transform, 1)), tf.mul(x, entry(transform, 0))), entry(transform, 2));
    const output = mapCoordinates(nhwc, broadcast(rows, nhwc), broadcast(cols, nhwc), settings);
    return fromChannelsLast(output, dataFormat);
  });
}

function broadcast(coords: tf.Tensor, nhwc: tf.Tensor4D): tf.Tensor {
  return tf.broadcastTo(coords, [nhwc.shape[0], nhwc.shape[1], nhwc.shape[2]]);
}

/**
 * Keras's `perspective_transform` (JAX): the homography that maps each
 * image's `endPoints` to its `startPoints` (`[batch][4][2]`, `(x, y)` corners),
 * then a resampling with the constant fill.
 */
export function perspectiveTransform(
  images: tf.Tensor4D,
  startPoints: readonly (readonly (readonly number[])[])[],
  endPoints: readonly (readonly (readonly number[])[])[],
  settings: Omit<SampleSettings, 'fillMode'>,
  dataFormat: DataFormat,
): tf.Tensor4D {
  return tf.tidy(() => {
    const nhwc = toChannelsLast(images, dataFormat);
    const [batch, height, width] = nhwc.shape;
    const rowsOfTransforms = startPoints.map((start, b) => homography(start, endPoints[b] as number[][]));
    const transform = tf.tensor2d(rowsOfTransforms, [batch, 8], 'float32');
    const { x, y } = grid(height, width);
    const denom = tf.add(tf.add(tf.mul(entry(transform, 6), x), tf.mul(entry(transform, 7), y)), 1);
    const xIn = tf.div(
      tf.add(tf.add(tf.mul(entry(transform, 0), x), tf.mul(entry(transform, 1), y)), entry(transform, 2)),
      denom,
    );
    const yIn = tf.div(
      tf.add(tf.add(tf.mul(entry(transform, 3), x), tf.mul(entry(transform, 4), y)), entry(transform, 5)),
      denom,
    );
    const output = mapCoordinates(nhwc, broadcast(yIn, nhwc), broadcast(xIn, nhwc), {
      ...settings,
      fillMode: 'constant',
    });
    return fromChannelsLast(output, dataFormat);
  });
}

/**
 * Keras's `compute_homography_matrix`: the 8 coefficients solving the 8x8
 * system of the four point pairs (in float64 here; Keras solves it in
 * float32, a difference far below the images' float32 rounding).
 */
export function homography(start: readonly (readonly number[])[], end: readonly (readonly number[])[]): number[] {
  const a: number[][] = [];
  const rhs: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [sx, , ex, ey] = [...(start[i] as number[]), ...(end[i] as number[])] as number[];
    a.push([
      ex as number,
      ey as number,
      1,
      0,
      0,
      0,
      -(sx as number) * (ex as number),
      -(sx as number) * (ey as number),
    ]);
    rhs.push(sx as number);
  }
  for (let i = 0; i < 4; i++) {
    const [, sy, ex, ey] = [...(start[i] as number[]), ...(end[i] as number[])] as number[];
    a.push([
      0,
      0,
      0,
      ex as number,
      ey as number,
      1,
      -(sy as number) * (ex as number),
      -(sy as number) * (ey as number),
    ]);
    rhs.push(sy as number);
  }
  return solve(a, rhs);
}

/** Gaussian elimination with partial pivoting (an 8x8 system). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    }
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const p = m[col] as number[];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = m[r] as number[];
      const f = (row[col] as number) / (p[col] as number);
      if (f !== 0) for (let k = col; k <= n; k++) row[k] = (row[k] as number) - f * (p[k] as number);
    }
  }
  return m.map((row, i) => (row[n] as number) / (row[i] as number));
}

/** The per-image parameters of `computeAffineMatrix`, each `[batch]` float32 (angles and shears in degrees). */
export interface AffineParameters {
  angle: tf.Tensor;
  translateX: tf.Tensor;
  translateY: tf.Tensor;
  scale: tf.Tensor;
  shearX: tf.Tensor;
  shearY: tf.Tensor;
}

/**
 * Keras's `_compute_affine_matrix`: scaling, shear and rotation about the
 * centre `(centerX (width - 1), centerY (height - 1))`, then a translation,
 * as `[batch, 8]` transforms, in float32 as Keras computes them.
 */
export function computeAffineMatrix(
  p: AffineParameters,
  centerX: number,
  centerY: number,
  height: number,
  width: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    const radians = Math.fround(Math.PI / 180);
    const angle = tf.mul(p.angle, radians);
    const shearX = tf.tan(tf.mul(p.shearX, radians));
    const shearY = tf.tan(tf.mul(p.shearY, radians));
    const cx = centerX * (width - 1);
    const cy = centerY * (height - 1);
    const cos = tf.cos(angle);
    const sin = tf.sin(angle);
    const a0 = tf.mul(p.scale, tf.add(cos, tf.mul(shearX, sin)));
    const a1 = tf.mul(p.scale, tf.add(tf.neg(sin), tf.mul(shearX, cos)));
    const a2 = tf.sub(tf.sub(tf.add(p.translateX, cx), tf.mul(a0, cx)), tf.mul(a1, cy));
    const b0 = tf.mul(p.scale, tf.add(tf.mul(shearY, cos), sin));
    const b1 = tf.mul(p.scale, tf.add(tf.mul(shearY, tf.neg(sin)), cos));
    const b2 = tf.sub(tf.sub(tf.add(p.translateY, cy), tf.mul(b0, cx)), tf.mul(b1, cy));
    const zeros = tf.zerosLike(a0);
    return tf.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], 1) as tf.Tensor2D;
  });
}
