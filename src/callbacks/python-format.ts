/**
 * Python's number formatting, the subset Keras's file-name templates use
 * (`"weights.{epoch:02d}-{val_loss:.2f}.keras"`): `str()` of an int or a
 * float, and format specs `[[fill]align][sign][#][0][width][,|_][.precision][type]`
 * with types `d`, `e`, `E`, `f`, `F`, `g`, `G`, `%` or none. Rounding is
 * Python's: from the exact binary value, ties to even, so `0.125` gives
 * `0.12` at `.2f` (JavaScript's `toFixed` gives `0.13`).
 */
import { ValueError } from '../errors.js';

/** A parsed format spec. */
export interface FormatSpec {
  fill: string;
  align: '<' | '>' | '^' | '=' | null;
  sign: '+' | '-' | ' ';
  alternate: boolean;
  zero: boolean;
  width: number;
  grouping: ',' | '_' | null;
  precision: number | null;
  type: '' | 'd' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%';
}

const SPEC = /^(?:([\s\S])?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([a-zA-Z%])?$/;

/** Parses a format spec; a spec outside the supported subset throws, naming it. */
export function parseFormatSpec(spec: string): FormatSpec {
  const match = SPEC.exec(spec);
  const type = match?.[9] ?? '';
  if (match == null || !['', 'd', 'e', 'E', 'f', 'F', 'g', 'G', '%'].includes(type)) {
    throw new ValueError(
      `Unsupported format spec ${JSON.stringify(spec)}: expected Python's [[fill]align][sign][#][0][width][,][.precision][type] with type d, e, E, f, F, g, G, % or none.`,
      { argument: 'filepath', expected: 'a format spec of that subset', received: JSON.stringify(spec) },
    );
  }
  return {
    fill: match[1] ?? (match[5] != null && match[2] == null ? '0' : ' '),
    align: (match[2] as FormatSpec['align']) ?? (match[5] != null ? '=' : null),
    sign: (match[3] as FormatSpec['sign']) ?? '-',
    alternate: match[4] != null,
    zero: match[5] != null,
    width: match[6] == null ? 0 : Number(match[6]),
    grouping: (match[7] as FormatSpec['grouping']) ?? null,
    precision: match[8] == null ? null : Number(match[8]),
    type: type as FormatSpec['type'],
  };
}

/** The exact decimal value of a finite positive double: `digits × 10^(point - digits.length)`. */
function exactDecimal(x: number): { digits: string; point: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  if (exponent >= 0) {
    const digits = (mantissa << BigInt(exponent)).toString();
    return { digits, point: digits.length };
  }
  const digits = (mantissa * 5n ** BigInt(-exponent)).toString();
  return { digits, point: digits.length + exponent };
}

/** `digits` (a decimal with `point` digits before its point) rounded to `keep` digits, ties to even. */
function roundDigits(digits: string, point: number, keep: number): { digits: string; point: number } {
  if (keep >= digits.length) return { digits: digits.padEnd(keep, '0'), point };
  if (keep < 0) return { digits: '', point };
  const head = digits.slice(0, keep);
  const next = digits.charCodeAt(keep) - 48;
  const rest = digits.slice(keep + 1);
  const lastOdd = keep > 0 && (head.charCodeAt(keep - 1) - 48) % 2 === 1;
  const up = next > 5 || (next === 5 && (/[1-9]/.test(rest) || lastOdd));
  if (!up) return { digits: head, point };
  if (keep === 0) return { digits: '1', point: point + 1 };
  const raised = (BigInt(head) + 1n).toString();
  return raised.length > head.length ? { digits: raised.slice(0, keep), point: point + 1 } : { digits: raised, point };
}

/** `|x|` with `decimals` digits after the point. */
function fixed(x: number, decimals: number): string {
  if (x === 0) return decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0';
  const exact = exactDecimal(x);
  const rounded = roundDigits(exact.digits, exact.point, exact.point + decimals);
  const point = rounded.point;
  const all = rounded.digits.padEnd(point + decimals, '0');
  const padded = point <= 0 ? '0'.repeat(1 - point) + all : all;
  const integerLength = Math.max(point, 1);
  const integer = padded.slice(0, integerLength) || '0';
  const fraction = padded.slice(integerLength, integerLength + decimals);
  return decimals > 0 ? `${integer}.${fraction}` : integer;
}

/** `|x|` rounded to `significant` digits: its digits and decimal exponent. */
function significantDigits(x: number, significant: number): { digits: string; exponent: number } {
  if (x === 0) return { digits: '0'.repeat(significant), exponent: 0 };
  const exact = exactDecimal(x);
  const rounded = roundDigits(exact.digits, exact.point, significant);
  return { digits: rounded.digits, exponent: rounded.point - 1 };
}

function exponentText(exponent: number): string {
  return `e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** `|x|` as `d.ddde+XX` with `decimals` digits after the point. */
function scientific(x: number, decimals: number, alternate = false): string {
  const { digits, exponent } = significantDigits(x, decimals + 1);
  const mantissa = decimals > 0 || alternate ? `${digits[0]}.${digits.slice(1)}` : (digits[0] as string);
  return mantissa + exponentText(exponent);
}

/** Python's `g`: `precision` significant digits, fixed or scientific by the exponent, trailing zeros dropped. */
function general(x: number, precision: number, alternate: boolean, noType: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const { exponent } = significantDigits(x, p);
  // Python: without a type, scientific from exponent p - 1 on (with `g`, from p).
  let text =
    exponent >= -4 && exponent < (noType ? p - 1 : p) ? fixed(x, p - 1 - exponent) : scientific(x, p - 1, alternate);
  if (!alternate) {
    text = text.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1');
  }
  if (alternate && !text.includes('.')) text = text.replace(/(e|$)/, '.$1');
  if (noType && !/[.e]/.test(text)) text += '.0';
  return text;
}

/** Python's `repr(float)`: the shortest digits that read back, fixed for exponents -4..15, else scientific. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [mantissa = '0', exp = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return sign + body + exponentText(exponent);
  }
  const point = exponent + 1;
  const padded = point <= 0 ? '0'.repeat(1 - point) + digits : digits.padEnd(point, '0');
  const integerLength = Math.max(point, 1);
  const fraction = padded.slice(integerLength);
  return `${sign}${padded.slice(0, integerLength)}.${fraction === '' ? '0' : fraction}`;
}

function group(integer: string, separator: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * Python's `format(value, spec)` for an int (`isInteger`) or a float. As in
 * Python, `d` on a float and a precision on an int without a float type are errors.
 */
export function formatNumber(value: number, spec: FormatSpec, isInteger: boolean): string {
  let { type } = spec;
  if (isInteger && type === 'd' && !Number.isInteger(value)) isInteger = false;
  if (!isInteger && type === 'd') {
    throw new ValueError(`Unknown format code 'd' for object of type 'float'. Received: ${pythonFloatRepr(value)}`, {
      argument: 'filepath',
      expected: 'a float format (f, e, g) for a float',
      received: pythonFloatRepr(value),
    });
  }
  if (isInteger && type === '' && spec.precision != null) {
    throw new ValueError('Precision not allowed in integer format specifier', {
      argument: 'filepath',
      expected: 'no precision for an integer, or a float type',
      received: `.${spec.precision}`,
    });
  }
  if (isInteger && type === '') type = 'd';
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  let body: string;
  const upper = type === 'E' || type === 'F' || type === 'G';
  if (!Number.isFinite(value)) body = (Number.isNaN(value) ? 'nan' : 'inf') + (type === '%' ? '%' : '');
  else if (type === 'd') body = group(String(magnitude), spec.grouping ?? '');
  else {
    const precision = spec.precision ?? 6;
    switch (type) {
      case 'f':
      case 'F':
        body = fixed(magnitude, precision);
        if (spec.alternate && precision === 0) body += '.';
        break;
      case 'e':
      case 'E':
        body = scientific(magnitude, precision, spec.alternate);
        break;
      case '%':
        body = `${fixed(magnitude * 100, precision)}%`;
        break;
      case 'g':
      case 'G':
        body = general(magnitude, precision, spec.alternate, false);
        break;
      default:
        body =
          spec.precision == null
            ? pythonFloatRepr(magnitude)
            : general(magnitude, spec.precision, spec.alternate, true);
    }
    if (spec.grouping != null) {
      const [integer = '', ...rest] = body.split(/(?=[.e%])/);
      body = group(integer, spec.grouping) + rest.join('');
    }
  }
  if (upper) body = body.toUpperCase();
  const sign = negative && !Number.isNaN(value) ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  if (spec.zero && spec.grouping != null && spec.fill === '0' && spec.align === '=' && Number.isFinite(value)) {
    // Python groups the zero padding too: format(0.125, "012,.2f") is "0,000,000.12".
    const [integer = '', rest = ''] = body.split(/(?=[.e%])/);
    let digits = integer.replaceAll(spec.grouping, '');
    while (sign.length + group(digits, spec.grouping).length + rest.length < spec.width) digits = `0${digits}`;
    body = group(digits, spec.grouping) + rest;
  }
  const padding = Math.max(0, spec.width - sign.length - body.length);
  const fill = spec.fill.repeat(padding);
  switch (spec.align ?? '>') {
    case '<':
      return sign + body + fill;
    case '^': {
      const left = spec.fill.repeat(Math.floor(padding / 2));
      return left + sign + body + spec.fill.repeat(padding - left.length);
    }
    case '=':
      return sign + fill + body;
    default:
      return fill + sign + body;
  }
}
