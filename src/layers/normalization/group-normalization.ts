/** GroupNormalization: the channels split into groups, each normalized per sample. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkAxisOption, checkInputSpec, definedDimension, resolveAxis } from './axes.js';
import { finiteNumber } from './batch-normalization.js';
import { GAMMA_BETA_OPTION_NAMES, GammaBetaLayer, type GammaBetaOptions } from './gamma-beta.js';
import { moments, normalize } from './normalize.js';

/** The options of `GroupNormalization`, Keras's `GroupNormalization(groups=32, axis=-1, epsilon=0.001, ...)` camelCased. */
export interface GroupNormalizationOptions extends LayerOptions, GammaBetaOptions {
  /** Groups the channels split into (a divisor of their number), or -1 for one per channel; default 32. */
  groups?: number;
  /** The channels axis; default -1. */
  axis?: number;
  /** Added to the variance; default 1e-3. */
  epsilon?: number;
}

const OPTION_NAMES = ['groups', 'axis', 'epsilon', ...GAMMA_BETA_OPTION_NAMES];

/**
 * Splits the channels into `groups` groups and normalizes each group of
 * each sample over its channels and every other non-batch axis; then
 * `gamma` and `beta` (one per channel). `groups: 1` is layer normalization
 * over all axes, `groups: -1` instance normalization.
 *
 * @example new layers.GroupNormalization({ groups: 8, gammaRegularizer: new L2(1e-4) })
 */
export class GroupNormalization extends GammaBetaLayer {
  static override readonly className: string = 'GroupNormalization';
  readonly axis: number;
  readonly epsilon: number;
  /** As given, until build turns -1 into the number of channels (as Keras's config shows). */
  #groups: number;
  #built: { rank: number; axis: number; channels: number } | null = null;

  constructor(options: GroupNormalizationOptions = {}) {
    super(layerOptionsOf('GroupNormalization', options, OPTION_NAMES), options);
    const groups = options.groups ?? 32;
    if (!Number.isInteger(groups) || (groups <= 0 && groups !== -1)) {
      throw new ValueError(
        `Received an invalid value for argument \`groups\`, expected a positive integer (or \`-1\` for instance normalization). Received: groups=${formatValue(groups)}`,
        { argument: 'groups', expected: 'a positive integer or -1', received: formatValue(groups) },
      );
    }
    this.#groups = groups;
    this.axis = checkAxisOption(options.axis ?? -1, false) as number;
    this.epsilon = finiteNumber(options.epsilon ?? 1e-3, 'epsilon');
  }

  get groups(): number {
    return this.#groups;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const axis = resolveAxis(this.axis, shape);
    if (axis === 0) {
      throw new ValueError(
        `Invalid value for argument axis: expected a channels axis after the batch axis. Received: axis=${this.axis}`,
        { argument: 'axis', expected: 'an axis other than 0', received: String(this.axis) },
      );
    }
    const channels = definedDimension(shape, axis, this.axis, this.name);
    const groups = this.#groups === -1 ? channels : this.#groups;
    if (channels < groups) {
      throw new ValueError(`Number of groups (${groups}) cannot be more than the number of channels (${channels}).`, {
        argument: 'groups',
        expected: `at most ${channels}`,
        received: String(groups),
      });
    }
    if (channels % groups !== 0) {
      // Keras's text says it the other way round; the channels must be a multiple of the groups.
      throw new ValueError(
        `Number of channels (${channels}) must be a multiple of the number of groups (${groups}). Received: groups=${groups}`,
        { argument: 'groups', expected: `a divisor of ${channels}`, received: String(groups) },
      );
    }
    this.addGammaBeta([channels], { gamma: this.scale, beta: this.center });
    this.#groups = groups;
    this.#built = { rank: shape.length, axis, channels };
  }

  override computeOutputShape(inputShape: Shape): Shape {
    resolveAxis(this.axis, inputShape);
    return [...inputShape];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    const built = this.#built;
    if (built == null) throw new Error(`GroupNormalization "${this.name}" was called before it was built.`);
    checkInputSpec(this.name, x.shape, built.rank, [[this.axis, built.channels]]);
    const { axis, channels } = built;
    const groups = this.#groups;
    // [..., channels, ...] -> [..., groups, channels / groups, ...]; statistics over all but the batch and group axes.
    const grouped = [...x.shape.slice(0, axis), groups, channels / groups, ...x.shape.slice(axis + 1)];
    const broadcast = grouped.map((d, i) => (i === axis || i === axis + 1 ? d : 1));
    const reductionAxes = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
    return tf.tidy(() => {
      const reshaped = tf.reshape(x, grouped);
      const gamma = this.gamma == null ? null : tf.reshape(this.gamma, broadcast);
      const beta = this.beta == null ? null : tf.reshape(this.beta, broadcast);
      const { mean, variance } = moments(reshaped, reductionAxes);
      return tf.reshape(normalize(reshaped, mean, variance, gamma, beta, this.epsilon), x.shape);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      groups: this.#groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      ...this.initializerConfig(),
      ...this.regularizerConfig(),
    };
  }

  override dispose(): void {
    super.dispose();
    this.#built = null;
  }
}
