/**
 * The kernel-and-bias layer that Dense and the Conv layers share: their
 * common options and checks, the two weights, and the regularizer and
 * constraint properties that can be set before or after the layer is built.
 */

import type * as tf from '@tensorflow/tfjs-core';
import * as activations from '../activations/index.js';
import { constraintOption } from '../constraints/identifiers.js';
import * as constraints from '../constraints/index.js';
import * as initializers from '../initializers/index.js';
import type { OutputWithPenalty } from '../ops/epilogue.js';
import { type ClosedFormFactors, closedFormFactors } from '../regularizers/closed-form-factors.js';
import * as regularizers from '../regularizers/index.js';
import { Layer } from './layer.js';
import { checkBoolean } from './layer-checks.js';
import {
  type ActivityCall,
  type CallOptions,
  type LayerInputs,
  type LayerOptions,
  layerOptionsOf,
} from './layer-types.js';

/** The options of the layers with a kernel and a bias (Dense, the convolutions): Keras's `activation`, `use_bias`, `kernel_initializer`, ... camelCased. */
export interface KernelBiasOptions {
  /** A Keras activation name or a function; default `"linear"`. */
  activation?: activations.ActivationIdentifier;
  /** Add a learned bias; default true. */
  useBias?: boolean;
  /** Default `"glorot_uniform"`. */
  kernelInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  /** Applied to the kernel after each optimizer update: a constraint, its name or JSON, a function, or null. */
  kernelConstraint?: constraints.ConstraintIdentifier;
  /** Applied to the bias after each optimizer update. */
  biasConstraint?: constraints.ConstraintIdentifier;
}

export const KERNEL_BIAS_OPTION_NAMES = [
  'activation',
  'useBias',
  'kernelInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'biasConstraint',
] as const;

/** The resolved form of {@link KernelBiasOptions}. */
export interface KernelBiasSettings {
  activation: activations.Activation;
  useBias: boolean;
  kernelInitializer: initializers.Initializer;
  biasInitializer: initializers.Initializer;
  kernelRegularizer: regularizers.RegularizerLike | null;
  biasRegularizer: regularizers.RegularizerLike | null;
  kernelConstraint: constraints.ConstraintLike | null;
  biasConstraint: constraints.ConstraintLike | null;
}

export function resolveKernelBiasOptions(options: KernelBiasOptions): KernelBiasSettings {
  const useBias = checkBoolean(options.useBias ?? true, 'useBias');
  return {
    activation: activations.get(options.activation),
    useBias,
    kernelInitializer: initializers.get(options.kernelInitializer ?? 'glorot_uniform') as initializers.Initializer,
    biasInitializer: initializers.get(options.biasInitializer ?? 'zeros') as initializers.Initializer,
    kernelRegularizer: regularizers.get(options.kernelRegularizer),
    biasRegularizer: regularizers.get(options.biasRegularizer),
    kernelConstraint: constraintOption('kernelConstraint', options.kernelConstraint),
    biasConstraint: constraintOption('biasConstraint', options.biasConstraint),
  };
}

/** The constraint keys of a Dense or Conv config, Keras's form (written after `activityRegularizer`). */
export function kernelBiasConstraintConfig(settings: KernelBiasSettings): Record<string, unknown> {
  return {
    kernelConstraint: constraints.serialize(settings.kernelConstraint),
    biasConstraint: constraints.serialize(settings.biasConstraint),
  };
}

/** The shared keys of a Dense or Conv config, Keras's order and form. */
export function kernelBiasConfig(settings: KernelBiasSettings): Record<string, unknown> {
  return {
    activation: activations.serialize(settings.activation),
    useBias: settings.useBias,
    kernelInitializer: initializers.serialize(settings.kernelInitializer),
    biasInitializer: initializers.serialize(settings.biasInitializer),
    kernelRegularizer: regularizers.serialize(settings.kernelRegularizer),
    biasRegularizer: regularizers.serialize(settings.biasRegularizer),
  };
}

/** A layer computing `activation(f(x, kernel) + bias)`: Dense and BaseConv. */
export abstract class KernelBiasLayer extends Layer {
  protected readonly settings: KernelBiasSettings;
  kernel: tf.Variable | null = null;
  bias: tf.Variable | null = null;

  constructor(className: string, options: LayerOptions & KernelBiasOptions, ownOptionNames: readonly string[]) {
    super(layerOptionsOf(className, options, [...ownOptionNames, ...KERNEL_BIAS_OPTION_NAMES]));
    this.settings = resolveKernelBiasOptions(options);
  }

  get kernelRegularizer(): regularizers.RegularizerLike | null {
    return this.settings.kernelRegularizer;
  }

  /** Takes effect at once, also on a built layer. */
  set kernelRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.settings.kernelRegularizer = this.replaceWeightRegularizer('kernel', identifier);
  }

  get biasRegularizer(): regularizers.RegularizerLike | null {
    return this.settings.biasRegularizer;
  }

  /** Takes effect at once, also on a built layer. */
  set biasRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.settings.biasRegularizer = this.replaceWeightRegularizer('bias', identifier);
  }

  get kernelConstraint(): constraints.ConstraintLike | null {
    return this.settings.kernelConstraint;
  }

  /** Applies from the next update, also on a built layer. */
  set kernelConstraint(identifier: constraints.ConstraintIdentifier) {
    this.settings.kernelConstraint = this.replaceWeightConstraint('kernel', identifier, 'kernelConstraint');
  }

  get biasConstraint(): constraints.ConstraintLike | null {
    return this.settings.biasConstraint;
  }

  /** Applies from the next update, also on a built layer. */
  set biasConstraint(identifier: constraints.ConstraintIdentifier) {
    this.settings.biasConstraint = this.replaceWeightConstraint('bias', identifier, 'biasConstraint');
  }

  override call(inputs: LayerInputs): tf.Tensor {
    return this.forward(inputs, null).y;
  }

  /**
   * A built-in L1/L2/L1L2 activity regularizer is computed with the layer's
   * matmul or convolution where the backend can (wasm): the penalty's value
   * in the same kernel, its gradient folded into the kernel's.
   */
  protected override callWithActivityPenalty(
    inputs: LayerInputs,
    options: CallOptions,
    regularizer: regularizers.RegularizerLike,
  ): ActivityCall {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const factors = closedFormFactors(regularizer);
    const batch = x.shape[0] as number;
    if (factors == null || x.rank === 0 || !(batch > 0)) {
      return super.callWithActivityPenalty(inputs, options, regularizer);
    }
    const { y, activityPenalty } = this.forward(inputs, { l1: factors.l1 / batch, l2: factors.l2 / batch });
    return { outputs: y, activityPenalty };
  }

  /**
   * The layer's output, and the activity penalty with `activity`'s factors
   * (already divided by the batch) when the kernel computed it (else null).
   */
  protected abstract forward(inputs: LayerInputs, activity: ClosedFormFactors | null): OutputWithPenalty;

  /** Creates the kernel, and the bias of `units` unless `useBias` is false. */
  protected addKernelAndBias(kernelShape: number[], units: number): void {
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: kernelShape,
      initializer: this.settings.kernelInitializer,
      regularizer: this.settings.kernelRegularizer,
      constraint: this.settings.kernelConstraint,
    });
    if (this.settings.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [units],
        initializer: this.settings.biasInitializer,
        regularizer: this.settings.biasRegularizer,
        constraint: this.settings.biasConstraint,
      });
    }
  }
}
