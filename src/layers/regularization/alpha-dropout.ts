/** AlphaDropout: dropout that keeps the inputs' mean and variance, for self-normalizing (SELU) networks. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type CallOptions, type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkRate, checkSeed, NoiseSeeds } from './noise-arguments.js';

/** SELU's constants: Keras's (written there to 31 digits), to float64 precision. */
const ALPHA = 1.6732632423543772;
const SCALE = 1.0507009873554805;
/** The value a dropped unit takes before the affine correction: SELU's negative saturation, `-alpha * scale`. */
const ALPHA_P = -ALPHA * SCALE;

/** The options of `AlphaDropout`, Keras's `AlphaDropout(rate, noise_shape=None, seed=None)` camelCased. */
export interface AlphaDropoutOptions extends LayerOptions {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /**
   * The shape of the keep/drop mask, broadcast over the inputs (`null`
   * entries take the input's size): `[null, 1, null]` drops the same
   * features at every step.
   */
  noiseShape?: (number | null)[] | null;
  /** An integer in [0, 2^32): the layer's sequence of masks repeats exactly. */
  seed?: number | null;
}

/**
 * The affine correction `a * x + b` after dropping with rate `rate`:
 * for standard-normal inputs the outputs have mean 0 and variance 1 again
 * (Klambauer et al. 2017).
 */
export function alphaDropoutAffine(rate: number): { a: number; b: number; alphaP: number } {
  const a = ((1 - rate) * (1 + rate * ALPHA_P ** 2)) ** -0.5;
  return { a, b: -a * ALPHA_P * rate, alphaP: ALPHA_P };
}

/**
 * In training, sets a `rate` fraction of the inputs to SELU's negative
 * saturation value `-alpha * scale` and maps all values by `a * x + b`,
 * chosen so that standard-normal inputs keep mean 0 and variance 1; at
 * inference, the identity (Keras's `AlphaDropout`). Masks pass through.
 *
 * @example new layers.AlphaDropout({ rate: 0.1, seed: 1 }).apply(x, { training: true })
 */
export class AlphaDropout extends Layer {
  static override readonly className: string = 'AlphaDropout';
  readonly rate: number;
  readonly seed: number | null;
  readonly noiseShape: (number | null)[] | null;
  readonly #seeds: NoiseSeeds;

  constructor(options: AlphaDropoutOptions) {
    super(layerOptionsOf('AlphaDropout', options, ['rate', 'noiseShape', 'seed']));
    this.rate = checkRate(options.rate);
    this.seed = checkSeed(options.seed);
    const noiseShape = options.noiseShape ?? null;
    if (
      noiseShape !== null &&
      !(Array.isArray(noiseShape) && noiseShape.every((d) => d === null || (Number.isInteger(d) && d > 0)))
    ) {
      throw invalidArgument('noiseShape', 'an array of positive integers or null', noiseShape);
    }
    this.noiseShape = noiseShape === null ? null : [...noiseShape];
    this.#seeds = new NoiseSeeds(this.seed);
    this.supportsMasking = true;
  }

  /** The mask's shape for `x`: the noise shape with `null` filled in from `x`, else `x`'s shape. */
  private maskShape(x: tf.Tensor): number[] {
    const noiseShape = this.noiseShape;
    if (noiseShape === null) return x.shape;
    // Keras broadcasts a longer noise shape into a bigger output; we refuse what does not broadcast to the input.
    if (noiseShape.length !== x.rank || noiseShape.some((d, i) => d !== null && d !== 1 && d !== x.shape[i])) {
      throw new ValueError(
        `Layer "${this.name}": noise_shape ${formatValue(noiseShape)} does not broadcast to the input shape ${formatValue(x.shape)}: expected ${x.rank} entries, each null, 1 or the input's size.`,
        {
          argument: 'noiseShape',
          expected: `a shape that broadcasts to ${formatValue(x.shape)}`,
          received: formatValue(noiseShape),
        },
      );
    }
    return noiseShape.map((d, i) => d ?? (x.shape[i] as number));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): tf.Tensor {
    const x = singleInput(inputs);
    if (!options.training || this.rate === 0) return x;
    const { a, b, alphaP } = alphaDropoutAffine(this.rate);
    const shape = this.maskShape(x);
    return tf.tidy(() => {
      const kept = tf.cast(
        tf.greaterEqual(tf.randomUniform(shape, 0, 1, 'float32', this.#seeds.next()), this.rate),
        'float32',
      );
      // Keras's order: x * kept + alpha_p * (1 - kept), then a * x + b.
      const dropped = tf.add(tf.mul(x, kept), tf.mul(alphaP, tf.sub(1, kept)));
      return tf.add(tf.mul(a, dropped), b);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noiseShape: this.noiseShape };
  }
}
