/** The elementwise merges: Add, Subtract, Multiply, Average, Maximum, Minimum. */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import type { Shape } from '../layer-types.js';
import { formatShapes, Merge } from './merge.js';

/**
 * The inputs broadcast to their common shape. tfjs's Maximum and Minimum
 * gradients do not sum over broadcast axes (they return the output's shape
 * to a smaller input); an explicit broadcastTo has a gradient that does.
 */
function broadcastAll(inputs: tf.Tensor[]): tf.Tensor[] {
  const shape = inputs.map((x) => x.shape).reduce((a, b) => tf.broadcast_util.assertAndGetBroadcastShape(a, b));
  return inputs.map((x) => (tf.util.arraysEqual(x.shape, shape) ? x : tf.broadcastTo(x, shape)));
}

/** Folds the inputs left to right with a binary op. */
function fold(inputs: tf.Tensor[], op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): tf.Tensor {
  return inputs.slice(1).reduce(op, inputs[0] as tf.Tensor);
}

/**
 * The sum of the inputs: `x1 + x2 + ...`.
 *
 * @example new layers.Add().apply([a, b])
 */
export class Add extends Merge {
  static override readonly className: string = 'Add';

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return fold(inputs, tf.add);
  }
}

/**
 * The difference of exactly two inputs: `x1 - x2`.
 *
 * @example new layers.Subtract().apply([a, b])
 */
export class Subtract extends Merge {
  static override readonly className: string = 'Subtract';

  protected override checkInputShapes(shapes: Shape[]): void {
    if (shapes.length === 2) return;
    throw new ValueError(
      `A \`Subtract\` layer should be called on exactly 2 inputs. Received: input_shape=${formatShapes(shapes)}`,
      { argument: 'inputs', expected: 'exactly 2 inputs', received: `${shapes.length} inputs` },
    );
  }

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return tf.sub(inputs[0] as tf.Tensor, inputs[1] as tf.Tensor);
  }
}

/**
 * The elementwise product of the inputs: `x1 * x2 * ...`.
 *
 * @example new layers.Multiply().apply([a, b]) // a * b
 */
export class Multiply extends Merge {
  static override readonly className: string = 'Multiply';

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return fold(inputs, tf.mul);
  }
}

/**
 * The elementwise mean of the inputs: `(x1 + ... + xn) / n`, a sum then a division as in Keras.
 *
 * @example new layers.Average().apply([a, b]) // (a + b) / 2
 */
export class Average extends Merge {
  static override readonly className: string = 'Average';

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return tf.div(fold(inputs, tf.add), inputs.length);
  }
}

/**
 * The elementwise maximum of the inputs. Where two inputs tie, the gradient
 * goes to the earlier one (tfjs's and TensorFlow's rule; JAX splits it).
 *
 * @example new layers.Maximum().apply([a, b])
 */
export class Maximum extends Merge {
  static override readonly className: string = 'Maximum';

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return fold(broadcastAll(inputs), tf.maximum);
  }
}

/**
 * The elementwise minimum of the inputs; ties send the gradient to the earlier input, as Maximum.
 *
 * @example new layers.Minimum().apply([a, b])
 */
export class Minimum extends Merge {
  static override readonly className: string = 'Minimum';

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return fold(broadcastAll(inputs), tf.minimum);
  }
}
