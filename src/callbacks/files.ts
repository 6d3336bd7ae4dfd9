/**
 * The file operations of the file-writing callbacks (CSVLogger,
 * ModelCheckpoint, BackupAndRestore), behind one installed object for the
 * reason platform.ts gives: the browser build must import no Node built-in.
 * The Node platform installs `node-files.ts`; in a browser nothing is
 * installed and these callbacks say that they need Node.
 */
import { ValueError } from '../errors.js';

/** What the callbacks do with files. Paths are as the user gave them. */
export interface CallbackFiles {
  exists(path: string): Promise<boolean>;
  isDirectory(path: string): Promise<boolean>;
  /** Creates `path` and its missing parents (Python's `os.makedirs`). */
  makeDirectories(path: string): Promise<void>;
  readText(path: string): Promise<string>;
  /** Replaces `path` with `text` atomically. */
  writeText(path: string, text: string): Promise<void>;
  /** Appends `text` to `path` (created if missing), flushed to disk. */
  appendText(path: string, text: string): Promise<void>;
  copy(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Removes a folder and everything in it (Python's `shutil.rmtree`). */
  removeTree(path: string): Promise<void>;
  join(...parts: string[]): string;
  dirname(path: string): string;
}

let installed: CallbackFiles | null = null;

/** Makes `files` the file operations the callbacks use; the Node platform does this. */
export function installCallbackFiles(files: CallbackFiles): void {
  installed = files;
}

/** The installed file operations; `what` (a callback's name) needs them. */
export function callbackFiles(what: string): CallbackFiles {
  if (installed == null) {
    throw new ValueError(
      `${what} writes files and needs Node's file system; in a browser, use a LambdaCallback that saves with saving.downloadModel or keeps the logs in memory.`,
      { argument: what, expected: 'Node', received: 'a platform without a file system' },
    );
  }
  return installed;
}
