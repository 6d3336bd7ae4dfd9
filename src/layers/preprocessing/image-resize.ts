/**
 * Keras's image resizing (`keras.ops.image.resize` on JAX, and
 * `smart_resize`), shared by Resizing and CenterCrop: an optional centred
 * crop or padding to the target's aspect ratio, then bilinear or nearest
 * resampling with half-pixel centres and no antialiasing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape, formatValue } from '../../utils/format.js';
import type { DataFormat } from './arguments.js';

/** The interpolations tfjs computes; Keras's others (`bicubic`, `lanczos3`, `lanczos5`) are refused. */
export const INTERPOLATIONS = ['bilinear', 'nearest'] as const;
/** Keras's names that are valid but not computed here. */
const KERAS_ONLY = ['lanczos3', 'lanczos5', 'bicubic'];
export type Interpolation = (typeof INTERPOLATIONS)[number];

/** The interpolation name, checked: Keras's valid names that tfjs lacks say so. */
export function interpolationOption(value: unknown): Interpolation {
  const name = value ?? 'bilinear';
  if ((INTERPOLATIONS as readonly unknown[]).includes(name)) return name as Interpolation;
  const why = KERAS_ONLY.includes(name as string) ? ' (Keras also has it, but tfjs has no such kernel)' : '';
  throw new ValueError(
    `Invalid value for argument \`interpolation\`. Expected one of ('bilinear', 'nearest')${why}. Received: interpolation=${formatValue(name)}`,
    { argument: 'interpolation', expected: '"bilinear" or "nearest"', received: formatValue(name) },
  );
}

/** Height and width axes of a rank-3 or rank-4 image tensor. */
export function spatialAxes(
  shape: readonly (number | null)[],
  dataFormat: DataFormat,
  className: string,
): [number, number] {
  if (shape.length !== 3 && shape.length !== 4) {
    throw new ValueError(
      `${className} expects an image tensor of rank 3 (single image) or 4 (batch of images). Received: inputs.shape=${formatShape(shape)}`,
      { argument: 'inputs', expected: 'a rank-3 or rank-4 tensor', received: formatShape(shape) },
    );
  }
  const r = shape.length;
  return dataFormat === 'channelsLast' ? [r - 3, r - 2] : [r - 2, r - 1];
}

/** Keras's integer centred window of the target aspect ratio inside `height x width`. */
export function aspectCrop(height: number, width: number, targetHeight: number, targetWidth: number) {
  const cropHeight = Math.max(Math.min(height, Math.trunc((width * targetHeight) / targetWidth)), 1);
  const cropWidth = Math.max(Math.min(width, Math.trunc((height * targetWidth) / targetHeight)), 1);
  return {
    top: Math.trunc((height - cropHeight) / 2),
    left: Math.trunc((width - cropWidth) / 2),
    height: cropHeight,
    width: cropWidth,
  };
}

/** `x` sliced to rows `[top, top + h)` and columns `[left, left + w)` of its spatial axes. */
export function cropSpatial(
  x: tf.Tensor,
  axes: [number, number],
  top: number,
  left: number,
  h: number,
  w: number,
): tf.Tensor {
  const begin = x.shape.map(() => 0);
  const size = [...x.shape];
  begin[axes[0]] = top;
  begin[axes[1]] = left;
  size[axes[0]] = h;
  size[axes[1]] = w;
  return tf.slice(x, begin, size);
}

/** Keras's padding to the target aspect ratio: the same margin of `fillValue` on both sides of one axis. */
function padToAspect(x: tf.Tensor, axes: [number, number], size: [number, number], fillValue: number): tf.Tensor {
  const [height, width] = [x.shape[axes[0]] as number, x.shape[axes[1]] as number];
  const padHeight = Math.max(height, Math.trunc((width * size[0]) / size[1]));
  const padWidth = Math.max(width, Math.trunc((height * size[1]) / size[0]));
  const top = Math.trunc((padHeight - height) / 2);
  const left = Math.trunc((padWidth - width) / 2);
  const paddings = x.shape.map(() => [0, 0] as [number, number]);
  // Keras pads rows when it needs to, else columns, never both.
  if (top > 0) paddings[axes[0]] = [top, top];
  else if (left > 0) paddings[axes[1]] = [left, left];
  else return x;
  return tf.pad(x, paddings, fillValue);
}

/** Resamples the spatial axes of `x` (float32) to `size`, with half-pixel centres, as Keras on JAX. */
export function resample(
  x: tf.Tensor,
  axes: [number, number],
  size: [number, number],
  interpolation: Interpolation,
): tf.Tensor {
  return tf.tidy(() => {
    const rank = x.rank;
    // tfjs resizes NHWC batches: bring the layout there and back.
    const channelsFirst = axes[1] === rank - 1;
    let images = channelsFirst ? tf.transpose(x, rank === 4 ? [0, 2, 3, 1] : [1, 2, 0]) : x;
    if (rank === 3) images = tf.expandDims(images, 0);
    const batch = images as tf.Tensor4D;
    const resized =
      interpolation === 'bilinear'
        ? tf.image.resizeBilinear(batch, size, false, true)
        : tf.image.resizeNearestNeighbor(batch, size, false, true);
    const unbatched = rank === 3 ? tf.squeeze(resized, [0]) : resized;
    return channelsFirst ? tf.transpose(unbatched, rank === 4 ? [0, 3, 1, 2] : [2, 0, 1]) : unbatched;
  });
}

/** Options of `resizeImages`: Keras's `ops.image.resize` arguments that the layers pass. */
export interface ResizeSettings {
  size: [number, number];
  interpolation: Interpolation;
  dataFormat: DataFormat;
  cropToAspectRatio: boolean;
  padToAspectRatio: boolean;
  fillValue: number;
}

/** Keras's `ops.image.resize` of a float32 image tensor (rank 3 or 4). */
export function resizeImages(x: tf.Tensor, settings: ResizeSettings, className: string): tf.Tensor {
  const axes = spatialAxes(x.shape, settings.dataFormat, className);
  return tf.tidy(() => {
    let images = x;
    if (settings.cropToAspectRatio) {
      const crop = aspectCrop(x.shape[axes[0]] as number, x.shape[axes[1]] as number, ...settings.size);
      images = cropSpatial(images, axes, crop.top, crop.left, crop.height, crop.width);
    } else if (settings.padToAspectRatio) {
      images = padToAspect(images, axes, settings.size, settings.fillValue);
    }
    return resample(images, axes, settings.size, settings.interpolation);
  });
}
