/**
 * The limits a load works within, all derived from one number, the weight
 * budget (`maxWeights`, in elements): what the archive may hold, how far its
 * entries may inflate, how large a file may be. SECURITY.md lists them.
 */
import type { ZipLimits } from './zip-reader.js';

/** The default weight budget of a load: 2^28 elements, 1 GiB of float32, the largest single weight too. */
export const DEFAULT_MAX_WEIGHTS = 2 ** 28;
/** `config.json`: Keras's configs of hundreds of layers take about a megabyte. */
export const CONFIG_LIMIT = 16 << 20;
export const METADATA_LIMIT = 1 << 20;
/** Room in `model.weights.h5` for HDF5's own structures beside the float32 data. */
const H5_OVERHEAD = 64 << 20;
/** The largest typed array a JavaScript engine reliably allocates. */
const LARGEST_ARRAY = 2 ** 31 - 1;

export const ZIP_LIMITS_BASE = {
  /** Keras writes three entries; room for assets and for tools that add a few. */
  maxEntries: 1024,
  /** Deflate expands at most ~1032 times; real weights barely compress (Keras stores them uncompressed). */
  maxRatio: 64,
  /** Small entries (a config of repeated layers) may compress better than that. */
  ratioFreeBytes: 1 << 20,
} as const;

/** The size `model.weights.h5` may have for a budget of `maxWeights` float32 elements. */
export function weightsFileLimit(maxWeights: number): number {
  return Math.min(LARGEST_ARRAY, 4 * maxWeights + H5_OVERHEAD);
}

/** The entries a load inflates (no others), each with its byte limit. */
export function wantedEntries(maxWeights: number): ReadonlyMap<string, number> {
  return new Map([
    ['config.json', CONFIG_LIMIT],
    ['model.weights.h5', weightsFileLimit(maxWeights)],
  ]);
}

export function zipLimits(maxWeights: number): ZipLimits {
  return { ...ZIP_LIMITS_BASE, maxTotalBytes: CONFIG_LIMIT + weightsFileLimit(maxWeights) };
}

/** The largest `.keras` file `loadModel` reads: its entries at their limits, and room for the zip's own records. */
export function archiveFileLimit(maxWeights: number): number {
  return METADATA_LIMIT + CONFIG_LIMIT + weightsFileLimit(maxWeights) + (1 << 20);
}
