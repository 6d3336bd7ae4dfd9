/** LayerNormalization: each sample normalized over `axis`, then scaled and shifted. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape } from '../../utils/format.js';
import { checkBoolean, singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkAxisOption, definedDimension, resolveAxes, resolveAxis } from './axes.js';
import { finiteNumber } from './batch-normalization.js';
import { GAMMA_BETA_OPTION_NAMES, GammaBetaLayer, type GammaBetaOptions } from './gamma-beta.js';
import { moments, normalize } from './normalize.js';

/** The options of `LayerNormalization`, Keras's `LayerNormalization(axis=-1, epsilon=0.001, center=True, scale=True, rms_scaling=False, ...)` camelCased. */
export interface LayerNormalizationOptions extends LayerOptions, GammaBetaOptions {
  /** The axis or axes to normalize over (typically the features); default -1. */
  axis?: number | number[];
  /** Added to the variance; default 1e-3. */
  epsilon?: number;
  /**
   * Deprecated in Keras (it divides by the standard deviation, not the root
   * mean square): `x * rsqrt(variance + epsilon) * gamma`, no beta. Default false.
   */
  rmsScaling?: boolean;
}

const OPTION_NAMES = ['axis', 'epsilon', ...GAMMA_BETA_OPTION_NAMES, 'rmsScaling'];

let warnedRmsScaling = false;

/**
 * `gamma * (x - mean) / sqrt(variance + epsilon) + beta`, with the mean and
 * variance of each sample over `axis`; `gamma` and `beta` have the shape of
 * those axes. Training and inference compute the same.
 *
 * As in Keras, building turns `axis` into a sorted list (so a built layer's
 * config says `[-1]` for -1), and the weights take the axes' sizes in that order.
 *
 * @example new layers.LayerNormalization({ gammaRegularizer: new L2(1e-4) })
 */
export class LayerNormalization extends GammaBetaLayer {
  static override readonly className: string = 'LayerNormalization';
  readonly epsilon: number;
  readonly rmsScaling: boolean;
  #axis: number | number[];
  /** Set by build: the input rank, the axes as indices, the weights' broadcast shape. */
  #built: { rank: number; axes: number[]; broadcastShape: number[] } | null = null;

  constructor(options: LayerNormalizationOptions = {}) {
    super(layerOptionsOf('LayerNormalization', options, OPTION_NAMES), options);
    this.#axis = checkAxisOption(options.axis ?? -1, true);
    this.epsilon = finiteNumber(options.epsilon ?? 1e-3, 'epsilon');
    this.rmsScaling = checkBoolean(options.rmsScaling ?? false, 'rmsScaling');
    if (this.rmsScaling && !warnedRmsScaling) {
      warnedRmsScaling = true;
      console.warn(
        'You passed `rmsScaling: true`, which is deprecated. This argument incorrectly scales the input by the variance, not the root mean square.',
      );
    }
  }

  /** The axis option: as given until the layer is built, then a sorted list. */
  get axis(): number | number[] {
    return Array.isArray(this.#axis) ? [...this.#axis] : this.#axis;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const sorted = Array.isArray(this.#axis) ? [...this.#axis].sort((a, b) => a - b) : [this.#axis];
    const axes = resolveAxes(sorted, shape, this.#axis);
    const sizes = axes.map((a, i) => definedDimension(shape, a, sorted[i] as number, this.name));
    this.addGammaBeta(sizes, { gamma: this.scale || this.rmsScaling, beta: this.center && !this.rmsScaling });
    // Keras reshapes (does not transpose) the weights onto the input's axes.
    const broadcastShape = shape.map(() => 1);
    axes.forEach((a, i) => {
      broadcastShape[a] = sizes[i] as number;
    });
    this.#axis = sorted;
    this.#built = { rank: shape.length, axes, broadcastShape };
  }

  override computeOutputShape(inputShape: Shape): Shape {
    for (const axis of Array.isArray(this.#axis) ? this.#axis : [this.#axis]) resolveAxis(axis, inputShape, this.#axis);
    return [...inputShape];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const built = this.#built;
    if (built == null) throw new Error(`LayerNormalization "${this.name}" was called before it was built.`);
    const fits = x.rank === built.rank && built.axes.every((a) => x.shape[a] === built.broadcastShape[a]);
    if (!fits) {
      const expected = formatShape(built.broadcastShape.map((d, i) => (built.axes.includes(i) ? d : null)));
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected inputs of shape ${expected} (null: any size). Received: input shape ${formatShape(x.shape)}`,
        { argument: 'inputs', expected, received: formatShape(x.shape) },
      );
    }
    return tf.tidy(() => {
      const gamma = this.gamma == null ? null : tf.reshape(this.gamma, built.broadcastShape);
      const beta = this.beta == null ? null : tf.reshape(this.beta, built.broadcastShape);
      const { mean, variance } = moments(x, built.axes);
      if (!this.rmsScaling) return normalize(x, mean, variance, gamma, beta, this.epsilon);
      const scaled = tf.mul(x, tf.rsqrt(tf.add(variance, this.epsilon)));
      return gamma == null ? scaled : tf.mul(scaled, gamma);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rmsScaling: this.rmsScaling,
      ...this.initializerConfig(),
      ...this.regularizerConfig(),
    };
  }

  override dispose(): void {
    super.dispose();
    this.#built = null;
  }
}
