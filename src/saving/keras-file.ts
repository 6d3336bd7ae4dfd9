/**
 * `.keras` files on disk (Node): written atomically (atomic-write.ts), read
 * only from a regular file of bounded size (read-file.ts), then checked as
 * `loadModelFromBytes` checks bytes.
 */
import { invalidArgument, ValueError } from '../errors.js';
import type { Model } from '../models/model.js';
import { formatValue } from '../utils/format.js';
import { readOptions } from '../utils/options.js';
import { loadModelFromBytes, saveModelToBytes } from './keras-archive.js';
import { archiveFileLimit } from './load-limits.js';
import { type LoadOptions, readLoadOptions } from './load-options.js';

export interface SaveOptions {
  /** Replace an existing file (default true); false refuses to, as Keras's `overwrite=False` without its prompt. */
  overwrite?: boolean;
}

function checkPath(path: unknown): string {
  if (typeof path !== 'string' || !path.endsWith('.keras')) {
    throw new ValueError(`Invalid filepath: the filename must end in .keras. Received: filepath=${formatValue(path)}`, {
      argument: 'filepath',
      expected: 'a path ending in .keras',
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
 * Saves `model` to `path` (a `.keras` file): written to a temporary file
 * beside it, then renamed over `path`. Saves to one path run in the order
 * they are called.
 */
export async function saveModel(model: Model, path: string, options: SaveOptions = {}): Promise<void> {
  const target = checkPath(path);
  const read = readOptions<SaveOptions>('saveModel', options, ['overwrite']);
  const overwrite = read.overwrite ?? true;
  if (typeof overwrite !== 'boolean') throw invalidArgument('overwrite', 'a boolean', overwrite);
  const { writeFileAtomic } = await import('./atomic-write.js');
  await writeFileAtomic(target, saveModelToBytes(model), overwrite);
}

/**
 * Loads a `.keras` file saved by Keras 3 or by this library. The path must
 * lead to a regular file (links are followed) no larger than the archive
 * limit that `maxWeights` sets.
 */
export async function loadModel(path: string, options: LoadOptions = {}): Promise<Model> {
  const target = checkPath(path);
  const { maxWeights } = readLoadOptions('loadModel', options);
  const { readRegularFile } = await import('./read-file.js');
  return loadModelFromBytes(await readRegularFile(target, archiveFileLimit(maxWeights), 'filepath'), options);
}
