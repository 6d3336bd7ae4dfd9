/**
 * What every recurrent cell here shares, the dense cells (SimpleRNNCell,
 * LSTMCell, GRUCell) and ConvLSTM's: the three initializers and three
 * regularizers and three constraints under Keras's argument names (settable
 * on a built cell), the two dropout rates and the seed.
 */

import { constraintOption } from '../../constraints/identifiers.js';
import * as constraints from '../../constraints/index.js';
import { invalidArgument } from '../../errors.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
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
  /** Applied to the input kernel after each optimizer update: a constraint, its name or JSON, a function, or null. */
  kernelConstraint?: constraints.ConstraintIdentifier;
  /** Applied to the recurrent kernel after each optimizer update. */
  recurrentConstraint?: constraints.ConstraintIdentifier;
  /** Applied to the bias after each optimizer update. */
  biasConstraint?: constraints.ConstraintIdentifier;
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
  readonly #constraints: Record<RegularizedWeight, constraints.ConstraintLike | null>;

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
    this.#constraints = {
      kernel: constraintOption('kernelConstraint', options.kernelConstraint),
      recurrent_kernel: constraintOption('recurrentConstraint', options.recurrentConstraint),
      bias: constraintOption('biasConstraint', options.biasConstraint),
    };
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

  /** The constraint of weight `name`, for `addWeight` and the config. */
  protected constraintOf(name: RegularizedWeight): constraints.ConstraintLike | null {
    return this.#constraints[name];
  }

  /** The constraint keys of a cell config, Keras's form. */
  protected constraintConfig(): Record<string, unknown> {
    return {
      kernelConstraint: constraints.serialize(this.#constraints.kernel),
      recurrentConstraint: constraints.serialize(this.#constraints.recurrent_kernel),
      biasConstraint: constraints.serialize(this.#constraints.bias),
    };
  }

  get kernelConstraint(): constraints.ConstraintLike | null {
    return this.#constraints.kernel;
  }

  /** Applies from the next update, also on a built cell. */
  set kernelConstraint(identifier: constraints.ConstraintIdentifier) {
    this.#constraints.kernel = this.replaceWeightConstraint('kernel', identifier, 'kernelConstraint');
  }

  get recurrentConstraint(): constraints.ConstraintLike | null {
    return this.#constraints.recurrent_kernel;
  }

  /** Applies from the next update, also on a built cell. */
  set recurrentConstraint(identifier: constraints.ConstraintIdentifier) {
    this.#constraints.recurrent_kernel = this.replaceWeightConstraint(
      'recurrent_kernel',
      identifier,
      'recurrentConstraint',
    );
  }

  get biasConstraint(): constraints.ConstraintLike | null {
    return this.#constraints.bias;
  }

  /** Applies from the next update, also on a built cell. */
  set biasConstraint(identifier: constraints.ConstraintIdentifier) {
    this.#constraints.bias = this.replaceWeightConstraint('bias', identifier, 'biasConstraint');
  }
}
