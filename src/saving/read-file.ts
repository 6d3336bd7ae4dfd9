/**
 * Reads a file that must be a regular file of bounded size: the platform's
 * reader (Node: src/platform/node-read-file.ts; the browser has no files and
 * says what to use instead). Kept as a module of its own so that saving code
 * names one reader whatever the platform.
 */
import { platform } from '../platform/platform.js';

/** The bytes of the regular file at `path` (links followed), refusing anything else or anything over `limit` bytes. */
export function readRegularFile(path: string, limit: number, argument: string): Promise<Uint8Array> {
  return platform().readRegularFile(path, limit, argument);
}
