/** ReLU: Keras's `relu` with its three options, as a layer. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';

/** The options of `ReLU`, Keras's `ReLU(max_value=None, negative_slope=0.0, threshold=0.0)` camelCased. */
export interface ReLUOptions extends LayerOptions {
  /** The largest output (saturation), or null for none; default null. */
  maxValue?: number | null;
  /** The slope below the threshold; default 0. */
  negativeSlope?: number;
  /** Inputs at or below it are damped (or zeroed); default 0. */
  threshold?: number;
}

/** A non-negative finite number, with the words of Keras's ReLU checks. */
export function nonNegative(value: unknown, name: string, layer: string, nullable: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(
      `${name} of a ${layer} layer cannot be ${nullable ? 'a' : 'null or a'} negative value: expected a non-negative number. Received: ${name}=${formatValue(value)}`,
      { argument: name, expected: 'a non-negative number', received: formatValue(value) },
    );
  }
  return value;
}

/** Keras's `leaky_relu` (JAX's): `x` where `x >= 0`, else `slope * x`; the gradient at 0 is 1. */
export function leakyRelu(x: tf.Tensor, slope: number): tf.Tensor {
  return tf.where(tf.greaterEqual(x, 0), x, tf.mul(x, slope));
}

/**
 * `x` above `threshold` (capped at `maxValue`), `negativeSlope * (x - threshold)`
 * below it: Keras's `activations.relu(x, negative_slope, max_value, threshold)`,
 * computed with Keras's operations so values and gradients agree.
 *
 * @example new layers.ReLU({ maxValue: 6 })
 */
export class ReLU extends Layer {
  static override readonly className: string = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(options: ReLUOptions = {}) {
    super(layerOptionsOf('ReLU', options, ['maxValue', 'negativeSlope', 'threshold']));
    this.supportsMasking = true;
    this.maxValue = options.maxValue == null ? null : nonNegative(options.maxValue, 'maxValue', 'ReLU', true);
    this.negativeSlope = nonNegative(options.negativeSlope ?? 0, 'negativeSlope', 'ReLU', false);
    this.threshold = nonNegative(options.threshold ?? 0, 'threshold', 'ReLU', false);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const { maxValue, negativeSlope: slope, threshold } = this;
    return tf.tidy(() => {
      // Keras's ReLU.static_call, branch for branch.
      if (slope !== 0 && maxValue == null && threshold === 0) return leakyRelu(x, slope);
      const negativePart = slope === 0 ? null : tf.relu(threshold === 0 ? tf.neg(x) : tf.add(tf.neg(x), threshold));
      let y: tf.Tensor;
      let clip = maxValue != null;
      if (threshold !== 0) {
        y = tf.where(tf.greater(x, threshold), x, tf.zerosLike(x));
      } else if (maxValue === 6) {
        y = tf.relu6(x);
        clip = false;
      } else {
        y = tf.relu(x);
      }
      // y >= 0 already, so clip(y, 0, maxValue) is a minimum (tfjs's clipByValue would cut the tape at maxValue 0).
      if (clip) y = tf.minimum(y, maxValue as number);
      return negativePart == null ? y : tf.sub(y, tf.mul(negativePart, slope));
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      maxValue: this.maxValue,
      negativeSlope: this.negativeSlope,
      threshold: this.threshold,
    };
  }
}
