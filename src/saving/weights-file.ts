/**
 * Keras's `.weights.h5` files: a model's weights alone, in the HDF5 layout
 * of a `.keras` file's `model.weights.h5` (weights-layout.ts), for Keras's
 * `model.save_weights` / `model.load_weights` both ways. The bytes
 * variants are browser-safe; the path variants write atomically and read
 * only a regular file of bounded size, as `saveModel` and `loadModel` do.
 */
import { invalidArgument, ValueError } from '../errors.js';
import { Model } from '../models/model.js';
import { checkArity } from '../utils/arity.js';
import { formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { withH5File } from './h5-reader.js';
import type { SaveOptions } from './keras-file.js';
import { DEFAULT_MAX_WEIGHTS, weightsFileLimit } from './load-limits.js';
import { applyOptimizerState, optimizerStateToSave, readOptimizerState } from './optimizer-state.js';
import { writeAtomicallyInOrder } from './queued-write.js';
import { assignWeights, readModelWeights, writeWeightsH5 } from './weights-h5.js';

/** How errors name the file. */
const LABEL = 'the .weights.h5 file';
/**
 * The largest weights file read: what a `.keras` file's `model.weights.h5`
 * may be by default. A Keras file also holds the optimizer's state (twice
 * the weights for Adam), so the model's own size would be too tight a bound.
 */
const WEIGHTS_FILE_LIMIT = weightsFileLimit(DEFAULT_MAX_WEIGHTS);

/** Keras's checks: a model, built (its weights exist). */
function requireBuilt(model: unknown, action: 'saving' | 'loading weights into'): Model {
  if (!(model instanceof Model)) throw invalidArgument('model', 'a Model', model);
  if (!model.built) {
    throw new ValueError(
      `You are ${action} a model that has not yet been built. Try building the model first by calling it on some data or by giving it an Input. Received: model "${model.name}"`,
      { argument: 'model', expected: 'a built model', received: `"${model.name}", not built` },
    );
  }
  return model;
}

/** Keras's rule: a weights file is named `*.weights.h5`. */
function checkPath(path: unknown): string {
  if (typeof path !== 'string' || !path.endsWith('.weights.h5')) {
    throw new ValueError(`The filename must end in \`.weights.h5\`. Received: filepath=${formatValue(path)}`, {
      argument: 'filepath',
      expected: 'a path ending in .weights.h5',
      received: formatValue(path),
    });
  }
  // Node would throw its own ERR_INVALID_ARG_VALUE deep in fs.
  if (path.includes('\0')) {
    throw new ValueError(`Invalid filepath: it contains a NUL byte. Received: filepath=${formatValue(path)}`, {
      argument: 'filepath',
      expected: 'a path without NUL bytes',
      received: formatValue(path),
    });
  }
  return path;
}

/**
 * The model's weights as the bytes of a `.weights.h5` file (Keras's
 * `save_weights`, in memory), with its optimizer's state when compiled.
 */
export async function saveWeightsToBytes(model: Model): Promise<Uint8Array> {
  // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
  checkArity('saving.saveWeightsToBytes', arguments.length, ['model']);
  const built = requireBuilt(model, 'saving');
  return writeWeightsH5(built, optimizerStateToSave(built));
}

/**
 * Loads the weights of a `.weights.h5` file, given as bytes, into `model`
 * (Keras's `load_weights`): the model must have the architecture the file
 * was saved from. Every weight is checked (each layer's count, each shape)
 * and read before any is assigned, so a refused file leaves the model as
 * it was. A compiled model's optimizer gets the saved state too (built on
 * the trainable weights first if it has not stepped yet, where Keras
 * skips the state with a warning); a state that does not fit is warned
 * about and skipped.
 */
export async function loadWeightsFromBytes(model: Model, bytes: Uint8Array): Promise<void> {
  // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
  checkArity('saving.loadWeightsFromBytes', arguments.length, ['model', 'bytes']);
  const target = requireBuilt(model, 'loading weights into');
  if (!(bytes instanceof Uint8Array)) throw invalidArgument('bytes', 'a Uint8Array', bytes);
  if (bytes.length > WEIGHTS_FILE_LIMIT) {
    throw new ValueError(`The .weights.h5 file is ${bytes.length} bytes, over the ${WEIGHTS_FILE_LIMIT}-byte limit.`, {
      argument: 'bytes',
      expected: `at most ${WEIGHTS_FILE_LIMIT} bytes`,
      received: `${bytes.length} bytes`,
    });
  }
  const [values, state] = await withH5File(
    bytes,
    (file) => [readModelWeights(file, target), readOptimizerState(file, target, { build: false })] as const,
    LABEL,
  );
  assignWeights(values);
  applyOptimizerState(state);
}

/**
 * Saves the model's weights to `path`, which must end in `.weights.h5`
 * (Keras's `model.save_weights`): written to a temporary file beside it,
 * then renamed over it.
 */
export async function saveWeights(model: Model, path: string, options: SaveOptions = {}): Promise<void> {
  // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
  checkArity('saving.saveWeights', arguments.length, ['model', 'filepath', 'options']);
  const target = checkPath(path);
  const read = readOptions<SaveOptions>('saveWeights', options, ['overwrite']);
  const overwrite = read.overwrite ?? true;
  if (typeof overwrite !== 'boolean') throw invalidArgument('overwrite', 'a boolean', overwrite);
  requireBuilt(model, 'saving');
  await writeAtomicallyInOrder(target, saveWeightsToBytes(model), overwrite);
}

/**
 * Loads the weights of the `.weights.h5` file at `path` into `model`
 * (Keras's `model.load_weights`). The path must lead to a regular file
 * (links are followed) of at most 1,140,850,688 bytes.
 */
export async function loadWeights(model: Model, path: string): Promise<void> {
  // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
  checkArity('saving.loadWeights', arguments.length, ['model', 'filepath']);
  const target = checkPath(path);
  requireBuilt(model, 'loading weights into');
  const { readRegularFile } = await import('./read-file.js');
  await loadWeightsFromBytes(model, await readRegularFile(target, WEIGHTS_FILE_LIMIT, 'filepath'));
}
