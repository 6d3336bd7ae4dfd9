/**
 * What every recurrent cell here shares, the dense cells (SimpleRNNCell,
 * LSTMCell, GRUCell) and ConvLSTM's: the three initializers and three
 * regularizers under Keras's argument names (the regularizers settable on a
 * built cell), constraints refused, the two dropout rates and the seed.
 */
import { invalidArgument, ValueError } from '../../errors.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import type { LayerOptions } from '../layer-types.js';

export type RegularizedWeight = 'kernel' | 'recurrent_kernel' | 'bias';

/** The options every recurrent cell takes beside its own. */
export interface RecurrentCellSettings {
  /** Default `"glorot_uniform"`. */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** Default `"orthogonal"`. */
  recurrentInitializer?: initializers.InitializerIdentifier;
  /** Default `"zeros"`. */
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  recurrentRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  /** Constraints are not supported; only `null` is accepted. */
  kernelConstraint?: null;
  recurrentConstraint?: null;
  biasConstraint?: null;
  /** Fraction of the input units dropped in training, clamped to [0, 1] as Keras does. */
  dropout?: number;
  /** Fraction of the recurrent units dropped in training, clamped to [0, 1]. */
  recurrentDropout?: number;
  /** Seed of the dropout masks; `null` for a fresh one. */
  seed?: number | null;
}

/** Keras's clamp of a dropout rate into [0, 1]. */
function dropoutRate(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw invalidArgument(name, 'a number in [0, 1]', value);
  return Math.min(1, Math.max(0, value));
}

/** A layer that is a recurrent cell, with the settings all cells share. */
export abstract class RecurrentCell extends Layer {
  readonly kernelInitializer: initializers.Initializer;
  readonly recurrentInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  readonly #regularizers: Record<RegularizedWeight, regularizers.RegularizerLike | null>;

  constructor(layerOptions: LayerOptions, options: RecurrentCellSettings) {
    super(layerOptions);
    this.kernelInitializer = initializers.get(
      options.kernelInitializer ?? 'glorot_uniform',
    ) as initializers.Initializer;
    this.recurrentInitializer = initializers.get(
      options.recurrentInitializer ?? 'orthogonal',
    ) as initializers.Initializer;
    this.biasInitializer = initializers.get(options.biasInitializer ?? 'zeros') as initializers.Initializer;
    this.#regularizers = {
      kernel: regularizers.get(options.kernelRegularizer),
      recurrent_kernel: regularizers.get(options.recurrentRegularizer),
      bias: regularizers.get(options.biasRegularizer),
    };
    for (const name of ['kernelConstraint', 'recurrentConstraint', 'biasConstraint'] as const) {
      if (options[name] != null) {
        throw new ValueError(
          `Invalid value for argument ${name}: constraints are not supported, expected null. Received: ${name}=${formatValue(options[name])}`,
          { argument: name, expected: 'null', received: formatValue(options[name]) },
        );
      }
    }
    this.dropout = dropoutRate(options.dropout ?? 0, 'dropout');
    this.recurrentDropout = dropoutRate(options.recurrentDropout ?? 0, 'recurrentDropout');
    const seed = options.seed ?? null;
    if (seed !== null && !Number.isSafeInteger(seed)) throw invalidArgument('seed', 'null or an integer', seed);
    this.seed = seed;
  }

  /** The regularizer of weight `name`, for `addWeight` and the config. */
  protected regularizerOf(name: RegularizedWeight): regularizers.RegularizerLike | null {
    return this.#regularizers[name];
  }

  get kernelRegularizer(): regularizers.RegularizerLike | null {
    return this.#regularizers.kernel;
  }

  /** Takes effect at once, also on a built cell. */
  set kernelRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.#regularizers.kernel = this.replaceWeightRegularizer('kernel', identifier);
  }

  get recurrentRegularizer(): regularizers.RegularizerLike | null {
    return this.#regularizers.recurrent_kernel;
  }

  /** Takes effect at once, also on a built cell. */
  set recurrentRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.#regularizers.recurrent_kernel = this.replaceWeightRegularizer('recurrent_kernel', identifier);
  }

  get biasRegularizer(): regularizers.RegularizerLike | null {
    return this.#regularizers.bias;
  }

  /** Takes effect at once, also on a built cell. */
  set biasRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.#regularizers.bias = this.replaceWeightRegularizer('bias', identifier);
  }
}
