/**
 * Atomic writes in call order: the platform's writer (Node:
 * src/saving/atomic-write.ts, which queues writes per path in call order;
 * the browser has no files and says what to use instead). Saving code
 * imports this module, never node:fs, so that the browser build has no
 * Node built-in in its import graph.
 */
import { platform } from '../platform/platform.js';

/**
 * Writes `bytes` (or what the promise gives) to `path` atomically; two saves
 * to one path end in the order they were called.
 */
export function writeAtomicallyInOrder(
  path: string,
  bytes: Uint8Array | Promise<Uint8Array>,
  overwrite: boolean,
): Promise<void> {
  return platform().writeFileAtomic(path, bytes, overwrite);
}
