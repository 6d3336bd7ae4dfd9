/** The color augmentation layers by Keras class name, for layer JSON (read by layers/serialization.ts). */
import type { DeserializableClass } from '../../../serialization/serialization.js';
import { AutoContrast } from './auto-contrast.js';
import { RandomBrightness } from './random-brightness.js';
import { RandomContrast } from './random-contrast.js';
import { RandomGrayscale } from './random-grayscale.js';
import { RandomInvert } from './random-invert.js';
import { RandomPosterization } from './random-posterization.js';
import { Solarization } from './solarization.js';

export const COLOR_AUGMENTATION_CLASSES: ReadonlyArray<readonly [string, DeserializableClass]> = [
  ['AutoContrast', AutoContrast],
  ['RandomBrightness', RandomBrightness],
  ['RandomContrast', RandomContrast],
  ['RandomGrayscale', RandomGrayscale],
  ['RandomInvert', RandomInvert],
  ['RandomPosterization', RandomPosterization],
  ['Solarization', Solarization],
];
