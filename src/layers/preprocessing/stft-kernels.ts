/**
 * The DFT kernels of Keras's audio layers, as conv1d filters of shape
 * `[frameLength, 1, fftLength / 2 + 1]`: Keras's `STFT` initializer (the
 * STFTSpectrogram's weights, computed in float32 as Keras computes them, so
 * that a layer built here starts from Keras's numbers) and the windowed DFT
 * that MelSpectrogram's backend `stft` takes of each frame.
 */
import { windowValues } from './windows.js';

const f32 = Math.fround;

/** The real (cosine) or imaginary (sine) kernel. */
export type KernelSide = 'real' | 'imag';

/** How Keras's STFT initializer scales the window: by its L2 norm (`density`), its L1 norm (`spectrum`), or not. */
export type StftScaling = 'density' | 'spectrum' | null;

/**
 * Keras's `initializers.STFT(side, window, scaling, periodic)` for the shape
 * `[frameLength, 1, bins]`: `cos` or `sin` of `-2 pi t k / (2 (bins - 1))`
 * times the window over its scaling, each step rounded to float32 as
 * Keras's float32 ops round it.
 */
export function stftKernel(
  side: KernelSide,
  frameLength: number,
  bins: number,
  window: string | number[] | null,
  scaling: StftScaling,
  periodic: boolean,
): Float32Array {
  const fftLength = (bins - 1) * 2;
  const pi = f32(Math.acos(-1));
  const win = window == null ? null : windowValues(window, frameLength, periodic).map(f32);
  let scale = 1;
  if (win != null && scaling === 'density') scale = f32(Math.sqrt(f32(win.reduce((s, w) => f32(s + f32(w * w)), 0))));
  if (win != null && scaling === 'spectrum') scale = f32(win.reduce((s, w) => f32(s + Math.abs(w)), 0));
  const kernel = new Float32Array(frameLength * bins);
  for (let t = 0; t < frameLength; t++) {
    for (let k = 0; k < bins; k++) {
      const freq = f32(k / fftLength);
      const args = f32(f32(-2 * t * freq) * pi);
      let value = f32(side === 'real' ? Math.cos(args) : Math.sin(args));
      if (win != null) value = f32(f32(value * (win[t] as number)) / scale);
      kernel[t * bins + k] = value;
    }
  }
  return kernel;
}

/**
 * The kernels of an `fftLength`-point DFT of a frame times a window of
 * `windowLength` samples centred in it (zero elsewhere), as Keras's backend
 * `stft` (`jax.scipy.signal.stft`, its scaling undone) computes it:
 * `real[k] = sum_n x[n] w[n] cos(2 pi k n / N)` and `imag[k] = -sum_n x[n] w[n] sin(...)`.
 */
export function dftKernel(
  side: KernelSide,
  fftLength: number,
  windowLength: number,
  window: string | number[] | null,
): Float32Array {
  const bins = Math.floor(fftLength / 2) + 1;
  const left = Math.floor((fftLength - windowLength) / 2);
  // Keras's backend stft takes SciPy's default, periodic (fftbins=True) windows.
  const win = window == null ? null : windowValues(window, windowLength, true).map(f32);
  const kernel = new Float32Array(fftLength * bins);
  for (let n = 0; n < fftLength; n++) {
    const i = n - left;
    const w = win == null ? 1 : i >= 0 && i < windowLength ? (win[i] as number) : 0;
    if (w === 0) continue;
    for (let k = 0; k < bins; k++) {
      // k n mod N keeps the angle small, so its cosine and sine are exact to float64.
      const angle = (2 * Math.PI * ((k * n) % fftLength)) / fftLength;
      kernel[n * bins + k] = side === 'real' ? w * Math.cos(angle) : -w * Math.sin(angle);
    }
  }
  return kernel;
}
