/** Solarization: values above a threshold inverted (after an optional addition), as Keras's layer. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../../errors.js';
import { formatValue } from '../../../utils/format.js';
import { type FactorValue, type ValueRange, valueRangeOption } from '../base/factor.js';
import {
  BaseImagePreprocessingLayer,
  type ImagePreprocessingOptions,
  transformValueRange,
} from '../base/image-preprocessing-layer.js';

/** The options of `Solarization`, Keras's `Solarization(addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None)` camelCased. */
export interface SolarizationOptions extends ImagePreprocessingOptions {
  /** In [0, 1]: a number `f` means `[0, f]`; the addition is drawn per image from `[lower, upper * 255]` (Keras's bounds). Default 0. */
  additionFactor?: FactorValue;
  /** In [0, 1]: a number `f` means `[0, f]`; the threshold is drawn per image from `[lower, upper * 255]` (Keras's bounds). Default 0. */
  thresholdFactor?: FactorValue;
  /** The images' `[min, max]` (sorted, as Keras sorts it); default `[0, 255]`. */
  valueRange?: ValueRange;
  /** An integer in [0, 2^32): the layer's sequence of draws repeats exactly. */
  seed?: number | null;
}

/**
 * Solarization's factor check (Keras's `Solarization._set_factor`): every
 * number in [0, 1]; a number `f` gives `[0, f]`, a pair is sorted.
 */
function solarizationFactor(argument: string, factor: unknown): [number, number] {
  const inRange = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;
  const ok = Array.isArray(factor) ? factor.length === 2 && factor.every(inRange) : inRange(factor);
  if (!ok) {
    throw new ValueError(
      `The \`additionFactor\` and \`thresholdFactor\` arguments should be a number (or a list of two numbers) in the range [0, 1]. Received: ${argument}=${formatValue(factor)}`,
      { argument, expected: 'a number or a list of two numbers in [0, 1]', received: formatValue(factor) },
    );
  }
  if (!Array.isArray(factor)) return [0, factor as number];
  const [a, b] = factor as [number, number];
  return a <= b ? [a, b] : [b, a];
}

/**
 * In training, maps each image to [0, 255], adds a value drawn per image,
 * clips to [0, 255], replaces every value at or above a threshold drawn per
 * image by `255 - value`, and maps back to `valueRange`; at inference, the
 * identity (Keras's `Solarization`). With both factors 0 every value is
 * inverted. As in Keras, each draw's lower bound is the factor's lower
 * number itself and its upper bound the upper number times 255.
 *
 * @example new layers.Solarization({ thresholdFactor: 0.5, seed: 1 }).apply(x, { training: true })
 */
export class Solarization extends BaseImagePreprocessingLayer {
  static override readonly className: string = 'Solarization';
  readonly additionFactor: [number, number];
  readonly thresholdFactor: [number, number];
  readonly valueRange: [number, number];

  constructor(options: SolarizationOptions = {}) {
    super('Solarization', options, ['additionFactor', 'thresholdFactor', 'valueRange', 'seed']);
    this.additionFactor = solarizationFactor('additionFactor', options.additionFactor ?? 0);
    this.thresholdFactor = solarizationFactor('thresholdFactor', options.thresholdFactor ?? 0);
    this.valueRange = valueRangeOption(options.valueRange ?? [0, 255], true);
  }

  protected override transformImages(images: tf.Tensor4D, training: boolean): tf.Tensor {
    if (!training) return images;
    const shape = [images.shape[0], 1, 1, 1];
    // Keras draws the additions first, then the thresholds.
    const additions = tf.randomUniform(
      shape,
      this.additionFactor[0],
      this.additionFactor[1] * 255,
      'float32',
      this.nextSeed(),
    );
    const thresholds = tf.randomUniform(
      shape,
      this.thresholdFactor[0],
      this.thresholdFactor[1] * 255,
      'float32',
      this.nextSeed(),
    );
    const scaled = transformValueRange(images, this.valueRange, [0, 255]);
    const added = tf.clipByValue(tf.add(scaled, additions), 0, 255);
    const solarized = tf.where(tf.less(added, thresholds), added, tf.sub(255, added));
    return transformValueRange(solarized, [0, 255], this.valueRange);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      valueRange: [...this.valueRange],
      additionFactor: [...this.additionFactor],
      thresholdFactor: [...this.thresholdFactor],
      seed: this.seed,
    };
  }
}
