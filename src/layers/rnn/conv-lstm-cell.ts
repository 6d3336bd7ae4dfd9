/**
 * The cell of ConvLSTM1D/2D/3D (Keras's `ConvLSTMCell`): an LSTM whose input
 * and recurrent transformations are convolutions. Gates i, f, c, o as in
 * LSTMCell; the input convolution takes the layer's strides, padding and
 * dilation, the recurrent one strides 1, `same` padding and no dilation (so
 * the state keeps the output's spatial shape). Weights `kernel`
 * `(...kernelSize, inChannels, 4 * filters)`, `recurrent_kernel`
 * `(...kernelSize, filters, 4 * filters)`, `bias` `(4 * filters)`. The run
 * over a sequence is in conv-lstm-recurrence.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import { ValueError } from '../../errors.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { formatShape } from '../../utils/format.js';
import { checkStridesAndDilation, positiveInteger } from '../arguments.js';
import {
  type ConvWindow,
  channelsOf,
  convolutionOutputSize,
  readWindow,
  windowConfig,
  withChannels,
} from '../convolutional/conv-window.js';
import { checkBoolean } from '../layer-checks.js';
import { type CallOptions, type LayerInputs, type LayerOutputs, layerOptionsOf, type Shape } from '../layer-types.js';
import { UnitForgetBias } from './cells.js';
import { CONV_LSTM_CELL_OPTION_NAMES, type ConvLSTMCellOptions } from './conv-lstm-options.js';
import { runConvLSTM } from './conv-lstm-recurrence.js';
import type { RecurrenceResult } from './fast-recurrence.js';
import { RecurrentCell } from './recurrent-cell.js';
import type { SequenceSettings } from './rnn-cell.js';

/** One ConvLSTM step's convolutions and gates; the layer runs it over the time axis. */
export class ConvLSTMCell extends RecurrentCell {
  static override readonly className: string = 'ConvLSTMCell';
  /** One tensor in gives `[output, ...states]` (see `OneInputResult`). */
  declare readonly outputArity: 'one' | 'many';
  readonly rank: 1 | 2 | 3;
  readonly filters: number;
  readonly window: ConvWindow;
  readonly activation: activations.Activation;
  readonly recurrentActivation: activations.Activation;
  readonly useBias: boolean;
  readonly unitForgetBias: boolean;
  kernel: tf.Variable | null = null;
  recurrentKernel: tf.Variable | null = null;
  bias: tf.Variable | null = null;

  constructor(rank: 1 | 2 | 3, options: ConvLSTMCellOptions) {
    super(layerOptionsOf('ConvLSTMCell', options, CONV_LSTM_CELL_OPTION_NAMES), options);
    this.rank = rank;
    this.filters = positiveInteger(options.filters, 'filters');
    this.window = readWindow(rank, options);
    checkStridesAndDilation(this.window.strides, this.window.dilationRate);
    this.activation = activations.get(options.activation === undefined ? 'tanh' : options.activation);
    this.recurrentActivation = activations.get(
      options.recurrentActivation === undefined ? 'sigmoid' : options.recurrentActivation,
    );
    this.useBias = checkBoolean(options.useBias ?? true, 'useBias');
    this.unitForgetBias = checkBoolean(options.unitForgetBias ?? true, 'unitForgetBias');
  }

  /** Two states, h and c, each with `filters` channels. */
  get stateSize(): number[] {
    return [this.filters, this.filters];
  }

  get outputSize(): number {
    return this.filters;
  }

  /**
   * Checks one step's shape `(batch, ...spatial, channels)` (or channels
   * first) for `layerName`: Keras needs the spatial axes and the channels
   * known, and the window must fit.
   */
  checkStepShape(layerName: string, shape: Shape): void {
    const rank = this.rank;
    if (shape.length !== rank + 2) {
      throw new ValueError(
        `Input of layer "${layerName}" must have steps of rank ${rank + 2} (batch, ${rank} spatial axes, channels). Received: step shape ${formatShape(shape)}`,
        { argument: 'inputs', expected: `steps of rank ${rank + 2}`, received: formatShape(shape) },
      );
    }
    const first = this.window.dataFormat === 'channelsFirst' ? 2 : 1;
    const spatial = shape.slice(first, first + rank);
    if (spatial.some((size) => size == null)) {
      throw new ValueError(
        `ConvLSTM layers only support static input shapes for the spatial dimension: layer "${layerName}" expected known spatial sizes. Received: step shape ${formatShape(shape)}`,
        { argument: 'inputs', expected: 'known spatial sizes', received: formatShape(shape) },
      );
    }
    const channels = channelsOf(shape, this.window.dataFormat);
    if (channels == null || !(channels > 0)) {
      throw new ValueError(
        `The channel dimension of the inputs of layer "${layerName}" should be defined and positive. Received: step shape ${formatShape(shape)}`,
        { argument: 'inputs', expected: 'known channels', received: formatShape(shape) },
      );
    }
    spatial.forEach((size, i) => {
      const reach = ((this.window.kernelSize[i] as number) - 1) * (this.window.dilationRate[i] as number) + 1;
      if ((size as number) < reach && this.window.padding === 'valid') {
        throw new ValueError(
          `Layer "${layerName}": the steps are too small for the kernel: spatial axis ${i} has ${size} positions, the kernel reaches ${reach}. Received: step shape ${formatShape(shape)}`,
          { argument: 'inputs', expected: `at least ${reach} positions`, received: formatShape(shape) },
        );
      }
    });
  }

  /** The shape of h and of c for steps of `stepShape`: the input convolution's output, `filters` channels. */
  stateShape(stepShape: Shape, layerName = this.name): Shape {
    const spatial = convolutionOutputSize(layerName, this.window, stepShape);
    return withChannels(this.window, stepShape[0] ?? null, spatial, this.filters);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    this.checkStepShape(this.name, shape);
    const inputDim = channelsOf(shape, this.window.dataFormat) as number;
    const kernelSize = this.window.kernelSize;
    const width = 4 * this.filters;
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...kernelSize, inputDim, width],
      initializer: this.kernelInitializer,
      regularizer: this.regularizerOf('kernel'),
      constraint: this.constraintOf('kernel'),
    });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: [...kernelSize, this.filters, width],
      initializer: this.recurrentInitializer,
      regularizer: this.regularizerOf('recurrent_kernel'),
      constraint: this.constraintOf('recurrent_kernel'),
    });
    if (this.useBias) {
      const initializer = this.unitForgetBias
        ? new UnitForgetBias(this.biasInitializer, this.filters)
        : this.biasInitializer;
      this.bias = this.addWeight({
        name: 'bias',
        shape: [width],
        initializer,
        regularizer: this.regularizerOf('bias'),
        constraint: this.constraintOf('bias'),
      });
    }
  }

  /**
   * Keras's cell call, one step, on `[x, h, c]` (x `(batch, ...step)`; zero
   * states when only x is given): returns `[h, h, c]`. Dropout applies in training.
   */
  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const [x, ...states] = (Array.isArray(inputs) ? inputs : [inputs]) as [tf.Tensor, ...tf.Tensor[]];
    return tf.tidy(() => {
      const shape = this.stateShape(x.shape);
      const initial = states.length > 0 ? states : [tf.zeros(shape as number[]), tf.zeros(shape as number[])];
      const settings = { training: options.training ?? false, goBackwards: false, zeroOutputForMask: false };
      const result = this.runSequence(tf.expandDims(x, 1), initial, null, settings);
      return [result.last, ...result.states];
    });
  }

  /**
   * Runs the cell over `x` `(batch, timesteps, ...step)` in the layer's data
   * format from `initialStates` (h, c, each of `stateShape`); `mask` is
   * `(batch, timesteps)` as 0/1, or null.
   */
  runSequence(
    x: tf.Tensor,
    initialStates: tf.Tensor[],
    mask: Uint8Array | null,
    settings: SequenceSettings,
  ): RecurrenceResult {
    const parts = {
      window: this.window,
      kernel: this.kernel as tf.Variable,
      recurrentKernel: this.recurrentKernel as tf.Variable,
      bias: this.bias,
      activation: this.activation,
      recurrentActivation: this.recurrentActivation,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
    };
    return runConvLSTM(parts, x, initialStates, mask, settings);
  }

  /** Keras's ConvLSTMCell config, in its order (the layers write it flat, with their own keys). */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...windowConfig(this.window),
      activation: activations.serialize(this.activation),
      recurrentActivation: activations.serialize(this.recurrentActivation),
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      recurrentInitializer: initializers.serialize(this.recurrentInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      unitForgetBias: this.unitForgetBias,
      kernelRegularizer: regularizers.serialize(this.regularizerOf('kernel')),
      recurrentRegularizer: regularizers.serialize(this.regularizerOf('recurrent_kernel')),
      biasRegularizer: regularizers.serialize(this.regularizerOf('bias')),
      ...this.constraintConfig(),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}
