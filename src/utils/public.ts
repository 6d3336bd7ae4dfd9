/** The `utils` namespace. */
export { setRandomSeed } from './random.js';
