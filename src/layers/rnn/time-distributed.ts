/** TimeDistributed: one layer applied to every step of a sequence. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type { DeserializeOptions } from '../../serialization/serialization.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { Activation } from '../activations/activation.js';
import { inNameScope } from '../call-context.js';
import { Embedding } from '../core/embedding.js';
import { KernelBiasLayer } from '../kernel-bias-layer.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import {
  type CallOptions,
  type LayerInputs,
  type LayerOptions,
  type LayerOutputs,
  layerOptionsOf,
  type Shape,
} from '../layer-types.js';
import { Dropout } from '../regularization/dropout.js';
import { layerCodec, splitNestedLayer } from './layer-codec.js';

/** The options of `TimeDistributed`, Keras's `TimeDistributed(layer)`. */
export interface TimeDistributedOptions extends LayerOptions {
  /** The layer applied to each step `(batch, ...)` of the `(batch, timesteps, ...)` inputs. */
  layer: Layer;
}

/**
 * Applies `layer` to every step of the inputs (axis 1) with the same
 * weights: `(batch, timesteps, ...)` to `(batch, timesteps, ...layer output)`.
 * As in Keras, the wrapped layer's `call` runs (its own activity
 * regularizer does not; the wrapper's does), and a mask passes through.
 * Layers that treat each sample alone (Dense, Conv, Embedding, Activation,
 * Dropout) run once on the steps folded into the batch; others once per step.
 *
 * @example new layers.TimeDistributed({ layer: new layers.Dense({ units: 8, kernelRegularizer: new L2(1e-3) }) })
 */
export class TimeDistributed extends Layer {
  static override readonly className: string = 'TimeDistributed';
  readonly layer: Layer;

  constructor(options: TimeDistributedOptions) {
    super(layerOptionsOf('TimeDistributed', options, ['layer']));
    if (!(options.layer instanceof Layer)) {
      throw new ValueError(
        `Please initialize \`TimeDistributed\` layer with a \`keras.layers.Layer\` instance. Received: ${formatValue(options.layer)}`,
        { argument: 'layer', expected: 'a Layer', received: formatValue(options.layer) },
      );
    }
    this.layer = options.layer;
    this.supportsMasking = true;
  }

  private childShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (!Array.isArray(inputShape) || Array.isArray(inputShape[0]) || shape.length < 3) {
      throw new ValueError(
        `\`TimeDistributed\` Layer should be passed an \`input_shape\` with at least 3 dimensions, received: ${formatValue(inputShape)}`,
        { argument: 'inputShape', expected: 'rank >= 3', received: formatValue(inputShape) },
      );
    }
    return [shape[0] ?? null, ...shape.slice(2)];
  }

  override build(inputShape: Shape | Shape[]): void {
    const child = this.childShape(inputShape);
    inNameScope(this.name, () => this.layer.ensureBuilt(child));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | null {
    const child = this.layer.computeOutputShape(this.childShape(inputShape));
    if (child == null || Array.isArray(child[0])) return null;
    const shape = child as Shape;
    return [shape[0] ?? null, (inputShape as Shape)[1] ?? null, ...shape.slice(1)];
  }

  /** Ids for a wrapped Embedding stay integers; other layers get floats. */
  protected override keepsInputDtypes(): boolean {
    return this.layer instanceof Embedding;
  }

  /** Whether the wrapped layer treats each sample alone, so that the steps can fold into the batch. */
  private foldable(): boolean {
    const layer = this.layer;
    return (
      layer instanceof KernelBiasLayer ||
      layer instanceof Embedding ||
      layer instanceof Activation ||
      layer instanceof Dropout
    );
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const x = singleInput(inputs);
    const mask = Array.isArray(options.mask) ? (options.mask[0] ?? null) : (options.mask ?? null);
    if (mask != null) this.checkMask(mask, x);
    const [batch, steps] = x.shape as [number, number];
    const run = (input: tf.Tensor, stepMask: tf.Tensor | null): tf.Tensor => {
      const output = this.layer.call(input, { training: options.training, mask: stepMask });
      if (Array.isArray(output)) {
        throw new ValueError(
          `TimeDistributed supports layers with one output. Received: ${output.length} outputs from layer "${this.layer.name}"`,
          {
            argument: 'layer',
            expected: 'a layer with one output',
            received: `${output.length} outputs`,
          },
        );
      }
      return output;
    };
    return tf.tidy(() => {
      if (this.foldable()) {
        const flat = tf.reshape(x, [batch * steps, ...x.shape.slice(2)]);
        const flatMask = mask == null ? null : tf.reshape(mask, [batch * steps, ...mask.shape.slice(2)]);
        const y = run(flat, flatMask);
        return tf.reshape(y, [batch, steps, ...y.shape.slice(1)]);
      }
      const masks = mask == null ? null : tf.unstack(mask, 1);
      return tf.stack(
        tf.unstack(x, 1).map((step, i) => run(step, masks?.[i] ?? null)),
        1,
      );
    });
  }

  private checkMask(mask: tf.Tensor, x: tf.Tensor): void {
    if (mask.rank < 2) {
      throw new ValueError(
        `The \`mask\` passed to the \`TimeDistributed\` layer must be at least 2D (e.g., \`(batch_size, timesteps)\`), but it has ${mask.rank} dimension(s) with shape ${formatShape(mask.shape)}.`,
        { argument: 'mask', expected: 'rank >= 2', received: formatShape(mask.shape) },
      );
    }
    if (mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) {
      throw new ValueError(
        `The \`mask\` passed to the \`TimeDistributed\` layer has a shape ${formatShape(mask.shape)} that is incompatible with the input shape ${formatShape(x.shape)}. The first two dimensions of the mask (batch size and timesteps) must match the input's first two dimensions. Expected mask shape prefix: ${formatShape(x.shape.slice(0, 2))}.`,
        { argument: 'mask', expected: formatShape(x.shape.slice(0, 2)), received: formatShape(mask.shape) },
      );
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: layerCodec().serialize(this.layer) };
  }

  static override fromConfig<T extends Layer>(
    this: new (
      config: never,
    ) => T,
    config: Record<string, unknown>,
    options: DeserializeOptions = {},
  ): T {
    const [inner, rest] = splitNestedLayer(config, 'layer', options);
    return new TimeDistributed({ ...(rest as LayerOptions), layer: inner }) as unknown as T;
  }
}
