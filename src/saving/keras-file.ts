/** `.keras` files on disk (Node): written atomically, read with the checks of `loadModelFromBytes`. */
import { ValueError } from '../errors.js';
import type { Model } from '../models/model.js';
import type { DeserializeOptions } from '../serialization/serialization.js';
import { formatValue } from '../utils/format.js';
import { loadModelFromBytes, saveModelToBytes } from './keras-archive.js';

function checkPath(path: unknown): string {
  if (typeof path !== 'string' || !path.endsWith('.keras')) {
    throw new ValueError(`Invalid filepath: the filename must end in .keras. Received: filepath=${formatValue(path)}`, {
      argument: 'filepath',
      expected: 'a path ending in .keras',
      received: formatValue(path),
    });
  }
  return path;
}

/** Saves `model` to `path` (a `.keras` file): written to a temporary file, then renamed over `path`. */
export async function saveModel(model: Model, path: string): Promise<void> {
  const target = checkPath(path);
  const bytes = await saveModelToBytes(model);
  const { rename, rm, writeFile } = await import('node:fs/promises');
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Loads a `.keras` file saved by Keras 3 or by this library. */
export async function loadModel(
  path: string,
  options: DeserializeOptions & { compile?: boolean } = {},
): Promise<Model> {
  const { readFile } = await import('node:fs/promises');
  return loadModelFromBytes(new Uint8Array(await readFile(checkPath(path))), options);
}
