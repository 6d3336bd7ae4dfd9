/** The color augmentation layers by Keras class name, for layer JSON (read by layers/serialization.ts). */
import type { DeserializableClass } from '../../../serialization/serialization.js';
import { AutoContrast } from './auto-contrast.js';
import { ContrastLimitedAdaptiveHistogramEqualization } from './clahe.js';
import { Equalization } from './equalization.js';
import { RandomBrightness } from './random-brightness.js';
import { RandomColorDegeneration } from './random-color-degeneration.js';
import { RandomColorJitter } from './random-color-jitter.js';
import { RandomContrast } from './random-contrast.js';
import { RandomGrayscale } from './random-grayscale.js';
import { RandomHue } from './random-hue.js';
import { RandomInvert } from './random-invert.js';
import { RandomPosterization } from './random-posterization.js';
import { RandomSaturation } from './random-saturation.js';
import { RandomSharpness } from './random-sharpness.js';
import { Solarization } from './solarization.js';

export const COLOR_AUGMENTATION_CLASSES: ReadonlyArray<readonly [string, DeserializableClass]> = [
  ['AutoContrast', AutoContrast],
  ['ContrastLimitedAdaptiveHistogramEqualization', ContrastLimitedAdaptiveHistogramEqualization],
  ['Equalization', Equalization],
  ['RandomBrightness', RandomBrightness],
  ['RandomColorDegeneration', RandomColorDegeneration],
  ['RandomColorJitter', RandomColorJitter],
  ['RandomContrast', RandomContrast],
  ['RandomGrayscale', RandomGrayscale],
  ['RandomHue', RandomHue],
  ['RandomInvert', RandomInvert],
  ['RandomPosterization', RandomPosterization],
  ['RandomSaturation', RandomSaturation],
  ['RandomSharpness', RandomSharpness],
  ['Solarization', Solarization],
];
