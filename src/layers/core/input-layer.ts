import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { isPlainObject } from '../../utils/objects.js';
import { Layer } from '../layer.js';
import { type LayerInputs, type LayerOptions, type LayerOutputs, layerOptionsOf, type Shape } from '../layer-types.js';
import { KerasTensor, Node } from '../symbolic/keras-tensor.js';

const INPUT_LAYER_OPTIONS = ['shape', 'batchShape', 'sparse', 'ragged', 'optional'];

export interface InputLayerOptions extends LayerOptions {
  /** The shape of one sample, without the batch axis: `[28, 28, 1]`. */
  shape?: number[];
  /** The full shape with the batch axis (`null` for any batch size): Keras's `batch_shape`. */
  batchShape?: (number | null)[];
  sparse?: false;
  ragged?: false;
  optional?: false;
}

/**
 * Declares a model's input shape; as the first layer of a Sequential, it lets
 * the model build its weights at once (and print a summary).
 */
export class InputLayer extends Layer {
  static override readonly className: string = 'InputLayer';
  readonly batchShape: (number | null)[];
  /** The symbolic tensor this input stands for: what `Input()` returns. */
  readonly output: KerasTensor;

  constructor(options: InputLayerOptions) {
    // Keras 2 and tfjs-layers write `batch_input_shape` (and `input_shape`,
    // `batch_size`) on an InputLayer: here they are its own shape, not the
    // shape a layer declares for a Sequential to start from.
    const { inputShape, batchInputShape, batchSize, ...rest } = isPlainObject(options)
      ? options
      : ({} as InputLayerOptions);
    super(layerOptionsOf('InputLayer', isPlainObject(options) ? rest : options, INPUT_LAYER_OPTIONS));
    for (const flag of ['sparse', 'ragged', 'optional'] as const) {
      if (options[flag] != null && options[flag] !== false) {
        throw new ValueError(
          `Invalid value for argument ${flag}: only false is supported. Received: ${flag}=${formatValue(options[flag])}`,
          {
            argument: flag,
            expected: 'false',
            received: formatValue(options[flag]),
          },
        );
      }
    }
    const shape: unknown = options.shape ?? inputShape;
    const batchShape =
      options.batchShape ?? batchInputShape ?? (Array.isArray(shape) ? [batchSize ?? null, ...shape] : shape);
    if (!Array.isArray(batchShape) || !batchShape.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
      const received = formatValue(options.shape ?? options.batchShape ?? inputShape ?? batchInputShape);
      throw new ValueError(
        `Invalid value for argument shape: expected an array of positive integers. Received: shape=${received}`,
        { argument: 'shape', expected: 'an array of positive integers', received },
      );
    }
    this.batchShape = batchShape;
    // An InputLayer is its graph's source: built, with one output and no inputs.
    const node = new Node(this, [], false);
    this.output = new KerasTensor(batchShape, 'float32', node, 0);
    node.outputs.push(this.output);
    this.inboundNodes.push(node);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override call(inputs: LayerInputs): LayerOutputs {
    return inputs;
  }

  override getConfig(): Record<string, unknown> {
    const { name, dtype } = super.getConfig();
    return {
      batchShape: this.batchShape,
      dtype: (dtype as { config: { name: string } }).config.name,
      sparse: false,
      name,
    };
  }
}

/**
 * Keras's `keras.Input(shape)`: the symbolic tensor a Functional model starts
 * from (its InputLayer is `input.sourceLayer`); as the first entry of a
 * Sequential, it gives the model its input shape.
 *
 * @example
 * const inputs = layers.Input({ shape: [784] });
 * const outputs = new layers.Dense({ units: 10 }).apply(inputs);
 * const model = new models.Model({ inputs, outputs });
 */
export function Input(options: InputLayerOptions): KerasTensor {
  return new InputLayer(options).output;
}

/**
 * Checks `x`'s sample shape against a declared batch shape. The batch axis is
 * not checked: Keras records the training batch in `batch_shape` when `fit`
 * builds a model, and still predicts on any number of rows.
 */
export function checkInputShape(layer: InputLayer, x: tf.Tensor): void {
  const expected = layer.batchShape;
  const ok = x.rank === expected.length && expected.every((d, i) => i === 0 || d === null || d === x.shape[i]);
  if (!ok) {
    throw new ValueError(
      `Input of model is incompatible with its input layer: expected shape ${formatValue(expected)}, but received input with shape ${formatValue(x.shape)}`,
      { argument: 'x', expected: formatValue(expected), received: formatValue(x.shape) },
    );
  }
}
