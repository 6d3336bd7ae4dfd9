/**
 * Keras's image resampling on JAX (`jax.scipy.ndimage.map_coordinates`, which
 * `keras.ops.image.affine_transform`, `perspective_transform` and
 * `elastic_transform` call): each output pixel reads the input at a real
 * (row, column) position, by its nearest pixel or bilinearly, and positions
 * outside the image are mapped back by a fill mode. Written with gathers so
 * that every backend (cpu, wasm) has the kernels, and with JAX's rules
 * exactly: the fill mode fixes each neighbour's integer index (not the real
 * position, as TensorFlow's ImageProjectiveTransform does), `nearest` rounds
 * halves away from zero, and `constant` blends `fillValue` in at the border.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Keras's fill modes of `affine_transform` (`mirror` only for RandomElasticTransform, as in Keras). */
export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest' | 'mirror';
/** The interpolations of Keras's geometric layers. */
export type GeometricInterpolation = 'bilinear' | 'nearest';

/** Settings of one resampling. */
export interface SampleSettings {
  interpolation: GeometricInterpolation;
  fillMode: FillMode;
  fillValue: number;
}

/** `index mod size`, with the divisor's sign (Python's `%`), on float32 integers (exact below 2^24). */
function floorMod(index: tf.Tensor, size: number): tf.Tensor {
  return tf.sub(index, tf.mul(tf.floor(tf.div(index, size)), size));
}

/** JAX's `_mirror_index_fixer`: the triangular wave of period `2 (size - 1)`. */
function mirror(index: tf.Tensor, size: number): tf.Tensor {
  const s = size - 1;
  if (s === 0) return tf.zerosLike(index);
  return tf.abs(tf.sub(floorMod(tf.add(index, s), 2 * s), s));
}

/** An integer index (float32) moved into `[0, size)` by the fill mode, as JAX's `_INDEX_FIXERS`. */
function fixIndex(index: tf.Tensor, size: number, mode: FillMode): tf.Tensor {
  switch (mode) {
    case 'constant':
    case 'nearest':
      // constant: out-of-range reads are masked by the caller; the clip only keeps the gather in bounds.
      return tf.clipByValue(index, 0, size - 1);
    case 'wrap':
      return floorMod(index, size);
    case 'mirror':
      return mirror(index, size);
    case 'reflect':
      // JAX: floor_divide(mirror(2 i + 1, 2 size + 1) - 1, 2), half-sample symmetric.
      return tf.floor(tf.div(tf.sub(mirror(tf.add(tf.mul(index, 2), 1), 2 * size + 1), 1), 2));
  }
}

/** `lax.round`: halves away from zero (tf.round rounds them to even). */
function roundHalfAway(x: tf.Tensor): tf.Tensor {
  const magnitude = tf.abs(x);
  const whole = tf.floor(magnitude);
  const up = tf.cast(tf.greaterEqual(tf.sub(magnitude, whole), 0.5), 'float32');
  return tf.mul(tf.sign(x), tf.add(whole, up));
}

/** The 1-D interpolation nodes of one coordinate: integer positions (float32) and their weights. */
function nodes(coordinate: tf.Tensor, interpolation: GeometricInterpolation): [tf.Tensor, tf.Tensor | number][] {
  if (interpolation === 'nearest') return [[roundHalfAway(coordinate), 1]];
  const lower = tf.floor(coordinate);
  const upperWeight = tf.sub(coordinate, lower);
  return [
    [lower, tf.sub(1, upperWeight)],
    [tf.add(lower, 1), upperWeight],
  ];
}

/**
 * Samples a float32 `[batch, height, width, channels]` batch at `rows` and
 * `cols` (each `[batch, outHeight, outWidth]`, real positions in pixels):
 * `[batch, outHeight, outWidth, channels]`. Every channel is read at the
 * same position (Keras's channel coordinate is always a whole number).
 */
export function mapCoordinates(
  images: tf.Tensor4D,
  rows: tf.Tensor,
  cols: tf.Tensor,
  settings: SampleSettings,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, height, width, channels] = images.shape;
    const [, outHeight, outWidth] = rows.shape as [number, number, number];
    const flat = tf.reshape(images, [batch * height * width, channels]);
    // The first pixel of each image in `flat`, broadcast over the output grid.
    const base = tf.reshape(tf.mul(tf.range(0, batch, 1, 'float32'), height * width), [batch, 1, 1]);
    const rowNodes = nodes(rows, settings.interpolation);
    const colNodes = nodes(cols, settings.interpolation);
    const constant = settings.fillMode === 'constant';
    let sum: tf.Tensor | null = null;
    for (const [row, rowWeight] of rowNodes) {
      for (const [col, colWeight] of colNodes) {
        const r = fixIndex(row, height, settings.fillMode);
        const c = fixIndex(col, width, settings.fillMode);
        const index = tf.cast(tf.add(base, tf.add(tf.mul(r, width), c)), 'int32');
        let values = tf.reshape(tf.gather(flat, tf.reshape(index, [-1])), [batch, outHeight, outWidth, channels]);
        if (constant) {
          const inside = tf.logicalAnd(
            tf.logicalAnd(tf.greaterEqual(row, 0), tf.less(row, height)),
            tf.logicalAnd(tf.greaterEqual(col, 0), tf.less(col, width)),
          );
          values = tf.where(tf.expandDims(inside, 3), values, tf.fill(values.shape, settings.fillValue));
        }
        // Nearest sampling has weight 1: no product to take.
        const term =
          typeof rowWeight === 'number' && typeof colWeight === 'number'
            ? values
            : tf.mul(tf.expandDims(tf.mul(rowWeight, colWeight), 3), values);
        sum = sum == null ? term : tf.add(sum, term);
      }
    }
    return sum as tf.Tensor4D;
  });
}
