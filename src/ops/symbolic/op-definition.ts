/**
 * What a Keras op is before any graph holds it: its definition (class name,
 * module, config, shape rule, tfjs computation) and the constants among its
 * arguments. Kept apart from the `Operation` layer so that `ops`, which the
 * layers import, can know the definitions without importing `Layer` (a
 * module cycle that bundlers order badly: "Class extends value undefined").
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../layers/layer-types.js';

/** What an operation's output looks like before it runs. */
export interface OutputSpec {
  shape: Shape;
  dtype: tf.DataType;
}

/**
 * A tensor of known values given to an op with symbolic ones (Keras writes
 * it as `__tensor__` in the node): kept as values, so the graph holds no tensor.
 *
 * @example ops.add(layers.Input({ shape: [2] }), tf.tensor([1, 2])) // Add with a Constant of [1, 2]
 */
export class Constant {
  constructor(
    readonly values: unknown,
    readonly shape: number[],
    readonly dtype: tf.DataType,
  ) {}

  /** The values as a tensor (the caller owns it). */
  toTensor(): tf.Tensor {
    return tf.tensor(this.values as tf.TensorLike, this.shape, this.dtype);
  }
}

/** One Keras op class: its name and module in Keras files, its config, its output shape and its tfjs computation. */
export interface OpDefinition {
  readonly className: string;
  /** Keras's module, e.g. `keras.src.ops.numpy`. */
  readonly module: string;
  /** The config's keys besides `name`, in Keras's order, with Keras's defaults. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** The output's shape and dtype (a list for several outputs) from the arguments: symbolic tensors, constants and plain values. */
  spec(args: readonly unknown[], config: Readonly<Record<string, unknown>>): OutputSpec | OutputSpec[];
  /** The output from the arguments with tensors in place of symbolic tensors and constants. */
  compute(args: readonly unknown[], config: Readonly<Record<string, unknown>>): tf.Tensor | tf.Tensor[];
}
