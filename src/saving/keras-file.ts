/**
 * `.keras` files on disk (Node): written atomically (atomic-write.ts), read
 * only from a regular file of bounded size (read-file.ts), then checked as
 * `loadModelFromBytes` checks bytes.
 */
import { invalidArgument, ValueError } from '../errors.js';
import type { Model } from '../models/model.js';
import { checkArity } from '../utils/arity.js';
import { formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { loadModelFromBytes, requireSavable, saveModelToBytes } from './keras-archive.js';
import { isHdf5 } from './legacy-h5/read.js';
import { archiveFileLimit } from './load-limits.js';
import { type LoadOptions, readLoadOptions } from './load-options.js';
import { writeAtomicallyInOrder } from './queued-write.js';

/** The options of `saveModel`, Keras's `model.save(filepath, overwrite=True)`. */
export interface SaveOptions {
  /** Replace an existing file (default true); false refuses to, as Keras's `overwrite=False` without its prompt. */
  overwrite?: boolean;
}

/**
 * A `.keras` path, or a legacy `.h5` one (not `.weights.h5`: that is a
 * weights file, which `loadWeights` reads, as Keras tells them apart).
 */
function checkPath(path: unknown): string {
  const legacy = typeof path === 'string' && path.endsWith('.h5') && !path.endsWith('.weights.h5');
  if (typeof path !== 'string' || !(path.endsWith('.keras') || legacy)) {
    throw new ValueError(
      `Invalid filepath: the filename must end in .keras (or .h5 for Keras's legacy format; a .weights.h5 file holds weights only: use model.loadWeights). Received: filepath=${formatValue(path)}`,
      {
        argument: 'filepath',
        expected: 'a path ending in .keras or .h5 (not .weights.h5)',
        received: formatValue(path),
      },
    );
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
 * Saves `model` to `path` (a `.keras` file, or a legacy `.h5` file that
 * Keras's `load_model` reads): written to a temporary file
 * beside it, then renamed over `path`. Saves to one path run in the order
 * they are called.
 */
export async function saveModel(model: Model, path: string, options: SaveOptions = {}): Promise<void> {
  // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
  checkArity('saving.saveModel', arguments.length, ['model', 'filepath', 'options']);
  const target = checkPath(path);
  const read = readOptions<SaveOptions>('saveModel', options, ['overwrite']);
  const overwrite = read.overwrite ?? true;
  if (typeof overwrite !== 'boolean') throw invalidArgument('overwrite', 'a boolean', overwrite);
  if (target.endsWith('.h5')) {
    // Checked before the write is queued, as saveModelToBytes does for .keras.
    const savable = requireSavable(model);
    const bytes = import('./legacy-h5/write.js').then(({ writeLegacyH5 }) => writeLegacyH5(savable));
    await writeAtomicallyInOrder(target, bytes, overwrite);
    return;
  }
  await writeAtomicallyInOrder(target, saveModelToBytes(model), overwrite);
}

/**
 * Loads a `.keras` file saved by Keras 3 or by this library, or a legacy
 * `.h5` model file (Keras 2's or 3's `model.save('m.h5')`). The path must
 * lead to a regular file (links are followed) no larger than the archive
 * limit that `maxWeights` sets.
 */
export async function loadModel(path: string, options: LoadOptions = {}): Promise<Model> {
  // biome-ignore lint/complexity/noArguments: the count of what the caller passed, to refuse extras.
  checkArity('saving.loadModel', arguments.length, ['filepath', 'options']);
  const target = checkPath(path);
  const { maxWeights } = readLoadOptions('loadModel', options);
  const { readRegularFile } = await import('./read-file.js');
  const bytes = await readRegularFile(target, archiveFileLimit(maxWeights), 'filepath');
  // By its name a legacy model file: anything but HDF5 would otherwise be read as a zip, with a zip's error.
  if (target.endsWith('.h5') && !isHdf5(bytes)) {
    throw new ValueError(`filepath ${JSON.stringify(target)} is not an HDF5 file: it lacks HDF5's signature.`, {
      argument: 'filepath',
      expected: 'an HDF5 file (starting with \\x89HDF\\r\\n\\x1a\\n)',
      received: `${bytes.length} bytes without that signature`,
    });
  }
  return loadModelFromBytes(bytes, options);
}
