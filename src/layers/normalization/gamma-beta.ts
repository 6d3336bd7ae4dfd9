/**
 * What BatchNormalization, LayerNormalization and GroupNormalization share:
 * the learned scale `gamma` and offset `beta`, their options (center, scale,
 * initializers, regularizers, constraints) and the regularizer and
 * constraint properties that can be set before or after the layer is built,
 * as Dense's kernel's.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { constraintOption } from '../../constraints/identifiers.js';
import * as constraints from '../../constraints/index.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { Layer } from '../layer.js';
import { checkBoolean } from '../layer-checks.js';
import type { LayerOptions } from '../layer-types.js';

/** The options the normalization layers share: Keras's `center`, `scale`, `beta_initializer`, ... camelCased. */
export interface GammaBetaOptions {
  /** Add the learned offset `beta`; default true. */
  center?: boolean;
  /** Multiply by the learned scale `gamma`; default true. */
  scale?: boolean;
  /** Default `"zeros"`. */
  betaInitializer?: initializers.InitializerIdentifier;
  /** Default `"ones"`. */
  gammaInitializer?: initializers.InitializerIdentifier;
  betaRegularizer?: regularizers.RegularizerIdentifier;
  gammaRegularizer?: regularizers.RegularizerIdentifier;
  /** Applied to `beta` after each optimizer update: a constraint, its name or JSON, a function, or null. */
  betaConstraint?: constraints.ConstraintIdentifier;
  /** Applied to `gamma` after each optimizer update. */
  gammaConstraint?: constraints.ConstraintIdentifier;
}

export const GAMMA_BETA_OPTION_NAMES = [
  'center',
  'scale',
  'betaInitializer',
  'gammaInitializer',
  'betaRegularizer',
  'gammaRegularizer',
  'betaConstraint',
  'gammaConstraint',
] as const;

/** A layer with an optional `gamma` and `beta`, each with its initializer and regularizer. */
export abstract class GammaBetaLayer extends Layer {
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: initializers.Initializer;
  readonly gammaInitializer: initializers.Initializer;
  #betaRegularizer: regularizers.RegularizerLike | null;
  #gammaRegularizer: regularizers.RegularizerLike | null;
  #betaConstraint: constraints.ConstraintLike | null;
  #gammaConstraint: constraints.ConstraintLike | null;
  gamma: tf.Variable | null = null;
  beta: tf.Variable | null = null;

  protected constructor(layerOptions: LayerOptions, options: GammaBetaOptions) {
    super(layerOptions);
    // As Keras's: a mask on the inputs passes on to the outputs.
    this.supportsMasking = true;
    this.center = checkBoolean(options.center ?? true, 'center');
    this.scale = checkBoolean(options.scale ?? true, 'scale');
    this.betaInitializer = initializers.get(options.betaInitializer ?? 'zeros') as initializers.Initializer;
    this.gammaInitializer = initializers.get(options.gammaInitializer ?? 'ones') as initializers.Initializer;
    this.#betaRegularizer = regularizers.get(options.betaRegularizer);
    this.#gammaRegularizer = regularizers.get(options.gammaRegularizer);
    this.#betaConstraint = constraintOption('betaConstraint', options.betaConstraint);
    this.#gammaConstraint = constraintOption('gammaConstraint', options.gammaConstraint);
  }

  get gammaRegularizer(): regularizers.RegularizerLike | null {
    return this.#gammaRegularizer;
  }

  /** Takes effect at once, also on a built layer. */
  set gammaRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.#gammaRegularizer = this.replaceWeightRegularizer('gamma', identifier);
  }

  get betaRegularizer(): regularizers.RegularizerLike | null {
    return this.#betaRegularizer;
  }

  /** Takes effect at once, also on a built layer. */
  set betaRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.#betaRegularizer = this.replaceWeightRegularizer('beta', identifier);
  }

  get gammaConstraint(): constraints.ConstraintLike | null {
    return this.#gammaConstraint;
  }

  /** Applies from the next update, also on a built layer. */
  set gammaConstraint(identifier: constraints.ConstraintIdentifier) {
    this.#gammaConstraint = this.replaceWeightConstraint('gamma', identifier, 'gammaConstraint');
  }

  get betaConstraint(): constraints.ConstraintLike | null {
    return this.#betaConstraint;
  }

  /** Applies from the next update, also on a built layer. */
  set betaConstraint(identifier: constraints.ConstraintIdentifier) {
    this.#betaConstraint = this.replaceWeightConstraint('beta', identifier, 'betaConstraint');
  }

  /** Creates `gamma` then `beta` of `shape` (Keras's weight order), each when asked. */
  protected addGammaBeta(shape: number[], { gamma, beta }: { gamma: boolean; beta: boolean }): void {
    if (gamma) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape,
        initializer: this.gammaInitializer,
        regularizer: this.#gammaRegularizer,
        constraint: this.#gammaConstraint,
      });
    }
    if (beta) {
      this.beta = this.addWeight({
        name: 'beta',
        shape,
        initializer: this.betaInitializer,
        regularizer: this.#betaRegularizer,
        constraint: this.#betaConstraint,
      });
    }
  }

  /** The initializer keys of a config, Keras's order and form. */
  protected initializerConfig(): Record<string, unknown> {
    return {
      betaInitializer: initializers.serialize(this.betaInitializer),
      gammaInitializer: initializers.serialize(this.gammaInitializer),
    };
  }

  /** The regularizer and constraint keys of a config, Keras's order and form. */
  protected regularizerConfig(): Record<string, unknown> {
    return {
      betaRegularizer: regularizers.serialize(this.#betaRegularizer),
      gammaRegularizer: regularizers.serialize(this.#gammaRegularizer),
      betaConstraint: constraints.serialize(this.#betaConstraint),
      gammaConstraint: constraints.serialize(this.#gammaConstraint),
    };
  }

  override dispose(): void {
    super.dispose();
    this.gamma = null;
    this.beta = null;
  }
}
