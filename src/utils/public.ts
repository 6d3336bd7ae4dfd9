/**
 * The `utils` namespace, the part of Keras's `keras.utils` that applies here:
 * seeding the library's random numbers.
 *
 * @packageDocumentation
 * @example utils.setRandomSeed(42);
 */
export { setRandomSeed } from './random.js';
