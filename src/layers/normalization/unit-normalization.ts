/** UnitNormalization: each sample scaled to L2 norm 1 over `axis`. */
import * as tf from '@tensorflow/tfjs-core';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkAxisOption, resolveAxes } from './axes.js';

/** Keras's `normalize(..., epsilon=1e-12)`: the inverse norm is capped at 1 / epsilon. */
const MAX_INVERSE_NORM = 1e12;

/**
 * `x * min(rsqrt(sum(x^2 over axis)), 1e12)`: each sample (or slice) divided
 * by its L2 norm, an all-zero one left at 0. No weights.
 *
 * @example new layers.UnitNormalization({ axis: [1, 2] })
 */
export class UnitNormalization extends Layer {
  static override readonly className: string = 'UnitNormalization';
  readonly #axis: number | number[];

  constructor(options: LayerOptions & { axis?: number | number[] } = {}) {
    super(layerOptionsOf('UnitNormalization', options, ['axis']));
    this.supportsMasking = true;
    this.#axis = checkAxisOption(options.axis ?? -1, true);
  }

  get axis(): number | number[] {
    return Array.isArray(this.#axis) ? [...this.#axis] : this.#axis;
  }

  private axesOf(shape: readonly (number | null)[]): number[] {
    return resolveAxes(Array.isArray(this.#axis) ? this.#axis : [this.#axis], shape, this.#axis);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    this.axesOf(inputShape);
    return [...inputShape];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const axes = this.axesOf(x.shape);
    return tf.tidy(() => {
      const inverseNorm = tf.rsqrt(tf.sum(tf.square(x), axes, true));
      return tf.mul(x, tf.minimum(inverseNorm, MAX_INVERSE_NORM));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
