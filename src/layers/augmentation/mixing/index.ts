/** The mixing augmentation layers and Pipeline (re-exported by the layers namespace). */
export { AugMix, type AugMixOptions } from './aug-mix.js';
export { CutMix, type CutMixOptions } from './cut-mix.js';
export {
  type BoundingBoxes,
  MaxNumBoundingBoxes,
  type MaxNumBoundingBoxesOptions,
} from './max-num-bounding-boxes.js';
export { MixUp, type MixUpOptions } from './mix-up.js';
export type { ImagesAndLabels } from './mixed-batch.js';
export { Pipeline, type PipelineOptions } from './pipeline.js';
export { RandAugment, type RandAugmentOptions } from './rand-augment.js';
export { RandomErasing, type RandomErasingOptions } from './random-erasing.js';
export { RandomGaussianBlur, type RandomGaussianBlurOptions } from './random-gaussian-blur.js';
