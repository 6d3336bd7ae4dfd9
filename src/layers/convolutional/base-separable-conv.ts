import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import { constraintOption } from '../../constraints/identifiers.js';
import * as constraints from '../../constraints/index.js';
import * as initializers from '../../initializers/index.js';
import { convolutionWithActivity } from '../../ops/convolution.js';
import { depthwiseConvolution } from '../../ops/depthwise-convolution.js';
import { closedFormFactors } from '../../regularizers/closed-form-factors.js';
import * as regularizers from '../../regularizers/index.js';
import { positiveInteger } from '../arguments.js';
import { Layer } from '../layer.js';
import { checkBoolean } from '../layer-checks.js';
import type { ActivityCall, CallOptions, LayerInputs, LayerOptions, Shape } from '../layer-types.js';
import {
  buildChannels,
  type ConvWindow,
  checkCallInput,
  convolutionOutputSize,
  fromChannelsLast,
  readVariantOptions,
  readWindow,
  toChannelsLast,
  type WindowOptions,
  windowConfig,
  withChannels,
} from './conv-window.js';

/** The options of `SeparableConv1D` and `SeparableConv2D`, Keras's `SeparableConv2D(filters, kernel_size, strides=1, padding="valid", depth_multiplier=1, ...)` camelCased. */
export interface SeparableConvOptions extends LayerOptions, WindowOptions {
  /** Number of output channels (of the pointwise convolution). */
  filters: number;
  /** Depthwise output channels per input channel; default 1. */
  depthMultiplier?: number;
  /** A Keras activation name or a function; default `"linear"`. */
  activation?: activations.ActivationIdentifier;
  useBias?: boolean;
  /** Default `"glorot_uniform"`. */
  depthwiseInitializer?: initializers.InitializerIdentifier;
  /** Default `"glorot_uniform"`. */
  pointwiseInitializer?: initializers.InitializerIdentifier;
  /** Default `"zeros"`. */
  biasInitializer?: initializers.InitializerIdentifier;
  depthwiseRegularizer?: regularizers.RegularizerIdentifier;
  pointwiseRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  /** Applied to the depthwise kernel after each optimizer update: a constraint, its name or JSON, a function, or null. */
  depthwiseConstraint?: constraints.ConstraintIdentifier;
  /** Applied to the pointwise kernel after each optimizer update. */
  pointwiseConstraint?: constraints.ConstraintIdentifier;
  /** Applied to the bias after each optimizer update. */
  biasConstraint?: constraints.ConstraintIdentifier;
}

/** Keras's constructor order, for the unknown-option error. */
const SEPARABLE_OPTION_NAMES = [
  'filters',
  'kernelSize',
  'strides',
  'padding',
  'dataFormat',
  'dilationRate',
  'depthMultiplier',
  'activation',
  'useBias',
  'depthwiseInitializer',
  'pointwiseInitializer',
  'biasInitializer',
  'depthwiseRegularizer',
  'pointwiseRegularizer',
  'biasRegularizer',
  'depthwiseConstraint',
  'pointwiseConstraint',
  'biasConstraint',
];

type WeightName = 'depthwise_kernel' | 'pointwise_kernel' | 'bias';

/**
 * The rank-generic separable convolution behind SeparableConv1D and
 * SeparableConv2D: a depthwise convolution (kernel `(...kernelSize,
 * inChannels, depthMultiplier)`, no bias) then a pointwise one (kernel
 * `(1..., inChannels * depthMultiplier, filters)`), bias `(filters)`, then
 * the activation. Weights in Keras's order: depthwise_kernel,
 * pointwise_kernel, bias.
 */
export abstract class BaseSeparableConv extends Layer {
  readonly rank: 1 | 2;
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: ConvWindow['dataFormat'];
  readonly dilationRate: number[];
  readonly useBias: boolean;
  readonly activation: activations.Activation;
  depthwiseKernel: tf.Variable | null = null;
  pointwiseKernel: tf.Variable | null = null;
  bias: tf.Variable | null = null;
  private readonly window: ConvWindow;
  private readonly initializers: Record<WeightName, initializers.Initializer>;
  private readonly regularizers: Record<WeightName, regularizers.RegularizerLike | null>;
  private readonly constraints: Record<WeightName, constraints.ConstraintLike | null>;

  constructor(rank: 1 | 2, className: string, options: SeparableConvOptions) {
    const { base, read } = readVariantOptions(className, options, SEPARABLE_OPTION_NAMES);
    super(base);
    this.rank = rank;
    this.filters = positiveInteger(read.filters, 'filters');
    this.depthMultiplier = positiveInteger(read.depthMultiplier ?? 1, 'depthMultiplier');
    this.window = readWindow(rank, options);
    ({
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate,
    } = this.window);
    this.activation = activations.get(options.activation);
    this.useBias = checkBoolean(options.useBias ?? true, 'useBias');
    const initializer = (id: initializers.InitializerIdentifier, fallback: string) =>
      initializers.get(id ?? fallback) as initializers.Initializer;
    this.initializers = {
      depthwise_kernel: initializer(options.depthwiseInitializer, 'glorot_uniform'),
      pointwise_kernel: initializer(options.pointwiseInitializer, 'glorot_uniform'),
      bias: initializer(options.biasInitializer, 'zeros'),
    };
    this.regularizers = {
      depthwise_kernel: regularizers.get(options.depthwiseRegularizer),
      pointwise_kernel: regularizers.get(options.pointwiseRegularizer),
      bias: regularizers.get(options.biasRegularizer),
    };
    this.constraints = {
      depthwise_kernel: constraintOption('depthwiseConstraint', options.depthwiseConstraint),
      pointwise_kernel: constraintOption('pointwiseConstraint', options.pointwiseConstraint),
      bias: constraintOption('biasConstraint', options.biasConstraint),
    };
  }

  /** Each regularizer takes effect at once when set, also on a built layer. */
  get depthwiseRegularizer(): regularizers.RegularizerLike | null {
    return this.regularizers.depthwise_kernel;
  }

  set depthwiseRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.setRegularizer('depthwise_kernel', identifier);
  }

  get pointwiseRegularizer(): regularizers.RegularizerLike | null {
    return this.regularizers.pointwise_kernel;
  }

  set pointwiseRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.setRegularizer('pointwise_kernel', identifier);
  }

  get biasRegularizer(): regularizers.RegularizerLike | null {
    return this.regularizers.bias;
  }

  set biasRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.setRegularizer('bias', identifier);
  }

  private setRegularizer(name: WeightName, identifier: regularizers.RegularizerIdentifier): void {
    this.regularizers[name] = this.replaceWeightRegularizer(name, identifier);
  }

  /** Each constraint applies from the next update when set, also on a built layer. */
  get depthwiseConstraint(): constraints.ConstraintLike | null {
    return this.constraints.depthwise_kernel;
  }

  set depthwiseConstraint(identifier: constraints.ConstraintIdentifier) {
    this.constraints.depthwise_kernel = this.replaceWeightConstraint(
      'depthwise_kernel',
      identifier,
      'depthwiseConstraint',
    );
  }

  get pointwiseConstraint(): constraints.ConstraintLike | null {
    return this.constraints.pointwise_kernel;
  }

  set pointwiseConstraint(identifier: constraints.ConstraintIdentifier) {
    this.constraints.pointwise_kernel = this.replaceWeightConstraint(
      'pointwise_kernel',
      identifier,
      'pointwiseConstraint',
    );
  }

  get biasConstraint(): constraints.ConstraintLike | null {
    return this.constraints.bias;
  }

  set biasConstraint(identifier: constraints.ConstraintIdentifier) {
    this.constraints.bias = this.replaceWeightConstraint('bias', identifier, 'biasConstraint');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const channels = buildChannels(this.name, this.window, shape);
    // Keras checks at build that the window fits.
    convolutionOutputSize(this.name, this.window, shape);
    const ones = this.kernelSize.map(() => 1);
    const add = (name: WeightName, weightShape: number[]) =>
      this.addWeight({
        name,
        shape: weightShape,
        initializer: this.initializers[name],
        regularizer: this.regularizers[name],
        constraint: this.constraints[name],
      });
    this.depthwiseKernel = add('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier]);
    this.pointwiseKernel = add('pointwise_kernel', [...ones, channels * this.depthMultiplier, this.filters]);
    if (this.useBias) this.bias = add('bias', [this.filters]);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const spatial = convolutionOutputSize(this.name, this.window, inputShape);
    return withChannels(this.window, inputShape[0] ?? null, spatial, this.filters);
  }

  override call(inputs: LayerInputs): tf.Tensor {
    return this.forward(inputs, null).outputs as tf.Tensor;
  }

  /**
   * A built-in L1/L2/L1L2 activity regularizer is computed with the pointwise
   * convolution where the backend can (wasm), as in Conv2D.
   */
  protected override callWithActivityPenalty(
    inputs: LayerInputs,
    options: CallOptions,
    regularizer: regularizers.RegularizerLike,
  ): ActivityCall {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const factors = closedFormFactors(regularizer);
    const batch = x.shape[0] as number;
    if (factors == null || !(batch > 0)) return super.callWithActivityPenalty(inputs, options, regularizer);
    return this.forward(inputs, { l1: factors.l1 / batch, l2: factors.l2 / batch });
  }

  private forward(inputs: LayerInputs, activity: { l1: number; l2: number } | null): ActivityCall {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const depthwise = this.depthwiseKernel as tf.Variable;
    const pointwise = this.pointwiseKernel as tf.Variable;
    checkCallInput(this.name, this.window, x, depthwise.shape[this.rank] as number);
    const activation = activations.serialize(this.activation);
    const fusable = activation === 'linear' || activation === 'relu';
    const ones = this.kernelSize.map(() => 1);
    const [y, penalty] = tf.tidy(() => {
      const spread = depthwiseConvolution(
        toChannelsLast(x, this.window),
        depthwise,
        this.strides,
        this.padding,
        this.dilationRate,
      ).y;
      // Bias and relu (and the activity penalty on wasm) go into the pointwise convolution.
      const epilogue = { bias: this.bias, relu: activation === 'relu', activity: fusable ? activity : null };
      const out = convolutionWithActivity(spread, pointwise, ones, 'valid', ones, epilogue);
      const result = fromChannelsLast(out.y, this.window);
      const activated = fusable ? result : this.activation(result);
      return out.activityPenalty == null ? [activated] : [activated, out.activityPenalty];
    });
    return { outputs: y as tf.Tensor, activityPenalty: (penalty as tf.Scalar | undefined) ?? null };
  }

  /** Keras's keys and order; `activity_regularizer` always, `null` when unset. */
  override getConfig(): Record<string, unknown> {
    const base = super.getConfig();
    return {
      ...base,
      depthMultiplier: this.depthMultiplier,
      filters: this.filters,
      ...windowConfig(this.window),
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      depthwiseInitializer: initializers.serialize(this.initializers.depthwise_kernel),
      pointwiseInitializer: initializers.serialize(this.initializers.pointwise_kernel),
      biasInitializer: initializers.serialize(this.initializers.bias),
      depthwiseRegularizer: regularizers.serialize(this.regularizers.depthwise_kernel),
      pointwiseRegularizer: regularizers.serialize(this.regularizers.pointwise_kernel),
      biasRegularizer: regularizers.serialize(this.regularizers.bias),
      activityRegularizer: base.activityRegularizer ?? null,
      depthwiseConstraint: constraints.serialize(this.constraints.depthwise_kernel),
      pointwiseConstraint: constraints.serialize(this.constraints.pointwise_kernel),
      biasConstraint: constraints.serialize(this.constraints.bias),
    };
  }
}
