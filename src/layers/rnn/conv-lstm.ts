/**
 * ConvLSTM1D, ConvLSTM2D and ConvLSTM3D: an RNN over a ConvLSTMCell whose
 * steps are 1, 2 or 3D feature maps, taking the cell's options flat and
 * writing them flat in its config, as Keras does (weights under the
 * layer's `conv_lstm_cell`).
 */

import type * as tf from '@tensorflow/tfjs-core';
import type * as activations from '../../activations/index.js';
import type { ConstraintLike } from '../../constraints/constraint.js';
import type { ConstraintIdentifier } from '../../constraints/identifiers.js';
import { ValueError } from '../../errors.js';
import type * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { formatShape } from '../../utils/format.js';
import type { DataFormat } from '../arguments.js';
import { Layer } from '../layer.js';
import type { CallOptions, LayerInputs, LayerOptions, LayerOutputs, Shape } from '../layer-types.js';
import { ConvLSTMCell } from './conv-lstm-cell.js';
import { CONV_LSTM_CELL_OPTION_NAMES, type ConvLSTMCellOptions } from './conv-lstm-options.js';
import type { RecurrenceResult } from './fast-recurrence.js';
import { splitOptions } from './recurrent-layers.js';
import { RNN, type RNNOptions, type RNNSettings } from './rnn.js';
import type { SequenceSettings } from './rnn-cell.js';

/** The options of `ConvLSTM1D`, `ConvLSTM2D` and `ConvLSTM3D`, Keras's `ConvLSTM2D(filters, kernel_size, strides=1, padding="valid", ...)` camelCased: the cell's and the recurrence's. */
export interface ConvLSTMOptions extends LayerOptions, RNNSettings, Omit<ConvLSTMCellOptions, keyof LayerOptions> {}

/** The cell's keys of the layer's config, in Keras's order (`activity_regularizer` among them). */
const CONFIG_ORDER = [
  ...CONV_LSTM_CELL_OPTION_NAMES.slice(0, CONV_LSTM_CELL_OPTION_NAMES.indexOf('biasRegularizer') + 1),
  'activityRegularizer',
  ...CONV_LSTM_CELL_OPTION_NAMES.slice(CONV_LSTM_CELL_OPTION_NAMES.indexOf('biasRegularizer') + 1),
];

/** The first shape of a layer called on `[x, ...initialStates]`. */
function sequenceShape(inputShape: Shape | Shape[]): Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
}

/**
 * The rank-generic convolutional LSTM: inputs `(batch, timesteps,
 * ...spatial, channels)` (or `(batch, timesteps, channels, ...spatial)`
 * channels first), states h and c of the input convolution's output shape.
 * Masks skip steps as in the other recurrent layers.
 */
export abstract class ConvLSTM extends RNN {
  readonly rank: 1 | 2 | 3;

  constructor(rank: 1 | 2 | 3, className: string, options: ConvLSTMOptions) {
    const { layer, cell } = splitOptions<ConvLSTMCellOptions>(className, options, CONV_LSTM_CELL_OPTION_NAMES);
    super({ ...layer, cell: new ConvLSTMCell(rank, { ...cell, name: 'conv_lstm_cell' }) } as RNNOptions);
    this.rank = rank;
  }

  get convCell(): ConvLSTMCell {
    return this.cell as ConvLSTMCell;
  }

  get filters(): number {
    return this.convCell.filters;
  }

  get kernelSize(): number[] {
    return [...this.convCell.window.kernelSize];
  }

  get strides(): number[] {
    return [...this.convCell.window.strides];
  }

  get padding(): 'valid' | 'same' {
    return this.convCell.window.padding;
  }

  get dataFormat(): DataFormat {
    return this.convCell.window.dataFormat;
  }

  get dilationRate(): number[] {
    return [...this.convCell.window.dilationRate];
  }

  get activation(): activations.Activation {
    return this.convCell.activation;
  }

  get recurrentActivation(): activations.Activation {
    return this.convCell.recurrentActivation;
  }

  get useBias(): boolean {
    return this.convCell.useBias;
  }

  get kernelInitializer(): initializers.Initializer {
    return this.convCell.kernelInitializer;
  }

  get recurrentInitializer(): initializers.Initializer {
    return this.convCell.recurrentInitializer;
  }

  get biasInitializer(): initializers.Initializer {
    return this.convCell.biasInitializer;
  }

  get unitForgetBias(): boolean {
    return this.convCell.unitForgetBias;
  }

  get dropout(): number {
    return this.convCell.dropout;
  }

  get recurrentDropout(): number {
    return this.convCell.recurrentDropout;
  }

  get seed(): number | null {
    return this.convCell.seed;
  }

  /** The input kernel's penalty; settable, also once built. */
  get kernelRegularizer(): regularizers.RegularizerLike | null {
    return this.convCell.kernelRegularizer;
  }

  set kernelRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.convCell.kernelRegularizer = identifier;
  }

  /** The recurrent kernel's penalty; settable, also once built. */
  get recurrentRegularizer(): regularizers.RegularizerLike | null {
    return this.convCell.recurrentRegularizer;
  }

  set recurrentRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.convCell.recurrentRegularizer = identifier;
  }

  get biasRegularizer(): regularizers.RegularizerLike | null {
    return this.convCell.biasRegularizer;
  }

  set biasRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.convCell.biasRegularizer = identifier;
  }

  /** The input kernel's constraint; settable, also once built. */
  get kernelConstraint(): ConstraintLike | null {
    return this.convCell.kernelConstraint;
  }

  set kernelConstraint(identifier: ConstraintIdentifier) {
    this.convCell.kernelConstraint = identifier;
  }

  /** The recurrent kernel's constraint; settable, also once built. */
  get recurrentConstraint(): ConstraintLike | null {
    return this.convCell.recurrentConstraint;
  }

  set recurrentConstraint(identifier: ConstraintIdentifier) {
    this.convCell.recurrentConstraint = identifier;
  }

  get biasConstraint(): ConstraintLike | null {
    return this.convCell.biasConstraint;
  }

  set biasConstraint(identifier: ConstraintIdentifier) {
    this.convCell.biasConstraint = identifier;
  }

  protected override sequenceLayout(): { rank: number; axes: string } {
    const spatial = `${this.rank} spatial axes`;
    const axes = this.dataFormat === 'channelsFirst' ? `channels, ${spatial}` : `${spatial}, channels`;
    return { rank: this.rank + 3, axes: `(batch, timesteps, ${axes})` };
  }

  /** The shape of one step: the sequence's without the time axis. */
  private stepShape(shape: Shape | readonly number[]): Shape {
    return [shape[0] ?? null, ...shape.slice(2)] as Shape;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = sequenceShape(inputShape);
    // A shape of the wrong rank gets RNN's error; the steps' spatial axes and channels are checked here.
    if (shape.length === this.rank + 3) this.convCell.checkStepShape(this.name, this.stepShape(shape));
    super.build(inputShape);
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    const built = this.buildInputShape == null ? null : sequenceShape(this.buildInputShape);
    // Keras's input spec after build: any batch and number of steps, the steps' shape fixed.
    if (built != null && x.rank === built.length && x.shape.slice(2).some((d, i) => d !== built[i + 2])) {
      const expected = formatShape([null, null, ...built.slice(2)]);
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected shape ${expected}, found shape ${formatShape(x.shape)}`,
        { argument: 'inputs', expected, received: formatShape(x.shape) },
      );
    }
    return super.call(inputs, options);
  }

  protected override stateShapes(x: tf.Tensor): number[][] {
    const shape = this.convCell.stateShape(this.stepShape(x.shape), this.name) as number[];
    return [shape, shape];
  }

  protected override runCell(
    x: tf.Tensor,
    states: tf.Tensor[],
    mask: Uint8Array | null,
    settings: SequenceSettings,
  ): RecurrenceResult {
    return this.convCell.runSequence(x, states, mask, settings);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = sequenceShape(inputShape);
    if (shape.length !== this.rank + 3) {
      const { rank, axes } = this.sequenceLayout();
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected ndim=${rank}, found ndim=${shape.length}. Full shape received: ${formatShape(shape)}`,
        { argument: 'inputs', expected: `ndim=${rank} ${axes}`, received: formatShape(shape) },
      );
    }
    this.convCell.checkStepShape(this.name, this.stepShape(shape));
    const state = this.convCell.stateShape(this.stepShape(shape), this.name);
    const output = this.returnSequences ? [state[0] ?? null, shape[1] ?? null, ...state.slice(1)] : state;
    return this.returnState ? [output, [...state], [...state]] : output;
  }

  /** Keras's flat config: the RNN's settings, then the cell's options, `activity_regularizer` among them. */
  override getConfig(): Record<string, unknown> {
    // Keras's base config holds `activity_regularizer` (after dtype) when one is set; else it comes in order.
    const config: Record<string, unknown> = { ...Layer.prototype.getConfig.call(this), ...this.settingsConfig() };
    const merged: Record<string, unknown> = {
      ...this.convCell.getConfig(),
      activityRegularizer: regularizers.serialize(this.activityRegularizer),
    };
    for (const key of CONFIG_ORDER) config[key] = merged[key];
    return config;
  }

  static override fromConfig<T>(this: new (config: never) => T, config: Record<string, unknown>): T {
    return new this(config as never);
  }
}

/**
 * 1D convolutional LSTM over `(batch, timesteps, steps, channels)`; kernel
 * `(k, in, 4 * filters)`, recurrent kernel `(k, filters, 4 * filters)`.
 *
 * @example new layers.ConvLSTM1D({ filters: 8, kernelSize: 3, padding: 'same', recurrentRegularizer: new L2(1e-4) })
 */
export class ConvLSTM1D extends ConvLSTM {
  static override readonly className: string = 'ConvLSTM1D';

  constructor(options: ConvLSTMOptions) {
    super(1, 'ConvLSTM1D', options);
  }
}

/**
 * 2D convolutional LSTM over `(batch, timesteps, rows, cols, channels)`;
 * kernel `(kh, kw, in, 4 * filters)`, recurrent kernel `(kh, kw, filters, 4 * filters)`.
 *
 * @example new layers.ConvLSTM2D({ filters: 16, kernelSize: 3, padding: 'same', returnSequences: true, kernelRegularizer: new L2(1e-4) })
 */
export class ConvLSTM2D extends ConvLSTM {
  static override readonly className: string = 'ConvLSTM2D';

  constructor(options: ConvLSTMOptions) {
    super(2, 'ConvLSTM2D', options);
  }
}

/**
 * 3D convolutional LSTM over `(batch, timesteps, d1, d2, d3, channels)`;
 * kernel `(k1, k2, k3, in, 4 * filters)`.
 *
 * @example new layers.ConvLSTM3D({ filters: 4, kernelSize: 3, padding: 'same' })
 */
export class ConvLSTM3D extends ConvLSTM {
  static override readonly className: string = 'ConvLSTM3D';

  constructor(options: ConvLSTMOptions) {
    super(3, 'ConvLSTM3D', options);
  }
}
