import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type { OutputWithPenalty } from '../../ops/epilogue.js';
import { convolutionTranspose, transposeGeometry } from '../../ops/transposed-convolution.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { checkStridesAndDilation, positiveInteger, standardizeTuple } from '../arguments.js';
import {
  KernelBiasLayer,
  type KernelBiasOptions,
  kernelBiasConfig,
  kernelBiasConstraintConfig,
} from '../kernel-bias-layer.js';
import type { LayerInputs, LayerOptions, Shape } from '../layer-types.js';
import {
  buildChannels,
  type ConvWindow,
  checkCallInput,
  fromChannelsLast,
  readWindow,
  toChannelsLast,
  type WindowOptions,
  withChannels,
} from './conv-window.js';

/** The options of `Conv1DTranspose`, `Conv2DTranspose` and `Conv3DTranspose`, Keras's `Conv2DTranspose(filters, kernel_size, strides=1, padding="valid", output_padding=None, ...)` camelCased. */
export interface ConvTransposeOptions extends LayerOptions, KernelBiasOptions, WindowOptions {
  /** Number of output channels. */
  filters: number;
  /**
   * Extra positions after the output, per axis, each below its stride;
   * default null: Keras's rule picks it (see `computeOutputShape`).
   */
  outputPadding?: number | number[] | null;
}

const TRANSPOSE_OPTION_NAMES = [
  'filters',
  'kernelSize',
  'strides',
  'padding',
  'outputPadding',
  'dataFormat',
  'dilationRate',
];

/**
 * The rank-generic transposed convolution behind Conv1DTranspose,
 * Conv2DTranspose and Conv3DTranspose: kernel `(...kernelSize, filters,
 * inChannels)`, bias `(filters)`, then the activation. Output size per axis
 * (reach `r = (k - 1) * dilation + 1`): `valid`: `(n - 1) * s + r + outputPadding`,
 * outputPadding defaulting to `max(r, s) - r`; `same`: `n * s`, or
 * `(n - 1) * s + r % 2 + outputPadding` when outputPadding is given.
 */
export abstract class BaseConvTranspose extends KernelBiasLayer {
  readonly rank: 1 | 2 | 3;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly outputPadding: number[] | null;
  readonly dataFormat: ConvWindow['dataFormat'];
  readonly dilationRate: number[];
  private readonly window: ConvWindow;

  constructor(rank: 1 | 2 | 3, className: string, options: ConvTransposeOptions) {
    super(className, options, TRANSPOSE_OPTION_NAMES);
    this.rank = rank;
    this.filters = positiveInteger(options.filters, 'filters');
    this.window = readWindow(rank, options);
    ({
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate,
    } = this.window);
    this.outputPadding =
      options.outputPadding == null ? null : standardizeTuple(options.outputPadding, rank, 'outputPadding', true);
    this.outputPadding?.forEach((extra, i) => {
      const stride = this.strides[i] as number;
      if (extra >= stride) {
        throw new ValueError(
          `\`outputPadding\` must be strictly less than \`strides\` for all dimensions. At dimension ${i}, \`outputPadding\` is ${extra} but \`strides\` is ${stride}. Received: outputPadding=${formatValue(this.outputPadding)}, strides=${formatValue(this.strides)}`,
          {
            argument: 'outputPadding',
            expected: `each below strides=${formatValue(this.strides)}`,
            received: formatValue(this.outputPadding),
          },
        );
      }
    });
    checkStridesAndDilation(this.strides, this.dilationRate);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const channels = buildChannels(this.name, this.window, shape);
    this.computeOutputShape(shape);
    this.addKernelAndBias([...this.kernelSize, this.filters, channels], this.filters);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const first = this.dataFormat === 'channelsFirst' ? 2 : 1;
    const spatial = inputShape.slice(first, first + this.rank);
    const known = spatial.map((n) => n ?? 1);
    const { outputSize } = transposeGeometry(
      known,
      this.kernelSize,
      this.strides,
      this.padding,
      this.outputPadding,
      this.dilationRate,
    );
    const out = spatial.map((n, i) => (n == null ? null : (outputSize[i] as number)));
    out.forEach((size, i) => {
      if (size != null && !(size > 0)) {
        throw new ValueError(
          `Layer "${this.name}": the output would have ${size} positions on axis ${i + first}: expected a positive size. Received: input shape ${formatShape(inputShape)}, kernelSize=${formatValue(this.kernelSize)}, strides=${formatValue(this.strides)}, padding="${this.padding}", outputPadding=${formatValue(this.outputPadding)}`,
          { argument: 'inputs', expected: 'a positive output size', received: formatShape(inputShape) },
        );
      }
    });
    return withChannels(this.window, inputShape[0] ?? null, out, this.filters);
  }

  protected override forward(inputs: LayerInputs): OutputWithPenalty {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const kernel = this.kernel as tf.Variable;
    checkCallInput(this.name, this.window, x, kernel.shape[this.rank + 1] as number);
    const y = tf.tidy(() => {
      let out = convolutionTranspose(
        toChannelsLast(x, this.window),
        kernel,
        this.strides,
        this.padding,
        this.outputPadding,
        this.dilationRate,
      );
      if (this.bias != null) out = tf.add(out, this.bias);
      return this.settings.activation(fromChannelsLast(out, this.window));
    });
    return { y, activityPenalty: null };
  }

  /** Keras's keys and order; `activity_regularizer` always, `null` when unset. */
  override getConfig(): Record<string, unknown> {
    const base = super.getConfig();
    return {
      ...base,
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      outputPadding: this.outputPadding == null ? null : [...this.outputPadding],
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      ...kernelBiasConfig(this.settings),
      activityRegularizer: base.activityRegularizer ?? null,
      ...kernelBiasConstraintConfig(this.settings),
    };
  }
}
