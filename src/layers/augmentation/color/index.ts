/** The color augmentation layers (re-exported by the layers namespace). */
export { AutoContrast, type AutoContrastOptions } from './auto-contrast.js';
export { RandomBrightness, type RandomBrightnessOptions } from './random-brightness.js';
export { RandomContrast, type RandomContrastOptions } from './random-contrast.js';
export { RandomGrayscale, type RandomGrayscaleOptions } from './random-grayscale.js';
export { RandomInvert, type RandomInvertOptions } from './random-invert.js';
export { RandomPosterization, type RandomPosterizationOptions } from './random-posterization.js';
export { Solarization, type SolarizationOptions } from './solarization.js';
