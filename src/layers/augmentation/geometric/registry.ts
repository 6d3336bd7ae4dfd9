/** The geometric augmentation layers by Keras class name, for layer JSON (read by layers/serialization.ts). */
import type { DeserializableClass } from '../../../serialization/serialization.js';

export const GEOMETRIC_AUGMENTATION_CLASSES: ReadonlyArray<readonly [string, DeserializableClass]> = [];
