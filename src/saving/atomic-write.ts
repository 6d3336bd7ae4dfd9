/**
 * Atomic file replacement (Node): the bytes go to a temporary file in the
 * target's folder, flushed to disk, then renamed over the target, so a reader
 * sees the old file or the new one, never a mix or a half. Two writes to one
 * path in this process run one after the other, in the order they were asked
 * for. A process killed mid-write can leave its temporary file behind: it is
 * named `.<basename>.<16 hex digits>.tmp` beside the target, and a later
 * write to the same target removes such files once they are an hour old.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ValueError } from '../errors.js';

/** A temporary file this old is an orphan: no write takes an hour. */
const STALE_AFTER_MS = 60 * 60 * 1000;

/** The tail of the writes queued for each resolved path. */
const queues = new Map<string, Promise<unknown>>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Removes our own temporary files for `target` older than an hour; never fails the write. */
async function removeStaleTemporaries(target: string): Promise<void> {
  const folder = dirname(target);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(target))}\\.[0-9a-f]{16}\\.tmp$`);
  try {
    for (const name of await readdir(folder)) {
      if (!pattern.test(name)) continue;
      const path = join(folder, name);
      const info = await stat(path).catch(() => null);
      if (info?.isFile() && Date.now() - info.mtimeMs > STALE_AFTER_MS) await rm(path, { force: true });
    }
  } catch {
    // An unreadable folder: the write itself will say what is wrong.
  }
}

async function replace(target: string, bytes: Uint8Array, overwrite: boolean): Promise<void> {
  await removeStaleTemporaries(target);
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  // 'wx': created here or not at all, never an existing file (another writer's, or a planted link).
  const handle = await open(temporary, 'wx');
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (overwrite) {
      await rename(temporary, target);
    } else {
      // A hard link fails if the target exists, atomically, where checking first would race.
      await link(temporary, target).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
        throw new ValueError(`File exists: filepath=${JSON.stringify(target)}, and overwrite is false.`, {
          argument: 'filepath',
          expected: 'a path with no file (overwrite: false)',
          received: 'an existing file',
        });
      });
      await rm(temporary, { force: true });
    }
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes `bytes` (or what the promise gives) to `path` atomically; with
 * `overwrite` false, refuses (a ValueError) when `path` exists. The write
 * takes its place in the path's queue at once, so that of two calls the
 * later one's bytes end in the file, even while the earlier is still making
 * its bytes.
 */
export function writeFileAtomic(
  path: string,
  bytes: Uint8Array | Promise<Uint8Array>,
  overwrite = true,
): Promise<void> {
  const target = resolve(path);
  const pending = Promise.resolve(bytes);
  // Marked handled now: it may reject while it waits for its turn.
  pending.catch(() => {});
  const previous = queues.get(target) ?? Promise.resolve();
  // `previous` is a queue tail, which never rejects.
  const write = previous.then(async () => replace(target, await pending, overwrite));
  const tail = write.catch(() => {});
  queues.set(target, tail);
  void tail.then(() => {
    if (queues.get(target) === tail) queues.delete(target);
  });
  return write;
}
