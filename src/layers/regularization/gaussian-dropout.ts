/** GaussianDropout: multiplicative one-centred Gaussian noise in training, the identity at inference. */
import * as tf from '@tensorflow/tfjs-core';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type CallOptions, type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkRate, checkSeed, NoiseSeeds } from './noise-arguments.js';

/** The options of `GaussianDropout`, Keras's `GaussianDropout(rate, seed=None)` camelCased. */
export interface GaussianDropoutOptions extends LayerOptions {
  /** The drop probability it stands for, in [0, 1): the noise's standard deviation is `sqrt(rate / (1 - rate))`. */
  rate: number;
  /** An integer in [0, 2^32): the layer's sequence of noises repeats exactly. */
  seed?: number | null;
}

/**
 * In training, multiplies every input value by `N(1, rate / (1 - rate))`
 * noise (the mean and variance of Dropout's `keep / (1 - rate)` factor);
 * at inference, the identity (Keras's `GaussianDropout`). Masks pass through.
 *
 * @example new layers.GaussianDropout({ rate: 0.2, seed: 1 }).apply(x, { training: true })
 */
export class GaussianDropout extends Layer {
  static override readonly className: string = 'GaussianDropout';
  readonly rate: number;
  readonly seed: number | null;
  readonly #seeds: NoiseSeeds;

  constructor(options: GaussianDropoutOptions) {
    super(layerOptionsOf('GaussianDropout', options, ['rate', 'seed']));
    this.rate = checkRate(options.rate);
    this.seed = checkSeed(options.seed);
    this.#seeds = new NoiseSeeds(this.seed);
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): tf.Tensor {
    const x = singleInput(inputs);
    if (!options.training || this.rate === 0) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return tf.tidy(() => tf.mul(x, tf.randomNormal(x.shape, 1, stddev, 'float32', this.#seeds.next())));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
