import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { checkInputShape, InputLayer } from '../layers/core/input-layer.js';
import { Layer } from '../layers/layer.js';
import type { CallOptions, LayerInputs, LayerOptions, LayerOutputs } from '../layers/layer-types.js';
import { deserialize as deserializeLayer, serialize as serializeLayer } from '../layers/serialization.js';
import { formatValue } from '../utils/format.js';
import { Model } from './model.js';
import { type ModelJson, modelToJSON } from './serialization.js';

/**
 * A plain stack of layers, each feeding the next. With an `Input` first, its
 * weights are built at once.
 *
 * @example new Sequential([layers.Input({ shape: [784] }), new layers.Dense({ units: 10, kernelRegularizer: 'l2' })])
 */
export class Sequential extends Model {
  static override readonly className: string = 'Sequential';
  /** The stacked layers, in order (tracked as nested layers). */
  readonly layers: Layer[] = [];

  constructor(layers: Layer[] = [], options: LayerOptions = {}) {
    super(options);
    for (const layer of layers) this.add(layer);
  }

  /** Appends a layer; builds the model if its input shape is known. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw new ValueError(`Only layers can be added to a Sequential model. Received: ${formatValue(layer)}`, {
        argument: 'layer',
        expected: 'a Layer',
        received: formatValue(layer),
      });
    }
    if (layer instanceof InputLayer && this.layers.length > 0) {
      throw new ValueError('An Input can only be the first layer of a Sequential model.', { argument: 'layer' });
    }
    this.layers.push(layer);
    const input = this.inputLayer();
    if (input != null && !(layer instanceof InputLayer)) {
      this.built = false;
      this.ensureBuilt(input.batchShape.map((d) => d ?? 1));
    }
  }

  private inputLayer(): InputLayer | null {
    const first = this.layers[0];
    return first instanceof InputLayer ? first : null;
  }

  /**
   * Builds every layer in turn from the shapes the layers compute; a layer
   * that cannot compute its output shape runs once on a zero batch of one.
   */
  override build(inputShape: number[] | number[][]): void {
    this.shapesThrough([1, ...(inputShape as number[]).slice(1)]);
  }

  /** Builds the layers for `inputShape` and returns each one's output shape. */
  private shapesThrough(inputShape: number[]): Map<Layer, number[]> {
    const shapes = new Map<Layer, number[]>();
    let shape = inputShape;
    for (const layer of this.layers) {
      layer.ensureBuilt(shape);
      const known = layer.computeOutputShape(shape);
      shape =
        known ??
        tf.tidy(() => {
          const output = layer.apply(tf.zeros(shape)) as tf.Tensor;
          layer.clearLosses();
          return [...output.shape];
        });
      shapes.set(layer, shape);
    }
    return shapes;
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const input = this.inputLayer();
    if (input != null) checkInputShape(input, Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs);
    return this.layers.reduce<LayerOutputs>((x, layer) => layer.apply(x, options), inputs);
  }

  /** Keras's Sequential config: the layers as Keras JSON, and the input shape. */
  override getConfig(): Record<string, unknown> {
    const inputShape = this.buildInputShape as number[] | null;
    return {
      ...super.getConfig(),
      layers: this.layers.map((layer) => serializeLayer(layer)),
      buildInputShape: inputShape == null ? null : [null, ...inputShape.slice(1)],
    };
  }

  static override fromConfig<T extends Layer>(this: new (config: never) => T, config: Record<string, unknown>): T {
    const { layers: layerConfigs, buildInputShape, ...options } = config;
    if (!Array.isArray(layerConfigs)) {
      throw new ValueError(
        `Invalid Sequential config: expected layers to be an array. Received: layers=${formatValue(layerConfigs)}`,
        {
          argument: 'layers',
          expected: 'an array of layer configs',
          received: formatValue(layerConfigs),
        },
      );
    }
    const stack = layerConfigs.map((json) => deserializeLayer(json));
    const model = new Sequential(stack, options as LayerOptions);
    if (Array.isArray(buildInputShape) && !(stack[0] instanceof InputLayer)) {
      model.ensureBuilt(buildInputShape.map((d) => (typeof d === 'number' ? d : 1)));
    }
    return model as unknown as T;
  }

  /** Keras 3 JSON of the whole model (`model.to_json()`), with build and compile configs. */
  toJSON(): ModelJson {
    return modelToJSON(this);
  }

  /** Each layer's output shape for a batch of one (for `summary`). */
  outputShapes(): Map<Layer, number[]> {
    const input = this.inputLayer();
    if (input == null || !this.built) return new Map();
    return this.shapesThrough(input.batchShape.map((d) => d ?? 1));
  }
}
