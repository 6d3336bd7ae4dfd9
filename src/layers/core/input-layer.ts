import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { isPlainObject } from '../../utils/objects.js';
import { Layer } from '../layer.js';
import { type LayerInputs, type LayerOptions, type LayerOutputs, layerOptionsOf, type Shape } from '../layer-types.js';
import { KerasTensor, Node } from '../symbolic/keras-tensor.js';

const INPUT_LAYER_OPTIONS = ['shape', 'batchShape', 'sparse', 'ragged', 'optional'];

/** The dtypes an input may declare: float32 data, or integer ids (Embedding); tfjs computes int64 as int32. */
export type InputDtype = 'float32' | 'int32' | 'int64';

/** The options of `InputLayer`, Keras's `InputLayer(shape=..., batch_shape=..., dtype=..., name=...)`: give `shape` or `batchShape`. */
export interface InputLayerOptions extends Omit<LayerOptions, 'dtype'> {
  /** `"float32"` (default), or `"int32"` for integer ids (Keras writes `"int32"`; `"int64"` is read as int32). */
  dtype?: InputDtype | LayerOptions['dtype'];
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
 *
 * @example new models.Sequential([new layers.InputLayer({ shape: [28, 28, 1] }), new layers.Flatten()])
 */
export class InputLayer extends Layer {
  static override readonly className: string = 'InputLayer';
  readonly batchShape: (number | null)[];
  /** The dtype of the data it stands for (the layer's own weights policy stays float32). */
  readonly inputDtype: InputDtype;
  /** The symbolic tensor this input stands for: what `Input()` returns. */
  readonly output: KerasTensor;

  constructor(options: InputLayerOptions) {
    // Keras 2 and tfjs-layers write `batch_input_shape` (and `input_shape`,
    // `batch_size`) on an InputLayer: here they are its own shape, not the
    // shape a layer declares for a Sequential to start from.
    const { inputShape, batchInputShape, batchSize, dtype, ...rest } = isPlainObject(options)
      ? options
      : ({} as InputLayerOptions);
    super(layerOptionsOf('InputLayer', isPlainObject(options) ? rest : options, INPUT_LAYER_OPTIONS));
    this.inputDtype = parseInputDtype(dtype);
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
    this.output = new KerasTensor(batchShape, this.inputDtype === 'float32' ? 'float32' : 'int32', node, 0);
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

  /** The data reaches the model's layers as given: integer ids stay integers. */
  protected override keepsInputDtypes(): boolean {
    return true;
  }

  override getConfig(): Record<string, unknown> {
    const { name } = super.getConfig();
    return {
      batchShape: this.batchShape,
      dtype: this.inputDtype,
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

function parseInputDtype(value: unknown): InputDtype {
  if (value == null) return 'float32';
  if (value === 'float32' || value === 'int32' || value === 'int64') return value;
  // Keras's policy JSON for float32, as any layer's dtype option takes it.
  if (isPlainObject(value) && (value as { config?: { name?: unknown } }).config?.name === 'float32') return 'float32';
  throw new ValueError(
    `Invalid value for argument dtype: expected "float32", "int32" or "int64" for an Input. Received: dtype=${formatValue(value)}`,
    { argument: 'dtype', expected: '"float32", "int32" or "int64"', received: formatValue(value) },
  );
}
