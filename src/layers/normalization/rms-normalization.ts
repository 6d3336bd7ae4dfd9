/** RMSNormalization: each slice divided by its root mean square, then scaled. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkAxisOption, definedDimension, resolveAxes } from './axes.js';

/** The options of `RMSNormalization`, Keras's `RMSNormalization(axis=-1, epsilon=1e-6)` camelCased. */
export interface RMSNormalizationOptions extends LayerOptions {
  /** The axis (or axes) whose mean square is taken; default -1. */
  axis?: number | number[];
  /** Added to the mean square before the square root; default 1e-6. */
  epsilon?: number;
}

/**
 * Root mean square normalization (Keras's `RMSNormalization`):
 * `x * rsqrt(mean(square(x), axis) + epsilon) * scale`, `scale` a trainable
 * weight of the normalized axes' sizes (ones at first). As in Keras, the
 * scale multiplies by broadcasting from the last axis, so the axes should be
 * the trailing ones; a scale that does not broadcast is refused at build.
 * Keras's RMSNormalization takes no regularizers.
 *
 * @example new layers.RMSNormalization({ epsilon: 1e-5 }).apply(x)
 */
export class RMSNormalization extends Layer {
  static override readonly className: string = 'RMSNormalization';
  readonly epsilon: number;
  /** As given; once built, a sorted list (Keras's `self.axis` after `build`). */
  #axis: number | number[];
  scale: tf.Variable | null = null;

  constructor(options: RMSNormalizationOptions = {}) {
    super(layerOptionsOf('RMSNormalization', options, ['axis', 'epsilon']));
    this.#axis = checkAxisOption(options.axis ?? -1, true);
    const epsilon = options.epsilon ?? 1e-6;
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
      throw new ValueError(
        `Invalid value for argument epsilon: expected a finite number >= 0. Received: epsilon=${formatValue(epsilon)}`,
        { argument: 'epsilon', expected: 'a finite number >= 0', received: formatValue(epsilon) },
      );
    }
    this.epsilon = epsilon;
  }

  get axis(): number | number[] {
    return Array.isArray(this.#axis) ? [...this.#axis] : this.#axis;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const axes = Array.isArray(this.#axis) ? [...this.#axis].sort((a, b) => a - b) : [this.#axis];
    const resolved = resolveAxes(axes, shape, this.#axis);
    const scaleShape = resolved.map((a, i) => definedDimension(shape, a, axes[i] as number, this.name));
    // `outputs * scale` broadcasts the scale against the trailing axes, as numpy (and Keras) do.
    const trailing = shape.slice(shape.length - scaleShape.length);
    if (
      scaleShape.length > shape.length ||
      !scaleShape.every((d, i) => d === 1 || trailing[i] == null || trailing[i] === d)
    ) {
      throw new ValueError(
        `Layer "${this.name}" (RMSNormalization) multiplies inputs of shape ${formatShape(shape)} by a scale of shape ${formatShape(scaleShape)}, which does not broadcast: the axes must be the trailing ones. Received: axis=${formatValue(this.#axis)}`,
        { argument: 'axis', expected: 'the trailing axes of the inputs', received: formatValue(this.#axis) },
      );
    }
    this.#axis = axes;
    this.scale = this.addWeight({ name: 'scale', shape: scaleShape, initializer: 'ones' });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShapeOf(inputShape);
    resolveAxes(Array.isArray(this.#axis) ? this.#axis : [this.#axis], shape, this.#axis);
    return [...shape];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const axes = resolveAxes(Array.isArray(this.#axis) ? this.#axis : [this.#axis], x.shape, this.#axis);
    return tf.tidy(() => {
      const rrms = tf.rsqrt(tf.add(tf.mean(tf.square(x), axes, true), this.epsilon));
      return tf.mul(tf.mul(x, rrms), this.scale as tf.Variable);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, epsilon: this.epsilon };
  }
}

function singleShapeOf(inputShape: Shape | Shape[]): Shape {
  return Array.isArray(inputShape[0]) ? (inputShape[0] as Shape) : (inputShape as Shape);
}
