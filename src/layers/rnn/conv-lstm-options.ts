/** ConvLSTMCell's options, shared with ConvLSTM1D/2D/3D, which take them flat. */

import type * as activations from '../../activations/index.js';
import type { ConstraintIdentifier } from '../../constraints/identifiers.js';
import type * as initializers from '../../initializers/index.js';
import type * as regularizers from '../../regularizers/index.js';
import type { WindowOptions } from '../convolutional/conv-window.js';
import type { LayerOptions } from '../layer-types.js';

/** The options of a ConvLSTM cell: those of `ConvLSTM1D`/`2D`/`3D` less the recurrence's (`returnSequences`, ...). */
export interface ConvLSTMCellOptions extends LayerOptions, WindowOptions {
  /** Channels of the output and of each state. */
  filters: number;
  /** Default `"tanh"`; `null` is linear. */
  activation?: string | activations.Activation | null;
  /** The gates' activation; default `"sigmoid"`. */
  recurrentActivation?: string | activations.Activation | null;
  useBias?: boolean;
  /** Default `"glorot_uniform"`. */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** Default `"orthogonal"`. */
  recurrentInitializer?: initializers.InitializerIdentifier;
  /** Default `"zeros"`. */
  biasInitializer?: initializers.InitializerIdentifier;
  /** Add 1 to the forget gate's bias at initialization (default true). */
  unitForgetBias?: boolean;
  /** Penalty on the input kernel `(...kernelSize, inChannels, 4 * filters)`. */
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  /** Penalty on the recurrent kernel `(...kernelSize, filters, 4 * filters)`. */
  recurrentRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  /** Applied to the input kernel after each optimizer update: a constraint, its name or JSON, a function, or null. */
  kernelConstraint?: ConstraintIdentifier;
  /** Applied to the recurrent kernel after each optimizer update. */
  recurrentConstraint?: ConstraintIdentifier;
  /** Applied to the bias after each optimizer update. */
  biasConstraint?: ConstraintIdentifier;
  /** Fraction of the inputs dropped in training (four masks, one per gate, for all steps of a call). */
  dropout?: number;
  /** Fraction of the recurrent state dropped in training (four masks, one per gate). */
  recurrentDropout?: number;
  seed?: number | null;
}

/** Keras's constructor order, for the unknown-option error and the layer's split of its options. */
export const CONV_LSTM_CELL_OPTION_NAMES = [
  'filters',
  'kernelSize',
  'strides',
  'padding',
  'dataFormat',
  'dilationRate',
  'activation',
  'recurrentActivation',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'unitForgetBias',
  'kernelRegularizer',
  'recurrentRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'recurrentConstraint',
  'biasConstraint',
  'dropout',
  'recurrentDropout',
  'seed',
] as const;
