import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import { ValueError } from '../../errors.js';
import { type ConvOutput, type ConvPadding, convolution, convolutionWithActivity } from '../../ops/convolution.js';
import { tidyWithPenalty } from '../../ops/epilogue.js';
import type { ClosedFormFactors } from '../../regularizers/closed-form-factors.js';
import { formatShape } from '../../utils/format.js';
import {
  checkGroups,
  checkStridesAndDilation,
  type DataFormat,
  type Padding,
  positiveInteger,
  standardizeDataFormat,
  standardizePadding,
  standardizeTuple,
} from '../arguments.js';
import {
  KernelBiasLayer,
  type KernelBiasOptions,
  kernelBiasConfig,
  kernelBiasConstraintConfig,
} from '../kernel-bias-layer.js';
import type { LayerInputs, LayerOptions, Shape } from '../layer-types.js';

/** The options of `Conv1D`, `Conv2D` and `Conv3D`, Keras's `Conv2D(filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1, groups=1, ...)` camelCased. */
export interface ConvOptions extends LayerOptions, KernelBiasOptions {
  /** Number of output channels. */
  filters: number;
  /** Window size: one number for every spatial axis, or one per axis. */
  kernelSize: number | number[];
  /** Default 1. */
  strides?: number | number[];
  /** `"valid"` (default), `"same"`, or `"causal"` (Conv1D only: output t sees inputs <= t). */
  padding?: Padding;
  /** `"channelsLast"` (default) or `"channelsFirst"`; Keras's snake_case spellings are accepted too. */
  dataFormat?: DataFormat | 'channels_last' | 'channels_first';
  /** Default 1. */
  dilationRate?: number | number[];
  /** Input and output channels split into this many independent groups; default 1. */
  groups?: number;
}

const CONV_OPTION_NAMES = ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'groups'];

/**
 * The rank-generic convolution behind Conv1D, Conv2D and Conv3D: kernel
 * `(...kernelSize, inChannels / groups, filters)`, bias `(filters)`, then
 * the activation.
 */
export abstract class BaseConv extends KernelBiasLayer {
  readonly rank: 1 | 2 | 3;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly groups: number;

  constructor(rank: 1 | 2 | 3, className: string, options: ConvOptions) {
    super(className, options, CONV_OPTION_NAMES);
    this.rank = rank;
    this.filters = positiveInteger(options.filters, 'filters');
    this.groups = checkGroups(this.filters, options.groups ?? 1);
    this.kernelSize = standardizeTuple(options.kernelSize, rank, 'kernelSize');
    this.strides = standardizeTuple(options.strides ?? 1, rank, 'strides');
    this.dilationRate = standardizeTuple(options.dilationRate ?? 1, rank, 'dilationRate');
    this.padding = standardizePadding(options.padding ?? 'valid', rank === 1);
    this.dataFormat = standardizeDataFormat(options.dataFormat);
    checkStridesAndDilation(this.strides, this.dilationRate);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    if (shape.length !== this.rank + 2) {
      throw new ValueError(
        `Input of layer "${this.name}" must have rank ${this.rank + 2} (batch, ${this.rank} spatial axes, channels). Received: input shape ${formatShape(shape)}`,
        { argument: 'inputs', expected: `rank ${this.rank + 2}`, received: formatShape(shape) },
      );
    }
    const channels = (this.dataFormat === 'channelsLast' ? shape[shape.length - 1] : shape[1]) as number;
    if (channels % this.groups !== 0) {
      throw new ValueError(
        `The number of input channels must be evenly divisible by the number of groups. Received groups=${this.groups}, but the input has ${channels} channels (full input shape is ${formatShape(shape)}).`,
        { argument: 'inputs', expected: `channels divisible by ${this.groups}`, received: formatShape(shape) },
      );
    }
    this.addKernelAndBias([...this.kernelSize, channels / this.groups, this.filters], this.filters);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const first = this.dataFormat === 'channelsFirst' ? 2 : 1;
    const spatial = inputShape.slice(first, first + this.rank).map((size, i) => {
      if (size === null) return null;
      const stride = this.strides[i] as number;
      const reach = ((this.kernelSize[i] as number) - 1) * (this.dilationRate[i] as number) + 1;
      const out = this.padding === 'valid' ? Math.floor((size - reach) / stride) + 1 : Math.ceil(size / stride);
      if (!(out > 0)) {
        throw new ValueError(
          `Layer "${this.name}": the input is too small for the kernel: axis ${i + first} has ${size} positions, the kernel reaches ${reach}. Received: input shape ${formatShape(inputShape)}`,
          { argument: 'inputs', expected: `at least ${reach} positions`, received: formatShape(inputShape) },
        );
      }
      return out;
    });
    const batch = inputShape[0] ?? null;
    return this.dataFormat === 'channelsFirst' ? [batch, this.filters, ...spatial] : [batch, ...spatial, this.filters];
  }

  protected override forward(inputs: LayerInputs, activity: ClosedFormFactors | null): ConvOutput {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const kernel = this.kernel as tf.Variable;
    const channelAxis = this.dataFormat === 'channelsLast' ? x.rank - 1 : 1;
    const expected = (kernel.shape[this.rank] as number) * this.groups;
    if (x.rank !== this.rank + 2 || x.shape[channelAxis] !== expected) {
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected rank ${this.rank + 2} with ${expected} channels, but received input with shape ${formatShape(x.shape)}`,
        { argument: 'inputs', expected: `rank ${this.rank + 2}, ${expected} channels`, received: formatShape(x.shape) },
      );
    }
    const activation = activations.serialize(this.settings.activation);
    if (this.groups === 1 && (activation === 'linear' || activation === 'relu')) {
      // Bias and relu (and the activity penalty) go into the convolution, fused where the backend can.
      const epilogue = { bias: this.bias, relu: activation === 'relu', activity };
      return tidyWithPenalty(() => {
        const out = convolutionWithActivity(...this.convolutionArguments(this.toChannelsLast(x), kernel), epilogue);
        return { y: this.fromChannelsLast(out.y), activityPenalty: out.activityPenalty };
      });
    }
    const y = tf.tidy(() => {
      let out = this.convolve(this.toChannelsLast(x), kernel);
      if (this.bias != null) out = tf.add(out, this.bias);
      return this.settings.activation(this.fromChannelsLast(out));
    });
    return { y, activityPenalty: null };
  }

  /** The convolution on channels-last input, grouped if `groups > 1`. */
  private convolve(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
    if (this.groups === 1) return convolution(...this.convolutionArguments(x, kernel));
    const [input, , strides, padding, dilations] = this.convolutionArguments(x, kernel);
    const inputs = tf.split(input, this.groups, input.rank - 1);
    const kernels = tf.split(kernel, this.groups, kernel.rank - 1);
    return tf.concat(
      inputs.map((part, g) => convolution(part, kernels[g] as tf.Tensor, strides, padding, dilations)),
      input.rank - 1,
    );
  }

  /** `convolution`'s arguments for channels-last `x`: causal padding becomes a left pad of the time axis and 'valid'. */
  private convolutionArguments(
    x: tf.Tensor,
    kernel: tf.Tensor,
  ): [tf.Tensor, tf.Tensor, readonly number[], ConvPadding, readonly number[]] {
    if (this.padding !== 'causal') {
      return [x, kernel, this.strides, this.padding === 'same' ? 'same' : 'valid', this.dilationRate];
    }
    // Left-pad the time axis so output t sees inputs up to t only.
    const left = (this.dilationRate[0] as number) * ((this.kernelSize[0] as number) - 1);
    const padded = tf.pad(x, [
      [0, 0],
      [left, 0],
      [0, 0],
    ]);
    return [padded, kernel, this.strides, 'valid', this.dilationRate];
  }

  private toChannelsLast(x: tf.Tensor): tf.Tensor {
    if (this.dataFormat === 'channelsLast') return x;
    return tf.transpose(x, [0, ...Array.from({ length: this.rank }, (_, i) => i + 2), 1]);
  }

  private fromChannelsLast(y: tf.Tensor): tf.Tensor {
    if (this.dataFormat === 'channelsLast') return y;
    return tf.transpose(y, [0, this.rank + 1, ...Array.from({ length: this.rank }, (_, i) => i + 1)]);
  }

  /** Keras writes `activity_regularizer` for Conv layers always, `null` when unset. */
  override getConfig(): Record<string, unknown> {
    const base = super.getConfig();
    return {
      ...base,
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      groups: this.groups,
      ...kernelBiasConfig(this.settings),
      activityRegularizer: base.activityRegularizer ?? null,
      ...kernelBiasConstraintConfig(this.settings),
    };
  }
}
