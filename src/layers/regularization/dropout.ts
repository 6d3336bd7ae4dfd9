/** Dropout: random zeroing in training, the identity at inference. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type CallOptions, type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkSeed, NoiseSeeds } from './noise-arguments.js';

/** The options of `Dropout`, Keras's `Dropout(rate, noise_shape=None, seed=None)` camelCased. */
export interface DropoutOptions extends LayerOptions {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  seed?: number | null;
  /**
   * The shape of the keep/drop mask, broadcast over the inputs (`null`
   * entries take the input's size): `[null, 1, null]` drops whole
   * features of a sequence at every step.
   */
  noiseShape?: (number | null)[] | null;
}

/**
 * In training, zeroes a `rate` fraction of the inputs and scales the rest by
 * `1 / (1 - rate)`; at inference, the identity.
 *
 * @example new layers.Dropout({ rate: 0.5 }).apply(x, { training: true })
 */
export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  readonly rate: number;
  readonly seed: number | null;
  readonly noiseShape: (number | null)[] | null;
  readonly #seeds: NoiseSeeds;

  constructor(options: DropoutOptions) {
    super(layerOptionsOf('Dropout', options, ['rate', 'seed', 'noiseShape']));
    this.supportsMasking = true;
    if (typeof options.rate !== 'number' || !(options.rate >= 0 && options.rate < 1)) {
      throw new ValueError(
        `Invalid value received for argument \`rate\`. Expected a float value between 0 and 1. Received: rate=${formatValue(options.rate)}`,
        { argument: 'rate', expected: 'a number in [0, 1)', received: formatValue(options.rate) },
      );
    }
    this.rate = options.rate;
    this.seed = checkSeed(options.seed);
    // As Keras's SeedGenerator: a seeded layer draws a new mask each call, the same sequence in a fresh layer.
    this.#seeds = new NoiseSeeds(this.seed);
    const noiseShape = options.noiseShape ?? null;
    if (
      noiseShape !== null &&
      !(Array.isArray(noiseShape) && noiseShape.every((d) => d === null || (Number.isInteger(d) && d > 0)))
    ) {
      throw invalidArgument('noiseShape', 'an array of positive integers or null', noiseShape);
    }
    this.noiseShape = noiseShape === null ? null : [...noiseShape];
  }

  /** The mask's shape for `x`: the noise shape with `null` filled in from `x`, else `x`'s shape. */
  private maskShape(x: tf.Tensor): number[] {
    const noiseShape = this.noiseShape;
    if (noiseShape === null) return x.shape;
    if (noiseShape.length !== x.rank || noiseShape.some((d, i) => d !== null && d !== 1 && d !== x.shape[i])) {
      throw new ValueError(
        `Layer "${this.name}": noise_shape ${formatValue(noiseShape)} does not broadcast to the input shape ${formatValue(x.shape)}.`,
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
    return tf.tidy(() => {
      const keep = tf.greaterEqual(tf.randomUniform(this.maskShape(x), 0, 1, 'float32', this.#seeds.next()), this.rate);
      return tf.mul(x, tf.div(tf.cast(keep, 'float32'), 1 - this.rate));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noiseShape: this.noiseShape };
  }
}
