/**
 * The `utils` namespace, the part of Keras's `keras.utils` that applies here:
 * seeding the library's random numbers.
 *
 * @packageDocumentation
 * @example utils.setRandomSeed(42);
 */

export { type PlotModelOptions, plotModel } from '../models/plot-model.js';
export { setRandomSeed } from './random.js';
