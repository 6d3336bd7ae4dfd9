/**
 * What the convolution variants (depthwise, separable, transposed) share:
 * the window options (kernel size, strides, padding, data format,
 * dilation) and their checks, channels-first handling, and the input checks
 * with base-conv.ts's texts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { type DataFormat, standardizeDataFormat, standardizePadding, standardizeTuple } from '../arguments.js';
import { LAYER_OPTION_NAMES, type LayerOptions, type Shape } from '../layer-types.js';

export interface WindowOptions {
  /** Window size: one number for every spatial axis, or one per axis. */
  kernelSize: number | number[];
  /** Default 1. */
  strides?: number | number[];
  /** `"valid"` (default) or `"same"`. */
  padding?: 'valid' | 'same';
  /** `"channelsLast"` (default) or `"channelsFirst"`; Keras's snake_case spellings are accepted too. */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first';
  /** Default 1. */
  dilationRate?: number | number[];
}

/** The resolved window options. */
export interface ConvWindow {
  rank: 1 | 2 | 3;
  kernelSize: number[];
  strides: number[];
  padding: 'valid' | 'same';
  dataFormat: DataFormat;
  dilationRate: number[];
}

export function readWindow(rank: 1 | 2 | 3, options: WindowOptions): ConvWindow {
  return {
    rank,
    kernelSize: standardizeTuple(options.kernelSize, rank, 'kernelSize'),
    strides: standardizeTuple(options.strides ?? 1, rank, 'strides'),
    dilationRate: standardizeTuple(options.dilationRate ?? 1, rank, 'dilationRate'),
    // Keras's variants take no "causal" (standardize_padding without allow_causal).
    padding: standardizePadding(options.padding ?? 'valid', false) as 'valid' | 'same',
    dataFormat: standardizeDataFormat(options.dataFormat),
  };
}

/** The window as Keras's config keys, in Keras's order (the caller places `output_padding` and the rest). */
export function windowConfig(window: ConvWindow): Record<string, unknown> {
  return {
    kernelSize: [...window.kernelSize],
    strides: [...window.strides],
    padding: window.padding,
    dataFormat: window.dataFormat,
    dilationRate: [...window.dilationRate],
  };
}

/**
 * Checks `options` against the base layer's names and `ownNames` (an unknown
 * key is a KerasTypeError naming it); returns the base layer's options.
 */
export function readVariantOptions(
  className: string,
  options: unknown,
  ownNames: readonly string[],
): { base: LayerOptions; read: Readonly<Record<string, unknown>> } {
  const read = readOptions(className, options, [...LAYER_OPTION_NAMES, ...ownNames]) as Record<string, unknown>;
  const base: Record<string, unknown> = {};
  for (const key of LAYER_OPTION_NAMES) if (key in read) base[key] = read[key];
  return { base: base as LayerOptions, read };
}

/** The input's channel count at build: the shape must have rank + 2 axes and known channels. */
export function buildChannels(layerName: string, window: ConvWindow, shape: Shape): number {
  const { rank } = window;
  const channels = shape.length === rank + 2 ? channelsOf(shape, window.dataFormat) : null;
  if (channels == null || !(channels > 0)) {
    throw new ValueError(
      `Input of layer "${layerName}" must have rank ${rank + 2} (batch, ${rank} spatial axes, channels) with known channels. Received: input shape ${formatShape(shape)}`,
      { argument: 'inputs', expected: `rank ${rank + 2}`, received: formatShape(shape) },
    );
  }
  return channels;
}

export function channelsOf(shape: Shape, dataFormat: DataFormat): number | null {
  return (dataFormat === 'channelsLast' ? shape[shape.length - 1] : shape[1]) ?? null;
}

/** A built layer's call input must have rank + 2 axes and the channels the layer was built for. */
export function checkCallInput(layerName: string, window: ConvWindow, x: tf.Tensor, channels: number): void {
  const { rank } = window;
  if (x.rank !== rank + 2 || channelsOf(x.shape, window.dataFormat) !== channels) {
    throw new ValueError(
      `Input 0 of layer "${layerName}" is incompatible with the layer: expected rank ${rank + 2} with ${channels} channels, but received input with shape ${formatShape(x.shape)}`,
      { argument: 'inputs', expected: `rank ${rank + 2}, ${channels} channels`, received: formatShape(x.shape) },
    );
  }
}

/** The spatial sizes of a (forward) convolution's output: TensorFlow's rule, refusing a window that does not fit. */
export function convolutionOutputSize(layerName: string, window: ConvWindow, inputShape: Shape): (number | null)[] {
  const first = window.dataFormat === 'channelsFirst' ? 2 : 1;
  return inputShape.slice(first, first + window.rank).map((size, i) => {
    if (size === null) return null;
    const stride = window.strides[i] as number;
    const reach = ((window.kernelSize[i] as number) - 1) * (window.dilationRate[i] as number) + 1;
    const out = window.padding === 'valid' ? Math.floor((size - reach) / stride) + 1 : Math.ceil(size / stride);
    if (!(out > 0)) {
      throw new ValueError(
        `Layer "${layerName}": the input is too small for the kernel: axis ${i + first} has ${size} positions, the kernel reaches ${reach}. Received: input shape ${formatShape(inputShape)}`,
        { argument: 'inputs', expected: `at least ${reach} positions`, received: formatShape(inputShape) },
      );
    }
    return out;
  });
}

/** `[batch, ...spatial, channels]` or `[batch, channels, ...spatial]`. */
export function withChannels(
  window: ConvWindow,
  batch: number | null,
  spatial: (number | null)[],
  channels: number | null,
): Shape {
  return window.dataFormat === 'channelsFirst' ? [batch, channels, ...spatial] : [batch, ...spatial, channels];
}

export function toChannelsLast(x: tf.Tensor, window: ConvWindow): tf.Tensor {
  if (window.dataFormat === 'channelsLast') return x;
  return tf.transpose(x, [0, ...Array.from({ length: window.rank }, (_, i) => i + 2), 1]);
}

export function fromChannelsLast(y: tf.Tensor, window: ConvWindow): tf.Tensor {
  if (window.dataFormat === 'channelsLast') return y;
  return tf.transpose(y, [0, window.rank + 1, ...Array.from({ length: window.rank }, (_, i) => i + 1)]);
}
