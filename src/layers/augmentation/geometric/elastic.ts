/**
 * Keras's `elastic_transform` (JAX) for RandomElasticTransform: a Gaussian
 * noise field, blurred, scaled and added to every pixel's position, then a
 * resampling. Keras draws the horizontal and vertical noise with the same
 * random key, so the two displacements are equal; so are they here.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mapCoordinates, type SampleSettings } from './map-coordinates.js';

/** Keras's `get_elastic_transform_params`, in float32 as Keras computes them: `alpha`, `sigma` and the blur's kernel size. */
export function elasticParameters(height: number, width: number, distortion: number) {
  const f = Math.fround;
  const alpha = f(Math.max(height, width) * f(f(0.1) * distortion));
  const sigma = f(Math.min(height, width) * f(f(0.05) * distortion));
  // int(6 * sigma) | 1: an odd kernel size.
  const kernelSize = Math.trunc(f(6 * sigma)) | 1;
  return { alpha, sigma, kernelSize };
}

/** Keras's Gaussian kernel of `gaussian_blur`: `exp(-x² / 2σ²)` normalised, on `x = i - (size - 1) / 2`, in float32. */
function gaussianKernel(size: number, sigma: number): tf.Tensor1D {
  return tf.tidy(() => {
    const x = tf.sub(tf.range(0, size, 1, 'float32'), (size - 1) / 2);
    const k = tf.exp(tf.mul(-0.5, tf.square(tf.div(x, sigma))));
    return tf.div(k, tf.sum(k)) as tf.Tensor1D;
  });
}

/**
 * Displaces the pixels of a float32 NHWC batch by `noise` (`[batch, height,
 * width]` standard normal draws) as Keras's `elastic_transform` does with
 * `distortion` (the layer's drawn factor): `d = blur(noise * sigma) * alpha`,
 * and every pixel `(x, y)` reads the input at `(x + d, y + d)`.
 */
export function elasticDisplace(
  images: tf.Tensor4D,
  noise: tf.Tensor3D,
  distortion: number,
  settings: SampleSettings,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, height, width] = images.shape;
    const { alpha, sigma, kernelSize } = elasticParameters(height, width, distortion);
    const k = gaussianKernel(kernelSize, sigma);
    const kernel = tf.reshape(tf.outerProduct(k, k), [kernelSize, kernelSize, 1, 1]) as tf.Tensor4D;
    const field = tf.mul(tf.reshape(noise, [batch, height, width, 1]), sigma) as tf.Tensor4D;
    const blurred = tf.reshape(tf.conv2d(field, kernel, 1, 'same'), [batch, height, width]);
    const shift = tf.mul(alpha, blurred);
    const x = tf.reshape(tf.range(0, width, 1, 'float32'), [1, 1, width]);
    const y = tf.reshape(tf.range(0, height, 1, 'float32'), [1, height, 1]);
    return mapCoordinates(images, tf.add(y, shift), tf.add(x, shift), settings);
  });
}
