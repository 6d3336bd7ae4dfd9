/**
 * The callbacks' file operations on Node (node:fs). Imported only by the
 * Node platform (platform/node.ts), which installs it.
 */
import { appendFile, copyFile, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../saving/atomic-write.js';
import type { CallbackFiles } from './files.js';

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** node:fs behind the `CallbackFiles` interface. */
export const nodeCallbackFiles: CallbackFiles = {
  exists: async (path) => (await statOrNull(path)) != null,
  isDirectory: async (path) => (await statOrNull(path))?.isDirectory() ?? false,
  makeDirectories: async (path) => {
    await mkdir(path, { recursive: true });
  },
  readText: (path) => readFile(path, 'utf8'),
  writeText: (path, text) => writeFileAtomic(path, new TextEncoder().encode(text), true),
  appendText: async (path, text) => {
    await appendFile(path, text, 'utf8');
    // Keras flushes after each row: a killed run keeps the epochs it logged.
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  copy: (from, to) => copyFile(from, to),
  remove: (path) => rm(path, { force: true }),
  removeTree: (path) => rm(path, { recursive: true, force: true }),
  join,
  dirname,
};
