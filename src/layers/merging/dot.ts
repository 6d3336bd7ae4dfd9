/** Dot: the per-sample dot product of two tensors along chosen axes. */
import type * as tf from '@tensorflow/tfjs-core';
import { KerasTypeError, ValueError } from '../../errors.js';
import { formatShape, formatValue } from '../../utils/format.js';
import { checkBoolean } from '../layer-checks.js';
import { type LayerOptions, layerOptionsOf, type Shape } from '../layer-types.js';
import { batchDot, l2Normalize } from './batch-dot.js';
import { formatShapes, Merge, shapeList } from './merge.js';

/** Keras's `axes` of `Dot`: the axis of both inputs, or one for each. */
export type DotAxes = number | [number, number];

/** The options of `Dot`, Keras's `Dot(axes, normalize=False)`. */
export interface DotOptions extends LayerOptions {
  /** The axis of both inputs, or `[axisOfFirst, axisOfSecond]`; never the batch axis 0. Negative counts from the end. */
  axes: DotAxes;
  /** L2-normalize both inputs along their axis first, so the output is the cosine similarity; default false. */
  normalize?: boolean;
}

/**
 * Keras's `Dot`: `batch_dot(x, y, axes)`, per sample the sum over the paired
 * axes. Shapes `[b, 3, 5]` and `[b, 10, 3]` with `axes: [1, 2]` give `[b, 5, 10]`;
 * two `[b, n]` inputs give `[b, 1]`.
 *
 * @example new layers.Dot({ axes: 1, normalize: true }).apply([a, b]) // cosine similarity, [batch, 1]
 */
export class Dot extends Merge {
  static override readonly className: string = 'Dot';
  readonly axes: DotAxes;
  readonly normalize: boolean;

  constructor(options: DotOptions) {
    super(layerOptionsOf('Dot', options, ['axes', 'normalize']));
    this.axes = checkAxes(options.axes);
    this.normalize = checkBoolean(options.normalize ?? false, 'normalize');
  }

  protected override notAList(received: string): string {
    return `A \`Dot\` layer should be called on a list of 2 inputs. Received: input_shape=${received}`;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = shapeList(inputShape, (r) => this.notAList(r));
    if (shapes.length !== 2) {
      throw new ValueError(this.notAList(formatShapes(shapes)), {
        argument: 'inputs',
        expected: '2 inputs',
        received: `${shapes.length} inputs`,
      });
    }
    const [s1, s2] = shapes as [Shape, Shape];
    const [a0, a1] = this.resolvedAxes(s1, s2);
    const output = [...s1.filter((_, i) => i !== a0), ...s2.filter((_, i) => i !== 0 && i !== a1)];
    return output.length === 1 ? [...output, 1] : output;
  }

  /** Inputs of different ranks are contracted as they are, never expanded (Keras's Dot skips the Merge reshape). */
  protected override alignRanks(inputs: tf.Tensor[]): tf.Tensor[] {
    return inputs;
  }

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    const [x, y] = inputs as [tf.Tensor, tf.Tensor];
    const [a0, a1] = this.resolvedAxes(x.shape, y.shape);
    if (!this.normalize) return batchDot(x, y, a0, a1);
    return batchDot(l2Normalize(x, a0), l2Normalize(y, a1), a0, a1);
  }

  /**
   * `axes` as two non-negative axes for inputs of these shapes, after
   * `batch_dot`'s checks (rank >= 2, not the batch axis, one batch size)
   * and Keras's `build` check (equal known sizes along the axes).
   */
  private resolvedAxes(s1: Shape, s2: Shape): [number, number] {
    const shapes = `${formatShape(s1)} and ${formatShape(s2)}`;
    if (s1.length < 2 || s2.length < 2) {
      throw new ValueError(`Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes ${shapes}.`, {
        argument: 'inputs',
        expected: 'rank >= 2',
        received: shapes,
      });
    }
    const [p, q] = typeof this.axes === 'number' ? [this.axes, this.axes] : this.axes;
    if (p < -s1.length || p >= s1.length || q < -s2.length || q >= s2.length) {
      const expected = `axes within the inputs' ranks ${s1.length} and ${s2.length} (from -rank to rank - 1)`;
      throw new ValueError(
        `Invalid value for argument axes: expected ${expected}. Received: axes=${formatValue(this.axes)}`,
        { argument: 'axes', expected, received: formatValue(this.axes) },
      );
    }
    const a0 = p < 0 ? p + s1.length : p;
    const a1 = q < 0 ? q + s2.length : q;
    if (a0 === 0 || a1 === 0) {
      throw new ValueError(
        `Cannot perform batch_dot over axis 0, the batch axis: expected axes after it. Received: axes=${formatValue(this.axes)} for inputs of shapes ${shapes}. If your inputs are not batched, add a batch axis of size 1.`,
        { argument: 'axes', expected: 'axes other than the batch axis 0', received: formatValue(this.axes) },
      );
    }
    if (s1[0] != null && s2[0] != null && s1[0] !== s2[0]) {
      throw new ValueError(
        `Cannot do batch_dot on inputs with different batch sizes. Received inputs with shapes ${shapes}.`,
        { argument: 'inputs', expected: 'the same batch size', received: shapes },
      );
    }
    const [d1, d2] = [s1[a0] as number | null, s2[a1] as number | null];
    if (d1 != null && d2 != null && d1 !== d2) {
      throw new ValueError(
        `Incompatible input shapes: axis values ${d1} (at axis ${a0}) != ${d2} (at axis ${a1}). Full input shapes: ${formatShape(s1)}, ${formatShape(s2)}`,
        { argument: 'inputs', expected: `equal sizes along axes ${a0} and ${a1}`, received: shapes },
      );
    }
    return [a0, a1];
  }

  override getConfig(): Record<string, unknown> {
    const axes = typeof this.axes === 'number' ? this.axes : [...this.axes];
    return { ...super.getConfig(), axes, normalize: this.normalize };
  }
}

/** Keras's checks of `axes`: an integer, or a list of two integers. */
function checkAxes(axes: unknown): DotAxes {
  if (Number.isInteger(axes)) return axes as number;
  if (!Array.isArray(axes)) {
    throw new KerasTypeError(
      `Invalid type for argument \`axes\`: it should be a list or an int. Received: axes=${formatValue(axes)}`,
      { argument: 'axes', expected: 'an integer or a list of 2 integers', received: formatValue(axes) },
    );
  }
  if (axes.length !== 2) {
    throw new ValueError(
      `Invalid format for argument \`axes\`: it should contain two elements. Received: axes=${formatValue(axes)}`,
      { argument: 'axes', expected: 'a list of 2 integers', received: formatValue(axes) },
    );
  }
  if (!axes.every(Number.isInteger)) {
    throw new ValueError(
      `Invalid format for argument \`axes\`: list elements should be integers. Received: axes=${formatValue(axes)}`,
      { argument: 'axes', expected: 'a list of 2 integers', received: formatValue(axes) },
    );
  }
  return [axes[0], axes[1]];
}
