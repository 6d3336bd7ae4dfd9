/** The color augmentation layers (re-exported by the layers namespace). */
export { AutoContrast, type AutoContrastOptions } from './auto-contrast.js';
export {
  ContrastLimitedAdaptiveHistogramEqualization,
  type ContrastLimitedAdaptiveHistogramEqualizationOptions,
} from './clahe.js';
export { Equalization, type EqualizationOptions } from './equalization.js';
export { RandomBrightness, type RandomBrightnessOptions } from './random-brightness.js';
export { RandomColorDegeneration, type RandomColorDegenerationOptions } from './random-color-degeneration.js';
export { RandomColorJitter, type RandomColorJitterOptions } from './random-color-jitter.js';
export { RandomContrast, type RandomContrastOptions } from './random-contrast.js';
export { RandomGrayscale, type RandomGrayscaleOptions } from './random-grayscale.js';
export { RandomHue, type RandomHueOptions } from './random-hue.js';
export { RandomInvert, type RandomInvertOptions } from './random-invert.js';
export { RandomPosterization, type RandomPosterizationOptions } from './random-posterization.js';
export { RandomSaturation, type RandomSaturationOptions } from './random-saturation.js';
export { RandomSharpness, type RandomSharpnessOptions } from './random-sharpness.js';
export { Solarization, type SolarizationOptions } from './solarization.js';
