/** The geometric augmentation layers (re-exported by the layers namespace). */
export type { AffineAugmentationOptions } from './affine-layer.js';
export type { FillMode, GeometricInterpolation } from './map-coordinates.js';
export { RandomCrop, type RandomCropOptions } from './random-crop.js';
export { RandomElasticTransform, type RandomElasticTransformOptions } from './random-elastic-transform.js';
export { FLIP_MODES, type FlipMode, RandomFlip, type RandomFlipOptions } from './random-flip.js';
export { RandomPerspective, type RandomPerspectiveOptions } from './random-perspective.js';
export { RandomRotation, type RandomRotationOptions } from './random-rotation.js';
export { RandomShear, type RandomShearOptions } from './random-shear.js';
export { RandomTranslation, type RandomTranslationOptions } from './random-translation.js';
export { RandomZoom, type RandomZoomOptions } from './random-zoom.js';
