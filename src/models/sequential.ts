import * as tf from '@tensorflow/tfjs-core';
import { invalidArgument, ValueError } from '../errors.js';
import { checkInputShape, InputLayer } from '../layers/core/input-layer.js';
import { Layer } from '../layers/layer.js';
import { sameSampleShape } from '../layers/layer-checks.js';
import type { CallOptions, LayerInputs, LayerOptions, LayerOutputs, Shape } from '../layers/layer-types.js';
import {
  deserialize as deserializeLayer,
  registerLayerClass,
  serialize as serializeLayer,
} from '../layers/serialization.js';
import { KerasTensor } from '../layers/symbolic/keras-tensor.js';
import { disposeVariablesOnFailure } from '../utils/backend-capacity.js';
import { formatShape, formatValue } from '../utils/format.js';
import { Model } from './model.js';

/**
 * A plain stack of layers, each feeding the next. With an `Input` first, its
 * weights are built at once.
 *
 * @example new models.Sequential([layers.Input({ shape: [784] }), new layers.Dense({ units: 10, kernelRegularizer: 'l2' })])
 */
export class Sequential extends Model {
  static override readonly className: string = 'Sequential';
  declare readonly outputArity: 'one';
  /** Keras files a Sequential under `keras`, also inside a layer list. */
  static readonly kerasModule = 'keras';
  /** Every layer of the stack in order, its InputLayer included (tracked as nested layers; Keras's `_layers`). */
  readonly stackedLayers: Layer[] = [];

  /** The stacked layers in order, without the InputLayer (Keras 3's `model.layers`). */
  override get layers(): Layer[] {
    return this.stackedLayers.filter((layer) => !(layer instanceof InputLayer));
  }

  /** The one output is named after the last layer, as in Keras. */
  override get outputNames(): string[] {
    const last = this.stackedLayers[this.stackedLayers.length - 1];
    return [last?.name ?? this.name];
  }
  /** The output shape of the built stack, batch axis null: where the next added layer builds from. */
  #outputShape: Shape | null = null;

  constructor(layers: (Layer | KerasTensor)[] = [], options: LayerOptions = {}) {
    super(options);
    if (!Array.isArray(layers)) throw invalidArgument('layers', 'an array of layers', layers);
    // A layer refused mid-build (too large for the backend) would leave its predecessors' weights allocated.
    disposeVariablesOnFailure(() => {
      for (const layer of layers) this.add(layer);
    });
  }

  /**
   * Appends a layer. A first layer that declares an input shape
   * (`inputShape`, `inputDim`, `batchInputShape`) is preceded by an `Input`
   * of it, as in Keras. A built model builds just the new layer.
   */
  add(entry: Layer | KerasTensor): void {
    // An `Input()` tensor stands for its InputLayer, as in Keras.
    const layer = entry instanceof KerasTensor && entry.sourceLayer instanceof InputLayer ? entry.sourceLayer : entry;
    if (!(layer instanceof Layer)) {
      throw new ValueError(`Only layers can be added to a Sequential model. Received: ${formatValue(layer)}`, {
        argument: 'layer',
        expected: 'a Layer',
        received: formatValue(layer),
      });
    }
    if (this.stackedLayers.length === 0 && !(layer instanceof InputLayer) && layer.batchInputShape != null) {
      this.add(new InputLayer({ batchShape: layer.batchInputShape }));
    }
    if (this.stackedLayers.some((existing) => existing.name === layer.name)) {
      throw new ValueError(
        `All layers added to a Sequential model should have unique names. Name "${layer.name}" is already the name of a layer in this model. Update the \`name\` argument to pass a unique name.`,
        { argument: 'layer', expected: 'a layer with a name not used in this model', received: layer.name },
      );
    }
    if (layer instanceof InputLayer && this.stackedLayers.length > 0) {
      throw new ValueError('An Input can only be the first layer of a Sequential model.', { argument: 'layer' });
    }
    this.stackedLayers.push(layer);
    const input = this.inputLayer();
    if (input == null || layer === input) return;
    if (this.built && this.#outputShape != null) {
      this.#outputShape = outputShapeOf(layer, this.#outputShape);
    } else {
      this.build(input.batchShape);
    }
  }

  private inputLayer(): InputLayer | null {
    const first = this.stackedLayers[0];
    return first instanceof InputLayer ? first : null;
  }

  /**
   * Builds every layer in turn from the shapes the layers compute; a layer
   * that cannot compute its output shape runs once on a zero batch of one.
   * With an `Input` first, `inputShape` must agree with it but for the batch axis.
   */
  override build(inputShape: Shape | Shape[]): void {
    const shape = checkBuildShape(inputShape);
    const input = this.inputLayer();
    if (input != null && !sameSampleShape(input.batchShape, shape)) {
      throw new ValueError(
        `Sequential model "${this.name}" has already been configured to use input shape ${formatShape(input.batchShape)}. You cannot build it with input shape ${formatShape(shape)}.`,
        { argument: 'inputShape', expected: formatShape(input.batchShape), received: formatShape(shape) },
      );
    }
    this.#outputShape = this.stackedLayers.reduce<Shape>(
      (current, layer) => outputShapeOf(layer, current),
      [null, ...shape.slice(1)],
    );
  }

  override call(inputs: LayerInputs, options: CallOptions = {}): LayerOutputs {
    const input = this.inputLayer();
    if (input != null) checkInputShape(input, Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs);
    // In a tidy: a model applied outside one frees its layers' intermediate outputs (tfjs-layers does too).
    return tf.tidy(() => this.stackedLayers.reduce<LayerOutputs>((x, layer) => layer.apply(x, options), inputs));
  }

  /** Keras's Sequential config: the layers as Keras JSON, and the input shape. */
  override getConfig(): Record<string, unknown> {
    const inputShape = this.buildInputShape as number[] | null;
    return {
      ...super.getConfig(),
      layers: this.stackedLayers.map((layer) => serializeLayer(layer)),
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
    if (buildInputShape != null && !(model.stackedLayers[0] instanceof InputLayer)) {
      model.build(checkBuildShape(buildInputShape, 'build_input_shape'));
    }
    return model as unknown as T;
  }

  /** Each layer's output shape, batch axis null (for `summary`). */
  outputShapes(): Map<Layer, Shape> {
    const input = this.inputLayer();
    const shapes = new Map<Layer, Shape>();
    if (input == null || !this.built) return shapes;
    let shape: Shape = [null, ...input.batchShape.slice(1)];
    for (const layer of this.stackedLayers) {
      shape = outputShapeOf(layer, shape);
      shapes.set(layer, shape);
    }
    return shapes;
  }
}

/** Builds `layer` for `inputShape` (batch axis null) and gives its output shape, computed or, failing that, run on zeros. */
function outputShapeOf(layer: Layer, inputShape: Shape): Shape {
  const concrete = inputShape.map((d) => d ?? 1);
  const builtFor = layer.buildInputShape;
  // A layer built beforehand (from its own build_config, say) must have been
  // built for these inputs: Keras refuses such a model at load too.
  if (builtFor != null && !Array.isArray(builtFor[0]) && !sameSampleShape(builtFor as Shape, inputShape)) {
    throw new ValueError(
      `Layer "${layer.name}" was built for inputs of shape ${formatShape(builtFor as Shape)} but receives ${formatShape(inputShape)} in this model.`,
      { argument: 'inputShape', expected: formatShape(builtFor as Shape), received: formatShape(inputShape) },
    );
  }
  layer.ensureBuilt(inputShape);
  const known = layer.computeOutputShape(inputShape);
  if (known != null) return known as Shape;
  const computed = tf.tidy(() => {
    const output = layer.apply(tf.zeros(concrete)) as tf.Tensor;
    layer.clearLosses();
    return [...output.shape];
  });
  return [null, ...computed.slice(1)];
}

function checkBuildShape(inputShape: unknown, argument = 'inputShape'): Shape {
  if (!Array.isArray(inputShape) || !inputShape.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
    throw invalidArgument(argument, 'one shape: an array of positive integers or null', inputShape);
  }
  return inputShape;
}

registerLayerClass('Sequential', Sequential);
