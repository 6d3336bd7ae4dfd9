/** RepeatVector: repeats each sample's vector n times. */
import * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, ValueError } from '../../errors.js';
import { formatValue } from '../../utils/format.js';
import { Layer } from '../layer.js';
import { singleInput } from '../layer-checks.js';
import { type LayerInputs, type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { checkInputRank, singleShape } from './input-shape.js';

/** The options of `RepeatVector`, Keras's `RepeatVector(n)`. */
export interface RepeatVectorOptions extends LayerOptions {
  /** How many times to repeat; a positive integer. */
  n: number;
}

/**
 * Repeats a batch of vectors: `[batch, features]` → `[batch, n, features]`.
 *
 * @example new layers.RepeatVector({ n: 3 }).apply(x) // [b, 32] gives [b, 3, 32]
 */
export class RepeatVector extends Layer {
  static override readonly className: string = 'RepeatVector';
  readonly n: number;

  constructor(options: RepeatVectorOptions) {
    super(layerOptionsOf('RepeatVector', options, ['n']));
    this.n = checkRepeats(options.n);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    checkInputRank(shape, 2, this.name);
    return [shape[0] ?? null, this.n, shape[1] ?? null];
  }

  override call(inputs: LayerInputs): tf.Tensor {
    const x = singleInput(inputs);
    checkInputRank([...x.shape], 2, this.name);
    const [batch, features] = x.shape as [number, number];
    return tf.tidy(() => tf.tile(tf.reshape(x, [batch, 1, features]), [1, this.n, 1]));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}

/** Keras's checks: a TypeError for a non-integer, a ValueError for n <= 0. */
function checkRepeats(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new KerasTypeError(`Expected an integer value for \`n\`. Received: n=${formatValue(n)}`, {
      argument: 'n',
      expected: 'a positive integer',
      received: formatValue(n),
    });
  }
  if (n <= 0) {
    throw new ValueError(`Argument \`n\` should be a positive integer. Received: n=${formatValue(n)}`, {
      argument: 'n',
      expected: 'a positive integer',
      received: formatValue(n),
    });
  }
  return n;
}
