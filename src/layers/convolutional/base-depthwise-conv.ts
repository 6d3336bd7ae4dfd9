import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import { constraintOption } from '../../constraints/identifiers.js';
import * as constraints from '../../constraints/index.js';
import type * as initializers from '../../initializers/index.js';
import { depthwiseConvolution } from '../../ops/depthwise-convolution.js';
import type { OutputWithPenalty } from '../../ops/epilogue.js';
import type { ClosedFormFactors } from '../../regularizers/closed-form-factors.js';
import type * as regularizers from '../../regularizers/index.js';
import { positiveInteger } from '../arguments.js';
import { KernelBiasLayer, kernelBiasConfig } from '../kernel-bias-layer.js';
import type { LayerInputs, LayerOptions, Shape } from '../layer-types.js';
import {
  buildChannels,
  type ConvWindow,
  channelsOf,
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

/** The options of `DepthwiseConv1D` and `DepthwiseConv2D`, Keras's `DepthwiseConv2D(kernel_size, strides=1, padding="valid", depth_multiplier=1, ...)` camelCased. */
export interface DepthwiseConvOptions extends LayerOptions, WindowOptions {
  /** Output channels per input channel; default 1. */
  depthMultiplier?: number;
  /** A Keras activation name or a function; default `"linear"`. */
  activation?: activations.ActivationIdentifier;
  useBias?: boolean;
  /** Default `"glorot_uniform"`. */
  depthwiseInitializer?: initializers.InitializerIdentifier;
  /** Default `"zeros"`. */
  biasInitializer?: initializers.InitializerIdentifier;
  depthwiseRegularizer?: regularizers.RegularizerIdentifier;
  biasRegularizer?: regularizers.RegularizerIdentifier;
  /** Applied to the depthwise kernel after each optimizer update: a constraint, its name or JSON, a function, or null. */
  depthwiseConstraint?: constraints.ConstraintIdentifier;
  /** Applied to the bias after each optimizer update. */
  biasConstraint?: constraints.ConstraintIdentifier;
}

/** Keras's constructor order, for the unknown-option error. */
const DEPTHWISE_OPTION_NAMES = [
  'kernelSize',
  'strides',
  'padding',
  'depthMultiplier',
  'dataFormat',
  'dilationRate',
  'activation',
  'useBias',
  'depthwiseInitializer',
  'biasInitializer',
  'depthwiseRegularizer',
  'biasRegularizer',
  'depthwiseConstraint',
  'biasConstraint',
];

/**
 * The kernel-and-bias options under their depthwise names: Keras's weight is
 * called `kernel` (so are ours), its options `depthwise_*`.
 */
function kernelBiasOptionsOf(className: string, options: DepthwiseConvOptions): LayerOptions {
  const { base, read } = readVariantOptions(className, options, DEPTHWISE_OPTION_NAMES);
  const renamed: Record<string, unknown> = { ...base };
  const names: [string, string][] = [
    ['activation', 'activation'],
    ['useBias', 'useBias'],
    ['depthwiseInitializer', 'kernelInitializer'],
    ['biasInitializer', 'biasInitializer'],
    ['depthwiseRegularizer', 'kernelRegularizer'],
    ['biasRegularizer', 'biasRegularizer'],
  ];
  for (const [from, to] of names) if (from in read) renamed[to] = read[from];
  // Resolved here, so that a bad value is an error naming Keras's option.
  renamed.kernelConstraint = constraintOption('depthwiseConstraint', read.depthwiseConstraint);
  renamed.biasConstraint = constraintOption('biasConstraint', read.biasConstraint);
  return renamed as LayerOptions;
}

/**
 * The rank-generic depthwise convolution behind DepthwiseConv1D and
 * DepthwiseConv2D: each input channel convolved with its own
 * `depthMultiplier` filters; kernel `(...kernelSize, inChannels,
 * depthMultiplier)`, bias `(inChannels * depthMultiplier)`, then the activation.
 */
export abstract class BaseDepthwiseConv extends KernelBiasLayer {
  readonly rank: 1 | 2;
  readonly depthMultiplier: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: ConvWindow['dataFormat'];
  readonly dilationRate: number[];
  private readonly window: ConvWindow;

  constructor(rank: 1 | 2, className: string, options: DepthwiseConvOptions) {
    super(className, kernelBiasOptionsOf(className, options), []);
    this.rank = rank;
    this.depthMultiplier = positiveInteger(options.depthMultiplier ?? 1, 'depthMultiplier');
    this.window = readWindow(rank, options);
    ({
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate,
    } = this.window);
  }

  /** Keras's `depthwise_regularizer`: the kernel's; takes effect at once, also on a built layer. */
  get depthwiseRegularizer(): regularizers.RegularizerLike | null {
    return this.kernelRegularizer;
  }

  set depthwiseRegularizer(identifier: regularizers.RegularizerIdentifier) {
    this.kernelRegularizer = identifier;
  }

  /** Keras's `depthwise_constraint`: the kernel's; applies from the next update, also on a built layer. */
  get depthwiseConstraint(): constraints.ConstraintLike | null {
    return this.settings.kernelConstraint;
  }

  set depthwiseConstraint(identifier: constraints.ConstraintIdentifier) {
    this.settings.kernelConstraint = this.replaceWeightConstraint('kernel', identifier, 'depthwiseConstraint');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const channels = buildChannels(this.name, this.window, shape);
    // Keras checks at build that the window fits.
    convolutionOutputSize(this.name, this.window, shape);
    this.addKernelAndBias([...this.kernelSize, channels, this.depthMultiplier], channels * this.depthMultiplier);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const channels = channelsOf(inputShape, this.dataFormat);
    const spatial = convolutionOutputSize(this.name, this.window, inputShape);
    return withChannels(
      this.window,
      inputShape[0] ?? null,
      spatial,
      channels == null ? null : channels * this.depthMultiplier,
    );
  }

  protected override forward(inputs: LayerInputs, activity: ClosedFormFactors | null): OutputWithPenalty {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const kernel = this.kernel as tf.Variable;
    checkCallInput(this.name, this.window, x, kernel.shape[this.rank] as number);
    const activation = activations.serialize(this.settings.activation);
    const fusable = activation === 'linear' || activation === 'relu';
    // Bias and relu (and the activity penalty on wasm) go into the convolution's kernel.
    const epilogue = { bias: this.bias, relu: activation === 'relu', activity: fusable ? activity : null };
    const [y, penalty] = tf.tidy(() => {
      const out = depthwiseConvolution(
        toChannelsLast(x, this.window),
        kernel,
        this.strides,
        this.padding,
        this.dilationRate,
        epilogue,
      );
      const result = fromChannelsLast(out.y, this.window);
      const activated = fusable ? result : this.settings.activation(result);
      return out.activityPenalty == null ? [activated] : [activated, out.activityPenalty];
    });
    return { y: y as tf.Tensor, activityPenalty: (penalty as tf.Scalar | undefined) ?? null };
  }

  /** Keras's keys and order; `activity_regularizer` always, `null` when unset. */
  override getConfig(): Record<string, unknown> {
    const base = super.getConfig();
    const shared = kernelBiasConfig(this.settings);
    return {
      ...base,
      depthMultiplier: this.depthMultiplier,
      ...windowConfig(this.window),
      activation: shared.activation,
      useBias: shared.useBias,
      depthwiseInitializer: shared.kernelInitializer,
      biasInitializer: shared.biasInitializer,
      depthwiseRegularizer: shared.kernelRegularizer,
      biasRegularizer: shared.biasRegularizer,
      activityRegularizer: base.activityRegularizer ?? null,
      depthwiseConstraint: constraints.serialize(this.settings.kernelConstraint),
      biasConstraint: constraints.serialize(this.settings.biasConstraint),
    };
  }
}
