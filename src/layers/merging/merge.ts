/** Merge: the base of the layers that combine a list of tensors into one (Keras's `Merge`). */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import type { LayerInputs, Shape } from '../layer-types.js';

/** `[[2, 3], [null, 4]]`: a list of shapes as our messages print it. */
export function formatShapes(shapes: readonly Shape[]): string {
  return `[${shapes.map(formatShape).join(', ')}]`;
}

function isShape(value: unknown): value is Shape {
  return Array.isArray(value) && value.every((d) => d === null || (Number.isInteger(d) && d >= 0));
}

/**
 * The input shapes of a layer that takes a list of tensors; anything else
 * (one shape, a malformed list) is a ValueError whose text `describe` writes
 * from the received value.
 */
export function shapeList(inputShape: unknown, describe: (received: string) => string): Shape[] {
  if (Array.isArray(inputShape) && inputShape.length > 0 && inputShape.every(isShape)) return inputShape;
  const received = isShape(inputShape) ? formatShape(inputShape) : formatValue(inputShape);
  throw new ValueError(describe(received), {
    argument: 'inputs',
    expected: 'a list of tensors (shapes)',
    received,
  });
}

/** The tensors of a merge layer's call: a list, never a single tensor. */
export function tensorList(inputs: LayerInputs, describe: (received: string) => string): tf.Tensor[] {
  if (Array.isArray(inputs)) return inputs;
  const received = formatShape(inputs.shape);
  throw new ValueError(describe(received), { argument: 'inputs', expected: 'a list of tensors', received });
}

/**
 * Keras's `_compute_elemwise_op_output_shape`: NumPy broadcasting of two
 * shapes (batch axis excluded), right-aligned; an unknown size against
 * anything gives an unknown size.
 */
export function broadcastShapes(a: Shape, b: Shape): Shape {
  if (a.length < b.length) return broadcastShapes(b, a);
  const lead = a.slice(0, a.length - b.length);
  const tail = b.map((j, k) => {
    const i = a[a.length - b.length + k] as number | null;
    if (i === null || j === null) return null;
    if (i === 1) return j;
    if (j === 1 || i === j) return i;
    throw new ValueError(
      `Inputs have incompatible shapes: expected sizes that are equal, or 1, on each axis after the batch axis. Received shapes ${formatShape(a)} and ${formatShape(b)} (batch axis excluded)`,
      { argument: 'inputs', expected: 'broadcastable shapes', received: `${formatShape(a)} and ${formatShape(b)}` },
    );
  });
  return [...lead, ...tail];
}

/**
 * Base of the elementwise merges (Add, Subtract, Multiply, Average, Maximum,
 * Minimum) and of Concatenate and Dot: `call` takes a list of tensors with
 * the same batch size. Shapes after the batch axis broadcast as NumPy's; a
 * lower-rank input is first expanded at axis 1 (after the batch axis) until
 * the ranks agree, as Keras does, which is the same as NumPy's leading 1s.
 */
export abstract class Merge extends Layer {
  static override readonly className: string = 'Merge';

  /** Combines the inputs, already expanded to one rank. Runs inside `tf.tidy`. */
  protected abstract mergeFunction(inputs: tf.Tensor[]): tf.Tensor;

  /** The error text for inputs that are not a list; Concatenate and Dot word it their way, as Keras. */
  protected notAList(received: string): string {
    return `A merge layer should be called on a list of inputs. Received: input_shape=${received} (not a list of shapes)`;
  }

  /** A subclass's own check of the inputs (Subtract: exactly 2); none by default. */
  protected checkInputShapes(_shapes: Shape[]): void {}

  /** Only validates the shapes, as Keras's `build`: merges have no weights. */
  override build(inputShape: number[] | number[][]): void {
    this.computeOutputShape(inputShape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = shapeList(inputShape, (r) => this.notAList(r));
    this.checkInputShapes(shapes);
    checkBatched(shapes);
    const batch = commonBatchSize(shapes);
    const [first, ...rest] = shapes as [Shape, ...Shape[]];
    const out = rest.reduce((acc, shape) => broadcastShapes(acc, shape.slice(1)), first.slice(1));
    return [batch, ...out];
  }

  /** Checks the shapes every call (tfjs would broadcast the batch axis too, where Keras refuses). */
  override call(inputs: LayerInputs): tf.Tensor {
    const list = tensorList(inputs, (r) => this.notAList(r));
    this.computeOutputShape(list.map((x) => [...x.shape]));
    return tf.tidy(() => this.mergeFunction(this.alignRanks(list)));
  }

  /** Keras's `_reshape_required` path: lower-rank inputs expanded at axis 1. Dot contracts inputs of different ranks instead. */
  protected alignRanks(inputs: tf.Tensor[]): tf.Tensor[] {
    return expandToSameRank(inputs);
  }
}

/** Every input needs a batch axis: a scalar has no axis 1 to expand at. */
function checkBatched(shapes: Shape[]): void {
  if (shapes.every((s) => s.length > 0)) return;
  throw new ValueError(
    `A merge layer's inputs must have a batch axis: expected rank >= 1. Received: input_shape=${formatShapes(shapes)}`,
    { argument: 'inputs', expected: 'rank >= 1', received: formatShapes(shapes) },
  );
}

/** The batch size the inputs agree on (null when none is known); different known sizes are an error. */
function commonBatchSize(shapes: Shape[]): number | null {
  const known = new Set(shapes.filter((s) => s[0] !== null).map((s) => s[0] as number));
  if (known.size > 1) {
    throw new ValueError(
      `Cannot merge tensors with different batch sizes: expected one batch size. Received tensors with shapes ${formatShapes(shapes)}`,
      { argument: 'inputs', expected: 'the same batch size', received: formatShapes(shapes) },
    );
  }
  return known.size === 1 ? ([...known][0] as number) : null;
}

/** Keras's Merge reshape: expands each lower-rank input at axis 1 until every rank is the largest. */
function expandToSameRank(inputs: tf.Tensor[]): tf.Tensor[] {
  const rank = Math.max(...inputs.map((x) => x.rank));
  return inputs.map((x) =>
    x.rank === rank ? x : tf.reshape(x, [x.shape[0] as number, ...ones(rank - x.rank), ...x.shape.slice(1)]),
  );
}

function ones(count: number): number[] {
  return new Array<number>(count).fill(1);
}
