/** ContrastLimitedAdaptiveHistogramEqualization: tile-wise clipped histogram equalization, as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../../errors.js';
import { formatShape } from '../../../utils/format.js';
import { type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  transformValueRange,
} from '../base/image-preprocessing-layer.js';

/**
 * The options of `ContrastLimitedAdaptiveHistogramEqualization`, Keras's
 * `ContrastLimitedAdaptiveHistogramEqualization(value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8), data_format=None)` camelCased.
 */
export interface ContrastLimitedAdaptiveHistogramEqualizationOptions extends ImagePreprocessingOptions {
  /** The images' `[min, max]`; default `[0, 255]`. */
  valueRange?: ValueRange;
  /** Each histogram bin is clipped to `clipLimit * tileArea / 256` and the excess spread evenly; 0 or less: no clipping. Default 4. */
  clipLimit?: number;
  /** Tiles along height and width; default `[8, 8]`. */
  tileGridSize?: readonly [number, number];
}

/** `tileGridSize`: two positive integers. */
function tileGridOption(value: unknown): [number, number] {
  const ok = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
  if (!Array.isArray(value) || value.length !== 2 || !value.every(ok)) {
    throw invalidArgument('tileGridSize', 'a list of two positive integers', value);
  }
  return [value[0] as number, value[1] as number];
}

/** The broadcasting sum of `tensors` (tf.addN needs equal shapes). */
function sum(tensors: tf.Tensor[]): tf.Tensor {
  return tensors.reduce((total, t) => tf.add(total, t));
}

/** Keras's float32 row (or column) coordinates of the tile interpolation: lower tile, upper tile, weight. */
function gridCoordinates(
  size: number,
  tile: number,
  grid: number,
): { lower: number[]; upper: number[]; weight: number[] } {
  const f = Math.fround;
  const lower: number[] = [];
  const upper: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < size; i++) {
    const position = f(f(f(i - tile / 2) / tile) + 1);
    const floor = Math.floor(position);
    weight.push(f(position - floor));
    lower.push(Math.min(Math.max(floor, 0), grid + 1));
    upper.push(Math.min(Math.max(floor + 1, 0), grid + 1));
  }
  return { lower, upper, weight };
}

/**
 * Contrast-limited adaptive histogram equalization (Keras's
 * `ContrastLimitedAdaptiveHistogramEqualization`), in training and at
 * inference alike (it is not random): the image (padded symmetrically to a
 * whole number of tiles) is cut into `tileGridSize` tiles; each tile's
 * 256-bin histogram of each channel is clipped at `clipLimit` times its mean
 * bin, the excess spread over all bins, and its normalised cumulative
 * histogram maps each value, interpolated bilinearly between the four
 * nearest tiles.
 *
 * @example new layers.ContrastLimitedAdaptiveHistogramEqualization({ clipLimit: 2, tileGridSize: [4, 4] }).apply(x)
 */
export class ContrastLimitedAdaptiveHistogramEqualization extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'ContrastLimitedAdaptiveHistogramEqualization';
  readonly valueRange: [number, number];
  readonly clipLimit: number;
  readonly tileGridSize: [number, number];

  constructor(options: ContrastLimitedAdaptiveHistogramEqualizationOptions = {}) {
    super('ContrastLimitedAdaptiveHistogramEqualization', options, ['valueRange', 'clipLimit', 'tileGridSize']);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], false);
    const clipLimit = options.clipLimit ?? 4;
    if (typeof clipLimit !== 'number' || !Number.isFinite(clipLimit)) {
      throw invalidArgument('clipLimit', 'a finite number', clipLimit);
    }
    this.clipLimit = clipLimit;
    this.tileGridSize = tileGridOption(options.tileGridSize ?? [8, 8]);
  }

  protected override transformImages(images: tf.Tensor4D): tf.Tensor {
    const first = this.dataFormat === 'channelsFirst';
    const last = first ? (tf.transpose(images, [0, 2, 3, 1]) as tf.Tensor4D) : images;
    const scaled = transformValueRange(last, this.valueRange, [0, 255]) as tf.Tensor4D;
    const result = transformValueRange(this.#clahe(scaled), [0, 255], this.valueRange);
    return first ? tf.transpose(result, [0, 3, 1, 2]) : result;
  }

  /** Keras's `_clahe` on channels-last images in [0, 255]. */
  #clahe(images: tf.Tensor4D): tf.Tensor {
    const [batch, height, width, channels] = images.shape;
    const [gridH, gridW] = this.tileGridSize;
    const tileH = Math.ceil(height / gridH);
    const tileW = Math.ceil(width / gridW);
    const padH = tileH * gridH - height;
    const padW = tileW * gridW - width;
    if (padH > height || padW > width) {
      throw new ValueError(
        `ContrastLimitedAdaptiveHistogramEqualization cannot pad images of ${height}x${width} to a grid of ${gridH}x${gridW} tiles (a symmetric padding may not exceed the image). Received: images.shape=${formatShape(images.shape)}, tileGridSize=[${gridH}, ${gridW}]`,
        { argument: 'tileGridSize', expected: `at most twice the image's size`, received: `[${gridH}, ${gridW}]` },
      );
    }
    const padded =
      padH === 0 && padW === 0
        ? images
        : tf.mirrorPad(
            images,
            [
              [0, 0],
              [0, padH],
              [0, padW],
              [0, 0],
            ],
            'symmetric',
          );
    const [paddedH, paddedW] = [tileH * gridH, tileW * gridW];
    // Each pixel's 8-bit value, as Keras's int32 cast and clip.
    const pixels = tf.clipByValue(tf.cast(padded, 'int32'), 0, 255);
    const range = (n: number, shape: number[], scale: number, map: (i: number) => number = (i) => i) =>
      tf.tensor(
        Array.from({ length: n }, (_, i) => map(i) * scale),
        shape,
        'int32',
      );
    // Histograms of every (image, tile row, tile column, channel) by one bincount over a combined index.
    const bins = 256;
    const binIndex = sum([
      range(batch, [batch, 1, 1, 1], gridH * gridW * channels * bins),
      range(paddedH, [1, paddedH, 1, 1], gridW * channels * bins, (y) => Math.floor(y / tileH)),
      range(paddedW, [1, 1, paddedW, 1], channels * bins, (x) => Math.floor(x / tileW)),
      range(channels, [1, 1, 1, channels], bins),
      pixels,
    ]);
    const size = batch * gridH * gridW * channels * bins;
    let hists: tf.Tensor = tf.reshape(
      tf.bincount(tf.reshape(binIndex, [-1]) as tf.Tensor1D, tf.tensor1d([], 'float32'), size),
      [batch, gridH, gridW, channels, bins],
    );
    const area = tileH * tileW;
    if (this.clipLimit > 0) {
      const clipped = tf.clipByValue(hists, 0, Math.fround((this.clipLimit * area) / 256));
      const excess = tf.sum(tf.sub(hists, clipped), -1, true);
      hists = tf.add(clipped, tf.div(excess, 256));
    }
    const cdf = tf.cumsum(hists, 4);
    const cdfMin = tf.min(cdf, -1, true);
    const numerator = tf.mul(tf.sub(cdf, cdfMin), 255);
    const span = tf.sub(area, cdfMin);
    const denominator = tf.where(tf.equal(span, 0), tf.onesLike(span), span);
    const cdfNorm = tf.clipByValue(tf.div(numerator, denominator), 0, 255);
    // Edge tiles repeated around the grid, for the interpolation at the borders.
    const rows = tf.concat(
      [tf.slice(cdfNorm, [0, 0], [-1, 1]), cdfNorm, tf.slice(cdfNorm, [0, gridH - 1], [-1, 1])],
      1,
    );
    const table = tf.reshape(
      tf.concat([tf.slice(rows, [0, 0, 0], [-1, -1, 1]), rows, tf.slice(rows, [0, 0, gridW - 1], [-1, -1, 1])], 2),
      [-1],
    );
    const strideX = bins * channels;
    const strideY = strideX * (gridW + 2);
    const strideB = strideY * (gridH + 2);
    const ys = gridCoordinates(paddedH, tileH, gridH);
    const xs = gridCoordinates(paddedW, tileW, gridW);
    const base = sum([range(batch, [batch, 1, 1, 1], strideB), range(channels, [1, 1, 1, channels], bins), pixels]);
    const rowIndex = (rows: number[]) =>
      tf.tensor(
        rows.map((r) => r * strideY),
        [1, paddedH, 1, 1],
        'int32',
      );
    const colIndex = (cols: number[]) =>
      tf.tensor(
        cols.map((c) => c * strideX),
        [1, 1, paddedW, 1],
        'int32',
      );
    const at = (r: number[], c: number[]) => tf.gather(table, tf.add(tf.add(base, rowIndex(r)), colIndex(c)));
    const wy = tf.tensor(ys.weight, [1, paddedH, 1, 1], 'float32');
    const wx = tf.tensor(xs.weight, [1, 1, paddedW, 1], 'float32');
    const blend = (a: tf.Tensor, b: tf.Tensor, w: tf.Tensor) => tf.add(tf.mul(a, tf.sub(1, w)), tf.mul(b, w));
    const top = blend(at(ys.lower, xs.lower), at(ys.lower, xs.upper), wx);
    const bottom = blend(at(ys.upper, xs.lower), at(ys.upper, xs.upper), wx);
    const result = blend(top, bottom, wy);
    return tf.slice(result, [0, 0, 0, 0], [batch, height, width, channels]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      valueRange: [...this.valueRange],
      clipLimit: this.clipLimit,
      tileGridSize: [...this.tileGridSize],
    };
  }
}
