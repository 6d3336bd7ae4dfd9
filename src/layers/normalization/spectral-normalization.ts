/**
 * SpectralNormalization: a wrapper that divides a layer's kernel by its
 * largest singular value, estimated by power iteration (Miyato et al. 2018),
 * as Keras's `SpectralNormalization` does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { TruncatedNormal } from '../../initializers/index.js';
import { computePenalty, type RegularizerLike } from '../../regularizers/index.js';
import type { DeserializeOptions } from '../../serialization/serialization.js';
import { classNameOfInstance } from '../../utils/class-name.js';
import { formatValue } from '../../utils/format.js';
import { inNameScope } from '../call-context.js';
import { Layer } from '../layer.js';
import {
  type CallOptions,
  type LayerInputs,
  type LayerOptions,
  type LayerOutputs,
  type LayerWeight,
  layerOptionsOf,
  type Shape,
} from '../layer-types.js';
import { layerCodec, splitNestedLayer } from '../rnn/layer-codec.js';
import { normalizeKernel, powerIteration } from './power-iteration.js';

/** The options of `SpectralNormalization`, Keras's `SpectralNormalization(layer, power_iterations=1)` camelCased. */
export interface SpectralNormalizationOptions extends LayerOptions {
  /** The wrapped layer: one with a `kernel` (Dense, the convolutions, EinsumDense) or `embeddings` (Embedding). */
  layer: Layer;
  /** Power-iteration steps per training call; an integer >= 1, default 1. */
  powerIterations?: number;
}

/** Which field of `layer` holds the weight to normalize: `kernel`, else `embeddings` (Keras's `hasattr` order). */
function kernelField(layer: Layer): 'kernel' | 'embeddings' | null {
  if ('kernel' in layer) return 'kernel';
  if ('embeddings' in layer) return 'embeddings';
  return null;
}

function noKernelError(layer: Layer): ValueError {
  const name = classNameOfInstance(layer);
  return new ValueError(`${name} object has no attribute 'kernel' nor 'embeddings'`, {
    argument: 'layer',
    expected: 'a layer with a kernel or embeddings weight',
    received: `${name} "${layer.name}"`,
  });
}

/**
 * Wraps `layer` and, in each training call, runs `powerIterations` steps of
 * power iteration from the non-trainable weight `vector_u` (`(1, units)`,
 * truncated normal with stddev 0.02) to estimate the kernel's spectral norm
 * `sigma`, then runs the layer with `kernel / sigma` and stores the new
 * `vector_u`. At inference the layer runs with its kernel as it is.
 *
 * As Keras on JAX: in a training step (`fit`, `trainOnBatch`, any training
 * call under `tf.variableGrads`) with a trainable kernel, the normalized
 * kernel is used for that call only, its gradient flows through the
 * division (with `u` and `v` held constant), and the optimizer updates the
 * kernel variable as it was; any other training call (an eager
 * `apply(x, { training: true })`, or a frozen kernel) assigns the
 * normalized kernel to the variable, as Keras's `kernel.assign` does there.
 * A kernel of zeros is left as it is.
 *
 * @example new layers.SpectralNormalization({ layer: new layers.Conv2D({ filters: 8, kernelSize: 3 }), powerIterations: 1 })
 */
export class SpectralNormalization extends Layer {
  static override readonly className: string = 'SpectralNormalization';
  readonly layer: Layer;
  readonly powerIterations: number;
  /** The power iteration's left singular vector estimate, `(1, kernel.shape[-1])`, not trainable. */
  vectorU: tf.Variable | null = null;
  readonly #field: 'kernel' | 'embeddings';
  /** The wrapped kernel's record, held as this layer's own too (Keras tracks `self.kernel`). */
  #kernelRecord: LayerWeight | null = null;
  /** The last `v` of the training step in progress, for the kernel's penalty in that step. */
  #stepV: Float32Array | null = null;

  constructor(options: SpectralNormalizationOptions) {
    super(layerOptionsOf('SpectralNormalization', options, ['layer', 'powerIterations']));
    const layer = options.layer;
    if (!(layer instanceof Layer)) {
      throw new ValueError(
        `Layer ${formatValue(layer)} supplied to Wrapper isn't a supported layer type. Please ensure wrapped layer is a valid Keras layer.`,
        { argument: 'layer', expected: 'a Layer', received: formatValue(layer) },
      );
    }
    const powerIterations = options.powerIterations ?? 1;
    if (typeof powerIterations !== 'number' || !Number.isInteger(powerIterations) || powerIterations <= 0) {
      throw new ValueError(
        `\`power_iterations\` should be an integer greater than zero. Received: \`power_iterations=${formatValue(powerIterations)}\``,
        { argument: 'powerIterations', expected: 'an integer >= 1', received: formatValue(powerIterations) },
      );
    }
    // Keras finds out at build; a layer class without the field never has one, so we say so now.
    const field = kernelField(layer);
    if (field == null) throw noKernelError(layer);
    this.layer = layer;
    this.powerIterations = powerIterations;
    this.#field = field;
  }

  /** The wrapped layer's kernel (or embeddings) variable, once built. */
  get kernel(): tf.Variable | null {
    return this.#kernelRecord?.variable ?? null;
  }

  override build(inputShape: Shape | Shape[]): void {
    inNameScope(this.name, () => this.layer.ensureBuilt(inputShape));
    const kernel = (this.layer as unknown as Record<string, unknown>)[this.#field];
    const record = this.layer.weightRecords().find((r) => r.variable === kernel);
    if (!(kernel instanceof tf.Variable) || record == null) throw noKernelError(this.layer);
    this.#kernelRecord = trackedAs(this, record, (w) => this.#inStepKernel(w));
    this.vectorU = this.addWeight({
      name: 'vector_u',
      shape: [1, kernel.shape[kernel.rank - 1] as number],
      initializer: new TruncatedNormal({ stddev: 0.02 }),
      trainable: false,
    });
  }

  /** Keras's own variables of the wrapper: the wrapped kernel first, then `vector_u`. */
  protected override ownWeightRecords(): readonly LayerWeight[] {
    const own = super.ownWeightRecords();
    return this.#kernelRecord == null ? own : [this.#kernelRecord, ...own];
  }

  override computeOutputShape(inputShape: Shape | Shape[], options?: CallOptions): Shape | Shape[] | null {
    return this.layer.computeOutputShape(inputShape, options);
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const training = options.training ?? false;
    this.#stepV = null;
    const kernel = this.kernel;
    const vectorU = this.vectorU;
    if (!training || kernel == null || vectorU == null || isAllZero(kernel)) {
      return this.layer.apply(inputs, { training });
    }
    // Keras's JAX train step discards what a call assigns to a trainable variable (stateless_call).
    const inTrainingStep = tf.engine().state.gradientDepth > 0 && this.trainableWeights.includes(kernel);
    return tf.tidy(() => {
      const { vectorU: nextU, vectorV, kernel: normalized } = powerIteration(kernel, vectorU, this.powerIterations);
      vectorU.assign(nextU);
      if (!inTrainingStep) {
        kernel.assign(normalized);
        return this.layer.apply(inputs, { training });
      }
      // Keras's step computes the kernel's penalty on the value it assigned in its stateless scope.
      if (this.#kernelRecord?.regularizer != null) this.#stepV = Float32Array.from(vectorV.dataSync());
      const holder = this.layer as unknown as Record<string, unknown>;
      holder[this.#field] = normalized;
      try {
        return this.layer.apply(inputs, { training });
      } finally {
        holder[this.#field] = kernel;
      }
    });
  }

  /**
   * Within the training step that set `#stepV`, the kernel `w` normalized
   * again with that step's `u` (now `vector_u`) and `v`: the value Keras's
   * step regularizes, with its gradient. Else null.
   */
  #inStepKernel(w: tf.Tensor): tf.Tensor | null {
    const v = this.#stepV;
    const u = this.vectorU;
    if (v == null || u == null || tf.engine().state.gradientDepth === 0) return null;
    return tf.tidy(() => normalizeKernel(w, u, tf.tensor(v, [1, v.length])));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      layer: layerCodec().serialize(this.layer),
      powerIterations: this.powerIterations,
    };
  }

  static override fromConfig<T extends Layer>(
    this: new (
      config: never,
    ) => T,
    config: Record<string, unknown>,
    options: DeserializeOptions = {},
  ): T {
    const [inner, rest] = splitNestedLayer(config, 'layer', options);
    return new SpectralNormalization({ ...(rest as LayerOptions), layer: inner }) as unknown as T;
  }

  override dispose(): void {
    this.#stepV = null;
    super.dispose();
    this.#kernelRecord = null;
    this.vectorU = null;
  }
}

/**
 * `record` seen as a weight of `owner`: same variable, name and path;
 * trainable read through. Its regularizer is the wrapped one applied to
 * `inStep(w)` when that gives the training step's normalized kernel, else
 * to the variable.
 */
function trackedAs(owner: Layer, record: LayerWeight, inStep: (w: tf.Tensor) => tf.Tensor | null): LayerWeight {
  let wrapped: { of: RegularizerLike; penalty: RegularizerLike } | null = null;
  return {
    layer: owner,
    name: record.name,
    path: record.path,
    variable: record.variable,
    get regularizer(): RegularizerLike | null {
      const regularizer = record.regularizer;
      if (regularizer == null) return null;
      if (wrapped?.of !== regularizer) {
        const penalty = (w: tf.Tensor): tf.Scalar => tf.tidy(() => computePenalty(regularizer, inStep(w) ?? w));
        wrapped = { of: regularizer, penalty };
      }
      return wrapped.penalty;
    },
    set regularizer(value) {
      record.regularizer = value;
    },
    get trainable() {
      return record.trainable;
    },
    set trainable(value) {
      record.trainable = value;
    },
  };
}

/** Keras's `ops.all(ops.equal(kernel, 0))`: a kernel of zeros has no spectral norm to divide by. */
function isAllZero(kernel: tf.Tensor): boolean {
  const any = tf.tidy(() => tf.any(tf.notEqual(kernel, 0)));
  try {
    return !(any.dataSync()[0] as number);
  } finally {
    any.dispose();
  }
}
