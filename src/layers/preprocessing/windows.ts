/**
 * The window functions Keras takes from `scipy.signal.get_window` for its
 * STFT kernels (STFTSpectrogram) and its backend `stft` (MelSpectrogram):
 * the cosine windows (hann, hamming, blackman), bartlett and boxcar, by
 * SciPy's names and aliases, symmetric or periodic, in float64.
 */
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';

/** A window: a SciPy window name, its values (one per sample), or null for none. */
export type WindowOption = string | number[] | null;

/** SciPy's `general_cosine`: `sum_k a_k cos(k x)` over `x = linspace(-pi, pi, m)`. */
function generalCosine(m: number, coefficients: readonly number[]): number[] {
  const step = (2 * Math.PI) / (m - 1);
  return Array.from({ length: m }, (_, n) => {
    // numpy's linspace ends exactly on its stop value.
    const x = n === m - 1 ? Math.PI : -Math.PI + n * step;
    return coefficients.reduce((sum, a, k) => sum + a * Math.cos(k * x), 0);
  });
}

function bartlett(m: number): number[] {
  return Array.from({ length: m }, (_, n) => (n <= (m - 1) / 2 ? (2 * n) / (m - 1) : 2 - (2 * n) / (m - 1)));
}

/** SciPy's symmetric windows by their names and aliases (scipy.signal.windows._win_equiv). */
const SYMMETRIC: Record<string, (m: number) => number[]> = {
  hann: (m) => generalCosine(m, [0.5, 0.5]),
  hamming: (m) => generalCosine(m, [0.54, 0.46]),
  blackman: (m) => generalCosine(m, [0.42, 0.5, 0.08]),
  bartlett,
  boxcar: (m) => new Array<number>(m).fill(1),
};
const ALIASES: Record<string, string> = {
  hann: 'hann',
  han: 'hann',
  hamming: 'hamming',
  hamm: 'hamming',
  ham: 'hamming',
  blackman: 'blackman',
  black: 'blackman',
  blk: 'blackman',
  bartlett: 'bartlett',
  bart: 'bartlett',
  brt: 'bartlett',
  boxcar: 'boxcar',
  box: 'boxcar',
  ones: 'boxcar',
  rect: 'boxcar',
  rectangular: 'boxcar',
};

/** The window names accepted here. */
export const WINDOW_NAMES = Object.keys(ALIASES);

/** Whether `name` is a window SciPy's `get_window` knows and this library implements. */
export function isWindowName(name: string): boolean {
  return Object.hasOwn(ALIASES, name);
}

/**
 * A window option checked as Keras's constructors check it (SciPy raises for
 * an unknown name): a known name, an array of finite numbers, or null.
 */
export function checkWindow(argument: string, window: unknown): WindowOption {
  if (window == null) return null;
  if (typeof window === 'string') {
    if (isWindowName(window)) return window;
    throw new ValueError(
      `Unknown window type. Expected one of ${WINDOW_NAMES.join(', ')} (SciPy's windows implemented here). Received: ${argument}=${formatValue(window)}`,
      {
        argument,
        expected: `one of ${WINDOW_NAMES.join(', ')}, an array of numbers or null`,
        received: formatValue(window),
      },
    );
  }
  if (Array.isArray(window) && window.length > 0 && window.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return [...window];
  }
  throw new ValueError(
    `Invalid value for argument ${argument}: expected a window name, an array of numbers or null. Received: ${argument}=${formatValue(window)}`,
    { argument, expected: 'a window name, an array of numbers or null', received: formatValue(window) },
  );
}

/**
 * `scipy.signal.get_window(name, length, fftbins=periodic)` in float64: a
 * periodic window is the symmetric one of `length + 1` samples without its last.
 */
export function windowValues(window: string | number[], length: number, periodic: boolean): number[] {
  if (Array.isArray(window)) {
    if (window.length !== length) {
      throw new ValueError(
        `The shape of \`window\` must be equal to [frame_length].Received: window shape=[${window.length}]`,
        { argument: 'window', expected: `${length} values`, received: `${window.length} values` },
      );
    }
    return [...window];
  }
  const make = SYMMETRIC[ALIASES[window] as string] as (m: number) => number[];
  if (length <= 1) return new Array<number>(Math.max(length, 0)).fill(1);
  return periodic ? make(length + 1).slice(0, length) : make(length);
}
