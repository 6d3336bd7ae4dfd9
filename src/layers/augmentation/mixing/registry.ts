/** The mixing augmentation layers by Keras class name, for layer JSON (read by layers/serialization.ts). */
import type { DeserializableClass } from '../../../serialization/serialization.js';

export const MIXING_AUGMENTATION_CLASSES: ReadonlyArray<readonly [string, DeserializableClass]> = [];
