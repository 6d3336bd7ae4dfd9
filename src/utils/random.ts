/**
 * The library's random numbers: one seedable generator (mulberry32) that
 * draws seeds for unseeded initializers and dropout, and shuffles batches.
 * `setRandomSeed(n)` makes a whole run repeatable, as Keras's
 * `keras.utils.set_random_seed` does.
 */
import { invalidArgument } from '../errors.js';

let state = (Math.random() * 2 ** 32) >>> 0;

/** Seeds every random draw the library makes from now on. */
export function setRandomSeed(seed: number): void {
  state = seed >>> 0;
}

/**
 * The generator's state (one 32-bit integer): saved with a backup so that a
 * resumed run draws what the interrupted one would have (BackupAndRestore).
 */
export function getRandomState(): number {
  return state;
}

/** Restores a state from `getRandomState`. */
export function setRandomState(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw invalidArgument('state', 'an integer in [0, 2^32) from getRandomState()', value);
  }
  state = value;
}

/** A uniform float in [0, 1). */
export function randomUniform(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A fresh integer seed for a tfjs random op. */
export function nextSeed(): number {
  return Math.floor(randomUniform() * 2 ** 31);
}

/** A random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(randomUniform() * (i + 1));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}
