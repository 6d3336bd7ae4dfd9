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
    const n = batch * outHeight * outWidth;
    const flat = tf.reshape(images, [batch * height * width, channels]);
    // The first pixel of each image in `flat`, broadcast over the output grid.
    const base = tf.reshape(tf.mul(tf.range(0, batch, 1, 'float32'), height * width), [batch, 1, 1]);
    const fix = (axisNodes: [tf.Tensor, tf.Tensor | number][], size: number) =>
      axisNodes.map(([index, weight]) => ({
        fixed: fixIndex(index, size, settings.fillMode),
        weight,
        inside: tf.logicalAnd(tf.greaterEqual(index, 0), tf.less(index, size)),
      }));
    const rowNodes = fix(nodes(rows, settings.interpolation), height);
    const colNodes = fix(nodes(cols, settings.interpolation), width);
    const constant = settings.fillMode === 'constant';
    // Flat pixel indices and weights of every (row, column) node, each [n]; tfjs's cpu
    // kernels are fastest on equal shapes, so each channel is then read on its own.
    const indices: tf.Tensor[] = [];
    const weights: tf.Tensor[] = [];
    let outside: tf.Tensor | null = null;
    for (const r of rowNodes) {
      const rowBase = tf.add(base, tf.mul(r.fixed, width));
      for (const c of colNodes) {
        indices.push(tf.cast(tf.reshape(tf.add(rowBase, c.fixed), [-1]), 'int32'));
        // Nearest sampling has weight 1.
        let weight: tf.Tensor =
          typeof r.weight === 'number' && typeof c.weight === 'number'
            ? tf.ones([batch, outHeight, outWidth])
            : tf.mul(r.weight, c.weight);
        if (constant) {
          // JAX reads fillValue for a node outside the image: weight * fillValue, apart from the pixels.
          const inside = tf.cast(tf.logicalAnd(r.inside, c.inside), 'float32');
          const away = tf.mul(weight, tf.sub(1, inside));
          outside = outside == null ? away : tf.add(outside, away);
          weight = tf.mul(weight, inside);
        }
        weights.push(tf.reshape(weight, [-1]));
      }
    }
    const fill =
      constant && settings.fillValue !== 0 ? tf.reshape(tf.mul(outside as tf.Tensor, settings.fillValue), [-1]) : null;
    const planes = tf.unstack(tf.transpose(flat), 0);
    const sampled = planes.map((plane) => {
      let sum: tf.Tensor | null = fill;
      indices.forEach((index, node) => {
        const term = tf.mul(weights[node] as tf.Tensor, tf.gather(plane, index));
        sum = sum == null ? term : tf.add(sum, term);
      });
      return sum as unknown as tf.Tensor;
    });
    const sum = channels === 1 ? tf.reshape(sampled[0] as tf.Tensor, [n, 1]) : tf.stack(sampled, 1);
    return tf.reshape(sum, [batch, outHeight, outWidth, channels]) as tf.Tensor4D;
  });
}
