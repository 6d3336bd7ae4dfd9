/**
 * What a regularizer control holds (a kind, its factors as typed, a mode)
 * and the library regularizer it stands for. The typed text goes to the
 * library's constructors as it is whenever it is not a number, so that a
 * bad value is refused with the library's own error, as a user calling
 * `new L1('abc')` would see it.
 */
import { L1, L1L2, L2, OrthogonalRegularizer, type Regularizer } from 'keras-regularizers';

export const KINDS = ['none', 'L1', 'L2', 'L1L2', 'Orthogonal'] as const;
export type Kind = (typeof KINDS)[number];
export type OrthogonalMode = 'rows' | 'columns';

/** The factors each kind takes, named as its constructor names them (and so as its errors do). */
export const FACTOR_NAMES: Record<Kind, readonly string[]> = {
  none: [],
  L1: ['l1'],
  L2: ['l2'],
  L1L2: ['l1', 'l2'],
  Orthogonal: ['factor'],
};

/**
 * The factor a control starts at when its kind is chosen: strong enough to
 * show within a few hundred steps of this network (an L1 or L2 penalty sums
 * over all 50,176 first-layer weights, Orthogonal's is a mean cosine).
 */
export const DEFAULT_FACTORS: Record<string, number> = { l1: 1e-4, l2: 1e-4, factor: 0.1 };

/** A number when the text is one (JavaScript's float syntax), else the text itself. */
export function parseFactor(text: string): number | string {
  const trimmed = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed) : text;
}

/**
 * The regularizer for a kind and its factors as typed; throws the library's
 * ValueError for a factor it refuses.
 */
export function makeRegularizer(
  kind: Kind,
  factors: Readonly<Record<string, string>>,
  mode: OrthogonalMode = 'columns',
): Regularizer | null {
  // The constructors check their arguments at run time: text that is not a number reaches them as text.
  const value = (name: string) => parseFactor(factors[name] ?? '') as number;
  switch (kind) {
    case 'none':
      return null;
    case 'L1':
      return new L1(value('l1'));
    case 'L2':
      return new L2(value('l2'));
    case 'L1L2':
      return new L1L2(value('l1'), value('l2'));
    case 'Orthogonal':
      return new OrthogonalRegularizer(value('factor'), mode);
  }
}
