/** The mixing augmentation layers and Pipeline by Keras class name, for layer JSON (read by layers/serialization.ts). */
import type { DeserializableClass } from '../../../serialization/serialization.js';
import { AugMix } from './aug-mix.js';
import { CutMix } from './cut-mix.js';
import { MaxNumBoundingBoxes } from './max-num-bounding-boxes.js';
import { MixUp } from './mix-up.js';
import { Pipeline } from './pipeline.js';
import { RandAugment } from './rand-augment.js';
import { RandomErasing } from './random-erasing.js';
import { RandomGaussianBlur } from './random-gaussian-blur.js';

export const MIXING_AUGMENTATION_CLASSES: ReadonlyArray<readonly [string, DeserializableClass]> = [
  ['AugMix', AugMix],
  ['CutMix', CutMix],
  ['MaxNumBoundingBoxes', MaxNumBoundingBoxes],
  ['MixUp', MixUp],
  ['Pipeline', Pipeline],
  ['RandAugment', RandAugment],
  ['RandomErasing', RandomErasing],
  ['RandomGaussianBlur', RandomGaussianBlur],
];
