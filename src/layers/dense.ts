import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import type { RegularizerIdentifier, RegularizerLike } from '../regularizers/index.js';
import { get as getRegularizer } from '../regularizers/index.js';
import { formatShape } from '../utils/format.js';
import { Layer, type LayerInputs, type LayerOptions, layerOptionsOf } from './layer.js';
import {
  KERNEL_BIAS_OPTION_NAMES,
  type KernelBiasOptions,
  type KernelBiasSettings,
  kernelBiasConfig,
  positiveInteger,
  resolveKernelBiasOptions,
} from './weight-options.js';

export interface DenseOptions extends LayerOptions, KernelBiasOptions {
  /** Size of the output's last axis. */
  units: number;
  /** Only `null` (what Keras writes when unquantized). */
  quantizationConfig?: null;
}

const DENSE_OPTION_NAMES = ['units', 'quantizationConfig', ...KERNEL_BIAS_OPTION_NAMES];

/**
 * Densely connected layer: `activation(dot(x, kernel) + bias)` over the last
 * axis, with kernel `(inputDim, units)` and bias `(units)`.
 *
 * @example new Dense({ units: 5, kernelRegularizer: new L1(0.01), activityRegularizer: new L2(0.01) })
 */
export class Dense extends Layer {
  static override readonly className: string = 'Dense';
  readonly units: number;
  readonly #settings: KernelBiasSettings;
  kernel: tf.Variable | null = null;
  bias: tf.Variable | null = null;

  constructor(options: DenseOptions) {
    super(layerOptionsOf('Dense', options, DENSE_OPTION_NAMES));
    this.units = positiveInteger(options.units, 'units');
    if (options.quantizationConfig != null) {
      throw new ValueError(
        'Invalid value for argument quantizationConfig: quantization is not supported, expected null.',
        {
          argument: 'quantizationConfig',
          expected: 'null',
        },
      );
    }
    this.#settings = resolveKernelBiasOptions(options);
  }

  get kernelRegularizer(): RegularizerLike | null {
    return this.#settings.kernelRegularizer;
  }

  /** Takes effect at once, also on a built layer. */
  set kernelRegularizer(identifier: RegularizerIdentifier) {
    this.#settings.kernelRegularizer = getRegularizer(identifier);
    const record = this.weightRecord('kernel');
    if (record != null) record.regularizer = this.#settings.kernelRegularizer;
  }

  get biasRegularizer(): RegularizerLike | null {
    return this.#settings.biasRegularizer;
  }

  set biasRegularizer(identifier: RegularizerIdentifier) {
    this.#settings.biasRegularizer = getRegularizer(identifier);
    const record = this.weightRecord('bias');
    if (record != null) record.regularizer = this.#settings.biasRegularizer;
  }

  override build(inputShape: number[] | number[][]): void {
    const shape = inputShape as number[];
    const inputDim = shape[shape.length - 1];
    if (shape.length < 1 || inputDim == null || inputDim <= 0) {
      throw new ValueError(
        `Input of layer "${this.name}" must have a known, non-zero last axis. Received: input shape ${formatShape(shape)}`,
        { argument: 'inputs', expected: 'rank >= 1 with a non-zero last axis', received: formatShape(shape) },
      );
    }
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, this.units],
      initializer: this.#settings.kernelInitializer,
      regularizer: this.#settings.kernelRegularizer,
    });
    if (this.#settings.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.units],
        initializer: this.#settings.biasInitializer,
        regularizer: this.#settings.biasRegularizer,
      });
    }
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const kernel = this.kernel as tf.Variable;
    const inputDim = kernel.shape[0] as number;
    if (x.shape[x.rank - 1] !== inputDim) {
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected axis -1 of input shape to have value ${inputDim}, but received input with shape ${formatShape(x.shape)}`,
        { argument: 'inputs', expected: `last axis ${inputDim}`, received: formatShape(x.shape) },
      );
    }
    return tf.tidy(() => {
      const flat = x.rank === 2 ? x : tf.reshape(x, [-1, inputDim]);
      let y: tf.Tensor = tf.matMul(flat, kernel);
      if (this.bias != null) y = tf.add(y, this.bias);
      if (x.rank !== 2) y = tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
      return this.#settings.activation(y);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      ...kernelBiasConfig(this.#settings),
      kernelConstraint: null,
      biasConstraint: null,
      quantizationConfig: null,
    };
  }
}
