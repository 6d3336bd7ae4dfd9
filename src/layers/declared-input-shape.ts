/**
 * The input shape a layer may declare in its options (Keras's `input_shape`
 * and `input_dim`, tfjs-layers' `batchInputShape` and `batchSize` too): a
 * Sequential whose first layer declares one starts with an `Input` of it.
 */
import { invalidArgument, ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import type { LayerOptions, Shape } from './layer-types.js';

let warned = false;

/** For tests: makes the next declared shape warn again. */
export function resetInputShapeWarning(): void {
  warned = false;
}

function checkDims(value: unknown, name: string): Shape {
  if (!Array.isArray(value) || !value.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
    throw invalidArgument(name, 'an array of positive integers or null', value);
  }
  return [...value];
}

/**
 * The full shape, batch axis first, that the options declare, or null. Warns
 * once per process, as Keras does, that an `Input` is the preferred way.
 */
export function declaredBatchShape(options: LayerOptions): Shape | null {
  const { inputShape, inputDim, batchInputShape, batchSize } = options;
  const given = [inputShape, inputDim, batchInputShape].filter((v) => v != null).length;
  if (given > 1) {
    const received = formatValue({ inputShape, inputDim, batchInputShape });
    throw new ValueError(`Give only one of inputShape, inputDim and batchInputShape. Received: ${received}`, {
      argument: 'inputShape',
      expected: 'one of inputShape, inputDim, batchInputShape',
      received,
    });
  }
  if (batchSize != null && !(Number.isInteger(batchSize) && batchSize > 0)) {
    throw invalidArgument('batchSize', 'a positive integer', batchSize);
  }
  let shape: Shape | null = null;
  if (batchInputShape != null) {
    if (batchSize != null) {
      throw new ValueError(
        `Give batchSize with inputShape or inputDim, not with batchInputShape. Received: batchSize=${batchSize}`,
        { argument: 'batchSize', expected: 'no batchSize with batchInputShape', received: String(batchSize) },
      );
    }
    shape = checkDims(batchInputShape, 'batchInputShape');
    if (shape.length === 0) throw invalidArgument('batchInputShape', 'at least the batch axis', batchInputShape);
  } else if (inputDim != null) {
    if (!(Number.isInteger(inputDim) && inputDim > 0))
      throw invalidArgument('inputDim', 'a positive integer', inputDim);
    shape = [batchSize ?? null, inputDim];
  } else if (inputShape != null) {
    shape = [batchSize ?? null, ...checkDims(inputShape, 'inputShape')];
  } else if (batchSize != null) {
    throw new ValueError(`batchSize needs inputShape or inputDim. Received: batchSize=${batchSize}`, {
      argument: 'batchSize',
      expected: 'inputShape or inputDim beside it',
      received: String(batchSize),
    });
  }
  if (shape != null && !warned) {
    warned = true;
    console.warn(
      'Do not pass an `inputShape`/`inputDim` argument to a layer. When using Sequential models, prefer using an `Input({ shape })` object as the first layer in the model instead.',
    );
  }
  return shape;
}
