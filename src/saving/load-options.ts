/** The options of `loadModel` and `loadModelFromBytes`, read strictly: an unknown key is an error, not ignored. */
import { invalidArgument } from '../errors.js';
import type { DeserializeOptions } from '../serialization/serialization.js';
import { readOptions } from '../utils/options.js';
import { DEFAULT_MAX_WEIGHTS } from './load-limits.js';

/** The options of `loadModel` and the other loaders, Keras's `load_model(filepath, custom_objects=None, compile=True)` camelCased, and a size limit. */
export interface LoadOptions extends DeserializeOptions {
  /** Compile the model from the file's `compile_config` (default true), as Keras's `compile=True`. */
  compile?: boolean;
  /**
   * The most weight elements the model may have in all (default 2^28, 1 GiB
   * of float32): a file asking for more is refused before anything is
   * allocated past it. The archive's size limits scale with it.
   */
  maxWeights?: number;
}

export interface ReadLoadOptions {
  readonly deserialize: DeserializeOptions & { compile?: boolean };
  readonly maxWeights: number;
}

const NAMES = ['customObjects', 'compile', 'maxWeights'] as const;

export function readLoadOptions(caller: string, options: unknown): ReadLoadOptions {
  const read = readOptions<LoadOptions>(caller, options, NAMES);
  if (read.compile !== undefined && typeof read.compile !== 'boolean') {
    throw invalidArgument('compile', 'a boolean', read.compile);
  }
  const maxWeights = read.maxWeights ?? DEFAULT_MAX_WEIGHTS;
  if (!Number.isSafeInteger(maxWeights) || maxWeights < 1) {
    throw invalidArgument('maxWeights', 'a positive integer (a count of weight elements)', maxWeights);
  }
  const deserialize: DeserializeOptions & { compile?: boolean } = {};
  if (read.customObjects !== undefined) deserialize.customObjects = read.customObjects;
  if (read.compile !== undefined) deserialize.compile = read.compile;
  return { deserialize, maxWeights };
}
