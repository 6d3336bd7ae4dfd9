/** The geometric augmentation layers by Keras class name, for layer JSON (read by layers/serialization.ts). */
import type { DeserializableClass } from '../../../serialization/serialization.js';
import { RandomCrop } from './random-crop.js';
import { RandomElasticTransform } from './random-elastic-transform.js';
import { RandomFlip } from './random-flip.js';
import { RandomPerspective } from './random-perspective.js';
import { RandomRotation } from './random-rotation.js';
import { RandomShear } from './random-shear.js';
import { RandomTranslation } from './random-translation.js';
import { RandomZoom } from './random-zoom.js';

export const GEOMETRIC_AUGMENTATION_CLASSES: ReadonlyArray<readonly [string, DeserializableClass]> = [
  ['RandomFlip', RandomFlip],
  ['RandomRotation', RandomRotation],
  ['RandomZoom', RandomZoom],
  ['RandomTranslation', RandomTranslation],
  ['RandomCrop', RandomCrop],
  ['RandomShear', RandomShear],
  ['RandomPerspective', RandomPerspective],
  ['RandomElasticTransform', RandomElasticTransform],
];
