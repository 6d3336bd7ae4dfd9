/** STFTSpectrogram: Keras's short-time Fourier transform layer, a conv1d over DFT kernels held as weights. */
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, ValueError } from '../../errors.js';
import { convolution } from '../../ops/convolution.js';
import { formatValue } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { LAYER_OPTION_NAMES, type LayerInputs, type LayerOptions, type Shape } from '../layer-types.js';
import { booleanOption, type DataFormat, dataFormatOption, positiveInteger } from './arguments.js';
import { type KernelSide, type StftScaling, stftKernel } from './stft-kernels.js';
import { checkWindow, type WindowOption } from './windows.js';

/** What the layer outputs of the transform. */
export type StftMode = 'log' | 'magnitude' | 'psd' | 'real' | 'imag' | 'angle' | 'stft';

/** The options of `STFTSpectrogram`, Keras's keyword arguments camelCased. */
export interface STFTSpectrogramOptions extends LayerOptions {
  /** `"log"` (default), `"magnitude"`, `"psd"`, `"real"`, `"imag"`, `"angle"` or `"stft"` (real and imaginary parts). */
  mode?: StftMode;
  /** Samples per frame (default 256). */
  frameLength?: number;
  /** Samples between frames, in [1, frameLength]; default `frameLength / 2`. */
  frameStep?: number | null;
  /** DFT size, at least `frameLength`; default the next power of two. */
  fftLength?: number | null;
  /** A SciPy window name (default `"hann"`), its values, or null. */
  window?: WindowOption;
  /** A periodic window (SciPy's `fftbins`) rather than a symmetric one. */
  periodic?: boolean;
  /** `"density"` (default), `"spectrum"` or null: how the window is normalised. */
  scaling?: StftScaling;
  /** `"valid"` (default) or `"same"`, as conv1d's. */
  padding?: 'valid' | 'same';
  /** Output the channels on their own axis (rank 4) rather than folded with the frequencies. */
  expandDims?: boolean;
  /** `"channelsLast"` (default: `[batch, time, channels]`) or `"channelsFirst"`. */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first' | null;
}

const MODES: readonly StftMode[] = ['log', 'magnitude', 'psd', 'real', 'imag', 'angle', 'stft'];
/** Keras's `backend.epsilon()`: the floor of the power before its square root and log. */
const EPSILON = 1e-7;

/**
 * The short-time Fourier transform of each channel of a signal (Keras's
 * `STFTSpectrogram`): a strided conv1d of the signal with two weights,
 * `real_kernel` and `imag_kernel` of shape `[frameLength, 1, fftLength/2 + 1]`
 * (cosines and sines times the window, from Keras's `STFT` initializer;
 * trainable unless the layer is not, as in Keras), then the mode's output:
 * log or linear magnitude (power floored at 1e-7), power spectral density,
 * real or imaginary part, phase, or both parts.
 *
 * @example new layers.STFTSpectrogram({ mode: 'magnitude', frameLength: 8, frameStep: 4 }).apply(tf.ones([1, 16, 1])) // [1, 3, 5]
 */
export class STFTSpectrogram extends Layer {
  static override readonly className: string = 'STFTSpectrogram';
  readonly mode: StftMode;
  readonly frameLength: number;
  /** The step as given (null: half the frame). */
  readonly frameStep: number | null;
  /** The DFT size as given (null: the next power of two). */
  readonly fftLength: number | null;
  readonly window: WindowOption;
  readonly periodic: boolean;
  readonly scaling: StftScaling;
  readonly padding: 'valid' | 'same';
  readonly expandDims: boolean;
  readonly dataFormat: DataFormat;
  realKernel: tf.Variable | null = null;
  imagKernel: tf.Variable | null = null;

  constructor(options: STFTSpectrogramOptions = {}) {
    const names = ['mode', 'frameLength', 'frameStep', 'fftLength', 'window', 'periodic', 'scaling', 'padding'];
    const read = readOptions<STFTSpectrogramOptions>('STFTSpectrogram', options, [
      ...LAYER_OPTION_NAMES,
      ...names,
      'expandDims',
      'dataFormat',
    ]);
    const layerOptions = Object.fromEntries(
      LAYER_OPTION_NAMES.filter((k) => k in read).map((k) => [k, (read as Record<string, unknown>)[k]]),
    );
    super(layerOptions as LayerOptions);
    const frameLength = positiveInteger('frameLength', read.frameLength ?? 256);
    const frameStep = read.frameStep ?? null;
    if (frameStep != null && (!Number.isInteger(frameStep) || frameStep > frameLength || frameStep < 1)) {
      throw new ValueError(
        `\`frame_step\` should be a positive integer not greater than \`frame_length\`. Received frame_step=${formatValue(frameStep)}, frame_length=${frameLength}`,
        { argument: 'frameStep', expected: `an integer in [1, ${frameLength}]`, received: formatValue(frameStep) },
      );
    }
    const fftLength = read.fftLength ?? null;
    if (fftLength != null && (!Number.isInteger(fftLength) || fftLength < frameLength)) {
      throw new ValueError(
        `\`fft_length\` should be not less than \`frame_length\`. Received fft_length=${formatValue(fftLength)}, frame_length=${frameLength}`,
        { argument: 'fftLength', expected: `an integer >= ${frameLength}`, received: formatValue(fftLength) },
      );
    }
    const mode = read.mode ?? 'log';
    if (!MODES.includes(mode)) {
      throw new ValueError(
        `Output mode is invalid, it must be one of ${MODES.join(', ')}. Received: mode=${String(mode)}`,
        { argument: 'mode', expected: `one of ${MODES.join(', ')}`, received: formatValue(mode) },
      );
    }
    const scaling = read.scaling === undefined ? 'density' : read.scaling;
    if (scaling !== null && scaling !== 'density' && scaling !== 'spectrum') {
      throw new ValueError(
        `Scaling is invalid, it must be \`None\`, 'density' or 'spectrum'. Received scaling=${String(scaling)}`,
        { argument: 'scaling', expected: '"density", "spectrum" or null', received: formatValue(scaling) },
      );
    }
    const padding = read.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') {
      throw new ValueError(`Padding is invalid, it should be 'valid', 'same'. Received: padding=${String(padding)}`, {
        argument: 'padding',
        expected: '"valid" or "same"',
        received: formatValue(padding),
      });
    }
    this.mode = mode;
    this.frameLength = frameLength;
    this.frameStep = frameStep;
    this.fftLength = fftLength;
    this.window = checkWindow('window', read.window === undefined ? 'hann' : read.window);
    this.periodic = booleanOption('periodic', read.periodic, false);
    this.scaling = scaling;
    this.padding = padding;
    this.expandDims = booleanOption('expandDims', read.expandDims, false);
    this.dataFormat = dataFormatOption('STFTSpectrogram', read.dataFormat);
  }

  /** The step used: `frameStep`, or half the frame. */
  get step(): number {
    return this.frameStep ?? Math.floor(this.frameLength / 2);
  }

  /** The frequency bins: `fftLength / 2 + 1` of the DFT size used. */
  get bins(): number {
    const fft = this.fftLength ?? 2 ** Math.ceil(Math.log2(this.frameLength));
    return Math.floor(fft / 2) + 1;
  }

  #checkRank(shape: Shape | readonly number[]): void {
    if (shape.length !== 3) {
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected ndim=3, found ndim=${shape.length}. Full shape received: [${shape.join(', ')}]`,
        { argument: 'inputs', expected: 'a rank-3 signal', received: `shape [${shape.join(', ')}]` },
      );
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    this.#checkRank(inputShape as Shape);
    const make = (side: KernelSide) => {
      const variable = this.addWeight({
        name: `${side}_kernel`,
        shape: [this.frameLength, 1, this.bins],
        initializer: 'zeros',
      });
      const kernel = stftKernel(side, this.frameLength, this.bins, this.window, this.scaling, this.periodic);
      tf.tidy(() => variable.assign(tf.tensor3d(kernel, [this.frameLength, 1, this.bins])));
      return variable;
    };
    if (this.mode !== 'imag') this.realKernel = make('real');
    if (this.mode !== 'real') this.imagKernel = make('imag');
  }

  /** Float signals arrive as they are, so that an integer one gets Keras's error rather than a silent cast. */
  protected override keepsInputDtypes(): boolean {
    return true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    this.#checkRank(shape);
    const last = this.dataFormat === 'channelsLast';
    const [batch, time, channels] = last ? shape : [shape[0], shape[2], shape[1]];
    const bins = this.mode === 'stft' ? this.bins * 2 : this.bins;
    const frames =
      time == null
        ? null
        : this.padding === 'same'
          ? Math.ceil(time / this.step)
          : Math.floor((time - this.frameLength) / this.step) + 1;
    if (this.expandDims)
      return last ? [batch ?? null, frames, bins, channels ?? null] : [batch ?? null, channels ?? null, frames, bins];
    const features = channels == null ? null : channels * bins;
    return last ? [batch ?? null, frames, features] : [batch ?? null, features, frames];
  }

  /** Keras's `_apply_conv`: each channel alone through the conv1d, as `[batch, channels, bins, frames]`. */
  #convolve(x: tf.Tensor3D, kernel: tf.Variable): tf.Tensor4D {
    const last = this.dataFormat === 'channelsLast';
    const [batch, time, channels] = last ? x.shape : [x.shape[0], x.shape[2], x.shape[1]];
    const signals = (last ? tf.transpose(x, [0, 2, 1]) : x).reshape([batch * channels, time, 1]) as tf.Tensor3D;
    // The library's convolution: its kernel gradient runs on wasm too (trainable kernels, as Keras's default).
    const y = convolution(signals, kernel, [this.step], this.padding, [1]) as tf.Tensor3D;
    return tf.transpose(y, [0, 2, 1]).reshape([batch, channels, y.shape[2], y.shape[1]]);
  }

  /** Keras's `_adjust_shapes`: `[batch, channels, bins, frames]` to the output layout. */
  #layout(y: tf.Tensor4D): tf.Tensor {
    const [batch, channels, bins, frames] = y.shape;
    if (this.dataFormat === 'channelsLast') {
      if (this.expandDims) return tf.transpose(y, [0, 3, 2, 1]);
      return tf.transpose(y.reshape([batch, channels * bins, frames]), [0, 2, 1]);
    }
    return this.expandDims ? tf.transpose(y, [0, 1, 3, 2]) : y.reshape([batch, channels * bins, frames]);
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    if (x.dtype !== 'float32') {
      throw new KerasTypeError(
        `Invalid input type. Expected \`float16\`, \`float32\` or \`float64\`. Received: input type=${x.dtype}`,
        { argument: 'inputs', expected: 'a float32 tensor', received: `a ${x.dtype} tensor` },
      );
    }
    this.#checkRank(x.shape);
    return tf.tidy(() => {
      const signal = x as tf.Tensor3D;
      const real = this.realKernel == null ? null : this.#convolve(signal, this.realKernel);
      const imag = this.imagKernel == null ? null : this.#convolve(signal, this.imagKernel);
      if (this.mode === 'real') return this.#layout(real as tf.Tensor4D);
      if (this.mode === 'imag') return this.#layout(imag as tf.Tensor4D);
      const [re, im] = [real as tf.Tensor4D, imag as tf.Tensor4D];
      if (this.mode === 'angle') return this.#layout(tf.atan2(im, re));
      if (this.mode === 'stft') return this.#layout(tf.concat([re, im], 2));
      const power = tf.add(tf.square(re), tf.square(im)) as tf.Tensor4D;
      if (this.mode === 'psd') {
        // Keras doubles every bin but the first and last (the one-sided spectrum's power).
        const bins = power.shape[2];
        const inner = tf.slice(power, [0, 0, 1, 0], [-1, -1, Math.max(bins - 2, 0), -1]);
        return this.#layout(
          tf.add(
            power,
            tf.pad(inner, [
              [0, 0],
              [0, 0],
              [1, 1],
              [0, 0],
            ]),
          ) as tf.Tensor4D,
        );
      }
      const linear = this.#layout(tf.sqrt(tf.maximum(power, EPSILON)) as tf.Tensor4D);
      return this.mode === 'magnitude' ? linear : tf.log(tf.maximum(linear, EPSILON));
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      mode: this.mode,
      frameLength: this.frameLength,
      frameStep: this.frameStep,
      fftLength: this.fftLength,
      window: Array.isArray(this.window) ? [...this.window] : this.window,
      periodic: this.periodic,
      scaling: this.scaling,
      padding: this.padding,
      dataFormat: this.dataFormat,
      expandDims: this.expandDims,
    };
  }
}
