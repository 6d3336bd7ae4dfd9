/** Softmax: exp(x) normalized to sum 1 over `axis`. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type CallOptions, type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkAxisOption, resolveAxes } from '../normalization/axes.js';

/**
 * `exp(x - max(x)) / sum(exp(x - max(x)))` over `axis` (default -1), or over
 * several axes at once for a list of two or more:
 * `exp(x - logsumexp(x, axis))`, as in Keras.
 *
 * With a mask (given as `mask` or carried by the inputs), as in Keras:
 * masked positions get probability 0 and take no part in the others'.
 *
 * @example new layers.Softmax({ axis: 1 })
 */
export class Softmax extends Layer {
  static override readonly className: string = 'Softmax';
  readonly #axis: number | number[];

  constructor(options: LayerOptions & { axis?: number | number[] } = {}) {
    super(layerOptionsOf('Softmax', options, ['axis']));
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

  override call(inputs: LayerInputs, options: CallOptions = {}): tf.Tensor {
    const x = singleInput(inputs);
    const mask = Array.isArray(options.mask) ? (options.mask[0] ?? null) : (options.mask ?? null);
    if (mask == null) return this.softmax(x);
    checkMaskBroadcasts(mask.shape, x.shape);
    return tf.tidy(() => {
      // Keras's: masked logits become -1e9 before the softmax, and their probabilities 0 after.
      const keep = tf.broadcastTo(mask.dtype === 'bool' ? mask : tf.greater(mask, 0.5), x.shape);
      const probabilities = this.softmax(tf.where(keep, x, tf.fill(x.shape, -1e9)));
      return tf.where(keep, probabilities, tf.zerosLike(probabilities));
    });
  }

  private softmax(x: tf.Tensor): tf.Tensor {
    const axes = this.axesOf(x.shape);
    return tf.tidy(() => {
      if (axes.length > 1) return tf.exp(tf.sub(x, tf.logSumExp(x, axes, true)));
      const axis = axes[0] as number;
      const last = x.rank - 1;
      if (axis === last) return tf.softmax(x);
      // tfjs's softmax kernel works on the last axis: swap the axis there and back.
      const order = x.shape.map((_, i) => (i === axis ? last : i === last ? axis : i));
      return tf.transpose(tf.softmax(tf.transpose(x, order)), order);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Keras's checks: the mask has at most the inputs' rank, and each of its trailing axes is 1 or the input's size. */
function checkMaskBroadcasts(maskShape: readonly number[], inputShape: readonly number[]): void {
  const received = `Received: inputs.shape=${formatShape(inputShape)}, mask.shape=${formatShape(maskShape)}`;
  const details = { argument: 'mask', expected: 'a mask broadcastable to the inputs', received };
  if (maskShape.length > inputShape.length) {
    throw new ValueError(
      `The \`mask\` must be broadcastable to \`inputs\` and must not have more dimensions. ${received}`,
      details,
    );
  }
  const offset = inputShape.length - maskShape.length;
  if (maskShape.some((d, i) => d !== 1 && d !== inputShape[offset + i])) {
    throw new ValueError(
      `The \`mask\` must be broadcastable to \`inputs\`. Each mask dimension must be 1 or match the corresponding input dimension. ${received}`,
      details,
    );
  }
}
