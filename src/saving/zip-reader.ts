/**
 * A zip reader for untrusted archives, bounded in time and memory.
 *
 * A general-purpose reader trusts the archive's own numbers: a 98-byte zip64
 * record claiming 2^31 entries keeps it looping for minutes, entries whose
 * data overlap make a small file inflate many times over, and a deflated
 * entry is inflated in full before its size is compared with a limit. Here
 * every number is checked against the bytes that are there before it is used
 * (an entry count against the central directory's length, each record and
 * each entry's data within the archive, no two entries sharing bytes), only
 * the entries asked for are inflated, each against a limit looked up in a
 * Map (an entry named `constructor` has none), and inflating stops as soon as
 * the output passes the declared size.
 */
import { Inflate } from 'fflate';
import { ValueError } from '../errors.js';

export interface ZipLimits {
  /** Entries the archive may list, whether read or not. */
  readonly maxEntries: number;
  /** Bytes all the entries read may inflate to together. */
  readonly maxTotalBytes: number;
  /** Inflated size over compressed size allowed for an entry of more than `ratioFreeBytes`. */
  readonly maxRatio: number;
  readonly ratioFreeBytes: number;
}

/** One entry of the central directory, every offset checked to lie in the archive. */
interface Entry {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  /** Where its local header starts and its data ends. */
  readonly start: number;
  readonly dataStart: number;
  readonly end: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
/** Input is fed to the inflater in slices this big, so one step inflates at most ~1032 times it. */
const INFLATE_SLICE = 32 << 10;

function corrupt(reason: string): ValueError {
  return new ValueError(`Not a readable .keras file (a zip archive): ${reason}.`, {
    argument: 'file',
    expected: 'a .keras zip archive',
    received: reason,
  });
}

/** Little-endian reads that refuse to run past the end of the archive. */
class Bytes {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  #check(offset: number, length: number, what: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > this.bytes.length) {
      throw corrupt(`${what} at byte ${offset} runs past the end of the ${this.bytes.length}-byte file`);
    }
  }
  u16(offset: number, what: string): number {
    this.#check(offset, 2, what);
    return this.view.getUint16(offset, true);
  }
  u32(offset: number, what: string): number {
    this.#check(offset, 4, what);
    return this.view.getUint32(offset, true);
  }
  u64(offset: number, what: string): number {
    this.#check(offset, 8, what);
    const value = this.view.getBigUint64(offset, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`${what} is ${value}, past any file's size`);
    return Number(value);
  }
}

interface Directory {
  readonly count: number;
  readonly offset: number;
  readonly size: number;
}

/** The end-of-central-directory record (zip64's where the plain one says so). */
function findDirectory(data: Bytes, limits: ZipLimits): Directory {
  const length = data.bytes.length;
  let eocd = -1;
  // The record is the last 22 bytes, before a comment of at most 65,535.
  for (let at = length - 22; at >= Math.max(0, length - 22 - 0xffff); at--) {
    if (data.view.getUint32(at, true) === EOCD && at + 22 + data.u16(at + 20, 'comment length') <= length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no end of central directory record (a truncated or not a zip file)');
  let disk = data.u16(eocd + 4, 'disk number');
  let directoryDisk = data.u16(eocd + 6, 'disk number');
  let onDisk = data.u16(eocd + 8, 'entry count');
  let count = data.u16(eocd + 10, 'entry count');
  let size = data.u32(eocd + 12, 'central directory size');
  let offset = data.u32(eocd + 16, 'central directory offset');
  let directoryEnd = eocd;
  if (eocd >= 20 && data.u32(eocd - 20, 'zip64 locator') === ZIP64_LOCATOR) {
    const record = data.u64(eocd - 12, 'zip64 record offset');
    if (record + 56 > eocd - 20 || data.u32(record, 'zip64 record') !== ZIP64_EOCD) {
      throw corrupt(`the zip64 record offset ${record} does not point at a zip64 record before its locator`);
    }
    disk = data.u32(record + 16, 'disk number');
    directoryDisk = data.u32(record + 20, 'disk number');
    onDisk = data.u64(record + 24, 'entry count');
    count = data.u64(record + 32, 'entry count');
    size = data.u64(record + 40, 'central directory size');
    offset = data.u64(record + 48, 'central directory offset');
    directoryEnd = record;
  }
  if (disk !== 0 || directoryDisk !== 0 || onDisk !== count) {
    throw corrupt('a multi-part archive (only single-file archives are read)');
  }
  if (count > limits.maxEntries) {
    throw new ValueError(`The .keras file lists ${count} entries, over the limit of ${limits.maxEntries}.`, {
      argument: 'file',
      expected: `at most ${limits.maxEntries} entries`,
      received: `${count} entries`,
    });
  }
  if (offset + size > directoryEnd) {
    throw corrupt(
      `the central directory (bytes ${offset} to ${offset + size}) runs past its end record at ${directoryEnd}`,
    );
  }
  // A central directory record takes at least 46 bytes: the count cannot claim more than fit.
  if (count * 46 > size) {
    throw corrupt(
      `${count} entries claimed, but a ${size}-byte central directory holds at most ${Math.floor(size / 46)}`,
    );
  }
  return { count, offset, size };
}

/** The zip64 extra field's 64-bit sizes and offset, for the fields the record left at 0xFFFFFFFF. */
function zip64Values(data: Bytes, from: number, to: number, wanted: boolean[]): number[] {
  for (let at = from; at + 4 <= to; ) {
    const id = data.u16(at, 'extra field');
    const length = data.u16(at + 2, 'extra field');
    if (at + 4 + length > to) throw corrupt(`an extra field at byte ${at} runs past its record`);
    if (id === 0x0001) {
      const values: number[] = [];
      let cursor = at + 4;
      for (const needed of wanted) {
        if (!needed) continue;
        if (cursor + 8 > at + 4 + length) throw corrupt(`the zip64 extra field at byte ${at} is too short`);
        values.push(data.u64(cursor, 'zip64 size'));
        cursor += 8;
      }
      return values;
    }
    at += 4 + length;
  }
  if (wanted.some(Boolean)) throw corrupt('an entry needs a zip64 extra field and has none');
  return [];
}

function readEntries(data: Bytes, directory: Directory): Entry[] {
  const decoder = new TextDecoder('utf-8');
  const entries: Entry[] = [];
  const names = new Set<string>();
  const end = directory.offset + directory.size;
  let at = directory.offset;
  for (let index = 0; index < directory.count; index++) {
    if (at + 46 > end || data.u32(at, 'central directory record') !== CENTRAL) {
      throw corrupt(`central directory record ${index} at byte ${at} is missing or out of its directory`);
    }
    const flags = data.u16(at + 8, 'flags');
    const method = data.u16(at + 10, 'compression method');
    const crc = data.u32(at + 16, 'CRC');
    let compressedSize = data.u32(at + 20, 'compressed size');
    let size = data.u32(at + 24, 'size');
    const nameLength = data.u16(at + 28, 'name length');
    const extraLength = data.u16(at + 30, 'extra length');
    const commentLength = data.u16(at + 32, 'comment length');
    let start = data.u32(at + 42, 'local header offset');
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > end) throw corrupt(`central directory record ${index} runs past its directory`);
    const name = decoder.decode(data.bytes.subarray(at + 46, at + 46 + nameLength));
    const wide = [size === 0xffffffff, compressedSize === 0xffffffff, start === 0xffffffff];
    const values = zip64Values(data, at + 46 + nameLength, at + 46 + nameLength + extraLength, wide);
    if (wide[0]) size = values.shift() as number;
    if (wide[1]) compressedSize = values.shift() as number;
    if (wide[2]) start = values.shift() as number;
    if (names.has(name)) throw corrupt(`the entry ${JSON.stringify(name)} appears twice`);
    names.add(name);
    // Local header: 30 bytes, then its own name and extra field, then the data, all before the directory.
    if (start + 30 > directory.offset || data.u32(start, 'local header') !== LOCAL) {
      throw corrupt(`the entry ${JSON.stringify(name)} points at byte ${start}, where there is no local header`);
    }
    const dataStart = start + 30 + data.u16(start + 26, 'name length') + data.u16(start + 28, 'extra length');
    const dataEnd = dataStart + compressedSize;
    if (dataEnd > directory.offset) {
      throw corrupt(
        `the data of ${JSON.stringify(name)} (bytes ${dataStart} to ${dataEnd}) runs into the central directory`,
      );
    }
    entries.push({ name, flags, method, crc, compressedSize, size, start, dataStart, end: dataEnd });
    at = next;
  }
  // Entries whose bytes overlap are how small archives inflate to huge ones.
  const ordered = [...entries].sort((a, b) => a.start - b.start);
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1] as Entry;
    const entry = ordered[i] as Entry;
    if (entry.start < previous.end) {
      throw corrupt(`the entries ${JSON.stringify(previous.name)} and ${JSON.stringify(entry.name)} overlap`);
    }
  }
  return entries;
}

let crcTable: Uint32Array | null = null;

function crc32(bytes: Uint8Array): number {
  if (crcTable == null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const table = crcTable;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (table[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function overLimit(name: string, size: number, limit: number): ValueError {
  return new ValueError(`${name} is ${size} bytes, over the ${limit}-byte limit.`, {
    argument: name,
    expected: `at most ${limit} bytes`,
    received: `${size} bytes`,
  });
}

/** Inflates `entry`, stopping the moment the output would pass its declared size. */
function inflate(data: Bytes, entry: Entry): Uint8Array {
  const input = data.bytes.subarray(entry.dataStart, entry.end);
  if (entry.method === STORED) {
    if (entry.compressedSize !== entry.size) {
      throw corrupt(`the stored entry ${JSON.stringify(entry.name)} has two different sizes`);
    }
    return input;
  }
  const output = new Uint8Array(entry.size);
  let written = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    if (written + chunk.length > entry.size) {
      throw corrupt(`${JSON.stringify(entry.name)} inflates past its declared ${entry.size} bytes`);
    }
    output.set(chunk, written);
    written += chunk.length;
    finished ||= final;
  });
  try {
    for (let at = 0; at < input.length || at === 0; at += INFLATE_SLICE) {
      const end = Math.min(at + INFLATE_SLICE, input.length);
      inflater.push(input.subarray(at, end), end === input.length);
      if (end === input.length) break;
    }
  } catch (error) {
    if (error instanceof ValueError) throw error;
    throw corrupt(`${JSON.stringify(entry.name)} does not inflate (${(error as Error).message})`);
  }
  if (!finished || written !== entry.size) {
    throw corrupt(`${JSON.stringify(entry.name)} inflates to ${written} bytes, not its declared ${entry.size}`);
  }
  return output;
}

/**
 * The entries of the zip archive `bytes` named in `wanted` (name to byte
 * limit), inflated and CRC-checked. Other entries are checked for their
 * place in the archive but never inflated. A wanted entry that is absent is
 * absent from the result.
 */
export function readZip(
  bytes: Uint8Array,
  wanted: ReadonlyMap<string, number>,
  limits: ZipLimits,
): Map<string, Uint8Array> {
  const data = new Bytes(bytes);
  const entries = readEntries(data, findDirectory(data, limits)).filter((entry) => wanted.has(entry.name));
  let total = 0;
  for (const entry of entries) {
    const limit = wanted.get(entry.name) as number;
    if (entry.size > limit) throw overLimit(entry.name, entry.size, limit);
    total += entry.size;
    if (entry.flags & 1) throw corrupt(`${JSON.stringify(entry.name)} is encrypted`);
    if (entry.method !== STORED && entry.method !== DEFLATED) {
      throw corrupt(
        `${JSON.stringify(entry.name)} uses compression method ${entry.method} (only stored and deflated are read)`,
      );
    }
    if (entry.size > limits.ratioFreeBytes && entry.size > limits.maxRatio * entry.compressedSize) {
      const ratio = Math.round(entry.size / Math.max(entry.compressedSize, 1));
      throw new ValueError(
        `${entry.name} would inflate ${ratio} times over (${entry.compressedSize} to ${entry.size} bytes), over the limit of ${limits.maxRatio}.`,
        { argument: entry.name, expected: `a ratio of at most ${limits.maxRatio}`, received: `a ratio of ${ratio}` },
      );
    }
  }
  if (total > limits.maxTotalBytes) throw overLimit('The .keras file', total, limits.maxTotalBytes);
  const result = new Map<string, Uint8Array>();
  for (const entry of entries) {
    const content = inflate(data, entry);
    if (crc32(content) !== entry.crc) throw corrupt(`${JSON.stringify(entry.name)} fails its CRC check`);
    result.set(entry.name, content);
  }
  return result;
}
