/**
 * Keras's `GetItem` op: NumPy basic indexing (`x[:, :3]`, `x[..., 0]`,
 * `x[:, None, 1:3]`) on a symbolic tensor. Here it is written as a list of
 * entries, or as the same text NumPy reads (`":, :3"`), and recorded with
 * Keras's `__slice__` / `__ellipsis__` / index / `null` (new axis) entries.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type { Shape } from '../../layers/layer-types.js';
import { formatValue } from '../../utils/format.js';

/** One entry of an index: an integer, a slice, `null` (a new axis, NumPy's `None`), or `"..."`. */
export type IndexEntry = number | SliceSpec | null | '...';
/** A slice `start:stop:step`, each part `null` when left out (Keras's `__slice__`). */
export interface SliceSpec {
  start: number | null;
  stop: number | null;
  step: number | null;
}

function badIndex(received: unknown, why: string): ValueError {
  return new ValueError(`Invalid index for getItem: ${why}. Received: ${formatValue(received)}`, {
    argument: 'index',
    expected: 'integers, slices {start, stop, step}, null (new axis) or "..." (or the same as text, ":, 1:3")',
    received: formatValue(received),
  });
}

function parsePart(text: string, whole: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^-?\d+$/.test(trimmed)) throw badIndex(whole, `"${trimmed}" is not an integer`);
  return Number(trimmed);
}

/** An index as entries: text like `":, None, 1:3"` parsed, a single entry put in a list. */
export function parseIndex(index: unknown): IndexEntry[] {
  if (typeof index === 'string' && index !== '...') {
    return index.split(',').map((part): IndexEntry => {
      const text = part.trim();
      if (text === '...' || text === 'Ellipsis') return '...';
      if (text === 'None' || text === 'null') return null;
      if (text.includes(':')) {
        const pieces = text.split(':');
        if (pieces.length > 3) throw badIndex(index, `"${text}" has more than two colons`);
        return {
          start: parsePart(pieces[0] ?? '', index),
          stop: parsePart(pieces[1] ?? '', index),
          step: parsePart(pieces[2] ?? '', index),
        };
      }
      return parsePart(text, index) as number;
    });
  }
  const list = Array.isArray(index) ? index : [index];
  return list.map((entry) => {
    if (entry === null || entry === '...') return entry;
    if (Number.isInteger(entry)) return entry as number;
    if (typeof entry === 'object' && entry != null && !Array.isArray(entry)) {
      const s = entry as Partial<SliceSpec>;
      const part = (v: unknown) => {
        if (v == null) return null;
        if (!Number.isInteger(v)) throw badIndex(entry, 'slice bounds must be integers or null');
        return v as number;
      };
      const extra = Object.keys(s).filter((k) => !['start', 'stop', 'step'].includes(k));
      if (extra.length > 0) throw badIndex(entry, `a slice has no key "${extra[0]}"`);
      return { start: part(s.start), stop: part(s.stop), step: part(s.step) };
    }
    throw badIndex(entry, 'an entry must be an integer, a slice, null or "..."');
  });
}

/** Keras's JSON of an index: slices as `__slice__`, `"..."` as `__ellipsis__`. */
export function indexJson(entries: readonly IndexEntry[]): unknown[] {
  return entries.map((e) => {
    if (e === '...') return { class_name: '__ellipsis__', config: {} };
    if (e != null && typeof e === 'object') return { class_name: '__slice__', config: { ...e } };
    return e;
  });
}

interface Plan {
  /** Per input axis: the elements taken (start, count, step), and whether the axis is dropped (an integer index). */
  axes: { start: number; count: number; step: number; drop: boolean }[];
  shape: Shape;
}

/** What an index takes from a tensor of `shape` (some axes possibly unknown, `null`). */
function plan(shape: Shape, entries: readonly IndexEntry[]): Plan {
  const ellipses = entries.filter((e) => e === '...').length;
  if (ellipses > 1) throw badIndex(entries, 'an index can only have a single ellipsis ("...")');
  const consuming = entries.filter((e) => e !== null && e !== '...').length;
  if (consuming > shape.length) {
    throw badIndex(entries, `too many indices for a tensor of rank ${shape.length}`);
  }
  const expanded: IndexEntry[] = [];
  for (const e of entries) {
    if (e === '...')
      for (let i = 0; i < shape.length - consuming; i++) expanded.push({ start: null, stop: null, step: null });
    else expanded.push(e as IndexEntry);
  }
  while (expanded.filter((e) => e !== null).length < shape.length)
    expanded.push({ start: null, stop: null, step: null });
  const axes: Plan['axes'] = [];
  const out: Shape = [];
  let axis = 0;
  for (const e of expanded) {
    if (e === null || e === '...') {
      out.push(1);
      continue;
    }
    const dim = shape[axis] ?? null;
    axis++;
    if (typeof e === 'number') {
      if (dim != null && (e >= dim || e < -dim)) {
        throw badIndex(e, `index ${e} is out of bounds for axis ${axis - 1} with size ${dim}`);
      }
      axes.push({ start: dim == null ? e : e < 0 ? e + dim : e, count: 1, step: 1, drop: true });
      continue;
    }
    const step = e.step ?? 1;
    if (step <= 0) throw badIndex(e, 'only positive slice steps are supported');
    if (dim == null) {
      // Unknown size: known only when the slice is the whole axis.
      const whole = (e.start == null || e.start === 0) && e.stop == null && step === 1;
      axes.push({ start: e.start ?? 0, count: -1, step, drop: false });
      void whole;
      out.push(null);
      continue;
    }
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
    const start = e.start == null ? 0 : clamp(e.start);
    const stop = e.stop == null ? dim : clamp(e.stop);
    const count = Math.max(0, Math.ceil((stop - start) / step));
    axes.push({ start, count, step, drop: false });
    out.push(count);
  }
  return { axes, shape: out };
}

/** The static shape of `x[index]`. */
export function getItemShape(shape: Shape, entries: readonly IndexEntry[]): Shape {
  return plan(shape, entries).shape;
}

/** `x[index]` on a tensor: a slice per axis, a gather for steps above 1, then the reshape that drops and adds axes. */
export function getItem(x: tf.Tensor, entries: readonly IndexEntry[]): tf.Tensor {
  const { axes, shape } = plan([...x.shape], entries);
  let y = tf.slice(
    x,
    axes.map((a) => a.start),
    axes.map((a) => (a.step === 1 ? a.count : a.count === 0 ? 0 : (a.count - 1) * a.step + 1)),
  );
  // A step: pad the axis to count * step, fold it into [count, step] and keep the first of each step
  // (pad, reshape and slice have gradients on every backend; wasm has no gather gradient).
  axes.forEach((a, i) => {
    if (a.step > 1 && a.count > 0) {
      const paddings = y.shape.map((_, j): [number, number] => [0, j === i ? a.step - 1 : 0]);
      const padded = tf.pad(y, paddings);
      const folded = tf.reshape(padded, [...y.shape.slice(0, i), a.count, a.step, ...y.shape.slice(i + 1)]);
      const begin = folded.shape.map(() => 0);
      const size = folded.shape.map((d, j) => (j === i + 1 ? 1 : d));
      y = tf.reshape(tf.slice(folded, begin, size), [...y.shape.slice(0, i), a.count, ...y.shape.slice(i + 1)]);
    }
  });
  return tf.reshape(y, shape as number[]);
}
