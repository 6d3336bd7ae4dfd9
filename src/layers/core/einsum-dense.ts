/**
 * EinsumDense: a dense layer of any dimensionality, written as an einsum
 * equation between the input and the kernel (Keras's `EinsumDense`). The
 * projections inside MultiHeadAttention and GroupedQueryAttention are
 * EinsumDense layers.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import * as constraints from '../../constraints/index.js';
import { invalidArgument, ValueError } from '../../errors.js';
import * as initializers from '../../initializers/index.js';
import { dense } from '../../ops/dense.js';
import { type OutputWithPenalty, tidyWithPenalty } from '../../ops/epilogue.js';
import type { ClosedFormFactors } from '../../regularizers/closed-form-factors.js';
import { closedFormFactors } from '../../regularizers/closed-form-factors.js';
import * as regularizers from '../../regularizers/index.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { type KernelBiasOptions, type KernelBiasSettings, resolveKernelBiasOptions } from '../kernel-bias-layer.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import {
  type ActivityCall,
  type CallOptions,
  type LayerInputs,
  type LayerOptions,
  layerOptionsOf,
  type Shape,
} from '../layer-types.js';
import { analyzeEinsum, contract, splitEquation, withEllipsis } from './einsum-equation.js';

/** The options of `EinsumDense`, Keras's `EinsumDense(equation, output_shape, activation=None, bias_axes=None, ...)` camelCased. */
export interface EinsumDenseOptions extends LayerOptions, Omit<KernelBiasOptions, 'useBias'> {
  /**
   * `x,kernel->output` in one of three forms: `ab,bc->ac`, `...ab,bc->...ac`
   * (`...` for any leading axes, the batch axis among them) or
   * `ab...,bc->ac...` (for any trailing axes).
   */
  equation: string;
  /**
   * The output's shape without the batch axis and the axes `...` stands
   * for; `null` where the input gives the size. A number for one axis.
   */
  outputShape: number | (number | null)[];
  /** The output letters that get a bias (`"c"`, `"de"`); none by default. */
  biasAxes?: string | null;
  /** LoRA and quantization are not supported; only `null` is accepted. */
  loraRank?: null;
  loraAlpha?: null;
  gptqUnpackedColumnSize?: null;
  quantizationConfig?: null;
}

const OWN_OPTIONS = [
  'equation',
  'outputShape',
  'activation',
  'biasAxes',
  'kernelInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'biasConstraint',
  'loraRank',
  'loraAlpha',
  'gptqUnpackedColumnSize',
  'quantizationConfig',
] as const;

function checkOutputShape(value: unknown): (number | null)[] {
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || !list.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
    throw invalidArgument('outputShape', 'a positive integer or an array of positive integers and nulls', value);
  }
  return [...list];
}

/** `x` flattened into memory of its own (a reshape would share the memory, and its shape, on wasm). */
function flatCopy(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.reshape(x, [x.size]), 1);
}

/** A VarianceScaling kernel initializer without axes gets the equation's, as Keras's build gives it (for the fans). */
function withAxes(initializer: initializers.Initializer, inputAxes: number[], outputAxes: number[]) {
  if (!(initializer instanceof initializers.VarianceScaling)) return initializer;
  if (initializer.inputAxes != null && initializer.outputAxes != null) return initializer;
  const json = initializers.serialize(initializer) as { config: Record<string, unknown> };
  json.config = { ...json.config, input_axes: inputAxes, output_axes: outputAxes };
  return initializers.deserialize(json) as initializers.Initializer;
}

/**
 * `activation(einsum(equation, x, kernel) + bias)`. The kernel's shape
 * follows from the equation, the input shape and `outputShape`; the bias
 * covers the `biasAxes` letters (broadcast over the other output axes).
 *
 * @example
 * // Dense(64) on each step of a sequence:
 * new layers.EinsumDense({ equation: 'abc,cd->abd', outputShape: [null, 64], biasAxes: 'd', kernelRegularizer: new L2(1e-4) })
 */
export class EinsumDense extends Layer {
  static override readonly className: string = 'EinsumDense';
  readonly equation: string;
  /** Keras's `partial_output_shape`. */
  readonly outputShape: (number | null)[];
  readonly biasAxes: string | null;
  protected readonly settings: KernelBiasSettings;
  kernel: tf.Variable | null = null;
  bias: tf.Variable | null = null;
  #labels: { input: (string | number)[]; output: (string | number)[] } | null = null;
  /** `matmulPlan` by input rank (the weights' shapes are fixed once built). */
  readonly #plans = new Map<number, number | null>();

  constructor(options: EinsumDenseOptions) {
    super(layerOptionsOf('EinsumDense', options, OWN_OPTIONS));
    if (typeof options.equation !== 'string') throw invalidArgument('equation', 'a string', options.equation);
    splitEquation(options.equation);
    this.equation = options.equation;
    this.outputShape = checkOutputShape(options.outputShape);
    const biasAxes = options.biasAxes ?? null;
    if (biasAxes !== null && (typeof biasAxes !== 'string' || !/^[a-zA-Z]+$/.test(biasAxes))) {
      throw invalidArgument('biasAxes', 'letters of the output spec, or null', biasAxes);
    }
    this.biasAxes = biasAxes;
    for (const name of ['loraRank', 'loraAlpha', 'gptqUnpackedColumnSize', 'quantizationConfig'] as const) {
      if (options[name] != null) {
        throw new ValueError(
          `Invalid value for argument ${name}: LoRA and quantization are not supported, expected null. Received: ${name}=${formatValue(options[name])}`,
          { argument: name, expected: 'null', received: formatValue(options[name]) },
        );
      }
    }
    this.settings = resolveKernelBiasOptions({ ...options, useBias: true });
  }

  get activation(): activations.Activation {
    return this.settings.activation;
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

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const { kernelShape, biasShape, inputAxes, outputAxes } = analyzeEinsum(
      this.equation,
      this.biasAxes,
      shape,
      this.outputShape,
    );
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: kernelShape,
      initializer: withAxes(this.settings.kernelInitializer, inputAxes, outputAxes),
      regularizer: this.settings.kernelRegularizer,
      constraint: this.settings.kernelConstraint,
    });
    if (biasShape != null) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: biasShape,
        initializer: this.settings.biasInitializer,
        regularizer: this.settings.biasRegularizer,
        constraint: this.settings.biasConstraint,
      });
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return analyzeEinsum(this.equation, this.biasAxes, inputShape as Shape, this.outputShape).outputShape;
  }

  /** The einsum's labels for an input of `rank`: `...` as numbered axes. */
  private labels(rank: number): { input: (string | number)[]; output: (string | number)[] } {
    const cached = this.#labels;
    if (cached != null && cached.input.length === rank) return cached;
    const split = splitEquation(this.equation);
    const input = [...withEllipsis(split.input, rank, split.elided)];
    const elided = rank - split.input.length;
    const output = [
      ...withEllipsis(split.output, split.output.length + (split.elided === 'none' ? 0 : elided), split.elided),
    ];
    this.#labels = { input, output };
    return this.#labels;
  }

  override call(inputs: LayerInputs): tf.Tensor {
    return this.forward(singleInput(inputs), null).y;
  }

  /**
   * A built-in L1/L2/L1L2 activity regularizer is computed with the matmul
   * where the equation is one (see `forward`) and the backend can (wasm).
   */
  protected override callWithActivityPenalty(
    inputs: LayerInputs,
    options: CallOptions,
    regularizer: regularizers.RegularizerLike,
  ): ActivityCall {
    const x = singleInput(inputs);
    const factors = closedFormFactors(regularizer);
    const batch = x.shape[0] as number;
    if (factors == null || x.rank === 0 || !(batch > 0) || this.matmulPlan(x.rank) == null) {
      return super.callWithActivityPenalty(inputs, options, regularizer);
    }
    const { y, activityPenalty } = this.forward(x, { l1: factors.l1 / batch, l2: factors.l2 / batch });
    return { outputs: y, activityPenalty };
  }

  /**
   * Whether the equation is a Dense over several axes: the input's trailing
   * axes contract with the kernel's leading ones (same order), the output is
   * the input's other axes then the kernel's, and the bias (if any) covers
   * all the kernel's output axes. Then it is one matmul of the flattened
   * operands, with the bias (and relu) fused in: Keras's projections inside
   * attention layers are all of this kind. Returns the contracted axes' count.
   */
  private matmulPlan(rank: number): number | null {
    const known = this.#plans.get(rank);
    if (known !== undefined) return known;
    const plan = this.findMatmulPlan(rank);
    this.#plans.set(rank, plan);
    return plan;
  }

  private findMatmulPlan(rank: number): number | null {
    const { input, output } = this.labels(rank);
    const weight = [...splitEquation(this.equation).weight];
    const contracted = input.filter((l) => weight.includes(l as string) && !output.includes(l));
    const c = contracted.length;
    const free = input.slice(0, rank - c);
    const kernelFree = weight.slice(c);
    const fits =
      c > 0 &&
      contracted.every((l, i) => input[rank - c + i] === l && weight[i] === l) &&
      free.every((l) => !weight.includes(l as string)) &&
      output.length === free.length + kernelFree.length &&
      output.every((l, i) => l === (i < free.length ? free[i] : kernelFree[i - free.length]));
    if (!fits) return null;
    const kernel = this.kernel as tf.Variable;
    if (this.bias != null && !tf.util.arraysEqual(this.bias.shape, kernel.shape.slice(c))) return null;
    return c;
  }

  /** The output, and the activity penalty with `activity`'s factors when the matmul computed it (else null). */
  private forward(x: tf.Tensor, activity: ClosedFormFactors | null): OutputWithPenalty {
    const kernel = this.kernel as tf.Variable;
    // Keras's InputSpec(ndim): the rank is fixed at build, the sizes are checked by the contraction.
    const rank = (this.buildInputShape as Shape).length;
    if (x.rank !== rank) {
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected ndim=${rank}, found ndim=${x.rank}. Full shape received: ${formatShape(x.shape)}`,
        { argument: 'inputs', expected: `ndim=${rank}`, received: formatShape(x.shape) },
      );
    }
    const activation = activations.serialize(this.settings.activation);
    const plan = this.matmulPlan(x.rank);
    // Sizes that do not fit the kernel go to the contraction, which says which axis differs.
    if (plan != null && tf.util.arraysEqual(x.shape.slice(x.rank - plan), kernel.shape.slice(0, plan))) {
      const fused = activation === 'linear' || activation === 'relu';
      return tidyWithPenalty(() => {
        const inner = kernel.shape.slice(0, plan).reduce((p, d) => p * d, 1);
        const outer = kernel.size / inner;
        const flatKernel = kernel.rank === 2 ? kernel : tf.reshape(kernel, [inner, outer]);
        // The backend's fused matmul takes a bias of rank 1, and wasm reads the shape its memory was made with:
        // a bias of higher rank is copied flat (a pass over a few numbers) rather than reshaped.
        const bias = this.bias == null ? null : this.bias.rank === 1 ? this.bias : flatCopy(this.bias);
        const epilogue = fused ? { bias, relu: activation === 'relu', activity } : { bias };
        const out = dense(tf.reshape(x, [-1, inner]), flatKernel, epilogue);
        const y = out.y;
        const shaped = tf.reshape(y, [...x.shape.slice(0, x.rank - plan), ...kernel.shape.slice(plan)]);
        return { y: fused ? shaped : this.settings.activation(shaped), activityPenalty: out.activityPenalty };
      });
    }
    const { input, output } = this.labels(x.rank);
    const y = tf.tidy(() => {
      let y = contract(x, input, kernel, splitEquation(this.equation).weight.split(''), output);
      if (this.bias != null) y = tf.add(y, this.bias);
      return this.settings.activation(y);
    });
    return { y, activityPenalty: null };
  }

  override getConfig(): Record<string, unknown> {
    const base = super.getConfig();
    return {
      ...base,
      outputShape: [...this.outputShape],
      equation: this.equation,
      activation: activations.serialize(this.settings.activation),
      biasAxes: this.biasAxes,
      kernelInitializer: initializers.serialize(this.settings.kernelInitializer),
      biasInitializer: initializers.serialize(this.settings.biasInitializer),
      kernelRegularizer: regularizers.serialize(this.settings.kernelRegularizer),
      biasRegularizer: regularizers.serialize(this.settings.biasRegularizer),
      activityRegularizer: regularizers.serialize(this.activityRegularizer),
      kernelConstraint: constraints.serialize(this.settings.kernelConstraint),
      biasConstraint: constraints.serialize(this.settings.biasConstraint),
      quantizationConfig: null,
    };
  }
}
