/** MelSpectrogram: Keras's mel-scaled spectrogram of audio signals. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { readOptions } from '../../utils/options.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { LAYER_OPTION_NAMES, type LayerInputs, type LayerOptions, type Shape } from '../layer-types.js';
import { booleanOption, positiveInteger } from './arguments.js';
import { melWeightMatrix } from './mel-scale.js';
import { dftKernel } from './stft-kernels.js';

/** The options of `MelSpectrogram`, Keras's keyword arguments camelCased. */
export interface MelSpectrogramOptions extends LayerOptions {
  /** DFT size of each frame (default 2048). */
  fftLength?: number;
  /** Samples between frames (default 512). */
  sequenceStride?: number;
  /** Window length, at most `fftLength` (default `fftLength`). */
  sequenceLength?: number | null;
  /** `"hann"` (default), `"hamming"` or null (Keras's backend stft takes only these). */
  window?: 'hann' | 'hamming' | null;
  /** Samples per second (default 16000). */
  samplingRate?: number;
  /** Mel bands (default 128). */
  numMelBins?: number;
  /** Lowest frequency in Hz (default 20). */
  minFreq?: number;
  /** Highest frequency in Hz (default half the sampling rate). */
  maxFreq?: number | null;
  /** Output decibels (default true) rather than power. */
  powerToDb?: boolean;
  /** Decibels kept below the largest value of the batch (default 80). */
  topDb?: number;
  /** The exponent of the magnitude (default 2: power). */
  magExp?: number;
  /** The floor of the power before the log (default 1e-10). */
  minPower?: number;
  /** The power of 0 dB (default 1). */
  refPower?: number;
}

const NUMBER_OPTIONS = ['samplingRate', 'minFreq', 'topDb', 'magExp', 'minPower', 'refPower'] as const;

/**
 * The mel spectrogram of each signal (Keras's `MelSpectrogram`): frames of
 * `fftLength` samples every `sequenceStride` (the signal reflected by half
 * a frame at both ends, as Keras's `stft(center=True)`), windowed and
 * Fourier-transformed (a conv1d over DFT kernels), magnitudes to `magExp`,
 * mapped to `numMelBins` HTK mel bands, and with `powerToDb` in decibels
 * floored `topDb` below the batch's largest. Input `[batch, time]` or
 * `[time]`; output `[batch, numMelBins, frames]`. No weights, as in Keras.
 *
 * @example new layers.MelSpectrogram({ fftLength: 16, sequenceStride: 4, numMelBins: 5, samplingRate: 800 }).apply(tf.ones([2, 40])) // [2, 5, 11]
 */
export class MelSpectrogram extends Layer {
  static override readonly className: string = 'MelSpectrogram';
  readonly fftLength: number;
  readonly sequenceStride: number;
  readonly sequenceLength: number;
  readonly window: 'hann' | 'hamming' | null;
  readonly samplingRate: number;
  readonly numMelBins: number;
  readonly minFreq: number;
  readonly maxFreq: number;
  readonly powerToDb: boolean;
  readonly topDb: number;
  readonly magExp: number;
  readonly minPower: number;
  readonly refPower: number;
  #kernels: { real: Float32Array; imag: Float32Array; mel: Float32Array } | null = null;

  constructor(options: MelSpectrogramOptions = {}) {
    const read = readOptions<MelSpectrogramOptions>('MelSpectrogram', options, [
      ...LAYER_OPTION_NAMES,
      'fftLength',
      'sequenceStride',
      'sequenceLength',
      'window',
      'numMelBins',
      'maxFreq',
      'powerToDb',
      ...NUMBER_OPTIONS,
    ]);
    const layerOptions = Object.fromEntries(
      LAYER_OPTION_NAMES.filter((k) => k in read).map((k) => [k, (read as Record<string, unknown>)[k]]),
    );
    super(layerOptions as LayerOptions);
    this.fftLength = positiveInteger('fftLength', read.fftLength ?? 2048);
    this.sequenceStride = positiveInteger('sequenceStride', read.sequenceStride ?? 512);
    this.sequenceLength = positiveInteger('sequenceLength', read.sequenceLength ?? this.fftLength);
    if (this.fftLength < this.sequenceLength) {
      throw new ValueError(
        `\`fft_length\` must be greater than or equal to   \`sequence_length\`. Received: \`sequence_length\`=${this.sequenceLength}, \`fft_length\`=${this.fftLength}.`,
        { argument: 'fftLength', expected: `an integer >= ${this.sequenceLength}`, received: String(this.fftLength) },
      );
    }
    const window = read.window === undefined ? 'hann' : read.window;
    if (window !== null && window !== 'hann' && window !== 'hamming') {
      throw new ValueError(
        `If a string is passed to \`window\`, it must be one of \`"hann"\`, \`"hamming"\`. Received: window=${formatValue(window)}`,
        { argument: 'window', expected: '"hann", "hamming" or null', received: formatValue(window) },
      );
    }
    this.window = window;
    const number = (name: (typeof NUMBER_OPTIONS)[number], fallback: number) => {
      const value = read[name] ?? fallback;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(name, 'a finite number', value);
      return value;
    };
    this.samplingRate = number('samplingRate', 16000);
    if (this.samplingRate <= 0) throw invalidArgument('samplingRate', 'a positive number', this.samplingRate);
    this.numMelBins = positiveInteger('numMelBins', read.numMelBins ?? 128);
    this.minFreq = number('minFreq', 20);
    // Keras keeps int(sampling_rate / 2) when no maximum is given, and saves it.
    this.maxFreq = read.maxFreq || Math.trunc(this.samplingRate / 2);
    if (typeof this.maxFreq !== 'number' || !(this.maxFreq > this.minFreq)) {
      throw invalidArgument('maxFreq', `a number above minFreq (${this.minFreq})`, read.maxFreq);
    }
    this.powerToDb = booleanOption('powerToDb', read.powerToDb, true);
    this.topDb = number('topDb', 80);
    this.magExp = number('magExp', 2);
    this.minPower = number('minPower', 1e-10);
    if (this.minPower <= 0) throw invalidArgument('minPower', 'a positive number', this.minPower);
    this.refPower = number('refPower', 1);
  }

  #frames(time: number | null): number | null {
    if (time == null) return null;
    const half = Math.floor(this.fftLength / 2);
    return Math.floor((time + 2 * half - this.fftLength) / this.sequenceStride) + 1;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (shape.length === 1) return [this.numMelBins, this.#frames(shape[0] ?? null)];
    if (shape.length !== 2) {
      throw new ValueError(
        `MelSpectrogram takes signals of shape [batch, time] or [time]. Received: inputs.shape=[${shape.join(', ')}]`,
        { argument: 'inputs', expected: 'rank 1 or 2', received: `shape [${shape.join(', ')}]` },
      );
    }
    return [shape[0] ?? null, this.numMelBins, this.#frames(shape[1] ?? null)];
  }

  /** The DFT kernels and mel matrix, computed once as plain arrays (tensors are made per call, so none outlive it). */
  #constants(): { real: Float32Array; imag: Float32Array; mel: Float32Array } {
    if (this.#kernels == null) {
      const { fftLength, sequenceLength, window } = this;
      const bins = Math.floor(fftLength / 2) + 1;
      this.#kernels = {
        real: dftKernel('real', fftLength, sequenceLength, window),
        imag: dftKernel('imag', fftLength, sequenceLength, window),
        mel: melWeightMatrix(this.numMelBins, bins, this.samplingRate, this.minFreq, this.maxFreq),
      };
    }
    return this.#kernels;
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    this.computeOutputShape(x.shape);
    const half = Math.floor(this.fftLength / 2);
    const time = x.shape[x.rank - 1] as number;
    if (half >= time) {
      throw new ValueError(
        `MelSpectrogram reflects each signal by fft_length // 2 = ${half} samples at both ends, so signals need more samples than that. Received: inputs.shape=[${x.shape.join(', ')}]`,
        { argument: 'inputs', expected: `more than ${half} samples`, received: `${time} samples` },
      );
    }
    const constants = this.#constants();
    const bins = Math.floor(this.fftLength / 2) + 1;
    return tf.tidy(() => {
      const real = tf.tensor3d(constants.real, [this.fftLength, 1, bins]);
      const imag = tf.tensor3d(constants.imag, [this.fftLength, 1, bins]);
      const mel = tf.tensor2d(constants.mel, [bins, this.numMelBins]);
      const signals = (x.rank === 1 ? tf.expandDims(x, 0) : x) as tf.Tensor2D;
      const padded = tf.mirrorPad(
        tf.cast(signals, 'float32'),
        [
          [0, 0],
          [half, half],
        ],
        'reflect',
      );
      const framed = tf.expandDims(padded, -1) as tf.Tensor3D;
      const re = tf.conv1d(framed, real, this.sequenceStride, 'valid');
      const im = tf.conv1d(framed, imag, this.sequenceStride, 'valid');
      let spec: tf.Tensor = tf.sqrt(tf.add(tf.square(re), tf.square(im)));
      spec = tf.pow(spec, this.magExp);
      const [batch, frames] = spec.shape as [number, number, number];
      let out: tf.Tensor = tf
        .matMul(spec.reshape([batch * frames, bins]), mel)
        .reshape([batch, frames, this.numMelBins]);
      if (this.powerToDb) out = this.#decibels(out);
      out = tf.transpose(out, [0, 2, 1]);
      return x.rank === 1 ? tf.squeeze(out, [0]) : out;
    });
  }

  /** Keras's `_dbscale`: `10 log10(max(p, minPower))` less the reference's, floored `topDb` below the whole batch's maximum. */
  #decibels(power: tf.Tensor): tf.Tensor {
    const log10 = (t: tf.Tensor) => tf.div(tf.log(t), Math.LN10);
    const reference = 10 * Math.log10(Math.max(Math.abs(this.refPower), this.minPower));
    const db = tf.sub(tf.mul(log10(tf.maximum(power, this.minPower)), 10), reference);
    return tf.maximum(db, tf.sub(tf.max(db), this.topDb));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      fftLength: this.fftLength,
      sequenceStride: this.sequenceStride,
      sequenceLength: this.sequenceLength,
      window: this.window,
      samplingRate: this.samplingRate,
      numMelBins: this.numMelBins,
      minFreq: this.minFreq,
      maxFreq: this.maxFreq,
      powerToDb: this.powerToDb,
      topDb: this.topDb,
      magExp: this.magExp,
      minPower: this.minPower,
      refPower: this.refPower,
    };
  }
}
