/**
 * Reads a file that must be a regular file of bounded size (Node). A path can
 * name, or link to, a device (`/dev/zero` never ends), a FIFO (opening one
 * waits for a writer) or a folder; those are refused, and a file is read up
 * to its limit and no further, even one that grows while it is read.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ValueError } from '../errors.js';

function describe(info: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  return 'a device';
}

function notRegular(argument: string, path: string, kind: string): ValueError {
  return new ValueError(`${argument} must be a regular file; ${JSON.stringify(path)} is ${kind}.`, {
    argument,
    expected: 'a regular file',
    received: kind,
  });
}

function tooLarge(argument: string, path: string, size: string, limit: number): ValueError {
  return new ValueError(`${argument} ${JSON.stringify(path)} is ${size}, over the ${limit}-byte limit.`, {
    argument,
    expected: `a file of at most ${limit} bytes`,
    received: size,
  });
}

/** The bytes of the regular file at `path` (links followed), refusing anything else or anything over `limit` bytes. */
export async function readRegularFile(path: string, limit: number, argument: string): Promise<Uint8Array> {
  // Checked before opening: opening a FIFO would block until something writes to it.
  const before = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') throw error;
    throw new ValueError(`File not found: ${argument}=${JSON.stringify(path)}.`, {
      argument,
      expected: 'an existing file',
      received: JSON.stringify(path),
    });
  });
  if (!before.isFile()) throw notRegular(argument, path, describe(before));
  // O_NONBLOCK: should the path be swapped for a FIFO meanwhile, opening it does not wait.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
  const handle = await open(path, flags);
  try {
    // The opened file is what counts: checked again through the handle.
    const info = await handle.stat();
    if (!info.isFile()) throw notRegular(argument, path, describe(info));
    if (info.size > limit) throw tooLarge(argument, path, `${info.size} bytes`, limit);
    // One byte more than its size, to notice a file that grows while it is read.
    const buffer = new Uint8Array(info.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length !== info.size) {
      throw new ValueError(`${argument} ${JSON.stringify(path)} changed while it was read.`, {
        argument,
        expected: `${info.size} bytes, as its size said`,
        received: length > info.size ? 'more bytes' : `${length} bytes`,
      });
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
