/** ELU: `x` for `x > 0`, `alpha * (exp(x) - 1)` below. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../errors.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';

/**
 * Exponential linear unit with a settable `alpha` (default 1), computed as
 * JAX computes it: `where(x > 0, x, alpha * expm1(where(x > 0, 0, x)))`.
 *
 * @example new layers.ELU({ alpha: 0.5 })
 */
export class ELU extends Layer {
  static override readonly className: string = 'ELU';
  readonly alpha: number;

  constructor(options: LayerOptions & { alpha?: number } = {}) {
    super(layerOptionsOf('ELU', options, ['alpha']));
    this.supportsMasking = true;
    const alpha = options.alpha ?? 1;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw invalidArgument('alpha', 'a finite number', alpha);
    this.alpha = alpha;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    return tf.tidy(() => {
      const positive = tf.greater(x, 0);
      const zeros = tf.zerosLike(x);
      const negative = tf.mul(tf.expm1(tf.where(positive, zeros, x)), this.alpha);
      return tf.where(positive, x, negative);
    });
  }

  /**
   * Keras writes ELU's config from its constructor's arguments: `name`,
   * `alpha`, then `trainable` and `dtype` (Keras itself cannot serialize an
   * ELU with an activity regularizer; we write it last, as other layers do).
   */
  override getConfig(): Record<string, unknown> {
    const { name, trainable, dtype, activityRegularizer } = super.getConfig();
    const config: Record<string, unknown> = { name, alpha: this.alpha, trainable, dtype };
    if (activityRegularizer !== undefined) config.activityRegularizer = activityRegularizer;
    return config;
  }
}
