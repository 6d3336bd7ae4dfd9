/**
 * SimpleRNN, LSTM and GRU: an RNN over their cell, taking the cell's
 * options flat and writing them flat in their config, as Keras does.
 */

import type * as activations from '../../activations/index.js';
import type { ConstraintLike } from '../../constraints/constraint.js';
import type { ConstraintIdentifier } from '../../constraints/identifiers.js';
import type * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { readOptions } from '../../utils/options.js';
import { Layer } from '../layer.js';
import { LAYER_OPTION_NAMES, type LayerOptions } from '../layer-types.js';
import { GRUCell, type GRUCellOptions, LSTMCell, type LSTMCellOptions, SimpleRNNCell } from './cells.js';
import { RNN, RNN_SETTING_NAMES, type RNNOptions, type RNNSettings } from './rnn.js';
import { RNN_CELL_OPTION_NAMES, type RNNCellBase, type RNNCellOptions } from './rnn-cell.js';

/** Splits a recurrent layer's flat options into the RNN's and its cell's (which also gets `dtype` and `trainable`). */
export function splitOptions<C>(
  className: string,
  options: unknown,
  cellNames: readonly string[],
): { layer: LayerOptions & RNNSettings; cell: C } {
  const read = readOptions<Record<string, unknown>>(className, options, [
    ...LAYER_OPTION_NAMES,
    ...RNN_SETTING_NAMES,
    ...cellNames,
  ]);
  const layer: Record<string, unknown> = {};
  const cell: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(read)) {
    if (cellNames.includes(key)) cell[key] = value;
    else layer[key] = value;
  }
  for (const key of ['dtype', 'trainable']) if (key in read) cell[key] = read[key];
  return { layer: layer as LayerOptions & RNNSettings, cell: cell as unknown as C };
}

/** The three built-in recurrent layers: the cell's options as the layer's properties. */
abstract class BuiltinRNN<C extends RNNCellBase> extends RNN {
  constructor(className: string, options: unknown, cellNames: readonly string[], makeCell: (options: never) => C) {
    const { layer, cell } = splitOptions(className, options, cellNames);
    super({ ...layer, cell: makeCell(cell as never) } as RNNOptions);
  }

  get builtinCell(): C {
    return this.cell as C;
  }

  get units(): number {
    return this.builtinCell.units;
  }

  get activation(): activations.Activation {
    return this.builtinCell.activation;
  }

  get useBias(): boolean {
    return this.builtinCell.useBias;
  }

  get dropout(): number {
    return this.builtinCell.dropout;
  }

  get recurrentDropout(): number {
    return this.builtinCell.recurrentDropout;
  }

  get kernelInitializer(): initializers.Initializer {
    return this.builtinCell.kernelInitializer;
  }

  get recurrentInitializer(): initializers.Initializer {
    return this.builtinCell.recurrentInitializer;
  }

  get biasInitializer(): initializers.Initializer {
    return this.builtinCell.biasInitializer;
  }

  /** The input kernel's penalty; settable, also once built. */
  get kernelRegularizer(): regularizers.RegularizerLike | null {
    return this.builtinCell.kernelRegularizer;
  }

  set kernelRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.builtinCell.kernelRegularizer = identifier;
  }

  /** The recurrent kernel's penalty; settable, also once built. */
  get recurrentRegularizer(): regularizers.RegularizerLike | null {
    return this.builtinCell.recurrentRegularizer;
  }

  set recurrentRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.builtinCell.recurrentRegularizer = identifier;
  }

  get biasRegularizer(): regularizers.RegularizerLike | null {
    return this.builtinCell.biasRegularizer;
  }

  set biasRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.builtinCell.biasRegularizer = identifier;
  }

  /** The input kernel's constraint; settable, also once built. */
  get kernelConstraint(): ConstraintLike | null {
    return this.builtinCell.kernelConstraint;
  }

  set kernelConstraint(identifier: ConstraintIdentifier) {
    this.builtinCell.kernelConstraint = identifier;
  }

  /** The recurrent kernel's constraint; settable, also once built. */
  get recurrentConstraint(): ConstraintLike | null {
    return this.builtinCell.recurrentConstraint;
  }

  set recurrentConstraint(identifier: ConstraintIdentifier) {
    this.builtinCell.recurrentConstraint = identifier;
  }

  get biasConstraint(): ConstraintLike | null {
    return this.builtinCell.biasConstraint;
  }

  set biasConstraint(identifier: ConstraintIdentifier) {
    this.builtinCell.biasConstraint = identifier;
  }

  /** Keras's flat config: the RNN's settings, then the cell's options, `activity_regularizer` among them. */
  protected flatConfig(order: readonly string[]): Record<string, unknown> {
    // Keras's base config holds `activity_regularizer` (after dtype) when one is set; else it comes in `order`.
    const base = { ...Layer.prototype.getConfig.call(this), ...this.settingsConfig() };
    const merged: Record<string, unknown> = {
      ...this.cell.getConfig(),
      activityRegularizer: regularizers.serialize(this.activityRegularizer),
    };
    const config: Record<string, unknown> = { ...base };
    for (const key of order) config[key] = merged[key];
    return config;
  }

  override getConfig(): Record<string, unknown> {
    return this.flatConfig(this.configOrder());
  }

  /** The cell keys of this layer's config, in Keras's order. */
  protected abstract configOrder(): readonly string[];

  static override fromConfig<T>(this: new (config: never) => T, config: Record<string, unknown>): T {
    return new this(config as never);
  }
}

const WEIGHT_OPTIONS = [
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'recurrentRegularizer',
  'biasRegularizer',
  'activityRegularizer',
  'kernelConstraint',
  'recurrentConstraint',
  'biasConstraint',
  'dropout',
  'recurrentDropout',
];

/** The options of `SimpleRNN`, Keras's `SimpleRNN(units, ...)`: the cell's options (`RNNCellOptions`) and the recurrence's (`returnSequences`, ...). */
export interface SimpleRNNOptions extends LayerOptions, RNNSettings, Omit<RNNCellOptions, keyof LayerOptions> {}

/**
 * Fully-connected RNN: `h_t = activation(x_t @ kernel + h_{t-1} @ recurrentKernel + bias)`.
 * Weights `kernel`, `recurrent_kernel`, `bias` under the layer's `simple_rnn_cell`.
 *
 * @example new layers.SimpleRNN({ units: 32, kernelRegularizer: new L2(1e-4), recurrentRegularizer: new L2(1e-4) })
 */
export class SimpleRNN extends BuiltinRNN<SimpleRNNCell> {
  static override readonly className: string = 'SimpleRNN';

  constructor(options: SimpleRNNOptions) {
    super(
      'SimpleRNN',
      options,
      RNN_CELL_OPTION_NAMES,
      (cell: RNNCellOptions) => new SimpleRNNCell({ ...cell, name: 'simple_rnn_cell' }),
    );
  }

  protected override configOrder(): readonly string[] {
    return ['units', 'activation', 'useBias', ...WEIGHT_OPTIONS];
  }
}

/** The options of `LSTM`, Keras's `LSTM(units, ...)`: the cell's options (`LSTMCellOptions`) and the recurrence's (`returnSequences`, ...). */
export interface LSTMOptions extends LayerOptions, RNNSettings, Omit<LSTMCellOptions, keyof LayerOptions> {}

/**
 * Long Short-Term Memory (Hochreiter 1997), Keras 3's defaults: `tanh`,
 * `recurrentActivation: "sigmoid"`, `unitForgetBias: true`, orthogonal
 * recurrent kernel. Weights `kernel` `(inputDim, 4 * units)`,
 * `recurrent_kernel` `(units, 4 * units)`, `bias` `(4 * units)`, gates i f c o.
 *
 * @example new layers.LSTM({ units: 64, kernelRegularizer: new L2(1e-4), recurrentRegularizer: new L2(1e-4) })
 */
export class LSTM extends BuiltinRNN<LSTMCell> {
  static override readonly className: string = 'LSTM';

  constructor(options: LSTMOptions) {
    super(
      'LSTM',
      options,
      [...RNN_CELL_OPTION_NAMES, 'recurrentActivation', 'unitForgetBias'],
      (cell: LSTMCellOptions) => new LSTMCell({ ...cell, name: 'lstm_cell' }),
    );
  }

  get recurrentActivation(): activations.Activation {
    return this.builtinCell.recurrentActivation;
  }

  get unitForgetBias(): boolean {
    return this.builtinCell.unitForgetBias;
  }

  protected override configOrder(): readonly string[] {
    const [initializersPart, rest] = [WEIGHT_OPTIONS.slice(0, 3), WEIGHT_OPTIONS.slice(3)];
    return [
      'units',
      'activation',
      'recurrentActivation',
      'useBias',
      ...initializersPart,
      'unitForgetBias',
      ...rest,
      'seed',
    ];
  }
}

/** The options of `GRU`, Keras's `GRU(units, ...)`: the cell's options (`GRUCellOptions`) and the recurrence's (`returnSequences`, ...). */
export interface GRUOptions extends LayerOptions, RNNSettings, Omit<GRUCellOptions, keyof LayerOptions> {}

/**
 * Gated Recurrent Unit (Cho et al. 2014), Keras 3's defaults: `tanh`,
 * `recurrentActivation: "sigmoid"`, `resetAfter: true` (bias `(2, 3 * units)`:
 * input and recurrent rows), gates z r h.
 *
 * @example new layers.GRU({ units: 64, returnSequences: true, recurrentRegularizer: new L2(1e-4) })
 */
export class GRU extends BuiltinRNN<GRUCell> {
  static override readonly className: string = 'GRU';

  constructor(options: GRUOptions) {
    super(
      'GRU',
      options,
      [...RNN_CELL_OPTION_NAMES, 'recurrentActivation', 'resetAfter'],
      (cell: GRUCellOptions) => new GRUCell({ ...cell, name: 'gru_cell' }),
    );
  }

  get recurrentActivation(): activations.Activation {
    return this.builtinCell.recurrentActivation;
  }

  get resetAfter(): boolean {
    return this.builtinCell.resetAfter;
  }

  protected override configOrder(): readonly string[] {
    return ['units', 'activation', 'recurrentActivation', 'useBias', ...WEIGHT_OPTIONS, 'resetAfter', 'seed'];
  }
}
