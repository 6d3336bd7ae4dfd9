/**
 * The limits a load works within, all derived from one number, the weight
 * budget (`maxWeights`, in elements): what the archive may hold, how far its
 * entries may inflate, how large a file may be. SECURITY.md lists them.
 */
import { ValueError } from '../errors.js';
import { isPlainObject, ownValue } from '../utils/objects.js';
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

/**
 * The layers a loaded config may declare, those of nested models included:
 * more than Keras's largest Functional models (about a thousand), and few
 * enough that rebuilding a graph whose layers are listed in the worst order
 * (each pass over the waiting calls makes one) stays within seconds.
 */
export const MAX_LAYERS = 10_000;

/** What a config declares, for the bounds of the weights file's survey. */
export interface ConfigSurvey {
  /** Layers in all, those of nested models included. */
  readonly layers: number;
  /** How deep models nest: 1 for a model of plain layers, 2 with a model inside, ... */
  readonly nesting: number;
}

/**
 * Counts the layers `config` declares, in every model's `config.layers`
 * at any depth, and refuses more than `MAX_LAYERS` before a layer is made.
 * The walk is iterative: a config nested deeply cannot overflow the stack.
 */
export function surveyConfig(config: unknown, source = 'config.json'): ConfigSurvey {
  let layers = 0;
  let nesting = 0;
  const stack: [unknown, number][] = [[config, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === 'object') stack.push([item, depth]);
      continue;
    }
    if (!isPlainObject(value)) continue;
    const inner = ownValue(value, 'config');
    const list = isPlainObject(inner) ? ownValue(inner, 'layers') : undefined;
    // The layers of a model (and what they hold) are one level deeper.
    const below = Array.isArray(list) ? depth + 1 : depth;
    if (Array.isArray(list)) {
      layers += list.length;
      nesting = Math.max(nesting, below);
      if (layers > MAX_LAYERS) {
        throw new ValueError(
          `${source} declares over ${MAX_LAYERS} layers (nested models' included); a load builds at most ${MAX_LAYERS}.`,
          { argument: source, expected: `at most ${MAX_LAYERS} layers`, received: `over ${MAX_LAYERS} layers` },
        );
      }
    }
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (item !== null && typeof item === 'object') stack.push([item, key === 'config' ? below : depth]);
    }
  }
  return { layers, nesting };
}

/** How far a survey of the weights file goes, from what the config declares. */
export interface SurveyBounds {
  /** Groups visited below `layers`. */
  readonly maxGroups: number;
  /** Path segments below the root. */
  readonly maxDepth: number;
  /** What they come from, for the errors. */
  readonly source: string;
}

/**
 * Keras stores a layer in one group (and its weights in a `vars` group,
 * not counted), a model's layers in a `layers` group, and layers held by a
 * layer in a group each, a level or two deeper: a MultiHeadAttention takes
 * 7 groups (its four EinsumDense, softmax and dropout), a Bidirectional RNN
 * 5 (each direction and its cell). Eight groups per declared layer, and six
 * levels beyond two per nested model, leave room for those. A file of more
 * (a few hundred bytes of hard links can make a group its own child, 2^n
 * paths n levels down) is refused after as many groups as the config could
 * need, not walked.
 */
export function surveyBounds({ layers, nesting }: ConfigSurvey, source = 'config.json'): SurveyBounds {
  return {
    maxGroups: 8 * layers + 64,
    maxDepth: 2 * Math.max(nesting, 1) + 6,
    source: `${source} declares ${layers} layers, models nested ${Math.max(nesting, 1)} deep`,
  };
}
