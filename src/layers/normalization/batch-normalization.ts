/** BatchNormalization: Keras 3's, moving statistics and the frozen-layer rule included. */
import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../../errors.js';
import * as initializers from '../../initializers/index.js';
import { formatShape } from '../../utils/format.js';
import { checkBoolean, singleInput } from '../layer-checks.js';
import { type CallOptions, type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkAxisOption, checkInputSpec, definedDimension, resolveAxis } from './axes.js';
import { batchNormInferenceLastAxis, batchNormTrainingLastAxis } from './batch-norm-op.js';
import { GAMMA_BETA_OPTION_NAMES, GammaBetaLayer, type GammaBetaOptions } from './gamma-beta.js';
import { batchNormalizeTraining, normalize, reshapeTo } from './normalize.js';

/** The options of `BatchNormalization`, Keras's `BatchNormalization(axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True, ...)` camelCased. */
export interface BatchNormalizationOptions extends LayerOptions, GammaBetaOptions {
  /** The features axis, normalized per entry; default -1 (use 1 after a channels-first layer). */
  axis?: number;
  /** Of the moving averages: `moving = moving * momentum + batch * (1 - momentum)`; default 0.99. */
  momentum?: number;
  /** Added to the variance; default 1e-3. */
  epsilon?: number;
  /** Default `"zeros"`. */
  movingMeanInitializer?: initializers.InitializerIdentifier;
  /** Default `"ones"`. */
  movingVarianceInitializer?: initializers.InitializerIdentifier;
  /** Only false: Keras supports true with its TensorFlow backend only. */
  synchronized?: boolean;
  /** Batch renormalization is not supported: only false. */
  renorm?: boolean;
  /** Only null (renorm is not supported). */
  renormClipping?: null;
  /** Kept in the config (renorm is not supported); default 0.99. */
  renormMomentum?: number;
}

const OPTION_NAMES = [
  'axis',
  'momentum',
  'epsilon',
  ...GAMMA_BETA_OPTION_NAMES,
  'movingMeanInitializer',
  'movingVarianceInitializer',
  'synchronized',
  'renorm',
  'renormClipping',
  'renormMomentum',
];

/** A finite number option (Keras reads these with `float(...)`). */
export function finiteNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(name, 'a finite number', value);
  return value;
}

/**
 * Normalizes each entry of the features axis to mean 0 and variance 1, then
 * scales by `gamma` and shifts by `beta`. In training calls
 * (`training: true`: `fit`, `trainOnBatch`) with the batch's mean and
 * variance, updating the moving averages; otherwise (`predict`, `evaluate`)
 * with the moving averages. A frozen layer (`trainable = false`) always runs
 * in inference mode and updates nothing, as in Keras 3.
 *
 * Weights, in Keras's order: `gamma`, `beta` (trainable), `moving_mean`,
 * `moving_variance` (non-trainable; never penalized).
 *
 * @example new layers.BatchNormalization({ momentum: 0.9, gammaRegularizer: new L2(1e-4) })
 */
export class BatchNormalization extends GammaBetaLayer {
  static override readonly className: string = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly movingMeanInitializer: initializers.Initializer;
  readonly movingVarianceInitializer: initializers.Initializer;
  readonly renormMomentum: number;
  movingMean: tf.Variable | null = null;
  movingVariance: tf.Variable | null = null;
  /** Set by build: the input rank, the features axis as an index, its size. */
  #built: { rank: number; axis: number; channels: number } | null = null;

  constructor(options: BatchNormalizationOptions = {}) {
    super(layerOptionsOf('BatchNormalization', options, OPTION_NAMES), options);
    this.axis = checkAxisOption(options.axis ?? -1, false) as number;
    this.momentum = finiteNumber(options.momentum ?? 0.99, 'momentum');
    this.epsilon = finiteNumber(options.epsilon ?? 1e-3, 'epsilon');
    this.movingMeanInitializer = initializers.get(options.movingMeanInitializer ?? 'zeros') as initializers.Initializer;
    this.movingVarianceInitializer = initializers.get(
      options.movingVarianceInitializer ?? 'ones',
    ) as initializers.Initializer;
    if (checkBoolean(options.synchronized ?? false, 'synchronized')) {
      throw new ValueError('Argument synchronized=True is only supported with the TensorFlow backend.', {
        argument: 'synchronized',
        expected: 'false',
        received: 'true',
      });
    }
    if (checkBoolean(options.renorm ?? false, 'renorm')) {
      throw new ValueError(
        'Invalid value for argument renorm: batch renormalization is not supported, expected false. Received: renorm=true',
        { argument: 'renorm', expected: 'false', received: 'true' },
      );
    }
    if (options.renormClipping != null)
      throw invalidArgument('renormClipping', 'null (renorm is not supported)', options.renormClipping);
    this.renormMomentum = finiteNumber(options.renormMomentum ?? 0.99, 'renormMomentum');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const axis = resolveAxis(this.axis, shape);
    const channels = definedDimension(shape, axis, this.axis, this.name);
    this.addGammaBeta([channels], { gamma: this.scale, beta: this.center });
    this.movingMean = this.addWeight({
      name: 'moving_mean',
      shape: [channels],
      initializer: this.movingMeanInitializer,
      trainable: false,
    });
    this.movingVariance = this.addWeight({
      name: 'moving_variance',
      shape: [channels],
      initializer: this.movingVarianceInitializer,
      trainable: false,
    });
    this.#built = { rank: shape.length, axis, channels };
  }

  override computeOutputShape(inputShape: Shape): Shape {
    resolveAxis(this.axis, inputShape);
    return [...inputShape];
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): tf.Tensor {
    const x = singleInput(inputs);
    const built = this.#built;
    if (built == null) throw new Error(`BatchNormalization "${this.name}" was called before it was built.`);
    checkInputSpec(this.name, x.shape, built.rank, [[this.axis, built.channels]]);
    const mask = Array.isArray(options.mask) ? (options.mask[0] ?? null) : (options.mask ?? null);
    if (mask != null && mask.rank !== x.rank - 1) {
      const received = `mask.shape=${formatShape(mask.shape)}, inputs.shape=${formatShape(x.shape)}`;
      throw new ValueError(`The mask provided should be one dimension less than the inputs. Received: ${received}`, {
        argument: 'mask',
        expected: `a mask of rank ${x.rank - 1}`,
        received,
      });
    }
    // Keras 3: a frozen BatchNormalization normalizes with its moving statistics even in training.
    const training = options.training === true && this.trainable;
    // Parameters broadcast along the features axis: as they are on the last axis, reshaped elsewhere.
    const paramShape =
      built.axis === built.rank - 1 ? [built.channels] : x.shape.map((d, i) => (i === built.axis ? d : 1));
    const reductionAxes = x.shape.map((_, i) => i).filter((i) => i !== built.axis);
    const movingMean = this.movingMean as tf.Variable;
    const movingVariance = this.movingVariance as tf.Variable;
    const epsilon = this.epsilon;
    return tf.tidy(() => {
      const gamma = this.gamma == null ? null : reshapeTo(this.gamma, paramShape);
      const beta = this.beta == null ? null : reshapeTo(this.beta, paramShape);
      const lastAxis = built.axis === built.rank - 1;
      if (!training) {
        if (lastAxis) {
          const paramGradients = this.trainable;
          return batchNormInferenceLastAxis(x, movingMean, movingVariance, gamma, beta, { epsilon, paramGradients });
        }
        return normalize(
          x,
          reshapeTo(movingMean, paramShape),
          reshapeTo(movingVariance, paramShape),
          gamma,
          beta,
          epsilon,
        );
      }
      // A mask (Keras's: statistics of the unmasked positions) takes the composed path.
      const fast = lastAxis && mask == null;
      const { y, mean, variance } = fast
        ? batchNormTrainingLastAxis(x, gamma, beta, epsilon)
        : batchNormalizeTraining(x, gamma, beta, { reductionAxes, epsilon, mask });
      // The moving averages move inside the training step's forward pass, as
      // Keras's do; assign keeps the new values past this tidy, and the tape
      // never reads these variables, so its gradients are unchanged.
      const momentum = this.momentum;
      const update = (moving: tf.Variable, batch: tf.Tensor) =>
        moving.assign(tf.add(tf.mul(moving, momentum), tf.mul(tf.reshape(batch, [built.channels]), 1 - momentum)));
      update(movingMean, mean);
      update(movingVariance, variance);
      // The fast op hands its statistics over kept (made inside its own scope); the tidy frees the others.
      if (fast) tf.dispose([mean, variance]);
      return y;
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      ...this.initializerConfig(),
      movingMeanInitializer: initializers.serialize(this.movingMeanInitializer),
      movingVarianceInitializer: initializers.serialize(this.movingVarianceInitializer),
      ...this.regularizerConfig(),
      synchronized: false,
      renorm: false,
      renormClipping: null,
      renormMomentum: this.renormMomentum,
    };
  }

  override dispose(): void {
    super.dispose();
    this.movingMean = null;
    this.movingVariance = null;
    this.#built = null;
  }
}
