/** LeakyReLU: `x` for `x >= 0`, `negativeSlope * x` below. */
import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { leakyRelu } from './relu.js';

/** The options of `LeakyReLU`, Keras's `LeakyReLU(negative_slope=0.3)` camelCased. */
export interface LeakyReLUOptions extends LayerOptions {
  /** The slope below 0; default 0.3. */
  negativeSlope?: number;
  /** Deprecated name of `negativeSlope` (Keras 2's, and tfjs-layers'); wins over it when both are given, as in Keras. */
  alpha?: number;
}

/**
 * Leaky ReLU with Keras's default slope 0.3 (the `leaky_relu` activation's is 0.2).
 *
 * @example new layers.LeakyReLU({ negativeSlope: 0.1 })
 */
export class LeakyReLU extends Layer {
  static override readonly className: string = 'LeakyReLU';
  readonly negativeSlope: number;

  constructor(options: LeakyReLUOptions = {}) {
    super(layerOptionsOf('LeakyReLU', options, ['negativeSlope', 'alpha']));
    this.supportsMasking = true;
    const slope = options.alpha ?? options.negativeSlope ?? 0.3;
    const name = options.alpha != null ? 'alpha' : 'negativeSlope';
    if (typeof slope !== 'number' || !Number.isFinite(slope) || slope < 0) {
      throw new ValueError(
        `The ${name} value of a Leaky ReLU layer cannot be null or negative value. Expected a non-negative float. Received: ${name}=${formatValue(slope)}`,
        { argument: name, expected: 'a non-negative float', received: formatValue(slope) },
      );
    }
    this.negativeSlope = slope;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    return leakyRelu(singleInput(inputs), this.negativeSlope);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}
