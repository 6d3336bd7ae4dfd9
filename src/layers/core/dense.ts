import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import { ValueError } from '../../errors.js';
import { dense } from '../../ops/dense.js';
import { type OutputWithPenalty, tidyWithPenalty } from '../../ops/epilogue.js';
import type { ClosedFormFactors } from '../../regularizers/closed-form-factors.js';
import { formatShape } from '../../utils/format.js';
import { positiveInteger } from '../arguments.js';
import {
  KernelBiasLayer,
  type KernelBiasOptions,
  kernelBiasConfig,
  kernelBiasConstraintConfig,
} from '../kernel-bias-layer.js';
import type { LayerInputs, LayerOptions, Shape } from '../layer-types.js';

/** The options of `Dense`, Keras's `Dense(units, activation=None, use_bias=True, kernel_initializer="glorot_uniform", ...)` camelCased. */
export interface DenseOptions extends LayerOptions, KernelBiasOptions {
  /** Size of the output's last axis. */
  units: number;
  /** Only `null` (what Keras writes when unquantized). */
  quantizationConfig?: null;
}

/**
 * Densely connected layer: `activation(dot(x, kernel) + bias)` over the last
 * axis, with kernel `(inputDim, units)` and bias `(units)`.
 *
 * @example new layers.Dense({ units: 5, kernelRegularizer: new L1(0.01), activityRegularizer: new L2(0.01) })
 */
export class Dense extends KernelBiasLayer {
  static override readonly className: string = 'Dense';
  readonly units: number;

  constructor(options: DenseOptions) {
    super('Dense', options, ['units', 'quantizationConfig']);
    this.supportsMasking = true;
    this.units = positiveInteger(options.units, 'units');
    if (options.quantizationConfig != null) {
      throw new ValueError(
        'Invalid value for argument quantizationConfig: quantization is not supported, expected null.',
        { argument: 'quantizationConfig', expected: 'null' },
      );
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const inputDim = shape[shape.length - 1];
    if (inputDim == null || inputDim <= 0) {
      throw new ValueError(
        `Input of layer "${this.name}" must have a known, non-zero last axis. Received: input shape ${formatShape(shape)}`,
        { argument: 'inputs', expected: 'rank >= 1 with a non-zero last axis', received: formatShape(shape) },
      );
    }
    this.addKernelAndBias([inputDim, this.units], this.units);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  protected override forward(inputs: LayerInputs, activity: ClosedFormFactors | null): OutputWithPenalty {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const kernel = this.kernel as tf.Variable;
    const inputDim = kernel.shape[0] as number;
    if (x.shape[x.rank - 1] !== inputDim) {
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected axis -1 of input shape to have value ${inputDim}, but received input with shape ${formatShape(x.shape)}`,
        { argument: 'inputs', expected: `last axis ${inputDim}`, received: formatShape(x.shape) },
      );
    }
    const activation = activations.serialize(this.settings.activation);
    const fused = activation === 'linear' || activation === 'relu';
    return tidyWithPenalty(() => {
      // Keras's tensordot over the last axis, as one matmul on the flattened leading axes.
      const flat = x.rank === 2 ? x : tf.reshape(x, [-1, inputDim]);
      // Bias and relu (and the activity penalty) go into the matmul, fused where the backend can.
      const epilogue = fused ? { bias: this.bias, relu: activation === 'relu', activity } : { bias: this.bias };
      const out = dense(flat, kernel, epilogue);
      let result = out.y;
      if (x.rank !== 2) result = tf.reshape(result, [...x.shape.slice(0, -1), this.units]);
      if (!fused) result = this.settings.activation(result);
      return { y: result, activityPenalty: out.activityPenalty };
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      ...kernelBiasConfig(this.settings),
      ...kernelBiasConstraintConfig(this.settings),
      quantizationConfig: null,
    };
  }
}
