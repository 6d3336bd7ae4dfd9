/**
 * A minimal, restricted unpickler for the pickles Keras's datasets hold:
 * numpy arrays (object arrays of lists of ints in imdb.npz and reuters.npz,
 * uint8 arrays in the CIFAR batches) inside dicts, lists and tuples. Like
 * Keras's `RestrictedUnpickler`, the only globals it makes are
 * `numpy.ndarray`, `numpy.dtype` and `numpy.core.multiarray._reconstruct`;
 * anything else is refused (a pickle can run code: these files are data).
 * Strings are read as Keras reads them (`encoding="bytes"` for CIFAR: byte
 * strings stay bytes, decoded here only where a key is compared).
 */
import { ValueError } from '../errors.js';

/** numpy's array as the pickle rebuilt it. */
export interface PickledArray {
  readonly kind: 'ndarray';
  shape: number[];
  /** numpy's dtype string, e.g. `|u1`, `<i8`, `|O`. */
  dtype: string;
  fortran: boolean;
  /** Raw bytes for numeric dtypes; the Python objects for `O`. */
  data: Uint8Array | unknown[];
}

interface PickledDtype {
  readonly kind: 'dtype';
  name: string;
  order: string;
}

interface Global {
  readonly kind: 'global';
  readonly name: string;
}

const ALLOWED = new Set([
  'numpy ndarray',
  'numpy dtype',
  'numpy.core.multiarray _reconstruct',
  'numpy._core.multiarray _reconstruct',
]);

const MARK = Symbol('mark');
const decoder = new TextDecoder();

function refuse(what: string): ValueError {
  return new ValueError(
    `Refusing to read ${what} while loading a Keras dataset: the file may be corrupted or malicious.`,
    {
      argument: 'file',
      expected: 'a pickle of numpy arrays, lists, tuples and dicts',
      received: what,
    },
  );
}

/** Python's `str`/`bytes` as text, for comparing keys and dtype names. */
export function pyText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return decoder.decode(value);
  throw refuse(`a ${typeof value} where a string was expected`);
}

/** Reads one pickle from `bytes` (protocols 0-5, the binary opcodes). */
export function unpickle(bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const need = (n: number) => {
    if (pos + n > bytes.length) throw refuse('a truncated pickle');
  };
  const u8 = () => {
    need(1);
    return bytes[pos++] as number;
  };
  const u16 = () => {
    need(2);
    const v = view.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = () => {
    need(4);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const i32 = () => {
    need(4);
    const v = view.getInt32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = () => {
    need(8);
    const v = Number(view.getBigUint64(pos, true));
    pos += 8;
    return v;
  };
  const take = (n: number) => {
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw refuse('a truncated pickle');
    const text = decoder.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return text;
  };
  const pop = () => {
    if (stack.length === 0) throw refuse('a pickle that pops an empty stack');
    return stack.pop();
  };
  const popMark = () => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw refuse('a pickle without its mark');
    const items = stack.splice(at);
    items.shift();
    return items;
  };
  const top = () => stack[stack.length - 1];
  const global = (module: string, name: string): Global => {
    if (!ALLOWED.has(`${module} ${name}`)) throw refuse(`\`${module}.${name}\``);
    return { kind: 'global', name };
  };
  const call = (fn: unknown, args: unknown): unknown => {
    const g = fn as Global;
    const list = args as unknown[];
    if (g?.kind !== 'global') throw refuse('a call of something that is not a numpy constructor');
    if (g.name === 'dtype') return { kind: 'dtype', name: pyText(list[0]), order: '|' } satisfies PickledDtype;
    // _reconstruct(ndarray, (0,), b'b') and ndarray(...): an empty array, filled by BUILD.
    return { kind: 'ndarray', shape: [], dtype: '', fortran: false, data: new Uint8Array(0) } satisfies PickledArray;
  };
  const build = (target: unknown, state: unknown) => {
    const s = state as unknown[];
    const t = target as PickledArray | PickledDtype;
    if (t?.kind === 'dtype') {
      // (version, byteorder, subarray, names, fields, elsize, alignment, flags)
      t.order = pyText(s[1]);
      return;
    }
    if (t?.kind === 'ndarray') {
      // (version, shape, dtype, is_fortran, data)
      const [, shape, dtype, fortran, data] = s as [
        number,
        number[],
        PickledDtype,
        boolean,
        Uint8Array | string | unknown[],
      ];
      t.shape = [...shape];
      t.dtype = `${dtype.order}${dtype.name.replace(/^[<>|=]/, '')}`;
      t.fortran = Boolean(fortran);
      t.data = typeof data === 'string' ? Uint8Array.from(data, (c) => c.charCodeAt(0)) : data;
      return;
    }
    throw refuse('a BUILD of something that is not a numpy array or dtype');
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x8a: {
        // LONG1: little-endian two's complement
        const n = u8();
        const b = take(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
        if (n > 0 && ((b[n - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        break;
      }
      case 0x49: {
        // INT (protocol 0): "I01\n" is True
        const text = line();
        stack.push(text === '01' ? true : text === '00' ? false : Number.parseInt(text, 10));
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(take(u8()).slice());
        break;
      case 0x54: // BINSTRING
        stack.push(take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()).slice());
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x8e: // BINBYTES8
        stack.push(take(u64()).slice());
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(decoder.decode(take(u8())));
        break;
      case 0x58: // BINUNICODE
        stack.push(decoder.decode(take(u32())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(decoder.decode(take(u64())));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map<string, unknown>());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        (top() as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top() as unknown[];
        for (const item of items) list.push(item);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        (top() as Map<string, unknown>).set(pyText(k), v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        const dict = top() as Map<string, unknown>;
        for (let i = 0; i + 1 < items.length; i += 2) dict.set(pyText(items[i]), items[i + 1]);
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
        stack.push(memo.get(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memo.get(u32()));
        break;
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pyText(pop());
        stack.push(global(pyText(pop()), name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        build(top(), state);
        break;
      }
      default:
        throw refuse(`pickle opcode 0x${op.toString(16)}`);
    }
  }
}
