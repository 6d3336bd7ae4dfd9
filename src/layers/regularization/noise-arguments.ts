/**
 * The arguments and random draws of the noise layers (GaussianNoise, GaussianDropout,
 * AlphaDropout), as Keras's `SeedGenerator`: a layer given a `seed` draws a
 * new noise at each training call, and a fresh layer with the same seed
 * draws the same sequence again; without a seed each call takes its seed
 * from the library's generator (`utils.setRandomSeed` makes that repeatable).
 */
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { nextSeed } from '../../utils/random.js';

/**
 * `seed` checked as Keras checks it: null, or an integer. Keras's JAX
 * backend takes it as a uint32 and fails at the first call outside
 * [0, 2^32); we refuse it at construction.
 */
export function checkSeed(seed: unknown): number | null {
  if (seed == null) return null;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new ValueError(`Argument \`seed\` must be an integer in [0, 2**32). Received: seed=${formatValue(seed)}`, {
      argument: 'seed',
      expected: 'an integer in [0, 2**32) or null',
      received: formatValue(seed),
    });
  }
  return seed;
}

/**
 * `rate` checked for GaussianDropout and AlphaDropout: a number in [0, 1).
 * Keras accepts 1 and fails at the first training call (a division by
 * zero); we refuse it at construction.
 */
export function checkRate(rate: unknown): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new ValueError(
      `Invalid value received for argument \`rate\`. Expected a float value between 0 and 1, 1 excluded. Received: rate=${formatValue(rate)}`,
      { argument: 'rate', expected: 'a number in [0, 1)', received: formatValue(rate) },
    );
  }
  return rate;
}

/** One layer's sequence of tfjs op seeds: from its `seed` (mulberry32), else from the library's generator. */
export class NoiseSeeds {
  #state: number | null;

  constructor(seed: number | null) {
    this.#state = seed;
  }

  /** The seed of the next random op. */
  next(): number {
    if (this.#state == null) return nextSeed();
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % 2 ** 31;
  }
}
