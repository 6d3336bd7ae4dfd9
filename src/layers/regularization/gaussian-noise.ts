/** GaussianNoise: additive zero-centred Gaussian noise in training, the identity at inference. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type CallOptions, type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkSeed, NoiseSeeds } from './noise-arguments.js';

/** The options of `GaussianNoise`, Keras's `GaussianNoise(stddev, seed=None)` camelCased. */
export interface GaussianNoiseOptions extends LayerOptions {
  /** Standard deviation of the noise, in [0, 1] as Keras requires. */
  stddev: number;
  /** An integer in [0, 2^32): the layer's sequence of noises repeats exactly. */
  seed?: number | null;
}

/**
 * In training, adds `N(0, stddev²)` noise to every input value; at
 * inference, the identity (Keras's `GaussianNoise`). A corruption process
 * for real-valued inputs that regularizes like data augmentation. Masks
 * pass through.
 *
 * @example new layers.GaussianNoise({ stddev: 0.1, seed: 1 }).apply(x, { training: true })
 */
export class GaussianNoise extends Layer {
  static override readonly className: string = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | null;
  readonly #seeds: NoiseSeeds;

  constructor(options: GaussianNoiseOptions) {
    super(layerOptionsOf('GaussianNoise', options, ['stddev', 'seed']));
    const stddev = options.stddev;
    // Keras's own range: it refuses a stddev above 1 too.
    if (typeof stddev !== 'number' || !(stddev >= 0 && stddev <= 1)) {
      throw new ValueError(
        `Invalid value received for argument \`stddev\`. Expected a float value between 0 and 1. Received: stddev=${formatValue(stddev)}`,
        { argument: 'stddev', expected: 'a number in [0, 1]', received: formatValue(stddev) },
      );
    }
    this.stddev = stddev;
    this.seed = checkSeed(options.seed);
    this.#seeds = new NoiseSeeds(this.seed);
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): tf.Tensor {
    const x = singleInput(inputs);
    if (!options.training || this.stddev === 0) return x;
    return tf.tidy(() => tf.add(x, tf.randomNormal(x.shape, 0, this.stddev, 'float32', this.#seeds.next())));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}
