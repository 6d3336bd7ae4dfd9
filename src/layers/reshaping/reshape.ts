/** Reshape: each sample to a target shape. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { singleShape } from './input-shape.js';

/** The options of `Reshape`, Keras's `Reshape(target_shape)` camelCased. */
export interface ReshapeOptions extends LayerOptions {
  /** The shape of each sample (batch axis excluded); one entry may be -1, inferred from the size. */
  targetShape: number[];
}

/**
 * Reshapes each sample: `[batch, ...]` → `[batch, ...targetShape]`.
 *
 * @example new layers.Reshape({ targetShape: [-1, 2] }).apply(x) // [2, 3, 4] gives [2, 6, 2]
 */
export class Reshape extends Layer {
  static override readonly className: string = 'Reshape';
  readonly targetShape: readonly number[];

  constructor(options: ReshapeOptions) {
    super(layerOptionsOf('Reshape', options, ['targetShape']));
    this.targetShape = checkTargetShape(options.targetShape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    return [shape[0] ?? null, ...reshapeOutputShape(shape.slice(1), this.targetShape)];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    return tf.reshape(x, [
      x.shape[0] as number,
      ...(reshapeOutputShape(x.shape.slice(1), this.targetShape) as number[]),
    ]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}

/** Keras's `validate_reshape_shape`: integers >= 0, and at most one -1. */
function checkTargetShape(value: unknown): number[] {
  const details = { argument: 'targetShape', received: formatValue(value) };
  if (!Array.isArray(value) || !value.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new ValueError(
      `Each dimension in \`targetShape\` must be a non-negative integer, or \`-1\` for a single unknown dimension. Received: targetShape=${formatValue(value)}.`,
      { ...details, expected: 'an array of non-negative integers and at most one -1' },
    );
  }
  if (value.filter((d) => d === -1).length > 1) {
    throw new ValueError(
      `There must be at most one unknown dimension (-1) in \`targetShape\`. Received: targetShape=${formatValue(value)}.`,
      { ...details, expected: 'at most one -1' },
    );
  }
  return [...value];
}

/**
 * Keras's `compute_reshape_output_shape` for one sample: the -1 resolved
 * from the input's size, or left unknown (null) when an input size is.
 */
function reshapeOutputShape(input: Shape, target: readonly number[]): Shape {
  if (input.includes(null)) return target.map((d) => (d === -1 ? null : d));
  const size = (input as number[]).reduce((a, b) => a * b, 1);
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const received = `input_shape=${formatShape(input)}, targetShape=${formatShape(target)}`;
  if (!target.includes(-1)) {
    if (known === size) return [...target];
    throw new ValueError(
      `The total size of the tensor must be unchanged: expected ${size} elements per sample. Received: ${received}`,
      { argument: 'targetShape', expected: `a shape of ${size} elements`, received },
    );
  }
  if (known === 0 || size % known !== 0) {
    throw new ValueError(
      `The total size of the tensor must be unchanged, however, the input size cannot be divided by the specified dimensions in targetShape. Received: ${received}`,
      { argument: 'targetShape', expected: `known dimensions whose product divides ${size}`, received },
    );
  }
  return target.map((d) => (d === -1 ? size / known : d));
}
