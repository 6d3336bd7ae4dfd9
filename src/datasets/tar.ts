/**
 * The members of a (ustar or GNU) tar archive, enough for CIFAR's
 * `.tar.gz`: regular files by name. Read in memory rather than extracted,
 * so no path in the archive ever reaches the file system.
 */
import { ValueError } from '../errors.js';

/** The regular files of tar archive `bytes`, by path. */
export function readTar(bytes: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = (from: number, length: number) => {
    const field = bytes.subarray(from, from + length);
    const end = field.indexOf(0);
    return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
  };
  let pos = 0;
  let longName: string | null = null;
  while (pos + 512 <= bytes.length) {
    if (bytes.subarray(pos, pos + 512).every((b) => b === 0)) break;
    const name = text(pos, 100);
    const size = Number.parseInt(text(pos + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(bytes[pos + 156] as number);
    const prefix = text(pos + 345, 155);
    if (!Number.isFinite(size) || pos + 512 + size > bytes.length) {
      throw new ValueError(`Cannot read a tar archive: the member "${name}" runs past the end.`, {
        argument: 'file',
        expected: 'a complete tar archive',
        received: `${bytes.length} bytes`,
      });
    }
    const body = bytes.subarray(pos + 512, pos + 512 + size);
    if (type === 'L') longName = text(pos + 512, size);
    else {
      const path = longName ?? (prefix ? `${prefix}/${name}` : name);
      longName = null;
      if (type === '0' || type === '\0') files.set(path, body);
    }
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
